"""Payments' ports, each case run twice: against the hand-written fakes (tests/support/payments_fakes.py)
and the real PaymentRepository + core Billing on moto."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from functions.core.billing import Billing
from functions.payments.model import FAKTURA, OPEN, PAID, Bill, Line
from functions.payments.repository import PaymentRepository
from tests.support.aws_stack import moto_runtime
from tests.support.payments_fakes import FakePayments, FakeTariffs


@dataclass
class World:
    kind: str
    repo: object
    tariffs: object
    charges: object      # record_charge(charge, now)


def bill(invoice_id: str, issued: date = date(2026, 11, 1), status: str = OPEN, paid_at: datetime | None = None,
         patient_id: str = "p-kari", number: str | None = None, fingerprint: str = "f1", **fields) -> Bill:
    values = dict(clinic_id="c-storgata", clinic_name="Storgata legesenter", org_number="974760673",
                  patient_name="Kari Nordmann", practitioner_name="Lise Lege",
                  lines=(Line("2ae", "E-konsultasjon", 18_700),), method=FAKTURA if status == OPEN else "kort",
                  due=date(2026, 11, 15) if status == OPEN else None, kid="202601415" if status == OPEN else None,
                  transaction_id=f"T-{invoice_id}", created_at=datetime(2026, 11, 1, 9, tzinfo=UTC))
    values.update(fields)
    return Bill(invoice_id=invoice_id, patient_id=patient_id, number=number, issued=issued, status=status,
                paid_at=paid_at, fingerprint=fingerprint, **values)


def paid(invoice_id: str, at: datetime, **fields) -> Bill:
    return bill(invoice_id, issued=at.date(), status=PAID, paid_at=at, **fields)


@pytest.fixture(params=["fake", "moto"])
def world(request):
    if request.param == "fake":
        fake = FakePayments()
        yield World("fake", fake, FakeTariffs(), fake)
        return
    with moto_runtime(frozen=True):
        billing = Billing()
        yield World("moto", PaymentRepository(), billing, billing)
