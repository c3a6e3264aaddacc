"""Dialogs in DynamoDB: the only module that knows the keys (records.py has the patterns).

A dialog's head is written whole with a version condition (optimistic: a racing writer reloads
and tries again), always in one transaction with the message it records, its inbox entries, the
uploads it takes and the sender's idempotency key: they stand or fall together."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from pynamodb.exceptions import DoesNotExist

from functions.core.billing import Billing, Charge
from functions.core.errors import Conflict
from functions.core.idempotency import Idempotency
from functions.core.outbox import Notice, Outbox
from functions.core.records import Refused
from functions.core.transactions import Transaction, TransactionRefused
from functions.dialogs.model import (
    Attachment,
    Dialog,
    DialogSettings,
    Group,
    Message,
    Route,
)
from functions.dialogs.records import DialogRecord, DialogSettingsRecord, UploadRecord
from functions.dialogs.shapes import (
    _ROW_NAMES,
    _ROW_PROJECTION,
    HEAD,
    _box,
    _dialog,
    _head,
    _message,
    _message_record,
    _pk,
    _plain,
    _row_dialog,
)


@dataclass(frozen=True)
class Stored:
    """A dialog as read, with the version its next write must find."""
    dialog: Dialog
    messages: tuple[Message, ...]
    version: int


@dataclass(frozen=True)
class Upload:
    upload_id: str
    owner: str
    attachment: Attachment
    used_by: str | None = None


@dataclass(frozen=True)
class Claim:
    """The sender's idempotency key for one send, and what a repeat of it answers."""
    scope: str
    key: str
    payload: object
    result: dict


class SentBefore(Exception):
    """This key was sent before: answer `earlier(claim)`."""


class Stale(Exception):
    """The dialog changed since it was read: read it again and retry."""


class DialogRepository:
    PAGE = 20

    def __init__(self, idempotency: Idempotency, outbox: Outbox, billing: Billing) -> None:
        self._idem, self._outbox, self._billing = idempotency, outbox, billing

    # --- reads ---
    def load(self, dialog_id: str) -> Stored | None:
        """Head and messages in one Query of the dialog's partition."""
        head, messages = None, []
        for r in DialogRecord.query(_pk(dialog_id), consistent_read=True):
            if r.sk == HEAD:
                head = r
            elif r.sk.startswith("MSG#"):
                messages.append(_message(r))
        if head is None:
            return None
        return Stored(_dialog(head), tuple(messages), int(head.version or 0))

    def patient_page(self, patient_id: str, start_key: dict | None, limit: int = PAGE) -> tuple[list[Dialog], dict]:
        """One Query of `by_patient`, projected to what a row shows and read without PynamoDB's
        model layer: Innboks is the hottest read of the package (M2)."""
        table = DialogRecord._get_connection()
        request = {"TableName": table.table_name, "IndexName": "by_patient", "ScanIndexForward": False,
                   "Limit": limit, "KeyConditionExpression": "#k = :k", "ProjectionExpression": _ROW_PROJECTION,
                   "ExpressionAttributeNames": {"#k": "patient_pk", **_ROW_NAMES},
                   "ExpressionAttributeValues": {":k": {"S": f"PAT#{patient_id}"}}}
        if start_key:
            request["ExclusiveStartKey"] = start_key
        answer = table.connection.client.query(**request)
        return [_row_dialog(item) for item in answer.get("Items", [])], answer.get("LastEvaluatedKey")

    def unread_of(self, patient_id: str) -> list[Dialog]:
        return [_dialog(r) for r in DialogRecord.unread_index.query(f"PAT#{patient_id}", limit=100)]

    def box_page(self, clinic_id: str, box: str, start_key: dict | None, kind: str | None, status: str | None,
                 limit: int = PAGE) -> tuple[list[Dialog], dict]:
        condition = None
        if kind:
            condition = DialogRecord.kind == kind
        if status:
            condition = (DialogRecord.status == status) if condition is None else condition & (
                DialogRecord.status == status)
        rows = DialogRecord.by_box.query(f"CLINIC#{clinic_id}#{box}", scan_index_forward=False, limit=limit,
                                         last_evaluated_key=start_key, filter_condition=condition)
        return [_dialog(r, dialog_id=r.pk.removeprefix("DLG#")) for r in rows], rows.last_evaluated_key

    def journal_page(self, clinic_id: str, start_key: dict | None, limit: int = 10) -> tuple[list[str], dict]:
        rows = DialogRecord.journal.query(f"CLINIC#{clinic_id}", limit=limit, last_evaluated_key=start_key)
        return [r.pk.removeprefix("DLG#") for r in rows], rows.last_evaluated_key

    # --- writes: each one transaction, all or nothing ---
    def create(self, dialog: Dialog, message: Message, uploads: list[Upload], claim: Claim,
               notice: Notice | None = None) -> None:
        """A new dialog with its first message. SentBefore: the claim's key was used already."""
        tx = Transaction()
        key = self._idem.claim_in(tx, claim.scope, claim.key, claim.payload, claim.result)
        head = tx.put(_head(dialog, 1), DialogRecord.pk.does_not_exist())
        self._rest(tx, dialog, message, uploads, notice, None)
        self._commit(tx, key, head)

    def append(self, stored: Stored, dialog: Dialog, message: Message, uploads: list[Upload], claim: Claim,
               notice: Notice | None = None, charge: Charge | None = None) -> None:
        """The dialog as it is after the message. Stale: someone wrote the head since `stored` was read."""
        tx = Transaction()
        key = self._idem.claim_in(tx, claim.scope, claim.key, claim.payload, claim.result)
        head = tx.put(_head(dialog, stored.version + 1), DialogRecord.version == stored.version)
        self._rest(tx, dialog, message, uploads, notice, charge)
        self._commit(tx, key, head)

    def replace_head(self, stored: Stored, dialog: Dialog) -> None:
        """A changed head without a message (converted, marked shareable). Stale as for append."""
        tx = Transaction()
        head = tx.put(_head(dialog, stored.version + 1), DialogRecord.version == stored.version)
        for box in dialog.boxes:
            tx.put(_box(dialog, box))
        self._commit(tx, None, head)

    def earlier(self, claim: Claim) -> dict | None:
        done = self._idem.earlier(claim.scope, claim.key, claim.payload)
        return done.result if done else None

    def _rest(self, tx: Transaction, dialog: Dialog, message: Message, uploads: list[Upload],
              notice: Notice | None, charge: Charge | None) -> None:
        tx.put(_message_record(dialog.dialog_id, message), DialogRecord.sk.does_not_exist())
        for box in dialog.boxes:
            tx.put(_box(dialog, box))
        for upload in uploads:
            tx.update(UploadRecord(f"UPL#{upload.upload_id}", "UPLOAD"),
                      [UploadRecord.used_by.set(dialog.dialog_id), UploadRecord.expires_at.remove()],
                      (UploadRecord.owner == upload.owner) & UploadRecord.used_by.does_not_exist())
        if notice is not None:
            self._outbox.enqueue_in(tx, notice, f"dialog:{dialog.dialog_id}:{message.message_id}")
        if charge is not None:
            self._billing.record_charge_in(tx, charge, message.sent_at)

    @staticmethod
    def _commit(tx: Transaction, key: int | None, head: int) -> None:
        try:
            tx.commit()
        except TransactionRefused as refused:
            if key is not None and key in refused.positions:
                raise SentBefore() from refused
            if head in refused.positions:
                raise Stale() from refused
            raise Conflict("attachment_used", field="attachments") from refused

    def mark_read(self, dialog_id: str) -> None:
        """Opened by the patient: no longer unread (not versioned: only these two fields change)."""
        try:
            DialogRecord(_pk(dialog_id), HEAD).update(
                actions=[DialogRecord.unread.set(False), DialogRecord.unread_pk.remove()],
                condition=DialogRecord.unread == True)  # noqa: E712 - a DynamoDB condition, not a comparison
        except Refused:
            return

    # --- uploads ---
    def put_upload(self, upload: Upload, now: datetime, keep_seconds: int = 86400) -> None:
        a = upload.attachment
        UploadRecord(f"UPL#{upload.upload_id}", owner=upload.owner, key=a.key, kind=a.kind, size=a.size,
                     name=a.name, expires_at=now + timedelta(seconds=keep_seconds)).save(
            UploadRecord.pk.does_not_exist())

    def uploads(self, upload_ids: list[str]) -> dict[str, Upload]:
        keys = [(f"UPL#{u}", "UPLOAD") for u in dict.fromkeys(upload_ids)]
        found = UploadRecord.batch_get(keys) if keys else []
        return {u.upload_id: u for u in map(_upload, found)}

    # --- settings ---
    def settings(self, clinic_id: str) -> DialogSettings:
        try:
            r = DialogSettingsRecord.get(f"CLINIC#{clinic_id}", "SETTINGS")
        except DoesNotExist:
            return DialogSettings()
        routing = {k: Route(v["mode"], tuple(v.get("recipients") or ())) for k, v in _plain(r.routing).items()}
        base = DialogSettings()
        return DialogSettings(
            patient_kinds=frozenset(r.patient_kinds or ()), offered_by=frozenset(r.offered_by or ()),
            substitutes={k: tuple(v) for k, v in _plain(r.substitutes).items()},
            routing={**base.routing, **routing},
            groups={k: Group(v["name"], tuple(v.get("members") or ())) for k, v in _plain(r.groups).items()})

    def put_settings(self, clinic_id: str, s: DialogSettings) -> None:
        DialogSettingsRecord(
            f"CLINIC#{clinic_id}", "SETTINGS", patient_kinds=set(s.patient_kinds) or None,
            offered_by=set(s.offered_by) or None, substitutes={k: list(v) for k, v in s.substitutes.items()},
            routing={k: {"mode": v.mode, "recipients": list(v.recipients)} for k, v in s.routing.items()},
            groups={k: {"name": g.name, "members": list(g.members)} for k, g in s.groups.items()}).save()


def _upload(r: UploadRecord) -> Upload:
    return Upload(r.pk.removeprefix("UPL#"), r.owner, Attachment(r.pk.removeprefix("UPL#"), r.name, r.kind,
                                                                 int(r.size), r.key), r.used_by)

