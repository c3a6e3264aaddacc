"""OpenAPI 3.0 document of the clinic endpoints (served at /api/booking/clinic/openapi.json)."""
from __future__ import annotations

ERROR = {"type": "object", "required": ["error", "message"],
         "properties": {"error": {"type": "string"}, "message": {"type": "string"},
                        "field": {"type": "string", "nullable": True}}}
ID = {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"}
REF = {"type": "string", "maxLength": 120, "description": "slot id `<timebok>~<start UTC>` (+ `~OB~<id>`)"}
HHMM = {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$"}
DAY = {"type": "string", "format": "date"}


def _obj(props: dict, required: tuple[str, ...] = ()) -> dict:
    body = {"type": "object", "additionalProperties": False, "properties": props}
    if required:
        body["required"] = list(required)
    return body


def _op(summary: str, body: dict | None = None, params: tuple = (), ok: int = 200) -> dict:
    op = {"summary": summary, "security": [{"clinicKey": [], "staff": []}], "parameters": list(params),
          "responses": {str(ok): {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}},
                        **{str(code): {"description": text, "content": {"application/json": {"schema": ERROR}}}
                           for code, text in ((400, "unreadable input"), (401, "bad credential"),
                                              (403, "unknown staff member"), (404, "not found"),
                                              (409, "conflict"), (422, "invalid field"), (429, "rate limited"),
                                              (503, "busy: try again after Retry-After seconds"))}}}
    if body:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    return op


def _path(name: str, schema: dict) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": schema}


def _query(name: str, schema: dict, required: bool = False) -> dict:
    return {"name": name, "in": "query", "required": required, "schema": schema}


TYPE = _obj({"name": {"type": "string", "maxLength": 100}, "minutes": {"type": "integer", "minimum": 5, "maximum": 240},
             "video": {"type": "boolean"}, "hidden": {"type": "boolean"}, "web_bookable": {"type": "boolean"}},
            ("name", "minutes"))
SETTINGS = _obj({"intervals": {"type": "array", "maxItems": 24, "items": _obj({"id": ID, "start": HHMM, "end": HHMM},
                                                                              ("start", "end"))},
                 "cancel_deadline_hours": {"type": "integer", "minimum": 0, "maximum": 336},
                 "max_future_bookings": {"type": "integer", "minimum": 1, "maximum": 50},
                 "request_expiry_days": {"type": "integer", "minimum": 1, "maximum": 90}},
                ("cancel_deadline_hours", "max_future_bookings", "request_expiry_days"))
PUBLISH = _obj({"from": DAY, "to": DAY, "type_id": ID,
                "blocks": {"type": "array", "minItems": 1, "maxItems": 50,
                           "items": _obj({"weekday": {"type": "integer", "minimum": 0, "maximum": 6},
                                          "start": HHMM, "end": HHMM}, ("weekday", "start", "end"))}},
               ("from", "to", "type_id", "blocks"))
BOOK = _obj({"patient_id": ID, "slot_id": REF, "timebok_id": ID, "start": {"type": "string", "format": "date-time"},
             "type_id": ID, "remark": {"type": "string", "maxLength": 500}, "overbook": {"type": "boolean"}},
            ("patient_id",))

SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "Pasientportalen — booking, clinic API", "version": "1.0",
             "description": "Every call names a clinic credential (HTTP Basic: key id and secret) and the acting "
                            "staff member (X-Staff-Id). A credential reaches only its own clinic."},
    "components": {"securitySchemes": {"clinicKey": {"type": "http", "scheme": "basic"},
                                       "staff": {"type": "apiKey", "in": "header", "name": "X-Staff-Id"}}},
    "paths": {
        "/api/booking/clinic/catalog": {"get": _op("Timebøker, appointment types and settings")},
        "/api/booking/clinic/practitioners": {"get": _op("The clinic's practitioners (staff members)")},
        "/api/booking/clinic/practitioners/{staff_id}": {"put": _op(
            "Create or change a practitioner", _obj({"name": {"type": "string", "minLength": 1, "maxLength": 100},
                                                     "role": {"type": "string", "minLength": 1, "maxLength": 40},
                                                     "active": {"type": "boolean"}}, ("name", "role")),
            (_path("staff_id", ID),))},
        "/api/booking/clinic/timebooks/{timebok_id}": {"put": _op(
            "Create or rename a timebok", _obj({"practitioner_id": ID, "name": {"type": "string", "maxLength": 100}},
                                                ("practitioner_id", "name")), (_path("timebok_id", ID),))},
        "/api/booking/clinic/types/{type_id}": {"put": _op("Create or change an appointment type", TYPE,
                                                           (_path("type_id", ID),))},
        "/api/booking/clinic/settings": {"put": _op("Request intervals, deadlines and caps", SETTINGS)},
        "/api/booking/clinic/timebooks/{timebok_id}/publish": {"post": _op(
            "Publish free times from a weekly template for a date range", PUBLISH, (_path("timebok_id", ID),), 201)},
        "/api/booking/clinic/slots/{slot_id}": {"delete": _op("Withdraw a free time", None, (_path("slot_id", REF),))},
        "/api/booking/clinic/appointments": {
            "get": _op("Appointments, requests and free times of a day", None,
                       (_query("date", DAY, True), _query("timebok_id", ID), _query("practitioner_id", ID))),
            "post": _op("Book a patient (overbook only with the explicit flag)", BOOK, (), 201)},
        "/api/booking/clinic/requests/{request_id}/accept": {"post": _op(
            "Accept a request with a free time or a concrete start",
            _obj({"slot_id": REF, "start": {"type": "string", "format": "date-time"}}), (_path("request_id", ID),))},
        "/api/booking/clinic/requests/{request_id}/reject": {"post": _op(
            "Reject a request with a reason", _obj({"reason": {"type": "string", "minLength": 1, "maxLength": 500}},
                                                   ("reason",)), (_path("request_id", ID),))},
        "/api/booking/clinic/slots/{slot_id}/cancel": {"post": _op(
            "Cancel an appointment (Avbestilt av personell)", _obj({"reason": {"type": "string", "maxLength": 500}}),
            (_path("slot_id", REF),))},
        "/api/booking/clinic/slots/{slot_id}/move": {"post": _op(
            "Move an appointment to a free time", _obj({"slot_id": REF}, ("slot_id",)), (_path("slot_id", REF),))},
        "/api/booking/clinic/slots/{slot_id}/status": {"post": _op(
            "Mark no-show or completed", _obj({"status": {"type": "string", "enum": ["no_show", "completed"]}},
                                             ("status",)), (_path("slot_id", REF),))},
    },
}
