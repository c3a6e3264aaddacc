"""OpenAPI 3.0 document of the clinic endpoints (served at /api/booking/clinic/openapi.json)."""
from __future__ import annotations

from functions.core.openapi import (
    DAY,
    HHMM,
    ID,
    INSTANT,
    MAYBE_TEXT,
    PATIENT_ID,
    READ,
    REQUEST_ID,
    SLOT_ID,
    TEXT,
    array,
    document,
    obj,
    op,
    path_param,
    query_param,
    record,
)

INT, BOOL = {"type": "integer"}, {"type": "boolean"}
PREFIX = "/api/booking/clinic"

# --- requests ---
NAME = {"type": "string", "minLength": 1, "maxLength": 100}
TYPE = obj({"name": NAME, "minutes": {"type": "integer", "minimum": 5, "maximum": 240},
            "video": BOOL, "hidden": BOOL, "web_bookable": BOOL, "notices": BOOL}, ("name", "minutes"))
SETTINGS = obj({"intervals": array(obj({"id": ID, "start": HHMM, "end": HHMM}, ("start", "end")), maxItems=24),
                "cancel_deadline_hours": {"type": "integer", "minimum": 0, "maximum": 336},
                "max_future_bookings": {"type": "integer", "minimum": 1, "maximum": 50},
                "request_expiry_days": {"type": "integer", "minimum": 1, "maximum": 90},
                "notices": BOOL},
               ("cancel_deadline_hours", "max_future_bookings", "request_expiry_days"))
BLOCK = obj({"weekday": {"type": "integer", "minimum": 0, "maximum": 6}, "start": HHMM, "end": HHMM},
            ("weekday", "start", "end"))
PUBLISH = obj({"from": DAY, "to": DAY, "type_id": ID, "blocks": array(BLOCK, minItems=1, maxItems=50)},
              ("from", "to", "type_id", "blocks"))
BOOK = obj({"patient_id": PATIENT_ID, "slot_id": SLOT_ID, "timebok_id": ID, "start": INSTANT, "type_id": ID,
            "remark": {"type": "string", "maxLength": 500}, "overbook": BOOL}, ("patient_id",))
TIMEBOK = obj({"practitioner_id": ID, "name": NAME, "notices": BOOL}, ("practitioner_id", "name"))
PRACTITIONER = obj({"name": NAME,
                    "role": {"type": "string", "minLength": 1, "maxLength": 40}, "active": BOOL}, ("name", "role"))

# --- answers ---
ITEM = record({"id": MAYBE_TEXT, "slot_id": {**SLOT_ID, "nullable": True}, "kind": TEXT, "status": TEXT,
               "start": INSTANT, "end": INSTANT, "timebok_id": MAYBE_TEXT, "practitioner_id": MAYBE_TEXT,
               "type_id": MAYBE_TEXT, "patient_id": {**PATIENT_ID, "nullable": True}, "remark": TEXT,
               "reason": MAYBE_TEXT, "sequence": INT})
CATALOG = record({
    "timebooks": array(record({"id": ID, "name": TEXT, "practitioner_id": TEXT, "notices": BOOL})),
    "types": array(record({"id": ID, "name": TEXT, "minutes": INT, "video": BOOL, "hidden": BOOL,
                           "web_bookable": BOOL, "notices": BOOL})),
    "settings": record({"intervals": array(record({"id": TEXT, "start": HHMM, "end": HHMM})),
                        "cancel_deadline_hours": INT, "max_future_bookings": INT, "request_expiry_days": INT,
                        "notices": BOOL})})
STAMP = {"type": "string", "format": "date-time", "nullable": True}
NOTICES = record({"appointment_id": ID, "notices": array(record({
    "kind": {"type": "string", "enum": ["booked", "moved", "cancelled", "reminder", "video_time", "waitlist"]},
    "channel": {"type": "string", "enum": ["email", "sms"], "nullable": True},
    "created_at": STAMP, "sent_at": STAMP,
    "outcome": {"type": "string", "enum": ["pending", "sent", "no_contact", "dead"]}}))})
STAFF = record({"practitioners": array(record({"id": ID, "name": TEXT, "role": TEXT, "active": BOOL}))})

SLOT = (path_param("slot_id", SLOT_ID),)
VIDEO_ITEM = record({"id": ID, "start": INSTANT, "end": INSTANT, "practitioner_id": MAYBE_TEXT, "patient_name": TEXT,
                     "waiting": BOOL, "waiting_since": STAMP, "in_call": BOOL, "ended": BOOL, "open": BOOL})
ROOM = record({"room_token": TEXT, "expires_at": INSTANT, "role": TEXT, "appointment_id": ID, "opens_at": INSTANT,
               "closes_at": INSTANT})

SPEC = document("Pasientportalen — booking, clinic API", {
    f"{PREFIX}/catalog": {"get": op("Timebøker, appointment types and settings", CATALOG)},
    f"{PREFIX}/practitioners": {"get": op("The clinic's practitioners (staff members)", STAFF)},
    f"{PREFIX}/practitioners/{{staff_id}}": {"put": op(
        "Create or change a practitioner", STAFF, PRACTITIONER, (path_param("staff_id", ID),))},
    f"{PREFIX}/timebooks/{{timebok_id}}": {"put": op(
        "Create or rename a timebok", CATALOG, TIMEBOK, (path_param("timebok_id", ID),))},
    f"{PREFIX}/types/{{type_id}}": {"put": op(
        "Create or change an appointment type", CATALOG, TYPE, (path_param("type_id", ID),))},
    f"{PREFIX}/settings": {"put": op("Request intervals, deadlines and caps", CATALOG, SETTINGS)},
    f"{PREFIX}/timebooks/{{timebok_id}}/publish": {"post": op(
        "Publish free times from a weekly template for a date range", record({"published": INT}), PUBLISH,
        (path_param("timebok_id", ID),), 201)},
    f"{PREFIX}/slots/{{slot_id}}": {"delete": op(
        "Withdraw a free time", record({"withdrawn": TEXT}), None, SLOT, errors=(*READ, 409))},
    f"{PREFIX}/appointments": {
        "get": op("Appointments, requests and free times of a day", record({"date": DAY, "items": array(ITEM)}), None,
                  (query_param("date", DAY, True), query_param("timebok_id", ID), query_param("practitioner_id", ID))),
        "post": op("Book a patient (overbook only with the explicit flag)", ITEM, BOOK, (), 201)},
    f"{PREFIX}/appointments/{{appointment_id}}/notices": {"get": op(
        "Notices sent about an appointment (R47/R48: kind, channel, times; never the content)", NOTICES, None,
        (path_param("appointment_id", ID),))},
    f"{PREFIX}/video": {"get": op(
        "Today's video appointments and who waits in the room (R22)",
        record({"date": DAY, "items": array(VIDEO_ITEM)}), None, (query_param("practitioner_id", ID),))},
    f"{PREFIX}/appointments/{{appointment_id}}/video": {"post": op(
        "A room token for the appointment's own practitioner, inside R21's window (X-Room-Token on /api/video)",
        ROOM, None, (path_param("appointment_id", ID),), errors=(401, 403, 404, 409, 422, 429, 503))},
    f"{PREFIX}/requests/{{request_id}}/accept": {"post": op(
        "Accept a request with a free time or a concrete start", ITEM, obj({"slot_id": SLOT_ID, "start": INSTANT}),
        (path_param("request_id", REQUEST_ID),))},
    f"{PREFIX}/requests/{{request_id}}/reject": {"post": op(
        "Reject a request with a reason", ITEM, obj({"reason": {"type": "string", "minLength": 1, "maxLength": 500}},
                                                    ("reason",)), (path_param("request_id", REQUEST_ID),))},
    f"{PREFIX}/slots/{{slot_id}}/cancel": {"post": op(
        "Cancel an appointment (Avbestilt av personell)", ITEM, obj({"reason": {"type": "string", "maxLength": 500}}),
        SLOT)},
    f"{PREFIX}/slots/{{slot_id}}/move": {"post": op(
        "Move an appointment to a free time", ITEM, obj({"slot_id": SLOT_ID}, ("slot_id",)), SLOT)},
    f"{PREFIX}/slots/{{slot_id}}/status": {"post": op(
        "Mark no-show or completed", ITEM, obj({"status": {"type": "string", "enum": ["no_show", "completed"]}},
                                               ("status",)), SLOT)},
})
