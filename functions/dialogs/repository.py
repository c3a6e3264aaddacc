"""Dialogs in DynamoDB: the only module that knows the keys (records.py has the patterns).

A dialog's head is written whole with a version condition (optimistic: a racing writer reloads
and tries again), always in one transaction with the message it records, its inbox entries, the
uploads it takes and the sender's idempotency key: they stand or fall together."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from pynamodb.exceptions import DoesNotExist

from functions.core.billing import Billing, Charge
from functions.core.clock import sort_stamp
from functions.core.errors import Conflict
from functions.core.idempotency import Idempotency
from functions.core.outbox import Notice, Outbox
from functions.core.records import Refused
from functions.core.transactions import Transaction, TransactionRefused
from functions.dialogs.model import (
    CLOSED,
    PORTAL,
    Attachment,
    Dialog,
    DialogSettings,
    Group,
    Message,
    Route,
    journaled,
)
from functions.dialogs.records import DialogRecord, DialogSettingsRecord, UploadRecord

HEAD = "HEAD"


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


def _pk(dialog_id: str) -> str:
    return f"DLG#{dialog_id}"


def _row(dialog: Dialog) -> str:
    return f"{sort_stamp(dialog.updated_at)}#{dialog.dialog_id}"


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


# What an Innboks row needs (views.summary and the representative's filter), nothing more.
_ROW_FIELDS = ("pk", "clinic_id", "clinic_name", "kind", "channel", "status", "title", "updated_at", "patient_id",
               "from_name", "unread", "shareable", "invoice")
_ROW_NAMES = {f"#r{n}": name for n, name in enumerate(_ROW_FIELDS)}
_ROW_PROJECTION = ", ".join(_ROW_NAMES)


def _row_dialog(item: dict) -> Dialog:
    def s(name: str) -> str:
        return item.get(name, {}).get("S", "")

    updated = datetime.fromisoformat(s("updated_at"))
    invoice = {k: v.get("S", "") for k, v in item.get("invoice", {}).get("M", {}).items()}
    return Dialog(dialog_id=s("pk").removeprefix("DLG#"), clinic_id=s("clinic_id"), clinic_name=s("clinic_name"),
                  kind=s("kind"), channel=s("channel") or PORTAL, origin="", status=s("status"), title=s("title"),
                  created_at=updated, updated_at=updated, patient_id=s("patient_id") or None,
                  from_name=s("from_name"), unread=item.get("unread", {}).get("BOOL", False),
                  shareable=item.get("shareable", {}).get("BOOL", False), invoice=invoice)


def _plain(value) -> dict:
    if value is None:
        return {}
    return value.as_dict() if hasattr(value, "as_dict") else dict(value)


def _head(d: Dialog, version: int) -> DialogRecord:
    portal = d.channel == PORTAL and d.patient_id is not None
    closed_journal = journaled(d) and d.status == CLOSED and d.closed_at is not None
    record = DialogRecord(
        _pk(d.dialog_id), HEAD, clinic_id=d.clinic_id, kind=d.kind, status=d.status, title=d.title,
        updated_at=d.updated_at, patient_id=d.patient_id, patient_name=d.patient_name, clinic_name=d.clinic_name,
        channel=d.channel, origin=d.origin, created_at=d.created_at, from_name=d.from_name,
        boxes=set(d.boxes) or None, unread=d.unread, shareable=d.shareable, answer_code=d.answer_code,
        prescription=dict(d.prescription) or None, invoice=dict(d.invoice) or None,
        attachment_bytes=d.attachment_bytes, delivery=d.delivery, closed_at=d.closed_at,
        patient_pk=f"PAT#{d.patient_id}" if portal else None, patient_sk=_row(d) if portal else None,
        unread_pk=f"PAT#{d.patient_id}" if portal and d.unread else None,
        journal_pk=f"CLINIC#{d.clinic_id}" if closed_journal else None,
        journal_sk=f"{sort_stamp(d.closed_at)}#{d.dialog_id}" if closed_journal else None)
    record.version = version
    return record


def _box(d: Dialog, box: str) -> DialogRecord:
    return DialogRecord(_pk(d.dialog_id), f"BOX#{box}", clinic_id=d.clinic_id, kind=d.kind, status=d.status,
                        title=d.title, updated_at=d.updated_at, patient_id=d.patient_id,
                        patient_name=d.patient_name, box_pk=f"CLINIC#{d.clinic_id}#{box}", box_sk=_row(d))


def _message_record(dialog_id: str, m: Message) -> DialogRecord:
    return DialogRecord(_pk(dialog_id), f"MSG#{sort_stamp(m.sent_at)}#{m.message_id}", sent_at=m.sent_at,
                        author=m.author, author_id=m.author_id, author_name=m.author_name, text=m.text,
                        attachments=[{"id": a.attachment_id, "name": a.name, "kind": a.kind, "size": a.size,
                                      "key": a.key} for a in m.attachments] or None,
                        answer_code=m.answer_code, closes=m.closes)


def _dialog(r: DialogRecord, dialog_id: str | None = None) -> Dialog:
    return Dialog(
        dialog_id=dialog_id or r.pk.removeprefix("DLG#"), clinic_id=r.clinic_id, clinic_name=r.clinic_name or "",
        kind=r.kind, channel=r.channel or PORTAL, origin=r.origin or "patient", status=r.status,
        title=r.title or "", created_at=r.created_at or r.updated_at, updated_at=r.updated_at,
        patient_id=r.patient_id, patient_name=r.patient_name or "", from_name=r.from_name or "",
        boxes=tuple(sorted(r.boxes or ())), unread=bool(r.unread), shareable=bool(r.shareable),
        answer_code=r.answer_code, prescription=_plain(r.prescription), invoice=_plain(r.invoice),
        attachment_bytes=int(r.attachment_bytes or 0), delivery=r.delivery, closed_at=r.closed_at)


def _message(r: DialogRecord) -> Message:
    return Message(r.sk.rsplit("#", 1)[-1], r.sent_at, r.author, r.author_id, r.author_name or "", r.text or "",
                   tuple(Attachment(a.id, a.name, a.kind, int(a.size), a.key) for a in (r.attachments or ())),
                   r.answer_code, bool(r.closes))


def _upload(r: UploadRecord) -> Upload:
    return Upload(r.pk.removeprefix("UPL#"), r.owner, Attachment(r.pk.removeprefix("UPL#"), r.name, r.kind,
                                                                 int(r.size), r.key), r.used_by)

