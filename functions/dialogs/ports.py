"""The dialogs services' seams, as typing.Protocol classes (structural: the real classes need not
name them). The real ones: repository.py (DynamoDB), core/files.py (S3), core/directory.py,
core/people.py, core/billing.py, core/access_log.py. The fakes: tests/support/dialogs_fakes.py;
tests/contract/dialogs runs one set of cases against both the fake and the real store."""
from __future__ import annotations

from datetime import date, datetime
from typing import Protocol

from functions.core.actor import Actor
from functions.core.billing import Charge, Invoice, Tariff
from functions.core.directory import Clinic, Staff
from functions.core.outbox import Notice
from functions.core.people import Person
from functions.dialogs.model import Dialog, DialogSettings, Message
from functions.dialogs.repository import Claim, Stored, Upload


class Dialogs(Protocol):
    """Dialogs and their messages. Writes are all-or-nothing: `SentBefore` when the claim's key
    was used, `Stale` when the head changed since it was read, Conflict("attachment_used") when an
    upload is taken or not the sender's (repository.py)."""

    def load(self, dialog_id: str) -> Stored | None: ...

    def patient_page(self, patient_id: str, start_key: dict | None, limit: int = 20) -> tuple[list[Dialog], dict]: ...

    def unread_of(self, patient_id: str) -> list[Dialog]: ...

    def box_page(self, clinic_id: str, box: str, start_key: dict | None, kind: str | None, status: str | None,
                 limit: int = 20) -> tuple[list[Dialog], dict]: ...

    def journal_page(self, clinic_id: str, start_key: dict | None, limit: int = 10) -> tuple[list[str], dict]: ...

    def create(self, dialog: Dialog, message: Message, uploads: list[Upload], claim: Claim,
               notice: Notice | None = None) -> None: ...

    def append(self, stored: Stored, dialog: Dialog, message: Message, uploads: list[Upload], claim: Claim,
               notice: Notice | None = None, charge: Charge | None = None) -> None: ...

    def replace_head(self, stored: Stored, dialog: Dialog) -> None: ...

    def earlier(self, claim: Claim) -> dict | None: ...

    def mark_read(self, dialog_id: str) -> None: ...

    def put_upload(self, upload: Upload, now: datetime, keep_seconds: int = 86400) -> None: ...

    def uploads(self, upload_ids: list[str]) -> dict[str, Upload]: ...

    def settings(self, clinic_id: str) -> DialogSettings: ...

    def put_settings(self, clinic_id: str, settings: DialogSettings) -> None: ...


class ClinicDirectory(Protocol):
    def clinic(self, clinic_id: str) -> Clinic | None: ...

    def staff(self, clinic_id: str, staff_id: str) -> Staff | None: ...

    def staff_of(self, clinic_id: str) -> list[Staff]: ...

    def is_member(self, patient_id: str, clinic_id: str) -> bool: ...

    def memberships(self, patient_id: str) -> list: ...


class People(Protocol):
    def person(self, patient_id: str) -> Person | None: ...


class Prices(Protocol):
    def tariff(self, clinic_id: str, code: str, day: date) -> Tariff | None: ...

    def invoices(self, patient_id: str, clinic_id: str) -> list[Invoice]: ...

    def invoice(self, patient_id: str, invoice_id: str) -> Invoice | None: ...


class AccessRecorder(Protocol):
    def record(self, actor: Actor, patient_id: str, what: str, why: str) -> None: ...


class Files(Protocol):
    def put(self, prefix: str, data: bytes, kind: str) -> str: ...

    def url(self, key: str, disposition: str | None = None) -> str: ...
