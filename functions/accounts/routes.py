"""Patient endpoints of the accounts package: thin edges (parse, actor, one service call)."""
from __future__ import annotations

import json

from flask import Blueprint, Response, g, jsonify, request

from functions.accounts import texts  # noqa: F401 - registers the package's messages
from functions.accounts.consent_service import profile_json
from functions.core import messages, validate
from functions.core.clock import iso
from functions.core.errors import Forbidden, UnsupportedMedia
from functions.core.web import ctx, json_body, representative_actor, self_actor

bp = Blueprint("accounts", __name__, url_prefix="/api/accounts")
IMAGE_TYPES = {"image/jpeg", "image/png", "image/webp"}


def svc():
    return ctx().services


def _profile_response(profile, status: int = 200):
    body = profile_json(profile, svc().profile.picture_url(profile))
    return jsonify(body), status


@bp.get("/session")
def session_info():
    now = iso(ctx().runtime.clock.now())  # the portal's clock: pages grey out past times by it
    if g.session is None:
        return jsonify({"authenticated": False, "server_time": now})
    actor = self_actor()
    profile = svc().profile.get(actor)
    current = ctx().runtime.settings.terms_version
    return jsonify({"authenticated": True, "level": actor.level, "display_name": profile.display_name,
                    "acting_for": _acting_for(actor),
                    "consent": {"given": actor.consent, "version": g.session.consent_version,
                                "current_version": current},
                    "csrf_token": g.session.csrf, "server_time": now})


def _acting_for(own) -> dict | None:
    """Whose data the health pages show now, for the header ("Du ser nå: Emma Hansen")."""
    if not g.session.acting_for:
        return None
    try:
        acting = representative_actor(own, g.session.acting_for)
    except Forbidden:
        return {"patient_id": g.session.acting_for, "name": None, "ended": True}
    return {"patient_id": acting.on_behalf_of, "name": acting.subject_name, "ended": False,
            "scopes": sorted(acting.scopes)}


@bp.get("/profile")
def get_profile():
    actor = self_actor()
    actor.require_consent()  # R10: without consent only session, consent, access log and export
    return _profile_response(svc().profile.get(actor))


@bp.patch("/profile")
def patch_profile():
    actor = self_actor()
    actor.require_consent()
    body = validate.json_object(json_body(), {"first_name", "middle_name", "last_name", "email"})
    email = validate.text(body, "email", 254, required=False, allow_empty=True)
    profile = svc().profile.update(
        actor, validate.text(body, "first_name", 100, required=False, allow_empty=True),
        validate.text(body, "middle_name", 100, required=False, allow_empty=True),
        validate.text(body, "last_name", 100, required=False, allow_empty=True),
        validate.email(email) if email else email)
    return _profile_response(profile)


@bp.post("/profile/addresses")
def add_address():
    actor = self_actor()
    actor.require_consent()
    body = validate.json_object(json_body(), {"street", "postal_code", "city"})
    profile = svc().profile.add_address(actor, validate.text(body, "street", 200),
                                        validate.text(body, "postal_code", 4 * 4),
                                        validate.text(body, "city", 100))
    return _profile_response(profile, 201)


@bp.post("/profile/phones")
def add_phone():
    actor = self_actor()
    actor.require_consent()
    body = validate.json_object(json_body(), {"number"})
    return _profile_response(svc().profile.add_phone(actor, validate.text(body, "number", 32)), 201)


@bp.put("/profile/phones/<phone_id>")
def edit_phone(phone_id: str):
    actor = self_actor()
    actor.require_consent()
    body = validate.json_object(json_body(), {"number"})
    return _profile_response(svc().profile.edit_phone(actor, phone_id[:64], validate.text(body, "number", 32)))


@bp.delete("/profile/phones/<phone_id>")
def delete_phone(phone_id: str):
    actor = self_actor()
    actor.require_consent()
    return _profile_response(svc().profile.delete_phone(actor, phone_id[:64]))


@bp.put("/profile/contact")
def set_contact():
    actor = self_actor()
    actor.require_consent()
    body = validate.json_object(json_body(), {"channel", "phone_id", "address_id"})
    channel = validate.text(body, "channel", 10)
    profile = svc().profile.set_contact(actor, channel, validate.optional_id(body, "phone_id"),
                                        validate.optional_id(body, "address_id"))
    return _profile_response(profile)


@bp.put("/profile/picture")
def put_picture():
    actor = self_actor()
    actor.require_consent()
    if request.mimetype not in IMAGE_TYPES:
        raise UnsupportedMedia(field="picture")
    return _profile_response(svc().profile.set_picture(actor, request.get_data(cache=False)))


def _consent_json(profile, history) -> dict:
    current = ctx().runtime.settings.terms_version
    return {"current_version": current, "given": profile.consent_version == current,
            "version": profile.consent_version, "given_at": iso(profile.consent_at) if profile.consent_at else None,
            "history": [{"action": e.action, "version": e.version, "at": iso(e.at)} for e in history]}


@bp.get("/consent")
def get_consent():
    return jsonify(_consent_json(*svc().consent.status(self_actor())))


@bp.post("/consent")
def give_consent():
    body = validate.json_object(json_body(), {"version"})
    return jsonify(_consent_json(*svc().consent.give(self_actor(), validate.text(body, "version", 20))))


@bp.delete("/consent")
def withdraw_consent():
    return jsonify(_consent_json(*svc().consent.withdraw(self_actor())))


@bp.get("/access-log")
def access_log():
    entries, cursor = svc().privacy.access_log(self_actor(), request.args.get("cursor"))
    lang = g.lang
    items = [{**e.to_json(), "what": messages.text(e.what, lang), "why": messages.text(e.why, lang)}
             for e in entries]
    return jsonify({"items": items, "next_cursor": cursor})


@bp.get("/export")
def export():
    data = svc().privacy.export(self_actor())
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": 'attachment; filename="mine-data.json"'})
