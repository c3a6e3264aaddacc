"""The dialogs function's services, wired from a Runtime."""
from __future__ import annotations

from dataclasses import dataclass

from functions.core.billing import Billing
from functions.core.files import S3FileStore
from functions.core.idempotency import Idempotency
from functions.core.people import ProfilePeople
from functions.core.runtime import Runtime
from functions.dialogs.attachments import Attachments
from functions.dialogs.clinic_service import ClinicDialogs
from functions.dialogs.patient_service import PatientDialogs
from functions.dialogs.repository import DialogRepository
from functions.dialogs.writer import DialogWriter


@dataclass
class DialogServices:
    patient: PatientDialogs
    clinic: ClinicDialogs


def build(runtime: Runtime) -> DialogServices:
    settings = runtime.settings
    billing = Billing()
    repo = DialogRepository(Idempotency(runtime.clock), runtime.outbox, billing)
    store = S3FileStore(lambda: runtime.client("s3"), settings.bucket("attachments"), settings.picture_url_seconds)
    attachments = Attachments(repo, store, runtime.clock)
    writer = DialogWriter(repo)
    people = ProfilePeople()
    common = (repo, writer, attachments, runtime.directory, people, billing, runtime.access_log)
    return DialogServices(
        patient=PatientDialogs(*common, runtime.cursors, runtime.clock),
        clinic=ClinicDialogs(*common, runtime.cursors, runtime.clock),
    )
