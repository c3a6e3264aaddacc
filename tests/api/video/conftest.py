from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pytest

from functions.booking.app import make_app as make_booking_app
from functions.video.app import make_app as make_video_app
from tests.api.conftest import PatientClient, on_feature

VIDEO_1300 = "tb-lise~2026-11-24T12:00:00Z"      # Tuesday 13:00 Oslo, Lise Lege's video type (15 min)
INSIDE = "2026-11-24T12:50:00+01:00"              # ten minutes before: the room is open (R21)
SDP = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"


@pytest.fixture
def booking_app(runtime):
    return make_booking_app(runtime)


@pytest.fixture
def video_app(runtime):
    return make_video_app(runtime)


class Side:
    """One party of the room: calls the video function with its token (and its cookie or credential)."""

    def __init__(self, client, token: str, headers: dict | None = None, csrf: str | None = None) -> None:
        self.client, self.token, self.headers, self.csrf = client, token, headers or {}, csrf

    def _headers(self, token=None) -> dict:
        h = {**self.headers, "X-Room-Token": self.token if token is None else token}
        if self.csrf:
            h["X-CSRF-Token"] = self.csrf
        return h

    def call(self, method: str, path: str, json=None, token=None, **kw):
        return self.client.open(f"/api/video{path}", method=method, json=json, headers=self._headers(token), **kw)

    def join(self, **kw):
        return self.call("POST", "/join", json={}, **kw)

    def poll(self, wait: str = "0", **kw):
        return self.call("GET", f"/messages?wait={wait}", **kw)

    def send(self, body, **kw):
        return self.call("POST", "/messages", json=body, **kw)

    def leave(self, end: bool = False, **kw):
        return self.call("POST", "/leave", json={"end": end}, **kw)


@dataclass
class Room:
    appointment_id: str
    patient: Side
    practitioner: Side
    kari: PatientClient          # Kari on the booking app (for a fresh token)
    staff: object                # the booking app's client, for the practitioner's token


def set_clock(runtime, text: str) -> None:
    runtime.clock.set(datetime.fromisoformat(text))


def patient_token(kari: PatientClient, appointment_id: str) -> str:
    answer = kari.send("POST", f"/api/booking/appointments/{appointment_id}/video")
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()["room_token"]


def practitioner_token(staff, headers: dict, appointment_id: str):
    return staff.post(f"/api/booking/clinic/appointments/{appointment_id}/video", json={}, headers=headers)


@pytest.fixture
def room(runtime, app, booking_app, video_app, clinic_headers) -> Room:
    """Kari booked Tuesday 13:00 by video; it is 12:50; both have a token."""
    booker = on_feature(booking_app, app, runtime, "p-kari")
    booked = booker.send("POST", "/api/booking/appointments", json={"slot_id": VIDEO_1300, "remark": ""})
    assert booked.status_code == 201, booked.get_json()
    appointment_id = booked.get_json()["id"]
    set_clock(runtime, INSIDE)
    kari = on_feature(booking_app, app, runtime, "p-kari")    # a new session after the clock's jump
    staff = booking_app.test_client()
    answer = practitioner_token(staff, clinic_headers, appointment_id)
    assert answer.status_code == 200, answer.get_json()
    patient = Side(video_app.test_client(), patient_token(kari, appointment_id), csrf=kari.session.csrf)
    from functions.core.web import COOKIE

    patient.client.set_cookie(COOKIE, kari.token)
    practitioner = Side(video_app.test_client(), answer.get_json()["room_token"], headers=clinic_headers)
    return Room(appointment_id, patient, practitioner, kari, staff)
