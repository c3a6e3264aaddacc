"""Hand-written fakes of the payments ports (functions/payments/ports.py): the payments store (bills,
credit notes, payees, numbers, charges) and the tariff table. tests/contract/payments holds them to
the real repository on moto."""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from functions.core.billing import Charge, Tariff, period_start
from functions.core.errors import Conflict
from functions.payments.model import (
    ALT_BETALT,
    BETALT_I_AAR,
    OPEN,
    UTESTAENDE,
    Bill,
    CreditNote,
    Payee,
    paid_key,
    year_bounds,
)
from functions.payments.repository import Created


def _utc(instant: datetime | None) -> datetime | None:
    return instant.astimezone(UTC) if instant else None


def _kept(b: Bill) -> Bill:
    """As the store gives it back: instants in UTC, an empty number as None."""
    return replace(b, paid_at=_utc(b.paid_at), created_at=_utc(b.created_at), number=b.number or None)


class FakePayments:
    def __init__(self) -> None:
        self.bills: dict[str, Bill] = {}
        self.notes: dict[str, CreditNote] = {}
        self.payees: dict[str, Payee] = {}
        self.numbers: set[tuple[str, str]] = set()
        self.counters: dict[tuple[str, int], int] = {}
        self.charges: dict[str, tuple[Charge, bool, str]] = {}    # source -> (charge, uninvoiced, created)
        self.queries = 0

    def page(self, patient_id: str, tab: str, year: int, start_key: dict | None, limit: int = 20):
        self.queries += 1
        mine = [b for b in self.bills.values() if b.patient_id == patient_id]
        if tab == UTESTAENDE:
            rows = [(f"{b.issued.isoformat()}#{b.invoice_id}", b) for b in mine if b.status == OPEN]
        elif tab in (BETALT_I_AAR, ALT_BETALT):
            low, high = year_bounds(year) if tab == BETALT_I_AAR else ("", "~")
            rows = [(paid_key(b.paid_at, b.invoice_id), b) for b in mine if b.paid_at is not None]
            rows = [(k, b) for k, b in rows if low <= k <= high]
        else:
            raise ValueError(tab)
        rows.sort(key=lambda r: r[0], reverse=True)
        if start_key:
            rows = [r for r in rows if r[0] < start_key["after"]]
        page = rows[:limit]
        last = {"after": page[-1][0]} if len(page) == limit and page else None
        return [b for _, b in page], last

    def load(self, invoice_id: str) -> Bill | None:
        return self.bills.get(invoice_id)

    def create(self, bill: Bill) -> Created:
        earlier = self.bills.get(bill.invoice_id)
        if earlier is not None:
            if earlier.fingerprint == bill.fingerprint:
                return Created(earlier, False)
            raise Conflict("transaction_reused", field="transaction_id")
        if bill.number and (bill.clinic_id, bill.number) in self.numbers:
            raise Conflict("number_taken", field="number")
        if bill.number:
            self.numbers.add((bill.clinic_id, bill.number))
        self.bills[bill.invoice_id] = _kept(bill)
        return Created(self.bills[bill.invoice_id], True)

    def save_paid(self, before: Bill, after: Bill) -> None:
        if self.bills[before.invoice_id].status != OPEN:
            raise Conflict()
        self.bills[before.invoice_id] = _kept(after)

    def save_credit(self, before: Bill, after: Bill, note: CreditNote) -> None:
        if note.invoice_id in self.notes or self.bills[before.invoice_id].status != before.status:
            raise Conflict()
        self.notes[note.invoice_id] = replace(note, created_at=_utc(note.created_at))
        self.bills[before.invoice_id] = _kept(after)

    def credit_note(self, invoice_id: str) -> CreditNote | None:
        return self.notes.get(invoice_id)

    def payee(self, clinic_id: str) -> Payee | None:
        return self.payees.get(clinic_id)

    def put_payee(self, payee: Payee) -> None:
        self.payees[payee.clinic_id] = payee

    def next_number(self, clinic_id: str, year: int) -> str:
        n = self.counters[(clinic_id, year)] = self.counters.get((clinic_id, year), 0) + 1
        return f"{year:04d}-9{n:05d}"

    # charges, as core.billing.Billing.record_charge writes them
    def record_charge(self, charge: Charge, now: datetime) -> bool:
        if charge.source in self.charges:
            return False
        self.charges[charge.source] = (charge, True, now.astimezone(UTC).isoformat())
        return True

    def uninvoiced(self, clinic_id: str, start_key: dict | None, limit: int = 50):
        rows = sorted((created, c.source, c) for c, open_, created in self.charges.values()
                      if open_ and c.clinic_id == clinic_id)
        if start_key:
            rows = [r for r in rows if (r[0], r[1]) > (start_key["created"], start_key["source"])]
        page = rows[:limit]
        last = {"created": page[-1][0], "source": page[-1][1]} if len(page) == limit and page else None
        return [c for _, _, c in page], last

    def convert(self, charge: Charge, bill: Bill | None, now: datetime) -> bool:
        found = self.charges.get(charge.source)
        if found is None or not found[1] or (bill is not None and bill.invoice_id in self.bills):
            return False
        self.charges[charge.source] = (found[0], False, found[2])
        if bill is not None:
            self.bills[bill.invoice_id] = _kept(bill)
        return True


class FakeTariffs:
    def __init__(self) -> None:
        self._tables: dict[tuple[str, date], dict[str, Tariff]] = {}

    def tariffs(self, clinic_id: str, day: date) -> dict[str, Tariff]:
        return dict(self._tables.get((clinic_id, period_start(day)), {}))

    def put_tariffs(self, clinic_id: str, start: date, codes: dict[str, Tariff]) -> None:
        if start != period_start(start):
            raise ValueError("a tariff period starts on 1 July")
        self._tables[(clinic_id, start)] = dict(codes)
