"""Clinic endpoints of the booking function (credential + X-Staff-Id); OpenAPI at /openapi.json."""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from functions.booking import model
from functions.booking.openapi import SPEC
from functions.booking.repository import stamp
from functions.booking.slot_ids import public_id
from functions.core import dates, validate
from functions.core.errors import BadRequest, Invalid
from functions.core.web import ctx, json_body, staff_actor

bp = Blueprint("booking_clinic", __name__, url_prefix="/api/booking/clinic")


def svc():
    return ctx().services.clinic


def item_json(a: model.Appointment) -> dict:
    ref = public_id(a) if a.kind == "slot" else None
    return {"id": a.id if a.status != "free" else None, "slot_id": ref, "kind": a.kind, "status": a.status,
            "start": stamp(a.start), "end": stamp(a.end), "timebok_id": a.timebok_id,
            "practitioner_id": a.practitioner_id, "type_id": a.type_id, "patient_id": a.patient_id,
            "remark": a.remark, "reason": a.reason or None, "sequence": a.sequence}


def catalog_json(c) -> dict:
    s = c.settings
    return {"timebooks": [{"id": t.id, "name": t.name, "practitioner_id": t.practitioner_id, "notices": t.notices}
                          for t in c.timebooks.values()],
            "types": [{"id": t.id, "name": t.name, "minutes": t.minutes, "video": t.video, "hidden": t.hidden,
                       "web_bookable": t.web_bookable, "notices": t.notices} for t in c.types.values()],
            "settings": {"intervals": [{"id": i.id, "start": i.start.strftime("%H:%M"), "end": i.end.strftime("%H:%M")}
                                       for i in s.intervals],
                         "cancel_deadline_hours": s.cancel_deadline_hours,
                         "max_future_bookings": s.max_future_bookings, "request_expiry_days": s.request_expiry_days,
                         "notices": s.notices}}


def _int(body: dict, name: str, low: int, high: int) -> int:
    value = body.get(name)
    if not isinstance(value, int) or isinstance(value, bool):
        raise BadRequest("wrong_type", field=name)
    if not low <= value <= high:
        raise Invalid("invalid", field=name)
    return value


def _bool(body: dict, name: str, default: bool) -> bool:
    value = body.get(name, default)
    if not isinstance(value, bool):
        raise BadRequest("wrong_type", field=name)
    return value


def _instant(body: dict, name: str):
    value = body.get(name)
    return None if value is None else dates.parse_instant(value, name)


@bp.get("/openapi.json")
def openapi():
    return jsonify(SPEC)


@bp.get("/catalog")
def catalog():
    return jsonify(catalog_json(svc().catalog(staff_actor())))


def staff_json(rows) -> dict:
    return {"practitioners": [{"id": s.staff_id, "name": s.name, "role": s.role, "active": s.active} for s in rows]}


@bp.get("/practitioners")
def practitioners():
    return jsonify(staff_json(svc().practitioners(staff_actor())))


@bp.put("/practitioners/<staff_id>")
def put_practitioner(staff_id: str):
    actor = staff_actor()
    body = validate.json_object(json_body(), {"name", "role", "active"})
    rows = svc().put_practitioner(actor, validate.optional_id({"staff_id": staff_id}, "staff_id") or "",
                                  validate.text(body, "name", 100), validate.text(body, "role", 40),
                                  _bool(body, "active", True))
    return jsonify(staff_json(rows))


@bp.put("/timebooks/<timebok_id>")
def put_timebok(timebok_id: str):
    actor = staff_actor()
    body = validate.json_object(json_body(), {"practitioner_id", "name", "notices"})
    ident = validate.optional_id({"timebok_id": timebok_id}, "timebok_id") or ""
    return jsonify(catalog_json(svc().put_timebok(actor, ident, validate.text(body, "practitioner_id", 64),
                                                  validate.text(body, "name", 100), _bool(body, "notices", True))))


@bp.put("/types/<type_id>")
def put_type(type_id: str):
    actor = staff_actor()
    body = validate.json_object(json_body(), {"name", "minutes", "video", "hidden", "web_bookable", "notices"})
    ident = validate.optional_id({"type_id": type_id}, "type_id") or ""
    kind = model.AppointmentType(ident, validate.text(body, "name", 100),
                                 _int(body, "minutes", 5, 240), _bool(body, "video", False),
                                 _bool(body, "hidden", False), _bool(body, "web_bookable", True),
                                 _bool(body, "notices", True))
    return jsonify(catalog_json(svc().put_type(actor, kind)))


@bp.put("/settings")
def put_settings():
    actor = staff_actor()
    body = validate.json_object(json_body(), {"intervals", "cancel_deadline_hours", "max_future_bookings",
                                              "request_expiry_days", "notices"})
    rows = body.get("intervals", [])
    if not isinstance(rows, list) or len(rows) > 24 or not all(isinstance(r, dict) for r in rows):
        raise BadRequest("wrong_type", field="intervals")
    for r in rows:
        validate.json_object(r, {"id", "start", "end"})
    intervals = tuple(model.Interval(validate.optional_id(r, "id") or f"i{n}",
                                     dates.parse_clock_time(r.get("start"), "intervals"),
                                     dates.parse_clock_time(r.get("end"), "intervals")) for n, r in enumerate(rows))
    if any(i.end <= i.start for i in intervals):
        raise Invalid("invalid", field="intervals")
    settings = model.BookingSettings(intervals, _int(body, "cancel_deadline_hours", 0, 24 * 14),
                                     _int(body, "max_future_bookings", 1, 50), _int(body, "request_expiry_days", 1, 90),
                                     _bool(body, "notices", False))
    return jsonify(catalog_json(svc().put_settings(actor, settings)))


@bp.post("/timebooks/<timebok_id>/publish")
def publish(timebok_id: str):
    actor = staff_actor()
    body = validate.json_object(json_body(), {"from", "to", "type_id", "blocks"})
    rows = body.get("blocks")
    if not isinstance(rows, list) or not rows or len(rows) > 50 or not all(isinstance(r, dict) for r in rows):
        raise BadRequest("wrong_type", field="blocks")
    for r in rows:
        validate.json_object(r, {"weekday", "start", "end"})
    blocks = tuple(model.TemplateBlock(_int(r, "weekday", 0, 6), dates.parse_clock_time(r.get("start"), "blocks"),
                                       dates.parse_clock_time(r.get("end"), "blocks")) for r in rows)
    count = svc().publish(actor, timebok_id[:64], validate.text(body, "type_id", 64),
                          dates.parse_date(body.get("from"), "from"),
                          dates.parse_date(body.get("to"), "to"), blocks)
    return jsonify({"published": count}), 201


@bp.delete("/slots/<path:ref>")
def withdraw(ref: str):
    svc().withdraw(staff_actor(), ref[:120])
    return jsonify({"withdrawn": ref[:120]})


@bp.get("/appointments")
def day_list():
    actor = staff_actor()
    day = dates.parse_date(request.args.get("date"), "date")
    items = svc().day(actor, day, validate.optional_id(request.args, "timebok_id"),
                      validate.optional_id(request.args, "practitioner_id"))
    return jsonify({"date": day.isoformat(), "items": [item_json(a) for a in items]})


@bp.get("/appointments/<appointment_id>/notices")
def notices(appointment_id: str):
    """R47/R48: what was sent about an appointment (kind, channel, times; never the content)."""
    actor = staff_actor()
    ident = validate.optional_id({"appointment_id": appointment_id}, "appointment_id") or ""
    rows = ctx().services.notices.sent_for(actor, ident)
    return jsonify({"appointment_id": ident, "notices": [
        {**r, "created_at": r["created_at"] and stamp(r["created_at"]),
         "sent_at": r["sent_at"] and stamp(r["sent_at"])} for r in rows]})


@bp.post("/requests/<request_id>/accept")
def accept(request_id: str):
    actor = staff_actor()
    body = validate.json_object(json_body(), {"slot_id", "start"})
    return jsonify(item_json(svc().accept(actor, request_id[:64], _ref(body), _instant(body, "start"))))


@bp.post("/requests/<request_id>/reject")
def reject(request_id: str):
    actor = staff_actor()
    body = validate.json_object(json_body(), {"reason"})
    return jsonify(item_json(svc().reject(actor, request_id[:64], validate.text(body, "reason", 500))))


@bp.post("/appointments")
def book():
    actor = staff_actor()
    body = validate.json_object(json_body(), {"patient_id", "slot_id", "timebok_id", "start", "type_id", "remark",
                                              "overbook"})
    booked = svc().book(actor, validate.text(body, "patient_id", 64), _ref(body),
                        validate.text(body, "timebok_id", 64, required=False), _instant(body, "start"),
                        validate.text(body, "type_id", 64, required=False),
                        validate.text(body, "remark", 500, required=False, allow_empty=True) or "",
                        _bool(body, "overbook", False))
    return jsonify(item_json(booked)), 201


@bp.post("/slots/<path:ref>/cancel")
def cancel(ref: str):
    actor = staff_actor()
    body = validate.json_object(json_body(), {"reason"})
    reason = validate.text(body, "reason", 500, required=False, allow_empty=True) or ""
    return jsonify(item_json(svc().cancel(actor, ref[:120], reason)))


@bp.post("/slots/<path:ref>/move")
def move(ref: str):
    actor = staff_actor()
    body = validate.json_object(json_body(), {"slot_id"})
    return jsonify(item_json(svc().move(actor, ref[:120], _ref(body) or "")))


@bp.post("/slots/<path:ref>/status")
def mark(ref: str):
    actor = staff_actor()
    body = validate.json_object(json_body(), {"status"})
    return jsonify(item_json(svc().mark(actor, ref[:120], validate.text(body, "status", 20))))


def _ref(body: dict) -> str | None:
    value = body.get("slot_id")
    if value is not None and (not isinstance(value, str) or len(value) > 120):
        raise Invalid("invalid", field="slot_id")
    return value
