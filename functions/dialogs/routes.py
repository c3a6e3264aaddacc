"""Patient endpoints of the dialogs function: thin edges (docs/dialogs.md)."""
from __future__ import annotations

from flask import Blueprint, g, jsonify, redirect, request

from functions.core import idempotency, phones, validate
from functions.core.billing import kroner
from functions.core.errors import BadRequest, Invalid
from functions.core.web import ctx, json_body, patient_actor
from functions.dialogs import texts  # noqa: F401 - registers the package's messages
from functions.dialogs.model import FIELD_MAX, TEXT_MAX
from functions.dialogs.patient_service import NewDialog
from functions.dialogs.views import dialog_json, price_json, summary

bp = Blueprint("dialogs", __name__, url_prefix="/api/dialogs")
NEW = {"clinic_id", "kind", "text", "recipient_id", "invoice_id", "medicine", "dose", "amount", "attachments"}


def svc():
    return ctx().services.patient


def _id(value: str) -> str:
    return value[:64]


def upload_json(u) -> dict:
    a = u.attachment
    return {"id": u.upload_id, "name": a.name, "kind": a.kind, "size": a.size}


def raw_file() -> bytes:
    if request.mimetype in ("application/json", "multipart/form-data", "application/x-www-form-urlencoded"):
        raise BadRequest("raw_file_expected", field="attachments")
    return request.get_data(cache=False)


@bp.get("/inbox")
def inbox():
    dialogs, cursor = svc().inbox(patient_actor(), request.args.get("cursor"))
    return jsonify({"dialogs": [summary(d, g.lang) for d in dialogs], "next": cursor})


@bp.get("/unread")
def unread():
    return jsonify({"count": svc().unread(patient_actor())})


@bp.get("/clinics/<clinic_id>/start")
def start_options(clinic_id: str):
    o = svc().options(patient_actor(), _id(clinic_id))
    c = o.clinic
    return jsonify({"clinic": {"id": c.clinic_id, "name": c.name, "website": c.website, "phone": c.phone,
                               "phone_display": phones.display(c.phone), "video": bool(c.features.get("video")),
                               "booking_mode": c.booking_mode},
                    "kinds": o.kinds, "recipients": [{"id": i, "name": n} for i, n in o.recipients],
                    "price": price_json(o.price), "answer_days": 5})


@bp.get("/clinics/<clinic_id>/invoices")
def invoices(clinic_id: str):
    found = svc().invoices(patient_actor(), _id(clinic_id))
    return jsonify({"invoices": [{"id": i.invoice_id, "number": i.number, "date": i.issued.isoformat(),
                                  "amount_ore": i.amount_ore, "amount_display": kroner(i.amount_ore),
                                  "status": i.status} for i in found]})


@bp.post("/attachments")
def upload():
    u = svc().upload(patient_actor(), raw_file(), request.headers.get("X-File-Name"))
    return jsonify(upload_json(u)), 201


@bp.post("/dialogs")
def start():
    key = idempotency.check_key(request.headers.get("Idempotency-Key"))
    body = validate.json_object(json_body(), NEW)
    new = NewDialog(
        clinic_id=validate.optional_id(body, "clinic_id") or _required("clinic_id"),
        kind=validate.text(body, "kind", 32) or "",
        text=validate.text(body, "text", TEXT_MAX, required=False, allow_empty=True, multiline=True) or "",
        recipient_id=validate.optional_id(body, "recipient_id"),
        invoice_id=validate.optional_id(body, "invoice_id"),
        **{f: validate.text(body, f, FIELD_MAX, required=False, allow_empty=True)
           for f in ("medicine", "dose", "amount")},
        attachments=body.get("attachments"))
    dialog_id = svc().start(patient_actor(), new, key)
    return jsonify(dialog_json(svc().open(patient_actor(), dialog_id), g.lang)), 201


@bp.get("/dialogs/<dialog_id>")
def one(dialog_id: str):
    return jsonify(dialog_json(svc().open(patient_actor(), _id(dialog_id)), g.lang))


@bp.post("/dialogs/<dialog_id>/messages")
def reply(dialog_id: str):
    key = idempotency.check_key(request.headers.get("Idempotency-Key"))
    body = validate.json_object(json_body(), {"text", "attachments"})
    text = validate.text(body, "text", TEXT_MAX, multiline=True) or ""
    svc().reply(patient_actor(), _id(dialog_id), text, body.get("attachments"), key)
    return jsonify(dialog_json(svc().open(patient_actor(), _id(dialog_id)), g.lang)), 201


@bp.get("/dialogs/<dialog_id>/attachments/<attachment_id>")
def attachment(dialog_id: str, attachment_id: str):
    url = svc().attachment_url(patient_actor(), _id(dialog_id), _id(attachment_id))
    response = redirect(url, 302)
    response.headers["Cache-Control"] = "no-store"
    return response


def _required(name: str):
    raise Invalid("required", field=name)
