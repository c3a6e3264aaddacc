"""Booking while acting for a child (R36, R55): the child's appointments, never a hidden one, and
every read in the child's access log."""
from __future__ import annotations

from tests.api.booking.test_clinic_booking_api import anne, error  # noqa: F401 - fixture
from tests.api.conftest import PatientClient


def acting(booking_app, app, runtime, holder: str, subject: str) -> PatientClient:
    from functions.core.web import COOKIE

    client = PatientClient(app, runtime, holder)
    assert client.send("POST", "/api/accounts/acting-for", json={"patient_id": subject}).status_code == 200
    client.accounts = client.client
    client.client = booking_app.test_client()
    client.client.set_cookie(COOKIE, client.token)
    return client


def test_R36_a_parent_asks_for_a_time_in_the_childs_name_and_sees_it(booking_app, app, runtime):
    ola = acting(booking_app, app, runtime, "p-ola", "p-emma")
    answer = ola.send("POST", "/api/booking/requests", json={
        "clinic_id": "c-fjordheim", "practitioner_id": "s-anne", "date": "2026-11-25", "interval_id": "i10",
        "type_id": "ordinar", "remark": "Vondt i øret"})
    assert answer.status_code == 201, answer.get_json()
    items = ola.get("/api/booking/appointments?tab=booked").get_json()["items"]
    assert [i["remark"] for i in items] == ["Vondt i øret"]
    emma = PatientClient(app, runtime, "p-emma")
    log = emma.get("/api/accounts/access-log").get_json()["items"]
    assert any(e["actor_name"] == "Ola Hansen" and e["actor_kind"] == "representative" for e in log), log


def test_R36_a_hidden_appointment_is_never_shown_to_a_parent(booking_app, app, runtime, anne):  # noqa: F811
    answer = anne.send("POST", "/appointments", json={"patient_id": "p-jonas", "timebok_id": "tb-anne",
                                                     "start": "2026-11-26T10:00", "type_id": "skjult"})
    assert answer.status_code == 201, answer.get_json()
    hidden_id = answer.get_json()["id"]
    ola = acting(booking_app, app, runtime, "p-ola", "p-jonas")
    assert ola.get("/api/booking/appointments?tab=all").get_json()["items"] == []
    error(ola.get(f"/api/booking/appointments/{hidden_id}/calendar.ics"), 404)
    error(ola.send("POST", f"/api/booking/appointments/{hidden_id}/cancel", json={}), 404)
    jonas = PatientClient(app, runtime, "p-jonas")
    jonas.client = acting(booking_app, app, runtime, "p-jonas", "p-jonas").client
    assert [i["id"] for i in jonas.get("/api/booking/appointments?tab=all").get_json()["items"]] == [hidden_id]


def test_R55_the_childs_clinics_read_by_a_parent_are_in_the_childs_access_log(booking_app, app, runtime):
    ola = acting(booking_app, app, runtime, "p-ola", "p-emma")
    attached = ola.get("/api/booking/clinics").get_json()["attached"]
    assert [c["id"] for c in attached] == ["c-fjordheim"]          # Emma's clinic, not Ola's list
    emma = PatientClient(app, runtime, "p-emma")
    log = emma.get("/api/accounts/access-log").get_json()["items"]
    assert any(e["actor_name"] == "Ola Hansen" and e["what"] == "Klinikker du er tilknyttet" for e in log), log
