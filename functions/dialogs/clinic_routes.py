"""Clinic endpoints of the dialogs function (credential + X-Staff-Id); OpenAPI at /openapi.json."""
from __future__ import annotations

from flask import Blueprint, g, jsonify, redirect, request

from functions.core import idempotency, validate
from functions.core.errors import BadRequest, Invalid
from functions.core.web import ctx, json_body, staff_actor
from functions.dialogs import model
from functions.dialogs.fhir import bundle
from functions.dialogs.model import TEXT_MAX, TITLE_MAX, DialogSettings, Group, Route
from functions.dialogs.openapi import SPEC
from functions.dialogs.routes import raw_file, upload_json
from functions.dialogs.views import clinic_dialog_json, clinic_summary

bp = Blueprint("dialogs_clinic", __name__, url_prefix="/api/dialogs/clinic")
PREFIX = "/api/dialogs/clinic"


def svc():
    return ctx().services.clinic


def _id(value: str) -> str:
    return value[:64]


def _bool(body: dict, name: str, default: bool | None = None) -> bool:
    value = body.get(name, default)
    if not isinstance(value, bool):
        raise BadRequest("wrong_type", field=name)
    return value


def _ids(value: object, name: str, limit: int = 50) -> list[str]:
    if not isinstance(value, list) or len(value) > limit:
        raise BadRequest("wrong_type", field=name)
    return [validate.optional_id({name: v}, name) or "" for v in value]


def _fields(body: dict, allowed: set[str]) -> dict:
    """A body with only these fields, none of them null (the document makes none nullable)."""
    body = validate.json_object(body, allowed)
    for name, value in body.items():
        if value is None:
            raise BadRequest("wrong_type", field=name)
    return body


@bp.get("/openapi.json")
def openapi():
    return jsonify(SPEC)


@bp.get("/inbox")
def inbox():
    box = model.parse_box(request.args.get("inbox", model.WHOLE_CLINIC))
    found, cursor = svc().inbox(staff_actor(), box, request.args.get("kind") or None,
                                request.args.get("status") or None, request.args.get("cursor"))
    return jsonify({"dialogs": [clinic_summary(d, g.lang) for d in found], "next": cursor})


@bp.get("/dialogs/<dialog_id>")
def one(dialog_id: str):
    return jsonify(clinic_dialog_json(svc().read(staff_actor(), _id(dialog_id)), g.lang))


@bp.post("/dialogs/<dialog_id>/messages")
def reply(dialog_id: str):
    key = idempotency.check_key(request.headers.get("Idempotency-Key"))
    body = _fields(json_body(), {"text", "close", "answer_code", "attachments"})
    text = validate.text(body, "text", TEXT_MAX, multiline=True) or ""
    code = validate.text(body, "answer_code", 32, required=False)
    actor = staff_actor()
    svc().reply(actor, _id(dialog_id), text, _bool(body, "close", False), code or None, body.get("attachments"), key)
    return jsonify(clinic_dialog_json(svc().read(actor, _id(dialog_id)), g.lang)), 201


@bp.post("/dialogs")
def start():
    key = idempotency.check_key(request.headers.get("Idempotency-Key"))
    body = _fields(json_body(), {"kind", "patient_id", "colleagues", "title", "text", "attachments"})
    actor = staff_actor()
    dialog_id = svc().start(actor, validate.text(body, "kind", 32) or "", validate.optional_id(body, "patient_id"),
                            _ids(body.get("colleagues", []), "colleagues"),
                            validate.text(body, "title", TITLE_MAX) or "",
                            validate.text(body, "text", TEXT_MAX, multiline=True) or "", body.get("attachments"), key)
    return jsonify(clinic_dialog_json(svc().read(actor, dialog_id), g.lang)), 201


@bp.post("/dialogs/<dialog_id>/convert")
def convert(dialog_id: str):
    body = _fields(json_body(), {"to"})
    to = validate.text(body, "to", 32) or ""
    return jsonify(clinic_dialog_json(svc().convert(staff_actor(), _id(dialog_id), to), g.lang))


@bp.put("/dialogs/<dialog_id>/shareable")
def shareable(dialog_id: str):
    body = _fields(json_body(), {"shareable"})
    found = svc().set_shareable(staff_actor(), _id(dialog_id), _bool(body, "shareable"))
    return jsonify(clinic_dialog_json(found, g.lang))


@bp.post("/attachments")
def upload():
    u = svc().upload(staff_actor(), raw_file(), request.headers.get("X-File-Name"))
    return jsonify(upload_json(u)), 201


@bp.get("/dialogs/<dialog_id>/attachments/<attachment_id>")
def attachment(dialog_id: str, attachment_id: str):
    response = redirect(svc().attachment_url(staff_actor(), _id(dialog_id), _id(attachment_id)), 302)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/settings")
def get_settings():
    return jsonify(settings_json(svc().settings(staff_actor())))


@bp.put("/settings")
def put_settings():
    body = _fields(json_body(), {"patient_kinds", "econsult", "routing", "groups"})
    return jsonify(settings_json(svc().put_settings(staff_actor(), parse_settings(body))))


@bp.get("/journal")
def journal():
    found, cursor = svc().journal(staff_actor(), request.args.get("cursor"))
    return jsonify(bundle(found, f"{PREFIX}/journal?cursor={cursor}" if cursor else None))


def settings_json(s: DialogSettings) -> dict:
    return {"patient_kinds": [k for k in model.PATIENT_KINDS if k in s.patient_kinds],
            "econsult": {"offered_by": sorted(s.offered_by),
                         "substitutes": {gp: list(subs) for gp, subs in sorted(s.substitutes.items())}},
            "routing": {k: {"mode": r.mode, "recipients": list(r.recipients)} for k, r in sorted(s.routing.items())},
            "groups": {k: {"name": grp.name, "members": list(grp.members)} for k, grp in sorted(s.groups.items())}}


def parse_settings(body: dict) -> DialogSettings:
    kinds = body.get("patient_kinds", [])
    if not isinstance(kinds, list) or any(k not in model.PATIENT_KINDS for k in kinds) or len(set(kinds)) < len(kinds):
        raise Invalid("invalid_kind", field="patient_kinds")
    econsult = body.get("econsult", {})
    if not isinstance(econsult, dict) or set(econsult) - {"offered_by", "substitutes"}:
        raise Invalid("invalid_settings", field="econsult")
    subs = econsult.get("substitutes", {})
    if not isinstance(subs, dict) or len(subs) > 200:
        raise Invalid("invalid_settings", field="econsult")
    routing = {}
    raw_routing = body.get("routing", {})
    if not isinstance(raw_routing, dict):
        raise Invalid("invalid_settings", field="routing")
    for kind, route in raw_routing.items():
        if kind not in model.DEFAULT_ROUTING or not isinstance(route, dict) or set(route) - {"mode", "recipients"} \
                or route.get("mode") not in (model.GP, model.FIXED, model.BOTH):
            raise Invalid("invalid_settings", field="routing")
        boxes = route.get("recipients", [])
        if not isinstance(boxes, list) or len(boxes) > 20:
            raise Invalid("invalid_settings", field="routing")
        routing[kind] = Route(route["mode"], tuple(model.parse_box(b, "routing") for b in boxes))
    groups = {}
    raw_groups = body.get("groups", {})
    if not isinstance(raw_groups, dict) or len(raw_groups) > 50:
        raise Invalid("invalid_settings", field="groups")
    for gid, grp in raw_groups.items():
        model.parse_box(f"group:{gid}", "groups")
        if not isinstance(grp, dict) or set(grp) - {"name", "members"}:
            raise Invalid("invalid_settings", field="groups")
        groups[gid] = Group(validate.text(grp, "name", 100) or "", tuple(_ids(grp.get("members", []), "groups", 200)))
    return DialogSettings(
        patient_kinds=frozenset(kinds), offered_by=frozenset(_ids(econsult.get("offered_by", []), "econsult", 200)),
        substitutes={_id(gp): tuple(_ids(v, "econsult")) for gp, v in subs.items()},
        routing={**model.DEFAULT_ROUTING, **routing}, groups=groups)
