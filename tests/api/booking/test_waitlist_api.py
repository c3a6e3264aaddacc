"""The waitlist through the patient API (issue 8 §4): wait for an earlier time on one's own booked
Timebok appointment, change or end the wish; someone else's appointment is not found; bad input
is a clear 4xx at its field and loses nothing."""
from __future__ import annotations

from tests.api.booking.test_clinic_booking_api import ask, book, error

SLOT = "tb-lise~2026-11-26T07:00:00Z"   # Thursday 08:00 Oslo


def wait(patient, appointment_id: str, body: dict):
    return patient.send("PUT", f"/api/booking/appointments/{appointment_id}/waitlist", json=body)


def test_a_patient_waits_for_an_earlier_time_changes_the_days_and_stops(b_kari):
    booked = book(b_kari, SLOT)
    assert booked["can_wait"] is True and booked["waitlist"] is None
    answer = wait(b_kari, booked["id"], {"weekdays": [2, 1], "before": "2026-11-26"})
    assert answer.status_code == 200
    assert answer.get_json()["waitlist"]["weekdays"] == [1, 2]
    assert answer.get_json()["waitlist"]["before"] == "2026-11-26"
    listed = b_kari.get("/api/booking/appointments?tab=booked").get_json()["items"]
    assert [i["waitlist"]["weekdays"] for i in listed if i["id"] == booked["id"]] == [[1, 2]]
    stopped = b_kari.send("DELETE", f"/api/booking/appointments/{booked['id']}/waitlist")
    assert stopped.status_code == 200 and stopped.get_json()["waitlist"] is None
    listed = b_kari.get("/api/booking/appointments?tab=booked").get_json()["items"]
    assert [i["waitlist"] for i in listed if i["id"] == booked["id"]] == [None]


def test_someone_elses_appointment_is_not_found_and_nothing_changes(b_kari, b_nora):
    booked = book(b_kari, SLOT)
    error(wait(b_nora, booked["id"], {"weekdays": []}), 404)
    error(b_nora.send("DELETE", f"/api/booking/appointments/{booked['id']}/waitlist"), 404)
    listed = b_kari.get("/api/booking/appointments?tab=booked").get_json()["items"]
    assert [i["waitlist"] for i in listed if i["id"] == booked["id"]] == [None]


def test_bad_wishes_are_refused_at_their_field_and_the_saved_wish_stays(b_kari):
    booked = book(b_kari, SLOT)
    assert wait(b_kari, booked["id"], {"weekdays": [3]}).status_code == 200
    for body, status, field in (({"weekdays": [9]}, 422, "weekdays"), ({"weekdays": "mandag"}, 422, "weekdays"),
                                ({"weekdays": [], "before": "i morgen"}, 422, "before"),
                                ({"weekdays": [], "before": "2026-11-20"}, 422, "before"),
                                ({"weekdays": [], "colour": "red"}, 422, "colour")):
        error(wait(b_kari, booked["id"], body), status, field=field)
    error(b_kari.send("PUT", f"/api/booking/appointments/{booked['id']}/waitlist", data="[",
                      content_type="application/json"), 400)
    listed = b_kari.get("/api/booking/appointments?tab=booked").get_json()["items"]
    assert [i["waitlist"]["weekdays"] for i in listed if i["id"] == booked["id"]] == [[3]]


def test_only_at_a_timebok_clinic(b_ola):
    request = ask(b_ola)                     # Fjordheim works with requests
    assert request["can_wait"] is False
    error(wait(b_ola, request["id"], {"weekdays": []}), 409, "waitlist_timebok_only")
