"""OpenAPI 3.0 document of the accounts clinic endpoints (served at /api/accounts/clinic/openapi.json)."""
from __future__ import annotations

from functions.core.openapi import (
    DAY,
    MAYBE_TEXT,
    NATIONAL_ID,
    PATIENT_ID,
    TEXT,
    WRITE,
    array,
    document,
    obj,
    op,
    path_param,
    record,
)

CONTACT = record({
    "name": TEXT, "email": TEXT,
    "phones": array(record({"id": TEXT, "number": TEXT, "display": TEXT})),
    "addresses": array(record({"id": TEXT, "street": TEXT, "postal_code": TEXT, "city": TEXT})),
    "contact": record({"channel": TEXT, "phone_id": MAYBE_TEXT, "address_id": MAYBE_TEXT}),
    "picture_url": {**MAYBE_TEXT, "description": "short-lived presigned URL, or null without a picture"},
})

RELATION = record({
    "patient_id": PATIENT_ID, "name": TEXT,
    "relation": {"type": "string", "enum": ["barn", "foreldre", "fullmakt_gitt", "fullmakt_mottatt"],
                 "description": "seen from the patient in the path: `barn` their child, `foreldre` their parent, "
                                "`fullmakt_gitt` they gave the other a fullmakt, `fullmakt_mottatt` they hold one"},
    "access": {"type": "boolean", "description": "the relation gives its holder access today (the portal clock: "
                                                 "a parent's ends at the child's 16th birthday, Oslo midnight)"},
    "access_until": {**DAY, "nullable": True,
                     "description": "the last Oslo day of that access, or null without access"},
})
RELATIONS = record({"items": array(RELATION)})
PARENT = obj({"parent_id": {**PATIENT_ID, "description": "the parent, one of this clinic's patients"},
              "national_id": {**NATIONAL_ID, "description": "the parent by national id (anyone; never in a URL)"}})


def _registered(operation: dict) -> dict:
    """201 when the relation is new, 200 (the same answer) when it was there already."""
    responses = operation["responses"]
    responses["200"] = {**responses["201"], "description": "already registered: nothing changed"}
    return operation


SPEC = document("Pasientportalen — accounts, clinic API", {
    "/api/accounts/clinic/patients/lookup": {"post": op(
        "The opaque patient id of one of this clinic's patients, by national id (written to the patient's "
        "access log); 404 unless a patient of this clinic",
        record({"patient_id": PATIENT_ID}), obj({"national_id": NATIONAL_ID}, ("national_id",)),
        errors=tuple(code for code in WRITE if code != 409))},
    "/api/accounts/clinic/patients/{patient_id}/contact": {"get": op(
        "A patient's contact details (written to the patient's access log); 404 unless a patient of this clinic",
        CONTACT, params=(path_param("patient_id", PATIENT_ID),), errors=(401, 403, 404, 429, 503))},
    "/api/accounts/clinic/patients/{patient_id}/relations": {"get": op(
        "A patient's relations (R35): parents, children and fullmakt partners, whether each gives access "
        "now and until when (written to the patient's access log); 404 unless a patient of this clinic",
        RELATIONS, params=(path_param("patient_id", PATIENT_ID),), errors=(401, 403, 404, 429, 503))},
    "/api/accounts/clinic/patients/{patient_id}/parents": {"post": _registered(op(
        "Register parental responsibility (R36) for the patient, a child under 16: the parent by `parent_id` "
        "(one of this clinic's patients) or by `national_id`, exactly one. Registering twice is one relation "
        "(200); one the family removed is registered anew. Written to both access logs; 404 unless the child "
        "(and a parent by id) is a patient of this clinic",
        RELATION, PARENT, params=(path_param("patient_id", PATIENT_ID),), ok=201))},
    "/api/accounts/clinic/patients/{patient_id}/parents/{parent_id}": {"delete": op(
        "End parental responsibility at once, also in the parent's open sessions; answers the child's "
        "remaining relations. Written to both access logs; 404 unless the child is a patient of this clinic "
        "and the parent holds parental responsibility for them (so a second removal is 404)",
        RELATIONS, params=(path_param("patient_id", PATIENT_ID), path_param("parent_id", PATIENT_ID)),
        errors=(401, 403, 404, 429, 503))},
})
