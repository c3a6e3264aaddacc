"""Appointment notices through the API (R47, R48, R28): a patient's booking is confirmed through the
outbox with the clinic, the time and a link only; the clinic lists what was sent for an appointment
(kind, channel, times, never the text) and only for its own appointments; the R48 switches are
part of the clinic's configuration."""
from __future__ import annotations

from functions.booking import services
from functions.booking.notice_model import NOW
from functions.core.contacts import ProfileContacts
from tests.api.booking.test_clinic_booking_api import SLOT_0800, StaffClient, book, error

BASE_URL = "https://portal.example"


class Recorder:
    def __init__(self) -> None:
        self.sent = []

    def send(self, message):
        self.sent.append(message)


def run_jobs(runtime) -> Recorder:
    services.build(runtime).notices.run(NOW)
    recorder = Recorder()
    runtime.outbox.drain(recorder, ProfileContacts(), BASE_URL)
    return recorder


def test_r47_r28_a_booking_is_confirmed_with_clinic_time_and_link_and_nothing_else(b_kari, runtime):
    booked = book(b_kari, SLOT_0800, remark="Vondt i ryggen etter fall")
    [message] = run_jobs(runtime).sent
    text = message.subject + message.body
    assert "Storgata legesenter" in text and "tirsdag 24. november 2026 kl. 08:00" in text
    assert f"{BASE_URL}/nb/konsultasjoner.html" in text
    for secret in ("Vondt", "ryggen", "Lise", "Ordinær", "p-kari", booked["id"]):
        assert secret not in text
    assert run_jobs(runtime).sent == []          # once


def test_r47_the_clinic_lists_the_notices_of_its_appointment_and_another_clinic_sees_none(
        b_kari, runtime, booking_app, clinic_headers, other_clinic_headers):
    booked = book(b_kari, SLOT_0800)
    run_jobs(runtime)
    lise, anne = StaffClient(booking_app, clinic_headers), StaffClient(booking_app, other_clinic_headers)
    answer = lise.get(f"/appointments/{booked['id']}/notices")
    assert answer.status_code == 200
    [row] = answer.get_json()["notices"]
    assert (row["kind"], row["channel"], row["outcome"]) == ("booked", "email", "sent")
    assert row["sent_at"].endswith("Z") and set(row) == {"kind", "channel", "created_at", "sent_at", "outcome"}
    assert anne.get(f"/appointments/{booked['id']}/notices").get_json()["notices"] == []
    error(lise.get("/appointments/bad%20id/notices"), 422, field="appointment_id")


def test_r48_the_switches_are_clinic_configuration(booking_app, clinic_headers, b_kari, runtime):
    lise = StaffClient(booking_app, clinic_headers)
    answer = lise.send("PUT", "/types/ordinar", json={"name": "Ordinær konsultasjon", "minutes": 20, "notices": False})
    assert answer.status_code == 200
    assert {t["id"]: t["notices"] for t in answer.get_json()["types"]}["ordinar"] is False
    error(lise.send("PUT", "/types/ordinar", json={"name": "X", "minutes": 20, "notices": "ja"}), 400,
          field="notices")
    book(b_kari, SLOT_0800)
    assert run_jobs(runtime).sent == []          # the type has them off
    settings = lise.send("PUT", "/settings", json={"cancel_deadline_hours": 24, "max_future_bookings": 3,
                                                   "request_expiry_days": 7})
    assert settings.get_json()["settings"]["notices"] is False   # off unless the clinic says so
