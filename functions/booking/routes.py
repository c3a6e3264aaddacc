"""Patient endpoints of the booking function: thin edges."""
from __future__ import annotations

from flask import Blueprint, Response, g, jsonify, request

from functions.booking import texts  # noqa: F401 - registers the package's messages
from functions.booking.patient_service import slot_json
from functions.booking.repository import stamp
from functions.booking.views import visible
from functions.core import phones, validate
from functions.core.errors import Invalid
from functions.core.web import ctx, json_body, patient_actor

bp = Blueprint("booking", __name__, url_prefix="/api/booking")
TABS = {"booked", "cancelled", "all"}


def svc():
    return ctx().services


def clinic_json(c) -> dict:
    return {"id": c.clinic_id, "name": c.name, "place": c.place, "phone": c.phone,
            "phone_display": phones.display(c.phone), "website": c.website,
            "booking_mode": c.booking_mode, "video": bool(c.features.get("video"))}


def _one(booked, status: int = 200):
    now = ctx().runtime.clock.now()
    return jsonify(svc().views.render([booked.appointment], now, g.lang)[0]), status


@bp.get("/clinics")
def clinics():
    attached, results = svc().patient.clinics(patient_actor(), (request.args.get("q") or "")[:100] or None)
    return jsonify({"attached": [clinic_json(c) for c in attached], "results": [clinic_json(c) for c in results]})


@bp.get("/clinics/<clinic_id>")
def clinic(clinic_id: str):
    found, catalog, staff = svc().patient.clinic(patient_actor(), clinic_id[:64])
    body = clinic_json(found)
    body["practitioners"] = [{"id": s.staff_id, "name": s.name, "timebooks": [
        {"id": t.id, "name": t.name} for t in catalog.timebooks_of(s.staff_id)]} for s in staff]
    body["types"] = [{"id": t.id, "name": t.name, "minutes": t.minutes, "video": t.video}
                     for t in catalog.types.values() if t.web_bookable and (not t.video or body["video"])]
    body["intervals"] = [{"id": i.id, "start": i.start.strftime("%H:%M"), "end": i.end.strftime("%H:%M")}
                         for i in catalog.settings.intervals]
    body["cancel_deadline_hours"] = catalog.settings.cancel_deadline_hours   # warned of before Bekreft
    return jsonify(body)


@bp.get("/timebooks/<timebok_id>/month")
def month(timebok_id: str):
    text = request.args.get("month", "")
    counts = svc().patient.month(patient_actor(), timebok_id[:64], text, request.args.get("type"))
    return jsonify({"month": text, "days": [{"date": d.isoformat(), "free": n} for d, n in sorted(counts.items())]})


@bp.get("/timebooks/<timebok_id>/day")
def day(timebok_id: str):
    slots = svc().patient.day(patient_actor(), timebok_id[:64], request.args.get("date"), request.args.get("type"),
                              request.args.get("all") == "1")
    return jsonify({"date": request.args.get("date"), "slots": [slot_json(s) for s in slots]})


@bp.post("/appointments")
def book():
    body = validate.json_object(json_body(), {"slot_id", "remark"})
    key = request.headers.get("Idempotency-Key")
    if key is not None and not (8 <= len(key) <= 64):
        raise Invalid("invalid", field="Idempotency-Key")
    booked = svc().patient.book(patient_actor(), body.get("slot_id"),
                                validate.text(body, "remark", 500, required=False, allow_empty=True), key)
    return _one(booked, 201)


@bp.post("/requests")
def make_request():
    body = validate.json_object(json_body(), {"clinic_id", "practitioner_id", "date", "interval_id", "type_id",
                                              "remark"})
    booked = svc().patient.request(
        patient_actor(), validate.text(body, "clinic_id", 64), validate.text(body, "practitioner_id", 64),
        validate.text(body, "date", 10), validate.text(body, "interval_id", 64), validate.text(body, "type_id", 64),
        validate.text(body, "remark", 500, required=False, allow_empty=True))
    return _one(booked, 201)


@bp.get("/appointments")
def appointments():
    tab = request.args.get("tab", "booked")
    if tab not in TABS:
        raise Invalid("invalid", field="tab")
    now = ctx().runtime.clock.now()
    items = visible(svc().patient.appointments(patient_actor()), tab, now)
    return jsonify({"items": svc().views.render(items, now, g.lang)})


@bp.post("/appointments/<appointment_id>/cancel")
def cancel(appointment_id: str):
    return _one(svc().patient.cancel(patient_actor(), appointment_id[:64]))


@bp.post("/appointments/<appointment_id>/move")
def move(appointment_id: str):
    body = validate.json_object(json_body(), {"slot_id"})
    return _one(svc().patient.move(patient_actor(), appointment_id[:64], body.get("slot_id")))


@bp.put("/appointments/<appointment_id>/waitlist")
def wait_for_earlier(appointment_id: str):
    """"Gi meg beskjed om en tidligere time": {"weekdays": [0-6, ...], "before": "YYYY-MM-DD" | null}."""
    body = validate.json_object(json_body(), {"weekdays", "before"})
    return _one(svc().waitlist.wait(patient_actor(), appointment_id[:64], body.get("weekdays", []),
                                    body.get("before")))


@bp.delete("/appointments/<appointment_id>/waitlist")
def stop_waiting(appointment_id: str):
    return _one(svc().waitlist.stop(patient_actor(), appointment_id[:64]))


@bp.get("/appointments/<appointment_id>/calendar.ics")
def calendar(appointment_id: str):
    data = svc().patient_extra.calendar(patient_actor(), appointment_id[:64])
    return Response(data, mimetype="text/calendar",
                    headers={"Content-Disposition": 'attachment; filename="legetime.ics"'})


@bp.post("/appointments/<appointment_id>/video")
def video(appointment_id: str):
    token, room = svc().video.start_for_patient(patient_actor(), appointment_id[:64])
    return jsonify(room_json(token, room))


def room_json(token: str, room) -> dict:
    """A room token and what it is for (the token goes in the X-Room-Token header, never a URL)."""
    return {"room_token": token, "expires_at": stamp(room.expires), "role": room.role,
            "appointment_id": room.appointment_id, "opens_at": stamp(room.opens), "closes_at": stamp(room.closes)}
