"""Clinic endpoints: a credential + the acting staff member; only the clinic's own patients.
OpenAPI document at /api/accounts/clinic/openapi.json."""
from __future__ import annotations

from flask import Blueprint, jsonify

from functions.accounts.openapi import SPEC
from functions.core import validate
from functions.core.web import ctx, json_body, staff_actor

bp = Blueprint("accounts_clinic", __name__, url_prefix="/api/accounts/clinic")


@bp.get("/openapi.json")
def openapi():
    return jsonify(SPEC)


@bp.post("/patients/lookup")
def lookup():
    actor = staff_actor()
    body = validate.json_object(json_body(), {"national_id"})
    return jsonify({"patient_id": ctx().services.clinic.lookup(actor, body.get("national_id"))})


@bp.get("/patients/<patient_id>/contact")
def contact(patient_id: str):
    actor = staff_actor()
    return jsonify(ctx().services.clinic.contact(actor, patient_id[:64]))


def relation_json(v) -> dict:
    """One of the patient's relations: `access` says whether it gives its holder access now (the
    patient for `barn` / `fullmakt_mottatt`, the other person for `foreldre` / `fullmakt_gitt`)."""
    return {"patient_id": v.patient_id, "name": v.name, "relation": v.relation,
            "access": v.i_act_for_them or v.they_act_for_me,
            "access_until": v.until.isoformat() if v.until else None}


@bp.get("/patients/<patient_id>/relations")
def relations(patient_id: str):
    actor = staff_actor()
    found = ctx().services.relations.clinic.of(actor, patient_id[:64])
    return jsonify({"items": [relation_json(v) for v in found]})


@bp.post("/patients/<patient_id>/parents")
def register_parent(patient_id: str):
    """Parental responsibility for the patient (the child): 201 when new, 200 when already there."""
    actor = staff_actor()
    body = validate.json_object(json_body(), {"parent_id", "national_id"})
    view, created = ctx().services.relations.clinic.register_parent(
        actor, patient_id[:64], validate.optional_id(body, "parent_id"), body.get("national_id"))
    return jsonify(relation_json(view)), 201 if created else 200


@bp.delete("/patients/<patient_id>/parents/<parent_id>")
def remove_parent(patient_id: str, parent_id: str):
    actor = staff_actor()
    left = ctx().services.relations.clinic.remove_parent(actor, patient_id[:64], parent_id[:64])
    return jsonify({"items": [relation_json(v) for v in left]})
