"""Payments in DynamoDB: the only module that knows the keys (core/billing_records.py and records.py
have the patterns). Each tab is ONE Query of a sparse index; a payment is written once by a
conditional write keyed by the clinic's own transaction id (or the charge it comes from)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from pynamodb.exceptions import DoesNotExist

from functions.core.billing import Charge
from functions.core.billing_records import ChargeRecord, InvoiceRecord
from functions.core.errors import Conflict
from functions.core.records import Refused
from functions.core.transactions import Transaction, TransactionRefused
from functions.payments.model import (
    ALT_BETALT,
    BETALT_I_AAR,
    OPEN,
    UTESTAENDE,
    Bill,
    CreditNote,
    Line,
    Payee,
    paid_key,
    year_bounds,
)
from functions.payments.records import CounterRecord, CreditRecord, NumberRecord, PayeeRecord


@dataclass(frozen=True)
class Created:
    bill: Bill
    new: bool            # False: a retry of the same content, answered with the first one


def _pk(invoice_id: str) -> str:
    return f"INV#{invoice_id}"


def _record(b: Bill) -> InvoiceRecord:
    paid = b.paid_at is not None
    return InvoiceRecord(
        _pk(b.invoice_id), "INVOICE", clinic_id=b.clinic_id, patient_id=b.patient_id, number=b.number or "",
        issued=b.issued.isoformat(), amount_ore=b.total_ore, status=b.status, patient_pk=f"PAT#{b.patient_id}",
        patient_sk=f"{b.issued.isoformat()}#{b.invoice_id}", clinic_name=b.clinic_name, org_number=b.org_number,
        patient_name=b.patient_name, practitioner_name=b.practitioner_name,
        lines=[{"code": x.code, "text": x.text, "amount_ore": x.amount_ore} for x in b.lines], method=b.method,
        due=b.due.isoformat() if b.due else None, kid=b.kid, paid_at=b.paid_at, transaction_id=b.transaction_id,
        fingerprint=b.fingerprint, credit_id=b.credit_id, source=b.source, created_at=b.created_at,
        open_pk=f"PAT#{b.patient_id}" if b.status == OPEN else None,
        paid_pk=f"PAT#{b.patient_id}" if paid else None,
        paid_sk=paid_key(b.paid_at, b.invoice_id) if paid else None)


def to_bill(r: InvoiceRecord) -> Bill:
    lines = tuple(Line(str(x["code"]), str(x["text"]), int(x["amount_ore"])) for x in (r.lines or [])) or (
        Line("", "", int(r.amount_ore)),)
    return Bill(r.pk.removeprefix("INV#"), r.clinic_id, r.clinic_name or "", r.org_number or "", r.patient_id,
                r.patient_name or "", r.practitioner_name or "", r.number or None, date.fromisoformat(r.issued),
                lines, r.status, r.method or "faktura", date.fromisoformat(r.due) if r.due else None, r.kid,
                r.paid_at, r.transaction_id, r.fingerprint or "", r.credit_id, r.source, r.created_at)


class PaymentRepository:
    PAGE = 20

    # --- the patient's tabs: one Query each ---
    def page(self, patient_id: str, tab: str, year: int, start_key: dict | None,
             limit: int = PAGE) -> tuple[list[Bill], dict | None]:
        pk = f"PAT#{patient_id}"
        if tab == UTESTAENDE:
            rows = InvoiceRecord.open_by_patient.query(pk, scan_index_forward=False, limit=limit,
                                                       last_evaluated_key=start_key)
        elif tab == BETALT_I_AAR:
            low, high = year_bounds(year)
            rows = InvoiceRecord.paid_by_patient.query(pk, InvoiceRecord.paid_sk.between(low, high),
                                                       scan_index_forward=False, limit=limit,
                                                       last_evaluated_key=start_key)
        elif tab == ALT_BETALT:
            rows = InvoiceRecord.paid_by_patient.query(pk, scan_index_forward=False, limit=limit,
                                                       last_evaluated_key=start_key)
        else:
            raise ValueError(tab)
        found = [to_bill(r) for r in rows]
        return found, rows.last_evaluated_key

    def load(self, invoice_id: str) -> Bill | None:
        try:
            return to_bill(InvoiceRecord.get(_pk(invoice_id), "INVOICE"))
        except DoesNotExist:
            return None

    # --- writes ---
    def create(self, bill: Bill) -> Created:
        """Once per id: a retry with the same content answers the first; other content is a 409."""
        t = Transaction()
        t.put(_record(bill), InvoiceRecord.pk.does_not_exist())
        marker = None
        if bill.number:
            marker = t.put(NumberRecord(f"NUMBER#{bill.clinic_id}#{bill.number}", invoice_id=bill.invoice_id),
                           NumberRecord.pk.does_not_exist())
        try:
            t.commit()
        except TransactionRefused as refused:
            earlier = self.load(bill.invoice_id)
            if earlier is not None:
                if earlier.fingerprint == bill.fingerprint:
                    return Created(earlier, False)
                raise Conflict("transaction_reused", field="transaction_id") from None
            if marker in refused.positions:
                raise Conflict("number_taken", field="number") from None
            raise
        return Created(bill, True)

    def put(self, bill: Bill) -> None:
        """Written whole and unconditionally: demo history only (devstack/demo_payments.py)."""
        _record(bill).save()

    def save_paid(self, before: Bill, after: Bill) -> None:
        """Open -> paid, if it is still open (a race: Conflict)."""
        try:
            _record(after).save(InvoiceRecord.status == OPEN)
        except Refused:
            raise Conflict() from None

    def save_credit(self, before: Bill, after: Bill, note: CreditNote) -> None:
        t = Transaction()
        t.put(CreditRecord(f"CREDIT#{note.invoice_id}", credit_id=note.credit_id, invoice_id=note.invoice_id,
                           clinic_id=note.clinic_id, amount_ore=note.amount_ore, reason=note.reason,
                           created_at=note.created_at), CreditRecord.pk.does_not_exist())
        t.put(_record(after), InvoiceRecord.status == before.status)
        try:
            t.commit()
        except TransactionRefused:
            raise Conflict() from None

    def credit_note(self, invoice_id: str) -> CreditNote | None:
        try:
            r = CreditRecord.get(f"CREDIT#{invoice_id}", "CREDIT")
        except DoesNotExist:
            return None
        return CreditNote(r.credit_id, r.invoice_id, r.clinic_id, int(r.amount_ore), r.reason, r.created_at)

    # --- the clinic's payee and numbers ---
    def payee(self, clinic_id: str) -> Payee | None:
        try:
            r = PayeeRecord.get(f"CLINIC#{clinic_id}", "PAYEE")
        except DoesNotExist:
            return None
        return Payee(clinic_id, r.name, r.org_number)

    def put_payee(self, payee: Payee) -> None:
        PayeeRecord(f"CLINIC#{payee.clinic_id}", name=payee.name, org_number=payee.org_number).save()

    def next_number(self, clinic_id: str, year: int) -> str:
        """The clinic's next number of the year (an atomic counter: a lost race leaves a gap, never a twin)."""
        counter = CounterRecord(f"CLINIC#{clinic_id}", f"COUNTER#{year:04d}")
        counter.update(actions=[CounterRecord.next.add(1)])
        return f"{year:04d}-9{int(counter.next):05d}"

    # --- charges recorded when e-consultations closed ---
    def uninvoiced(self, clinic_id: str, start_key: dict | None, limit: int = 50
                   ) -> tuple[list[Charge], dict | None]:
        rows = ChargeRecord.uninvoiced.query(f"CLINIC#{clinic_id}", limit=limit, last_evaluated_key=start_key)
        found = [Charge(r.pk.removeprefix("CHARGE#"), r.clinic_id, r.patient_id, r.tariff_code, r.text,
                        int(r.fee_ore), date.fromisoformat(r.day)) for r in rows]
        return found, rows.last_evaluated_key

    def convert(self, charge: Charge, bill: Bill | None, now: datetime) -> bool:
        """The charge leaves the uninvoiced index and (unless free) becomes `bill`, both or neither:
        False when it was converted before (a rerun, a racing run)."""
        t = Transaction()
        record = ChargeRecord(f"CHARGE#{charge.source}", "CHARGE")
        t.update(record, [ChargeRecord.uninvoiced_pk.remove()], ChargeRecord.uninvoiced_pk.exists())
        if bill is not None:
            t.put(_record(bill), InvoiceRecord.pk.does_not_exist())
        try:
            t.commit()
        except TransactionRefused:
            return False
        return True
