"""The pharmacy's data in DynamoDB: the only module that knows the keys (records.py has the patterns).

Placing an order is one transaction: the order, the sender's idempotency key and the confirmation
notice stand or fall together. Marking it processed is one conditional update (sent -> processed)
in one transaction with its notice; a repeat finds it processed and changes nothing."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pynamodb.exceptions import DoesNotExist

from functions.core.clock import sort_stamp
from functions.core.idempotency import Idempotency
from functions.core.outbox import Notice, Outbox
from functions.core.transactions import Transaction, TransactionRefused
from functions.pharmacy.model import BEHANDLET, PA_DOREN, POST_I_BUTIKK, SENDT, Address, Consent, Order, Vendor
from functions.pharmacy.records import (
    OrderRecord,
    PatientItemRecord,
    VendorCredentialRecord,
    VendorRecord,
)


@dataclass(frozen=True)
class Claim:
    """The sender's idempotency key for one order, and what a repeat of it answers."""
    scope: str
    key: str
    payload: object
    result: dict


@dataclass(frozen=True)
class Credential:
    key_id: str
    vendor_id: str
    secret_hash: str
    active: bool


class SentBefore(Exception):
    """This key was sent before: answer `earlier(claim)`."""


def _pat(patient_id: str) -> str:
    return f"PAT#{patient_id}"


class PharmacyRepository:
    PAGE = 50

    def __init__(self, idempotency: Idempotency, outbox: Outbox) -> None:
        self._idem, self._outbox = idempotency, outbox

    # --- vendors ---
    def vendors(self) -> list[Vendor]:
        return [_vendor(r) for r in VendorRecord.query("VENDORS", VendorRecord.sk.startswith("VENDOR#"))]

    def vendor(self, vendor_id: str) -> Vendor | None:
        try:
            return _vendor(VendorRecord.get("VENDORS", f"VENDOR#{vendor_id}"))
        except DoesNotExist:
            return None

    def put_vendor(self, v: Vendor) -> None:
        VendorRecord("VENDORS", f"VENDOR#{v.vendor_id}", name=v.name, terms=v.terms, terms_version=v.terms_version,
                     post_i_butikk_ore=v.prices[POST_I_BUTIKK], pa_doren_ore=v.prices[PA_DOREN]).save()

    def credential(self, key_id: str) -> Credential | None:
        try:
            r = VendorCredentialRecord.get(f"VCRED#{key_id}", "CRED")
        except DoesNotExist:
            return None
        return Credential(key_id, r.vendor_id, r.secret_hash, bool(r.active))

    def put_credential(self, c: Credential) -> None:
        VendorCredentialRecord(f"VCRED#{c.key_id}", "CRED", vendor_id=c.vendor_id, secret_hash=c.secret_hash,
                               active=c.active).save()

    # --- the patient's consents and added addresses: one Query ---
    def patient_items(self, patient_id: str) -> tuple[dict[str, Consent], list[Address]]:
        consents, addresses = {}, []
        for r in PatientItemRecord.query(_pat(patient_id), consistent_read=True):
            if r.sk.startswith("CONSENT#"):
                vendor_id = r.sk.removeprefix("CONSENT#")
                consents[vendor_id] = Consent(vendor_id, r.terms_version, r.given_at)
            elif r.sk.startswith("ADDR#"):
                addresses.append((r.created_at, Address(r.sk.removeprefix("ADDR#"), r.street, r.postal_code, r.city)))
        return consents, [a for _, a in sorted(addresses, key=lambda pair: pair[0])]

    def give_consent(self, patient_id: str, consent: Consent) -> None:
        PatientItemRecord(_pat(patient_id), f"CONSENT#{consent.vendor_id}", terms_version=consent.terms_version,
                          given_at=consent.given_at).save()

    def withdraw_consent(self, patient_id: str, vendor_id: str) -> None:
        PatientItemRecord(_pat(patient_id), f"CONSENT#{vendor_id}").delete()

    def add_address(self, patient_id: str, address: Address, now: datetime) -> None:
        PatientItemRecord(_pat(patient_id), f"ADDR#{address.address_id}", street=address.street,
                          postal_code=address.postal_code, city=address.city, created_at=now).save(
            PatientItemRecord.sk.does_not_exist())

    # --- orders ---
    def place(self, order: Order, claim: Claim, notice: Notice) -> None:
        """The order, its key and its confirmation in one transaction. SentBefore: the key was used."""
        tx = Transaction()
        key = self._idem.claim_in(tx, claim.scope, claim.key, claim.payload, claim.result)
        tx.put(_order_record(order), OrderRecord.pk.does_not_exist())
        self._outbox.enqueue_in(tx, notice, f"pharmacy:placed:{order.order_id}")
        try:
            tx.commit()
        except TransactionRefused as refused:
            if key in refused.positions:
                raise SentBefore() from refused
            raise

    def earlier(self, claim: Claim) -> dict | None:
        done = self._idem.earlier(claim.scope, claim.key, claim.payload)
        return done.result if done else None

    def order(self, order_id: str) -> Order | None:
        try:
            return _order(OrderRecord.get(f"ORDER#{order_id}", "ORDER", consistent_read=True))
        except DoesNotExist:
            return None

    def patient_orders(self, patient_id: str, limit: int = PAGE) -> list[Order]:
        """Newest first: one Query of by_patient."""
        return [_order(r) for r in OrderRecord.by_patient.query(_pat(patient_id), scan_index_forward=False,
                                                                limit=limit)]

    def vendor_orders(self, vendor_id: str, start_key: dict | None, limit: int = PAGE,
                      status: str | None = None) -> tuple[list[Order], dict | None]:
        """Newest first: one Query of by_vendor (a status filters the page)."""
        rows = OrderRecord.by_vendor.query(f"VENDOR#{vendor_id}", scan_index_forward=False, limit=limit,
                                           last_evaluated_key=start_key,
                                           filter_condition=(OrderRecord.status == status) if status else None)
        return [_order(r) for r in rows], rows.last_evaluated_key

    def mark_processed(self, order: Order, notice: Notice) -> bool:
        """sent -> processed with its notice, once: False if it was processed already."""
        tx = Transaction()
        tx.update(OrderRecord(f"ORDER#{order.order_id}", "ORDER"),
                  [OrderRecord.status.set(BEHANDLET), OrderRecord.processed_at.set(order.processed_at)],
                  OrderRecord.status == SENDT)
        self._outbox.enqueue_in(tx, notice, f"pharmacy:processed:{order.order_id}")
        try:
            tx.commit()
        except TransactionRefused:
            return False
        return True


def _vendor(r: VendorRecord) -> Vendor:
    return Vendor(r.sk.removeprefix("VENDOR#"), r.name, r.terms, r.terms_version,
                  {POST_I_BUTIKK: int(r.post_i_butikk_ore), PA_DOREN: int(r.pa_doren_ore)})


def _order_record(o: Order) -> OrderRecord:
    a = o.address
    row = f"{sort_stamp(o.created_at)}#{o.order_id}"
    return OrderRecord(
        f"ORDER#{o.order_id}", "ORDER", patient_id=o.patient_id, vendor_id=o.vendor_id, vendor_name=o.vendor_name,
        phone=o.phone, email=o.email, substitution=o.substitution,
        address={"id": a.address_id, "street": a.street, "postal_code": a.postal_code, "city": a.city,
                 "registered": a.registered},
        delivery=o.delivery, price_ore=o.price_ore, medicines=list(o.medicines), status=o.status,
        created_at=o.created_at, ordered_by=o.ordered_by, processed_at=o.processed_at,
        patient_pk=_pat(o.patient_id), patient_sk=row, vendor_pk=f"VENDOR#{o.vendor_id}", vendor_sk=row)


def _order(r: OrderRecord) -> Order:
    a = r.address
    return Order(r.pk.removeprefix("ORDER#"), r.patient_id, r.vendor_id, r.vendor_name, r.phone, r.email,
                 bool(r.substitution), Address(a.id, a.street, a.postal_code, a.city, bool(a.registered)),
                 r.delivery, int(r.price_ore), tuple(r.medicines or ()), r.status, r.created_at, r.ordered_by,
                 r.processed_at)
