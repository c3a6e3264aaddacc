"""The payments function's services, wired from a Runtime."""
from __future__ import annotations

from dataclasses import dataclass

from functions.core.billing import Billing
from functions.core.people import ProfilePeople
from functions.core.runtime import Runtime
from functions.payments.clinic_service import ClinicPayments
from functions.payments.patient_service import PatientPayments
from functions.payments.repository import PaymentRepository


@dataclass
class PaymentServices:
    patient: PatientPayments
    clinic: ClinicPayments


def build(runtime: Runtime) -> PaymentServices:
    repo = PaymentRepository()
    return PaymentServices(
        patient=PatientPayments(repo, runtime.access_log, _Lazy(runtime), runtime.clock),
        clinic=ClinicPayments(repo, Billing(), runtime.directory, ProfilePeople(), runtime.clock))


class _Lazy:
    """The signed cursors, made on first use: a cold start reads no secret it does not need (a first
    page has no cursor to check, and a last page none to sign: neither reads the pepper, M1)."""

    def __init__(self, runtime: Runtime) -> None:
        self._runtime = runtime

    def encode(self, owner: str, last_key: dict | None) -> str | None:
        return self._runtime.cursors.encode(owner, last_key) if last_key else None

    def decode(self, owner: str, cursor: str | None) -> dict | None:
        return self._runtime.cursors.decode(owner, cursor) if cursor else None
