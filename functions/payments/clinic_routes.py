"""Clinic endpoints of the payments function (credential + X-Staff-Id); OpenAPI at /openapi.json."""
from __future__ import annotations

from flask import Blueprint, jsonify

from functions.core import validate
from functions.core.billing import Tariff
from functions.core.clock import parse_instant
from functions.core.errors import BadRequest, Invalid, NotFound
from functions.core.web import ctx, json_body, staff_actor
from functions.payments import model
from functions.payments.clinic_service import NewPayment
from functions.payments.openapi import SPEC
from functions.payments.views import clinic_json, credit_json

bp = Blueprint("payments_clinic", __name__, url_prefix="/api/payments/clinic")
PAYMENT = {"transaction_id", "patient_id", "practitioner_id", "lines", "method", "number", "paid_at"}
INVOICE = {"transaction_id", "patient_id", "practitioner_id", "lines", "number", "issued", "due", "kid"}


def svc():
    return ctx().services.clinic


def _fields(body: dict, allowed: set[str]) -> dict:
    body = validate.json_object(body, allowed)
    for name, value in body.items():
        if value is None:
            raise BadRequest("wrong_type", field=name)
    return body


def _lines(value: object) -> tuple[tuple[str, int | None], ...]:
    if not isinstance(value, list) or not 1 <= len(value) <= model.LINES_MAX:
        raise Invalid("invalid_lines", field="lines")
    lines = []
    for n, line in enumerate(value):
        if not isinstance(line, dict) or set(line) - {"code", "amount_ore"} or "code" not in line:
            raise Invalid("invalid_lines", field=f"lines[{n}]")
        code = line["code"]
        if not isinstance(code, str) or not model.TARIFF_CODE.fullmatch(code):
            raise Invalid("unknown_tariff", field=f"lines[{n}].code")
        amount = line.get("amount_ore")
        lines.append((code, None if amount is None else model.amount(amount, f"lines[{n}].amount_ore")))
    return tuple(lines)


def _instant(body: dict, name: str):
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadRequest("wrong_type", field=name)
    try:
        if "T" not in value or not (value.endswith("Z") or "+" in value[10:] or "-" in value[10:]):
            raise ValueError
        instant = parse_instant(value.replace("Z", "+00:00"))
    except ValueError:
        raise Invalid("invalid_datetime", field=name) from None
    if not 2000 <= instant.year <= 2099:
        raise Invalid("invalid_datetime", field=name)
    return instant


def _new(body: dict, method: str) -> NewPayment:
    return NewPayment(
        transaction_id=model.transaction_id(body.get("transaction_id")),
        patient_id=validate.optional_id(body, "patient_id") or _required("patient_id"),
        lines=_lines(body.get("lines")), method=method,
        practitioner_id=validate.optional_id(body, "practitioner_id"),
        number=model.invoice_number(body["number"]) if "number" in body else None,
        issued=model.parse_day(body["issued"], "issued") if "issued" in body else None,
        due=model.parse_day(body["due"], "due") if "due" in body else None,
        kid=body["kid"] if isinstance(body.get("kid"), str) else _kid_type(body),
        paid_at=_instant(body, "paid_at"))


def _kid_type(body: dict) -> None:
    if "kid" in body:
        raise BadRequest("wrong_type", field="kid")
    return None


def _required(name: str):
    raise Invalid("required", field=name)


def _created(result):
    return jsonify(clinic_json(result.bill)), 201 if result.new else 200


@bp.get("/openapi.json")
def openapi():
    return jsonify(SPEC)


@bp.post("/transactions")
def transaction():
    body = _fields(json_body(), PAYMENT)
    how = model.method(body.get("method"), model.TERMINAL_METHODS)
    return _created(svc().transaction(staff_actor(), _new(body, how)))


@bp.post("/invoices")
def invoice():
    body = _fields(json_body(), INVOICE)
    return _created(svc().invoice(staff_actor(), _new(body, model.FAKTURA)))


@bp.get("/payments/<invoice_id>")
def one(invoice_id: str):
    return jsonify(clinic_json(svc().read(staff_actor(), invoice_id[:64])))


@bp.post("/payments/<invoice_id>/paid")
def paid(invoice_id: str):
    body = _fields(json_body(), {"method", "paid_at"})
    how = model.method(body.get("method"))
    return jsonify(clinic_json(svc().mark_paid(staff_actor(), invoice_id[:64], how, _instant(body, "paid_at"))))


@bp.post("/payments/<invoice_id>/credit")
def credit(invoice_id: str):
    body = _fields(json_body(), {"reason"})
    reason = validate.text(body, "reason", 200) or ""
    bill, note = svc().credit(staff_actor(), invoice_id[:64], reason)
    return jsonify({"payment": clinic_json(bill), "credit_note": credit_json(note)}), 201


@bp.get("/tariffs/<period>")
def tariffs(period: str):
    start = model.parse_day(period[:10], "period")
    return jsonify(_tariffs_json(start, svc().tariffs(staff_actor(), start)))


@bp.put("/tariffs/<period>")
def put_tariffs(period: str):
    start = model.parse_day(period[:10], "period")
    body = _fields(json_body(), {"codes"})
    codes = body.get("codes")
    if not isinstance(codes, dict) or not 1 <= len(codes) <= 200:
        raise Invalid("invalid", field="codes")
    table = {}
    for code, entry in codes.items():
        if not model.TARIFF_CODE.fullmatch(code) or not isinstance(entry, dict) or set(entry) != {"text", "fee_ore"}:
            raise Invalid("invalid", field=f"codes.{code[:16]}")
        fee = entry["fee_ore"]
        if isinstance(fee, bool) or not isinstance(fee, int) or not 0 <= fee <= model.MAX_ORE:
            raise Invalid("invalid_amount", field=f"codes.{code}.fee_ore")
        table[code] = Tariff(code, validate.text(entry, "text", model.LINE_TEXT_MAX) or "", fee)
    return jsonify(_tariffs_json(start, svc().put_tariffs(staff_actor(), start, table)))


@bp.get("/payee")
def payee():
    found = svc().payee(staff_actor())
    if found is None:
        raise NotFound()
    return jsonify({"name": found.name, "org_number": found.org_number})


@bp.put("/payee")
def put_payee():
    body = _fields(json_body(), {"name", "org_number"})
    name = validate.text(body, "name", 120) or ""
    org = body.get("org_number")
    if not isinstance(org, str):
        raise Invalid("invalid_org_number", field="org_number")
    found = svc().put_payee(staff_actor(), name, org)
    return jsonify({"name": found.name, "org_number": found.org_number})


@bp.post("/charges/invoice")
def invoice_charges():
    return jsonify(svc().invoice_charges(staff_actor()))


def _tariffs_json(start, table: dict) -> dict:
    return {"period": start.isoformat(),
            "codes": {c: {"text": t.text, "fee_ore": t.fee_ore} for c, t in sorted(table.items())}}
