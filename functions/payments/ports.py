"""The payments services' seams, as typing.Protocol classes. The real ones: repository.py (DynamoDB),
core/billing.py (tariffs), core/directory.py, core/people.py, core/access_log.py. The fake:
tests/support/payments_fakes.py; tests/contract/payments runs one set of cases against both."""
from __future__ import annotations

from datetime import date, datetime
from typing import Protocol

from functions.core.actor import Actor
from functions.core.billing import Charge, Tariff
from functions.payments.model import Bill, CreditNote, Payee
from functions.payments.repository import Created


class Payments(Protocol):
    def page(self, patient_id: str, tab: str, year: int, start_key: dict | None,
             limit: int = 20) -> tuple[list[Bill], dict | None]: ...

    def load(self, invoice_id: str) -> Bill | None: ...

    def create(self, bill: Bill) -> Created: ...

    def save_paid(self, before: Bill, after: Bill) -> None: ...

    def save_credit(self, before: Bill, after: Bill, note: CreditNote) -> None: ...

    def credit_note(self, invoice_id: str) -> CreditNote | None: ...

    def payee(self, clinic_id: str) -> Payee | None: ...

    def put_payee(self, payee: Payee) -> None: ...

    def next_number(self, clinic_id: str, year: int) -> str: ...

    def uninvoiced(self, clinic_id: str, start_key: dict | None, limit: int = 50
                   ) -> tuple[list[Charge], dict | None]: ...

    def convert(self, charge: Charge, bill: Bill | None, now: datetime) -> bool: ...


class Tariffs(Protocol):
    def tariffs(self, clinic_id: str, day: date) -> dict[str, Tariff]: ...

    def put_tariffs(self, clinic_id: str, start: date, codes: dict[str, Tariff]) -> None: ...


class AccessRecorder(Protocol):
    def record(self, actor: Actor, patient_id: str, what: str, why: str) -> None: ...
