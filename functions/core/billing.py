"""What costs money, shared without imports between feature packages: the clinic's tariff table
(data per period, 1 July-30 June: never a constant in code), a patient's invoices (written by
payments, read by dialogs for Spørsmål om faktura) and charges (recorded once by the service that
gave them, e.g. a closed e-consultation, and turned into invoice lines by payments).

The rules are pure (`period_start`, `patient_fee`, `kroner`); `Billing` is the store."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from pynamodb.exceptions import DoesNotExist

from functions.core.billing_records import ChargeRecord, InvoiceRecord, TariffRecord
from functions.core.clock import OSLO, sort_stamp
from functions.core.records import Refused
from functions.core.representation import age_on
from functions.core.transactions import Transaction

FREE_UNDER = 16   # children under 16 pay no patient fee (R27)


@dataclass(frozen=True)
class Tariff:
    code: str
    text: str
    fee_ore: int


@dataclass(frozen=True)
class Invoice:
    invoice_id: str
    clinic_id: str
    number: str
    issued: date
    amount_ore: int
    status: str


@dataclass(frozen=True)
class Charge:
    source: str            # what was given, e.g. dialog:<id> (once per source)
    clinic_id: str
    patient_id: str
    tariff_code: str
    text: str
    fee_ore: int
    day: date


def period_start(day: date) -> date:
    """The tariff period a date belongs to: 1 July to 30 June."""
    return date(day.year if day.month >= 7 else day.year - 1, 7, 1)


def patient_fee(tariff: Tariff, birth: date, day: date) -> tuple[int, str | None]:
    """(fee in øre, why it is free or None): 0 for a patient under 16 on that day."""
    if age_on(birth, day) < FREE_UNDER:
        return 0, "under_16"
    return tariff.fee_ore, None


def kroner(ore: int) -> str:
    """Norwegian money: 1 234,50 kr (a non-breaking space between thousands)."""
    whole, part = divmod(abs(ore), 100)
    grouped = f"{whole:,}".replace(",", "\u00a0")
    return f"{'-' if ore < 0 else ''}{grouped},{part:02d}\u00a0kr"


def oslo_date(instant: datetime) -> date:
    return instant.astimezone(OSLO).date()


class Billing:
    INVOICES = 50

    def tariff(self, clinic_id: str, code: str, day: date) -> Tariff | None:
        """The clinic's tariff for the period of `day` (one GetItem); None when it has none."""
        try:
            record = TariffRecord.get(f"CLINIC#{clinic_id}", f"TARIFF#{period_start(day).isoformat()}")
        except DoesNotExist:
            return None
        entry = (record.codes.as_dict() if hasattr(record.codes, "as_dict") else dict(record.codes)).get(code)
        if not entry:
            return None
        return Tariff(code, str(entry["text"]), int(entry["fee_ore"]))

    def tariffs(self, clinic_id: str, day: date) -> dict[str, Tariff]:
        """The clinic's whole tariff table for the period of `day` (one GetItem); empty when none."""
        try:
            record = TariffRecord.get(f"CLINIC#{clinic_id}", f"TARIFF#{period_start(day).isoformat()}")
        except DoesNotExist:
            return {}
        codes = record.codes.as_dict() if hasattr(record.codes, "as_dict") else dict(record.codes)
        return {c: Tariff(c, str(e["text"]), int(e["fee_ore"])) for c, e in codes.items()}

    def put_tariffs(self, clinic_id: str, start: date, codes: dict[str, Tariff]) -> None:
        if start != period_start(start):
            raise ValueError("a tariff period starts on 1 July")
        TariffRecord(f"CLINIC#{clinic_id}", f"TARIFF#{start.isoformat()}",
                     codes={c: {"text": t.text, "fee_ore": t.fee_ore} for c, t in codes.items()}).save()

    def invoices(self, patient_id: str, clinic_id: str) -> list[Invoice]:
        """The patient's invoices at a clinic, newest first (one Query of the by_patient index)."""
        rows = InvoiceRecord.by_patient.query(f"PAT#{patient_id}", scan_index_forward=False, limit=self.INVOICES,
                                              filter_condition=InvoiceRecord.clinic_id == clinic_id)
        return [_invoice(r) for r in rows if r.sk == "INVOICE"]

    def invoice(self, patient_id: str, invoice_id: str) -> Invoice | None:
        try:
            record = InvoiceRecord.get(f"INV#{invoice_id}", "INVOICE")
        except DoesNotExist:
            return None
        return _invoice(record) if record.patient_id == patient_id else None

    def put_invoice(self, patient_id: str, invoice: Invoice) -> None:
        InvoiceRecord(f"INV#{invoice.invoice_id}", clinic_id=invoice.clinic_id, patient_id=patient_id,
                      number=invoice.number, issued=invoice.issued.isoformat(), amount_ore=invoice.amount_ore,
                      status=invoice.status, patient_pk=f"PAT#{patient_id}",
                      patient_sk=f"{invoice.issued.isoformat()}#{invoice.invoice_id}").save()

    def record_charge(self, charge: Charge, now: datetime) -> bool:
        """Once per source: False when it was already recorded (a retry, a second close)."""
        try:
            _charge_record(charge, now).save(ChargeRecord.pk.does_not_exist())
        except Refused:
            return False
        return True

    def record_charge_in(self, transaction: Transaction, charge: Charge, now: datetime) -> int:
        """Inside the caller's transaction (the close it is for): refused if recorded before."""
        return transaction.put(_charge_record(charge, now), ChargeRecord.pk.does_not_exist())

    def charge(self, source: str) -> Charge | None:
        try:
            r = ChargeRecord.get(f"CHARGE#{source}", "CHARGE")
        except DoesNotExist:
            return None
        return Charge(source, r.clinic_id, r.patient_id, r.tariff_code, r.text, int(r.fee_ore),
                      date.fromisoformat(r.day))


def _charge_record(charge: Charge, now: datetime) -> ChargeRecord:
    return ChargeRecord(f"CHARGE#{charge.source}", clinic_id=charge.clinic_id, patient_id=charge.patient_id,
                        tariff_code=charge.tariff_code, text=charge.text, fee_ore=charge.fee_ore,
                        day=charge.day.isoformat(), created_at=now, created=sort_stamp(now),
                        uninvoiced_pk=f"CLINIC#{charge.clinic_id}")


def _invoice(r: InvoiceRecord) -> Invoice:
    return Invoice(r.pk.removeprefix("INV#"), r.clinic_id, r.number, date.fromisoformat(r.issued),
                   int(r.amount_ore), r.status)
