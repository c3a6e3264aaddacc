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
        patient=PatientPayments(repo, runtime.access_log, runtime.cursors, runtime.clock),
        clinic=ClinicPayments(repo, Billing(), runtime.directory, ProfilePeople(), runtime.clock))
