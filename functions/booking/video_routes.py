"""Clinic endpoints of the video consultations (credential + X-Staff-Id): today's video
appointments with who waits in the room (R22), and the practitioner's room token."""
from __future__ import annotations

from datetime import datetime

from flask import Blueprint, jsonify, request

from functions.booking import model
from functions.booking.repository import stamp
from functions.booking.routes import room_json
from functions.booking.video import VideoAppointment
from functions.core import validate
from functions.core.clock import OSLO
from functions.core.web import ctx, staff_actor

bp = Blueprint("booking_video", __name__, url_prefix="/api/booking/clinic")


@bp.get("/video")
def today():
    found = ctx().services.video.today(staff_actor(), validate.optional_id(request.args, "practitioner_id"))
    now = ctx().runtime.clock.now()
    return jsonify({"date": now.astimezone(OSLO).date().isoformat(), "items": [item_json(v, now) for v in found]})


@bp.post("/appointments/<appointment_id>/video")
def start(appointment_id: str):
    token, room = ctx().services.video.start_for_practitioner(staff_actor(), appointment_id[:64])
    return jsonify(room_json(token, room))


def item_json(v: VideoAppointment, now: datetime) -> dict:
    a, state = v.appointment, v.state
    waiting = state.waiting(now)
    return {"id": a.id, "start": stamp(a.start), "end": stamp(a.end), "practitioner_id": a.practitioner_id,
            "patient_name": v.patient_name, "waiting": waiting,
            "waiting_since": stamp(state.patient_since) if waiting and state.patient_since else None,
            "in_call": state.in_call(now), "ended": state.ended_at is not None,
            "open": model.video_open(a, now)}
