"""OpenAPI 3.0 document of the clinic endpoints (served at /api/dialogs/clinic/openapi.json)."""
from __future__ import annotations

from functions.core.openapi import (
    ID,
    INSTANT,
    MAYBE_TEXT,
    PATIENT_ID,
    READ,
    TEXT,
    WRITE,
    array,
    document,
    obj,
    op,
    path_param,
    query_param,
    record,
)

PREFIX = "/api/dialogs/clinic"
BOOL, INT = {"type": "boolean"}, {"type": "integer"}
DIALOG_ID = {"type": "string", "pattern": "^[A-Za-z0-9_-]{16}$", "description": "opaque dialog id"}
UPLOAD_ID = {"type": "string", "pattern": "^[A-Za-z0-9_-]{16}$", "description": "an upload's id"}
KIND = {"type": "string", "enum": ["ekonsultasjon", "annen", "faktura", "resept", "edialog", "ekontakt"]}
PATIENT_KIND = {"type": "string", "enum": ["ekonsultasjon", "annen", "faktura", "resept"]}
BOX = {"type": "string", "pattern": "^(clinic|(staff|group|role):[A-Za-z0-9_-]{1,64})$",
       "description": "`staff:<id>`, `group:<id>`, `role:<role>` or `clinic`"}
MESSAGE_TEXT = {"type": "string", "minLength": 1, "maxLength": 5000}
IDEMPOTENCY = {"name": "Idempotency-Key", "in": "header", "required": True,
               "schema": {"type": "string", "pattern": "^[A-Za-z0-9._:-]{8,64}$"}}
NULL_TEXT = MAYBE_TEXT

ATTACHMENT = record({"id": TEXT, "name": TEXT, "kind": TEXT, "size": INT, "url": TEXT})
MESSAGE = {"type": "object", "required": ["id", "author", "author_name", "text", "sent_at", "attachments", "closes"],
           "properties": {"id": TEXT, "author": {"type": "string", "enum": ["patient", "clinic"]},
                          "author_name": TEXT, "text": TEXT, "sent_at": INSTANT, "sent_display": TEXT,
                          "closes": BOOL, "attachments": array(ATTACHMENT), "from_clinic": BOOL,
                          "answer_code": TEXT, "answer_label": TEXT}}
SUMMARY_PROPS = {"id": TEXT, "kind": KIND, "kind_label": TEXT, "title": TEXT,
                 "status": {"type": "string", "enum": ["open", "closed"]}, "status_label": TEXT,
                 "updated_at": INSTANT, "updated_display": TEXT, "from": TEXT, "clinic_id": TEXT, "unread": BOOL,
                 "patient_id": NULL_TEXT, "patient_name": TEXT}
SUMMARY = record(SUMMARY_PROPS)
DIALOG = {"type": "object", "required": [*SUMMARY_PROPS, "messages", "can_reply", "channel", "boxes"],
          "properties": {**SUMMARY_PROPS, "messages": array(MESSAGE), "can_reply": BOOL,
                         "channel": {"type": "string", "enum": ["portal", "helsenorge"]},
                         "origin": TEXT, "boxes": array(TEXT), "shareable": BOOL, "delivery": NULL_TEXT,
                         "attachment_bytes": INT, "prescription": {"type": "object"}, "invoice": {"type": "object"},
                         "answer_code": TEXT, "answer_label": TEXT}}
PAGE = record({"dialogs": array(SUMMARY), "next": NULL_TEXT})
UPLOAD = record({"id": TEXT, "name": TEXT, "kind": TEXT, "size": INT})
ROUTE = obj({"mode": {"type": "string", "enum": ["gp", "fixed", "both"]}, "recipients": array(BOX, maxItems=20)},
            ("mode",))
ROUTE_KINDS = ("ekonsultasjon", "annen", "faktura", "resept", "ekontakt")
SETTINGS_PROPS = {
    "patient_kinds": array(PATIENT_KIND, maxItems=4, uniqueItems=True),
    "econsult": obj({"offered_by": array(ID, maxItems=200),
                     "substitutes": {"type": "object", "additionalProperties": array(ID, maxItems=50)}}),
    "routing": obj({k: ROUTE for k in ROUTE_KINDS}),
    "groups": {"type": "object", "additionalProperties": obj({"name": {"type": "string", "minLength": 1,
                                                                        "maxLength": 100},
                                                               "members": array(ID, maxItems=200)}, ("name",))},
}
SETTINGS_IN = obj(SETTINGS_PROPS)
SETTINGS_OUT = {"type": "object", "required": list(SETTINGS_PROPS), "properties": SETTINGS_PROPS}
REPLY = obj({"text": MESSAGE_TEXT, "close": BOOL,
             "answer_code": {"type": "string", "enum": ["avvist", "fornyet", "kan_ikke", "delvis"]},
             "attachments": array(UPLOAD_ID, maxItems=10)}, ("text",))
START = obj({"kind": {"type": "string", "enum": ["edialog", "ekontakt", "ekonsultasjon"]}, "patient_id": PATIENT_ID,
             "colleagues": array(ID, minItems=1, maxItems=50), "title": {"type": "string", "minLength": 1,
                                                                            "maxLength": 120},
             "text": MESSAGE_TEXT, "attachments": array(UPLOAD_ID, maxItems=10)}, ("kind", "title", "text"))
BUNDLE = {"type": "object", "required": ["resourceType", "type", "entry"],
          "properties": {"resourceType": {"type": "string", "enum": ["Bundle"]}, "type": TEXT,
                         "entry": array({"type": "object"}), "link": array({"type": "object"})}}

DIALOG_PARAM = path_param("dialog_id", DIALOG_ID)
FILE_BODY = {"required": True, "content": {k: {"schema": {"type": "string", "format": "binary"}}
                                           for k in ("image/jpeg", "image/png", "application/pdf")}}


def _with_key(operation: dict) -> dict:
    operation["parameters"].append(dict(IDEMPOTENCY))
    return operation


def _upload_op() -> dict:
    operation = op("Upload one attachment (JPEG, PNG or PDF, at most 5 MB; pictures are re-encoded)", UPLOAD,
                   ok=201, errors=(400, 401, 403, 413, 415, 422, 429, 503))
    operation["parameters"].append({"name": "X-File-Name", "in": "header", "required": False,
                                    "description": "the file's name, URL-encoded (cut to 100 characters)",
                                    "schema": {"type": "string"}})
    operation["requestBody"] = FILE_BODY
    return operation


def _redirect_op() -> dict:
    operation = op("Download an attachment: 302 to a presigned URL valid for 5 minutes", {"type": "object"},
                   params=(DIALOG_PARAM, path_param("attachment_id", UPLOAD_ID)), errors=READ)
    operation["responses"]["302"] = operation["responses"].pop("200")
    operation["responses"]["302"] = {"description": "Found: the Location header is the file's presigned URL"}
    return operation


SPEC = document("Pasientportal dialogs — clinic API", {
    f"{PREFIX}/inbox": {"get": op(
        "An inbox, newest first: the staff member's own, a group's or role's they belong to, or the whole clinic's",
        PAGE, params=(query_param("inbox", BOX), query_param("kind", KIND),
                      query_param("status", {"type": "string", "enum": ["open", "closed"]}),
                      query_param("cursor", {"type": "string", "maxLength": 2000})), errors=(400, *READ))},
    f"{PREFIX}/dialogs": {"post": _with_key(op(
        "Start a dialog: E-dialog to a patient or to colleagues, or e-Kontakt / eKonsultasjon (HelseNorge, recorded "
        "for delivery)", DIALOG, START, ok=201))},
    f"{PREFIX}/dialogs/{{dialog_id}}": {"get": op(
        "A dialog with its messages (written to the patient's access log by person)", DIALOG, params=(DIALOG_PARAM,))},
    f"{PREFIX}/dialogs/{{dialog_id}}/messages": {"post": _with_key(op(
        "Svar (close false) or Svar og avslutt (close true); a prescription request's answer code", DIALOG, REPLY,
        params=(DIALOG_PARAM,), ok=201))},
    f"{PREFIX}/dialogs/{{dialog_id}}/convert": {"post": op(
        "Convert: eKontakt to e-consultation, an answered prescription request to eKontakt or e-consultation",
        DIALOG, obj({"to": {"type": "string", "enum": ["ekonsultasjon", "ekontakt"]}}, ("to",)),
        params=(DIALOG_PARAM,))},
    f"{PREFIX}/dialogs/{{dialog_id}}/shareable": {"put": op(
        "Let a parent of a 12-15 year old see this dialog (or not)", DIALOG, obj({"shareable": BOOL}, ("shareable",)),
        params=(DIALOG_PARAM,))},
    f"{PREFIX}/dialogs/{{dialog_id}}/attachments/{{attachment_id}}": {"get": _redirect_op()},
    f"{PREFIX}/attachments": {"post": _upload_op()},
    f"{PREFIX}/settings": {"get": op("Which kinds patients may start, e-consultation, routing and groups",
                                     SETTINGS_OUT),
                           "put": op("Replace the settings", SETTINGS_OUT, SETTINGS_IN, errors=WRITE)},
    f"{PREFIX}/journal": {"get": op("Closed e-consultations as FHIR R4 Communication resources, oldest first",
                                    BUNDLE, params=(query_param("cursor", {"type": "string", "maxLength": 2000}),),
                                    errors=(400, *READ))},
})
