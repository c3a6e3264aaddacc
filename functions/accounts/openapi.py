"""OpenAPI 3.0 document of the accounts clinic endpoints (served at /api/accounts/clinic/openapi.json)."""
from __future__ import annotations

from functions.core.openapi import (
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
    "phones": array(record({"id": TEXT, "number": TEXT})),
    "addresses": array(record({"id": TEXT, "street": TEXT, "postal_code": TEXT, "city": TEXT})),
    "contact": record({"channel": TEXT, "phone_id": MAYBE_TEXT, "address_id": MAYBE_TEXT}),
    "picture_url": {**MAYBE_TEXT, "description": "short-lived presigned URL, or null without a picture"},
})

SPEC = document("Pasientportalen — accounts, clinic API", {
    "/api/accounts/clinic/patients/lookup": {"post": op(
        "The opaque patient id of one of this clinic's patients, by national id (written to the patient's "
        "access log); 404 unless a patient of this clinic",
        record({"patient_id": PATIENT_ID}), obj({"national_id": NATIONAL_ID}, ("national_id",)),
        errors=tuple(code for code in WRITE if code != 409))},
    "/api/accounts/clinic/patients/{patient_id}/contact": {"get": op(
        "A patient's contact details (written to the patient's access log); 404 unless a patient of this clinic",
        CONTACT, params=(path_param("patient_id", PATIENT_ID),), errors=(401, 403, 404, 429, 503))},
})
