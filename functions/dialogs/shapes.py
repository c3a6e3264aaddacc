"""The dialogs table's item shapes, part of the repository layer (repository.py writes and reads
them; records.py has the access patterns): the keys of a dialog's items, and the translation
between domain objects and records, one function each way. Nothing outside the repository uses it."""
from __future__ import annotations

from datetime import datetime

from functions.core.clock import sort_stamp
from functions.dialogs.model import CLOSED, PORTAL, Attachment, Dialog, Message, journaled
from functions.dialogs.records import DialogRecord

HEAD = "HEAD"


def _pk(dialog_id: str) -> str:
    return f"DLG#{dialog_id}"


def _row(dialog: Dialog) -> str:
    return f"{sort_stamp(dialog.updated_at)}#{dialog.dialog_id}"


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
