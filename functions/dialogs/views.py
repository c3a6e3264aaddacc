"""JSON shapes of dialogs (docs/dialogs.md): text goes out as data, never as markup."""
from __future__ import annotations

from datetime import datetime

from functions.core.billing import kroner
from functions.core.clock import OSLO, iso
from functions.core.messages import text as message
from functions.dialogs.model import CLINIC, FAKTURA, OPEN, PORTAL, Dialog, Message
from functions.dialogs.repository import Stored
from functions.dialogs.texts import answer_label, kind_label, status_label


def shown_time(instant: datetime) -> str:
    local = instant.astimezone(OSLO)
    return f"{local.day}.{local.month}.{local.year} kl. {local:%H:%M}"


def title(d: Dialog, lang: str) -> str:
    if d.title:
        return d.title
    if d.kind == FAKTURA and d.invoice.get("number"):
        return message("dialog_title_faktura", lang, number=d.invoice["number"])
    return kind_label(d.kind, lang)


def summary(d: Dialog, lang: str) -> dict:
    return {"id": d.dialog_id, "kind": d.kind, "kind_label": kind_label(d.kind, lang), "title": title(d, lang),
            "status": d.status, "status_label": status_label(d.status, lang), "updated_at": iso(d.updated_at),
            "updated_display": shown_time(d.updated_at), "from": d.from_name or d.clinic_name,
            "clinic_id": d.clinic_id, "unread": d.unread}


def message_json(dialog_id: str, m: Message, lang: str, base: str) -> dict:
    body = {"id": m.message_id, "author": m.author, "author_name": m.author_name, "text": m.text,
            "sent_at": iso(m.sent_at), "sent_display": shown_time(m.sent_at), "closes": m.closes,
            "attachments": [{"id": a.attachment_id, "name": a.name, "kind": a.kind, "size": a.size,
                             "url": f"{base}/dialogs/{dialog_id}/attachments/{a.attachment_id}"}
                            for a in m.attachments]}
    if m.answer_code:
        body |= {"answer_code": m.answer_code, "answer_label": answer_label(m.answer_code, lang)}
    return body


def dialog_json(stored: Stored, lang: str, base: str = "/api/dialogs") -> dict:
    d = stored.dialog
    body = summary(d, lang) | {
        "can_reply": d.status == OPEN and d.channel == PORTAL,
        "messages": [message_json(d.dialog_id, m, lang, base) for m in stored.messages]}
    if d.prescription:
        body["prescription"] = dict(d.prescription)
    if d.invoice:
        body["invoice"] = dict(d.invoice)
    if d.answer_code:
        body |= {"answer_code": d.answer_code, "answer_label": answer_label(d.answer_code, lang)}
    return body


def clinic_summary(d: Dialog, lang: str) -> dict:
    return summary(d, lang) | {"patient_id": d.patient_id, "patient_name": d.patient_name,
                               "from": d.patient_name or d.from_name}


def clinic_dialog_json(stored: Stored, lang: str) -> dict:
    d = stored.dialog
    body = dialog_json(stored, lang, "/api/dialogs/clinic") | clinic_summary(d, lang)
    body |= {"can_reply": d.status == OPEN, "channel": d.channel, "origin": d.origin, "boxes": list(d.boxes),
             "shareable": d.shareable, "delivery": d.delivery,
             "attachment_bytes": d.attachment_bytes}
    for m in body["messages"]:
        m["from_clinic"] = m["author"] == CLINIC
    return body


def price_json(price) -> dict | None:
    if price is None:
        return None
    return {"tariff_code": price.tariff_code, "fee_ore": price.fee_ore, "fee_display": kroner(price.fee_ore),
            "free_reason": price.free_reason}
