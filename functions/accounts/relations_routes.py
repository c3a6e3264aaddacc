"""Relasjoner and acting for someone (R35-R37): thin edges."""
from __future__ import annotations

from flask import Blueprint, g, jsonify

from functions.core import dates, validate
from functions.core.web import ctx, json_body, self_actor

bp = Blueprint("relations", __name__, url_prefix="/api/accounts")


def svc():
    return ctx().services.relations


def view_json(v) -> dict:
    return {"patient_id": v.patient_id, "name": v.name, "relation": v.relation,
            "access": v.i_act_for_them, "access_until": v.until.isoformat() if v.until else None,
            "their_access": v.they_act_for_me}


@bp.get("/relations")
def relations():
    return jsonify({"items": [view_json(v) for v in svc().list(self_actor())]})


@bp.delete("/relations/<patient_id>")
def remove(patient_id: str):
    svc().remove(self_actor(), patient_id[:64])
    return jsonify({"items": [view_json(v) for v in svc().list(self_actor())]})


@bp.post("/relations/fullmakt")
def give_fullmakt():
    body = validate.json_object(json_body(), {"national_id", "valid_from", "valid_until"})
    view = svc().give_fullmakt(self_actor(), validate.text(body, "national_id", 11),
                               dates.parse_date(body.get("valid_from"), "valid_from"),
                               dates.parse_date(body.get("valid_until"), "valid_until"))
    return jsonify(view_json(view)), 201


@bp.post("/acting-for")
def act_for():
    body = validate.json_object(json_body(), {"patient_id"})
    chosen = svc().act_for(self_actor(), g.session_token, validate.optional_id(body, "patient_id"))
    return jsonify({"acting_for": chosen})
