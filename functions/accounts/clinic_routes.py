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
