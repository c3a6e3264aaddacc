"""Hand-written in-memory fakes of the pharmacy package's ports (functions/pharmacy/ports.py) and of
the core read ports it uses (contacts, profile facts). They keep the real stores' contracts
(tests/contract/pharmacy runs the same cases against these and against moto)."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from functions.core.contacts import ContactFields
from functions.core.errors import Conflict
from functions.core.idempotency import InFlight, fingerprint  # noqa: F401 - the same fingerprint rule
from functions.core.outbox import Notice
from functions.core.profile_facts import RegisteredAddress
from functions.core.records import Refused
from functions.pharmacy.model import BEHANDLET, SENDT, Address, Consent, Order, Vendor
from functions.pharmacy.repository import Claim, Credential, SentBefore


@dataclass
class FakePharmacy:
    vendors_: dict[str, Vendor] = field(default_factory=dict)
    credentials: dict[str, Credential] = field(default_factory=dict)
    consents: dict[tuple[str, str], Consent] = field(default_factory=dict)
    added: dict[str, list[tuple[datetime, Address]]] = field(default_factory=dict)
    orders_: dict[str, Order] = field(default_factory=dict)
    keys: dict[tuple[str, str], tuple[str, dict]] = field(default_factory=dict)
    notices: list[tuple[str, Notice]] = field(default_factory=list)   # (dedupe key, notice)

    def vendors(self) -> list[Vendor]:
        return [self.vendors_[k] for k in sorted(self.vendors_)]

    def vendor(self, vendor_id: str) -> Vendor | None:
        return self.vendors_.get(vendor_id)

    def put_vendor(self, vendor: Vendor) -> None:
        self.vendors_[vendor.vendor_id] = vendor

    def credential(self, key_id: str) -> Credential | None:
        return self.credentials.get(key_id)

    def put_credential(self, credential: Credential) -> None:
        self.credentials[credential.key_id] = credential

    def patient_items(self, patient_id: str) -> tuple[dict[str, Consent], list[Address]]:
        consents = {v: c for (p, v), c in self.consents.items() if p == patient_id}
        return consents, [a for _, a in sorted(self.added.get(patient_id, []), key=lambda pair: pair[0])]

    def give_consent(self, patient_id: str, consent: Consent) -> None:
        self.consents[(patient_id, consent.vendor_id)] = consent

    def withdraw_consent(self, patient_id: str, vendor_id: str) -> None:
        self.consents.pop((patient_id, vendor_id), None)

    def add_address(self, patient_id: str, address: Address, now: datetime) -> None:
        if any(a.address_id == address.address_id for _, a in self.added.get(patient_id, [])):
            raise Refused()
        self.added.setdefault(patient_id, []).append((now, address))

    def place(self, order: Order, claim: Claim, notice: Notice) -> None:
        if (claim.scope, claim.key) in self.keys:
            raise SentBefore()
        if order.order_id in self.orders_:
            raise Refused()
        self.keys[(claim.scope, claim.key)] = (fingerprint(claim.payload), claim.result)
        self.orders_[order.order_id] = order
        self.notices.append((f"pharmacy:placed:{order.order_id}", notice))

    def earlier(self, claim: Claim) -> dict | None:
        found = self.keys.get((claim.scope, claim.key))
        if found is None:
            return None
        if found[0] != fingerprint(claim.payload):
            raise Conflict("idempotency_key_reused", field="Idempotency-Key")
        return found[1]

    def order(self, order_id: str) -> Order | None:
        return self.orders_.get(order_id)

    def patient_orders(self, patient_id: str, limit: int = 50) -> list[Order]:
        mine = [o for o in self.orders_.values() if o.patient_id == patient_id]
        return sorted(mine, key=lambda o: (o.created_at, o.order_id), reverse=True)[:limit]

    def vendor_orders(self, vendor_id: str, start_key: dict | None, limit: int = 50,
                      status: str | None = None) -> tuple[list[Order], dict | None]:
        rows = sorted((o for o in self.orders_.values() if o.vendor_id == vendor_id),
                      key=lambda o: (o.created_at, o.order_id), reverse=True)
        start = int((start_key or {}).get("at", 0))
        page = rows[start:start + limit]
        last = {"at": start + limit} if start + limit < len(rows) else None
        return [o for o in page if status is None or o.status == status], last

    def mark_processed(self, order: Order, notice: Notice) -> bool:
        stored = self.orders_.get(order.order_id)
        if stored is None or stored.status != SENDT:
            return False
        self.orders_[order.order_id] = replace(stored, status=BEHANDLET, processed_at=order.processed_at)
        self.notices.append((f"pharmacy:processed:{order.order_id}", notice))
        return True


@dataclass
class FakeProfile:
    """core.contacts.ContactBook and core.profile_facts.ProfileFacts over in-memory profiles."""
    contacts: dict[str, ContactFields] = field(default_factory=dict)
    addresses_: dict[str, list[RegisteredAddress]] = field(default_factory=dict)
    national_ids: dict[str, str] = field(default_factory=dict)

    def fields(self, patient_id: str) -> ContactFields | None:
        return self.contacts.get(patient_id)

    def addresses(self, patient_id: str) -> list[RegisteredAddress]:
        return list(self.addresses_.get(patient_id, []))

    def national_id(self, patient_id: str) -> str | None:
        return self.national_ids.get(patient_id)


@dataclass
class FakeAccessLog:
    entries: list[tuple[str, str, str, str]] = field(default_factory=list)   # (actor id, patient, what, why)

    def record(self, actor, patient_id: str, what: str, why: str) -> None:
        if not actor.is_self:
            self.entries.append((actor.actor_id, patient_id, what, why))
