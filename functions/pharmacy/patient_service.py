"""What a patient (or a parent acting for a child) does in E-apotek's delivery (R40, R1, R36, R55).

Acting for a child (R36): ordering prescribed medicine is a prescription matter, so a parent may
do it for a child under 12 and for a child of 12-15 (the relation's `prescriptions` scope); from
16 the relation gives nothing. Everything is the CHILD's data: the consent per vendor, the added
addresses and the orders belong to the child, and every read or write by the parent is written to
the child's access log. The contact data offered for checking is the acting person's own (the
parent is the one the pharmacy calls), and the confirmation goes to whoever sent the order."""
from __future__ import annotations

import secrets
from dataclasses import dataclass, replace

from functions.core.actor import REPRESENTATIVE, Actor
from functions.core.clock import Clock
from functions.core.contacts import ContactBook
from functions.core.errors import NotFound, PortalError
from functions.core.outbox import Notice
from functions.core.profile_facts import ProfileFacts
from functions.core.representation import PRESCRIPTIONS
from functions.pharmacy import model
from functions.pharmacy.model import Address, Consent, Draft, Order, Vendor
from functions.pharmacy.ports import AccessRecorder, Pharmacy
from functions.pharmacy.repository import Claim, SentBefore

LINK = "/nb/levering.html"
REGISTERED = "reg-"      # the id prefix of an address from the profile (folkeregistrert)


@dataclass(frozen=True)
class Choices:
    """The vendors with the patient's consent to each, for the page."""
    vendors: list[Vendor]
    consents: dict[str, Consent]


@dataclass(frozen=True)
class ContactCheck:
    phone: str
    email: str


def new_id(prefix: str) -> str:
    return prefix + secrets.token_hex(8)


class PatientPharmacy:
    def __init__(self, repo: Pharmacy, contacts: ContactBook, facts: ProfileFacts, access_log: AccessRecorder,
                 clock: Clock) -> None:
        self._repo, self._contacts, self._facts, self._log, self._clock = repo, contacts, facts, access_log, clock

    # --- vendors and consent ---
    def vendors(self, actor: Actor) -> Choices:
        patient_id = self._subject(actor, "what_pharmacy_orders")
        consents, _ = self._repo.patient_items(patient_id)
        vendors = self._repo.vendors()
        return Choices(vendors, {v.vendor_id: consents[v.vendor_id] for v in vendors
                                 if model.consent_holds(consents.get(v.vendor_id), v)})

    def prices(self, actor: Actor, vendor_id: str) -> Vendor:
        self._subject(actor, "what_pharmacy_orders")
        return self._vendor(vendor_id)

    def accept(self, actor: Actor, vendor_id: str) -> Consent:
        """The vendor may look up prescriptions and address by the patient's national id (R40)."""
        patient_id = self._subject(actor, "what_pharmacy_orders")
        vendor = self._vendor(vendor_id)
        consent = Consent(vendor.vendor_id, vendor.terms_version, self._clock.now())
        self._repo.give_consent(patient_id, consent)
        return consent

    def withdraw(self, actor: Actor, vendor_id: str) -> None:
        patient_id = self._subject(actor, "what_pharmacy_orders")
        self._vendor(vendor_id)
        self._repo.withdraw_consent(patient_id, vendor_id)

    # --- contact and addresses ---
    def contact(self, actor: Actor) -> ContactCheck:
        self._subject(actor, "what_pharmacy_orders")
        fields = self._contacts.fields(actor.actor_id)     # the acting person's own (see the module)
        if fields is None:
            return ContactCheck("", "")
        phone = fields.phones.get(fields.phone_id or "") or next(iter(fields.phones.values()), "")
        return ContactCheck(phone, fields.email)

    def addresses(self, actor: Actor) -> list[Address]:
        return self._addresses(self._subject(actor, "what_pharmacy_orders"))

    def add_address(self, actor: Actor, street: str, postal_code: str, city: str) -> Address:
        patient_id = self._subject(actor, "what_pharmacy_orders")
        _, added = self._repo.patient_items(patient_id)
        model.may_add_address(added)
        address = Address(new_id("d"), street, model.postal_code(postal_code), city)
        self._repo.add_address(patient_id, address, self._clock.now())
        return address

    # --- orders ---
    def place(self, actor: Actor, draft: Draft, key: str) -> str:
        """Send bestilling til apoteket: once per key (a double click answers the first order)."""
        claim = Claim(f"pharmacy:{actor.actor_id}:{actor.on_behalf_of}", key, {"draft": draft.__dict__}, {})
        try:
            order = self._new(actor, draft)
        except PortalError:
            earlier = self._repo.earlier(claim)
            if earlier:
                return earlier["order_id"]
            raise
        notice = Notice(actor.actor_id, "pharmacy_order_received", LINK, only="email",
                        ref=f"pharmacy#{order.order_id}")
        try:
            self._repo.place(order, replace(claim, result={"order_id": order.order_id}), notice)
        except SentBefore:
            return (self._repo.earlier(claim) or {})["order_id"]
        return order.order_id

    def orders(self, actor: Actor) -> list[Order]:
        return self._repo.patient_orders(self._subject(actor, "what_pharmacy_orders"))

    def order(self, actor: Actor, order_id: str) -> Order:
        patient_id = self._subject(actor, "what_pharmacy_orders")
        order = self._repo.order(order_id)
        if order is None or order.patient_id != patient_id:
            raise NotFound()
        return order

    # --- helpers ---
    def _new(self, actor: Actor, draft: Draft) -> Order:
        patient_id = self._subject(actor, "what_pharmacy_orders")
        vendor = self._vendor(draft.vendor_id)
        consents, added = self._repo.patient_items(patient_id)
        return model.place(new_id("o"), patient_id, actor.actor_id, vendor, consents.get(vendor.vendor_id),
                           self._addresses(patient_id, added), draft, self._clock.now())

    def _addresses(self, patient_id: str, added: list[Address] | None = None) -> list[Address]:
        """The registered addresses from the profile, then those added here (oldest first)."""
        registered = [Address(REGISTERED + a.address_id, a.street, a.postal_code, a.city, registered=True)
                      for a in self._facts.addresses(patient_id)]
        if added is None:
            _, added = self._repo.patient_items(patient_id)
        return registered + added

    def _vendor(self, vendor_id: str) -> Vendor:
        vendor = self._repo.vendor(vendor_id)
        if vendor is None:
            raise NotFound("unknown_vendor", field="vendor_id")
        return vendor

    def _subject(self, actor: Actor, what: str) -> str:
        """Level high (R1); for a representative the prescriptions scope (R36), logged (R55)."""
        actor.require_high()
        if actor.kind != REPRESENTATIVE:
            return actor.require_patient()
        patient_id = actor.require_patient(scope=PRESCRIPTIONS)
        self._log.record(actor, patient_id, what, "why_representative")
        return patient_id
