"""Signalling endpoints of the video room: thin edges. The room token travels in the
X-Room-Token header (never a URL); the patient also sends the session cookie, the practitioner
the clinic credential and X-Staff-Id, so a token alone is worth nothing."""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from functions.core import validate
from functions.core.errors import Invalid
from functions.core.rooms import PATIENT, PRACTITIONER, read_token
from functions.core.web import ctx, json_body, self_actor, staff_actor
from functions.video import model, texts  # noqa: F401 - texts registers the package's messages
from functions.video.service import Person

bp = Blueprint("video", __name__, url_prefix="/api/video")


def _caller() -> tuple[Person, str]:
    token = read_token(request.headers.get("X-Room-Token"))
    if request.headers.get("Authorization"):
        staff = staff_actor()
        return Person(PRACTITIONER, staff.actor_id, staff.clinic_id), token
    return Person(PATIENT, self_actor().actor_id), token


@bp.post("/join")
def join():
    person, token = _caller()
    validate.json_object(json_body(), set())
    joined = ctx().services.join(person, token)
    return jsonify({"role": joined.role, "peer_present": joined.peer_present, "ice_servers": joined.ice_servers,
                    "wait_seconds": int(model.WAIT_MAX)})


@bp.get("/messages")
def poll():
    person, token = _caller()
    polled = ctx().services.poll(person, token, model.wait_seconds(request.args.get("wait")))
    return jsonify({"messages": polled.messages, "peer_present": polled.peer_present, "ended": polled.ended})


@bp.post("/messages")
def send():
    person, token = _caller()
    ctx().services.send(person, token, json_body())
    return jsonify({"sent": True}), 202


@bp.post("/leave")
def leave():
    person, token = _caller()
    body = validate.json_object(json_body(), {"end"})
    end = body.get("end", False)
    if not isinstance(end, bool):
        raise Invalid("wrong_type", field="end")
    return jsonify({"left": True, "ended": ctx().services.leave(person, token, end)})
