"""Legg til i kalender (R15, R52: RFC 5545 files with a stable UID and a rising SEQUENCE) and
Start videokonsultasjon (R21: from 15 minutes before until 2 hours after the start), through the
patient API with the runtime's clock."""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

import pytest
from icalendar import Calendar

from functions.core.clock import OSLO
from functions.core.room_records import RoomTokenRecord
from tests.api.booking.conftest import _same_cookie
from tests.api.conftest import PatientClient

CLINIC = "/api/booking/clinic"
WEDNESDAY_0800 = "tb-lise~2026-11-25T07:00:00Z"  # 08:00 Oslo (winter, +01:00)
WEDNESDAY_0840 = "tb-lise~2026-11-25T07:40:00Z"
WEDNESDAY_0920 = "tb-lise~2026-11-25T08:20:00Z"
VIDEO_1300 = "tb-lise~2026-11-24T12:00:00Z"      # Tuesday 13:00 Oslo, type video (15 min)
REMARK = "Vondt i brystet og hjertebank"        # health details: never in the file


def book(patient, slot_id: str, remark: str = REMARK) -> dict:
    answer = patient.send("POST", "/api/booking/appointments", json={"slot_id": slot_id, "remark": remark})
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def ics(patient, appointment_id: str):
    return patient.get(f"/api/booking/appointments/{appointment_id}/calendar.ics")


def event_of(answer):
    assert answer.status_code == 200, answer.get_json()
    assert answer.mimetype == "text/calendar"
    assert answer.headers["Content-Disposition"].startswith("attachment")
    calendar = Calendar.from_ical(answer.data)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return calendar, events[0]


def login(booking_app, app, runtime, patient_id: str) -> PatientClient:
    """A new session after the clock jumped past the 30-minute idle limit."""
    patient = PatientClient(app, runtime, patient_id)
    patient.client = _same_cookie(booking_app, patient)
    return patient


def set_clock(runtime, text: str) -> None:
    runtime.clock.set(datetime.fromisoformat(text))


# --- R15 / R52: the calendar file ---

def test_R15_R52_booked_future_appointment_is_one_confirmed_event_in_oslo_time(b_kari):
    booked = book(b_kari, WEDNESDAY_0800)
    assert booked["can_calendar"] is True
    calendar, event = event_of(ics(b_kari, booked["id"]))
    assert str(calendar["METHOD"]) == "PUBLISH" and str(calendar["VERSION"]) == "2.0"
    assert str(event["UID"]) == f"{booked['id']}@127.0.0.1"
    assert int(event["SEQUENCE"]) == 0
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event["DTSTART"].params["TZID"] == "Europe/Oslo"
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert start == datetime(2026, 11, 25, 8, 0, tzinfo=OSLO) and start.utcoffset() == timedelta(hours=1)
    assert end - start == timedelta(minutes=20)
    assert "Lise Lege" in str(event["SUMMARY"]) and "Storgata legesenter" in str(event["LOCATION"])
    # RFC 5545 3.2.19: each TZID used has its VTIMEZONE
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Oslo"]


def test_R15_no_remark_or_other_health_details_in_the_file(b_kari):
    booked = book(b_kari, WEDNESDAY_0800, remark=REMARK)
    text = ics(b_kari, booked["id"]).data.decode()
    for word in ("brystet", "hjertebank", REMARK, "p-kari", "Kari", "Nordmann"):
        assert word not in text


def test_R15_summer_appointment_has_its_local_time_with_the_summer_offset(b_kari, clinic_headers, booking_app):
    published = booking_app.test_client().post(
        f"{CLINIC}/timebooks/tb-lise/publish", headers=clinic_headers,
        json={"from": "2027-06-14", "to": "2027-06-14", "type_id": "ordinar",
              "blocks": [{"weekday": 0, "start": "08:00", "end": "09:00"}]})
    assert published.get_json() == {"published": 3}
    booked = book(b_kari, "tb-lise~2027-06-14T06:00:00Z")  # 08:00 in Oslo, CEST
    _, event = event_of(ics(b_kari, booked["id"]))
    assert event["DTSTART"].params["TZID"] == "Europe/Oslo"
    assert event.decoded("DTSTART") == datetime(2027, 6, 14, 8, 0, tzinfo=OSLO)
    assert event.decoded("DTSTART").utcoffset() == timedelta(hours=2)


def test_R52_uid_stays_and_sequence_rises_on_every_move_then_cancel_gives_status_cancelled(
        b_kari, booking_app, clinic_headers):
    booked = book(b_kari, WEDNESDAY_0800)
    _, first = event_of(ics(b_kari, booked["id"]))
    moved = b_kari.send("POST", f"/api/booking/appointments/{booked['id']}/move", json={"slot_id": WEDNESDAY_0840})
    assert moved.status_code == 200
    _, second = event_of(ics(b_kari, booked["id"]))
    assert str(second["UID"]) == str(first["UID"])
    assert int(second["SEQUENCE"]) == int(first["SEQUENCE"]) + 1
    assert second.decoded("DTSTART") == datetime(2026, 11, 25, 8, 40, tzinfo=OSLO)
    staff_moved = booking_app.test_client().post(f"{CLINIC}/slots/{WEDNESDAY_0840}/move", headers=clinic_headers,
                                                 json={"slot_id": WEDNESDAY_0920})
    assert staff_moved.status_code == 200
    _, third = event_of(ics(b_kari, booked["id"]))
    assert (str(third["UID"]), int(third["SEQUENCE"])) == (str(first["UID"]), int(second["SEQUENCE"]) + 1)
    assert third.decoded("DTSTART") == datetime(2026, 11, 25, 9, 20, tzinfo=OSLO)
    cancelled = b_kari.send("POST", f"/api/booking/appointments/{booked['id']}/cancel")
    assert cancelled.status_code == 200
    calendar, fourth = event_of(ics(b_kari, booked["id"]))
    assert str(fourth["UID"]) == str(first["UID"])
    assert int(fourth["SEQUENCE"]) == int(third["SEQUENCE"]) + 1
    assert str(fourth["STATUS"]) == "CANCELLED" and str(calendar["METHOD"]) == "CANCEL"
    assert fourth.decoded("DTSTART") == datetime(2026, 11, 25, 9, 20, tzinfo=OSLO)


def test_R52_cancelled_by_staff_offers_the_cancellation_with_a_higher_sequence(b_kari, booking_app, clinic_headers):
    booked = book(b_kari, WEDNESDAY_0800)
    _, before = event_of(ics(b_kari, booked["id"]))
    answer = booking_app.test_client().post(f"{CLINIC}/slots/{WEDNESDAY_0800}/cancel", headers=clinic_headers,
                                            json={"reason": "Legen er syk"})
    assert answer.status_code == 200
    assert [i["can_calendar"] for i in b_kari.get("/api/booking/appointments?tab=cancelled").get_json()["items"]] == [
        True]
    calendar, after = event_of(ics(b_kari, booked["id"]))
    assert str(after["UID"]) == str(before["UID"]) and int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert str(after["STATUS"]) == "CANCELLED" and str(calendar["METHOD"]) == "CANCEL"
    assert "syk" not in ics(b_kari, booked["id"]).data.decode()


def test_R15_a_pending_request_has_no_calendar_file_but_the_accepted_time_has(b_ola, booking_app,
                                                                             other_clinic_headers):
    wish = b_ola.send("POST", "/api/booking/requests", json={
        "clinic_id": "c-fjordheim", "practitioner_id": "s-anne", "date": "2026-11-25", "interval_id": "i10",
        "type_id": "ordinar", "remark": REMARK}).get_json()
    assert wish["can_calendar"] is False
    refused = ics(b_ola, wish["id"])
    assert refused.status_code == 409 and refused.get_json()["error"] == "no_calendar"
    accepted = booking_app.test_client().post(f"{CLINIC}/requests/{wish['id']}/accept", headers=other_clinic_headers,
                                              json={"start": "2026-11-25T10:40:00+01:00"})
    assert accepted.status_code == 200
    _, event = event_of(ics(b_ola, wish["id"]))
    assert str(event["UID"]).startswith(wish["id"] + "@") and str(event["STATUS"]) == "CONFIRMED"
    assert event.decoded("DTSTART") == datetime(2026, 11, 25, 10, 40, tzinfo=OSLO)
    assert "Fjordheim legekontor" in str(event["LOCATION"]) and "brystet" not in str(event.to_ical())


def test_R15_a_started_or_past_appointment_has_no_calendar_file(b_kari, runtime, booking_app, app):
    today = book(b_kari, "tb-lise~2026-11-23T09:40:00Z")  # 10:40 Oslo today
    assert ics(b_kari, today["id"]).status_code == 200
    set_clock(runtime, "2026-11-23T10:40:00+01:00")  # it starts now
    kari = login(booking_app, app, runtime, "p-kari")
    started = ics(kari, today["id"])
    assert started.status_code == 409 and started.get_json()["error"] == "no_calendar"
    set_clock(runtime, "2026-11-24T12:00:00+01:00")
    kari = login(booking_app, app, runtime, "p-kari")
    assert ics(kari, today["id"]).status_code == 409
    assert [i["can_calendar"] for i in kari.get("/api/booking/appointments?tab=all").get_json()["items"]] == [False]


def test_R15_unknown_or_another_patients_appointment_is_not_found(b_kari, b_nora):
    booked = book(b_kari, WEDNESDAY_0800)
    assert ics(b_nora, booked["id"]).status_code == 404
    assert ics(b_kari, "a0000000000000000000").status_code == 404


# --- R21: the video window ---

@pytest.fixture
def video(b_kari) -> dict:
    booked = book(b_kari, VIDEO_1300, remark="")
    assert booked["type"]["video"] is True and booked["can_video"] is True
    return booked


def start_video(patient, appointment_id: str):
    return patient.send("POST", f"/api/booking/appointments/{appointment_id}/video")


def test_R21_sixteen_minutes_before_is_refused_with_the_window(video, runtime, booking_app, app):
    set_clock(runtime, "2026-11-24T12:44:00+01:00")  # 16 minutes before 13:00
    kari = login(booking_app, app, runtime, "p-kari")
    answer = start_video(kari, video["id"])
    assert answer.status_code == 409
    body = answer.get_json()
    assert body["error"] == "video_not_open"
    assert datetime.fromisoformat(body["opens_at"]) == datetime(2026, 11, 24, 12, 45, tzinfo=OSLO)
    assert datetime.fromisoformat(body["closes_at"]) == datetime(2026, 11, 24, 15, 0, tzinfo=OSLO)
    assert (body["opens_at"], body["closes_at"]) == ("2026-11-24T11:45:00Z", "2026-11-24T14:00:00Z")
    assert "24.11.2026 12:45" in body["message"] and "15:00" in body["message"]


def test_R21_fourteen_minutes_before_gives_a_fresh_unguessable_room_token(video, runtime, booking_app, app):
    set_clock(runtime, "2026-11-24T12:46:00+01:00")  # 14 minutes before
    kari = login(booking_app, app, runtime, "p-kari")
    first, second = start_video(kari, video["id"]), start_video(kari, video["id"])
    assert first.status_code == second.status_code == 200
    one, two = first.get_json(), second.get_json()
    assert set(one) == {"room_token", "expires_at", "role", "appointment_id", "opens_at", "closes_at"}
    assert (one["role"], one["appointment_id"]) == ("patient", video["id"])
    assert len(one["room_token"]) >= 40 and one["room_token"] != two["room_token"]
    expires = datetime.fromisoformat(one["expires_at"].replace("Z", "+00:00"))
    assert timedelta(minutes=29) < expires - runtime.clock.now() <= timedelta(minutes=30)
    # the room is stored under the token's hash, never the token itself
    room = RoomTokenRecord.get(f"TOKEN#{hashlib.sha256(one['room_token'].encode()).hexdigest()}", "TOKEN")
    assert (room.appointment_id, room.role, room.person_id) == (video["id"], "patient", "p-kari")
    assert RoomTokenRecord.count(f"TOKEN#{one['room_token']}") == 0


def test_R21_during_and_up_to_two_hours_after_the_start_it_opens(video, runtime, booking_app, app):
    for moment in ("2026-11-24T13:00:00+01:00", "2026-11-24T14:59:00+01:00"):
        set_clock(runtime, moment)
        kari = login(booking_app, app, runtime, "p-kari")
        assert start_video(kari, video["id"]).status_code == 200


def test_R21_two_hours_and_a_minute_after_the_start_is_refused(video, runtime, booking_app, app):
    set_clock(runtime, "2026-11-24T15:01:00+01:00")
    kari = login(booking_app, app, runtime, "p-kari")
    answer = start_video(kari, video["id"])
    assert answer.status_code == 409 and answer.get_json()["error"] == "video_not_open"
    assert "room_token" not in answer.get_json()


def test_R21_a_cancelled_video_appointment_never_opens(video, b_kari, runtime, booking_app, app):
    assert b_kari.send("POST", f"/api/booking/appointments/{video['id']}/cancel").status_code == 200
    set_clock(runtime, "2026-11-24T12:50:00+01:00")
    kari = login(booking_app, app, runtime, "p-kari")
    answer = start_video(kari, video["id"])
    assert answer.status_code == 409 and answer.get_json()["error"] == "video_not_open"


def test_R21_a_non_video_appointment_is_not_video(b_kari, runtime, booking_app, app):
    booked = book(b_kari, "tb-lise~2026-11-24T07:00:00Z")
    assert booked["can_video"] is False
    set_clock(runtime, "2026-11-24T07:55:00+01:00")
    kari = login(booking_app, app, runtime, "p-kari")
    answer = start_video(kari, booked["id"])
    assert answer.status_code == 422 and answer.get_json()["error"] == "not_video"
