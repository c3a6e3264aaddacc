"""The clinic booking API (/api/booking/clinic) through the Flask test client with the demo credentials:
configuration, free times, day lists, requests (R19), staff bookings (R18), cancel/move/marks (R13, R20a),
the expiry job, access logging (R55) and ownership: a credential reaches only its own clinic."""
from __future__ import annotations

from datetime import datetime

import pytest

from devstack.demo import DEMO_SECRET
from functions.booking.cap_repository import CapRepository
from functions.booking.catalog import CatalogRepository
from functions.booking.clinic_service import ClinicBooking
from functions.booking.repository import BookingRepository
from functions.booking.services import build
from functions.core.actor import STAFF, Actor
from functions.core.errors import Conflict
from tests.api.booking.conftest import _same_cookie, first_free
from tests.api.conftest import PatientClient
from tests.conftest import basic

BASE = "/api/booking/clinic"


class StaffClient:
    """A clinic system calling with its credential and the acting staff member."""

    def __init__(self, app, headers: dict) -> None:
        self.client, self.headers = app.test_client(), headers

    def get(self, path: str, headers: dict | None = None):
        return self.client.get(BASE + path, headers={**self.headers, **(headers or {})})

    def send(self, method: str, path: str, json=None, headers: dict | None = None, **kw):
        return self.client.open(BASE + path, method=method, json=json,
                                headers={**self.headers, **(headers or {})}, **kw)

    def day(self, date: str, **filters) -> list[dict]:
        query = "".join(f"&{k}={v}" for k, v in filters.items())
        answer = self.get(f"/appointments?date={date}{query}")
        assert answer.status_code == 200, answer.get_json()
        return answer.get_json()["items"]

    def publish(self, timebok: str, first: str, last: str, blocks: list[dict], type_id: str = "ordinar"):
        return self.send("POST", f"/timebooks/{timebok}/publish",
                         json={"from": first, "to": last, "type_id": type_id, "blocks": blocks})


@pytest.fixture
def lise(booking_app, clinic_headers):
    return StaffClient(booking_app, clinic_headers)


@pytest.fixture
def per(booking_app, clinic_headers):
    return StaffClient(booking_app, {**clinic_headers, "X-Staff-Id": "s-per"})


@pytest.fixture
def anne(booking_app, other_clinic_headers):
    return StaffClient(booking_app, other_clinic_headers)


def book(patient, slot_id: str, remark: str = "Vondt i ryggen"):
    answer = patient.send("POST", "/api/booking/appointments", json={"slot_id": slot_id, "remark": remark})
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def ask(patient, date: str = "2026-11-25", interval: str = "i10", remark: str = "Trenger resept"):
    """A Timeforespørsel at Fjordheim (request mode, Anne Andersen)."""
    answer = patient.send("POST", "/api/booking/requests", json={
        "clinic_id": "c-fjordheim", "practitioner_id": "s-anne", "date": date, "interval_id": interval,
        "type_id": "ordinar", "remark": remark})
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def login(booking_app, app, runtime, patient_id: str) -> PatientClient:
    """A new session (after the clock has jumped past the 30-minute idle limit), on the booking app."""
    patient = PatientClient(app, runtime, patient_id)
    patient.client = _same_cookie(booking_app, patient)
    return patient


def free_ids(patient, date: str = "2026-11-24", timebok: str = "tb-lise") -> list[str]:
    return [s["id"] for s in first_free(patient, timebok=timebok, date=date)]


def tab(patient, name: str) -> list[dict]:
    answer = patient.get(f"/api/booking/appointments?tab={name}")
    assert answer.status_code == 200
    return answer.get_json()["items"]


def error(answer, status: int, code: str | None = None, field: str | None = None) -> dict:
    body = answer.get_json()
    assert answer.status_code == status, (answer.status_code, body)
    if code is not None:
        assert body["error"] == code, body
    if field is not None:
        assert body["field"] == field, body
    return body


SLOT_0800 = "tb-lise~2026-11-24T07:00:00Z"   # Tuesday 08:00 Oslo, ordinar
SLOT_0820 = "tb-lise~2026-11-24T07:20:00Z"
SLOT_0840 = "tb-lise~2026-11-24T07:40:00Z"
ANNE_WEDNESDAY = [{"weekday": 2, "start": "10:00", "end": "12:00"}]  # 2026-11-25: 09:00Z ... 10:40Z


# --- credentials ---

CREDENTIAL_CHECKED = [
    ("GET", "/catalog", None),
    ("GET", "/appointments?date=2026-11-24", None),
    ("PUT", "/timebooks/tb-ny", {"practitioner_id": "s-lise", "name": "Ny"}),
    ("PUT", "/types/ny", {"name": "Ny", "minutes": 10}),
    ("PUT", "/settings", {"cancel_deadline_hours": 1, "max_future_bookings": 1, "request_expiry_days": 1}),
    ("POST", "/timebooks/tb-lise/publish", {"from": "2027-01-04", "to": "2027-01-04", "type_id": "ordinar",
                                            "blocks": [{"weekday": 0, "start": "12:00", "end": "13:00"}]}),
    ("DELETE", f"/slots/{SLOT_0800}", None),
    ("POST", "/appointments", {"patient_id": "p-kari", "slot_id": SLOT_0800}),
    ("POST", f"/slots/{SLOT_0800}/cancel", {}),
    ("POST", f"/slots/{SLOT_0800}/move", {"slot_id": SLOT_0820}),
    ("POST", f"/slots/{SLOT_0800}/status", {"status": "no_show"}),
    ("POST", "/requests/r0123456789abcdef/accept", {"slot_id": SLOT_0800}),
    ("POST", "/requests/r0123456789abcdef/reject", {"reason": "x"}),
    ("GET", "/appointments/a0123456789abcdef/notices", None),
]


def test_bad_credential_is_401_and_unknown_staff_403_on_every_endpoint(booking_app, clinic_headers):
    client = booking_app.test_client()
    wrong_secret = {**clinic_headers, "Authorization": basic("ck_demo_storgata", "wrong")}
    other_key_right_secret = {**clinic_headers, "Authorization": basic("ck_demo_fjordheim", DEMO_SECRET)}
    for method, path, body in CREDENTIAL_CHECKED:
        def call(headers, method=method, path=path, body=body):
            return client.open(BASE + path, method=method, json=body, headers=headers)

        error(call(wrong_secret), 401, "bad_credentials")
        error(call(other_key_right_secret), 401, "bad_credentials")
        error(call({**clinic_headers, "Authorization": basic("ck_nope", "x")}), 401, "bad_credentials")
        error(call({**clinic_headers, "Authorization": "Basic %%%"}), 401, "bad_credentials")
        error(call({**clinic_headers, "Authorization": "Bearer abc"}), 401, "bad_credentials")
        error(call({"X-Staff-Id": "s-lise"}), 401, "bad_credentials")
        error(call({**clinic_headers, "X-Staff-Id": "s-anne"}), 403, "unknown_staff", "X-Staff-Id")  # Fjordheim's
        error(call({**clinic_headers, "X-Staff-Id": "s-nobody"}), 403, "unknown_staff", "X-Staff-Id")
        error(call({"Authorization": clinic_headers["Authorization"]}), 403, "unknown_staff", "X-Staff-Id")
    # nothing was changed by any of the refused calls
    day = client.get(f"{BASE}/appointments?date=2026-11-24&timebok_id=tb-lise", headers=clinic_headers).get_json()
    assert len(day["items"]) == 13 and {i["status"] for i in day["items"]} == {"free"}
    catalog = client.get(f"{BASE}/catalog", headers=clinic_headers).get_json()
    assert "tb-ny" not in [t["id"] for t in catalog["timebooks"]] and "ny" not in [t["id"] for t in catalog["types"]]
    assert catalog["settings"]["cancel_deadline_hours"] == 24


# --- catalogue and settings ---

def test_catalog_shows_the_own_clinics_timebooks_types_and_settings(lise, anne):
    storgata = lise.get("/catalog").get_json()
    assert {t["id"]: t["practitioner_id"] for t in storgata["timebooks"]} == {
        "tb-lise": "s-lise", "tb-lise-kveld": "s-lise", "tb-per": "s-per"}
    types = {t["id"]: t for t in storgata["types"]}
    assert types["ordinar"]["minutes"] == 20 and types["video"]["video"] is True
    assert types["skjult"]["hidden"] is True and types["skjult"]["web_bookable"] is False
    assert storgata["settings"] == {"intervals": [], "cancel_deadline_hours": 24, "max_future_bookings": 3,
                                    "request_expiry_days": 7, "notices": True}
    fjordheim = anne.get("/catalog").get_json()
    assert [t["id"] for t in fjordheim["timebooks"]] == ["tb-anne"]
    assert [(i["id"], i["start"], i["end"]) for i in fjordheim["settings"]["intervals"]] == [
        ("i08", "08:00", "10:00"), ("i10", "10:00", "12:00"), ("i12", "12:00", "14:00"), ("i14", "14:00", "16:00")]
    assert fjordheim["settings"]["request_expiry_days"] == 5


def test_put_timebok_creates_and_renames_for_a_practitioner_of_the_clinic(lise):
    created = lise.send("PUT", "/timebooks/tb-per-kveld", json={"practitioner_id": "s-per", "name": "Per – kveld"})
    assert created.status_code == 200
    assert {"id": "tb-per-kveld", "name": "Per – kveld", "practitioner_id": "s-per",
            "notices": True} in created.get_json()["timebooks"]
    renamed = lise.send("PUT", "/timebooks/tb-per-kveld", json={"practitioner_id": "s-per", "name": "Kveld"})
    assert [t["name"] for t in renamed.get_json()["timebooks"] if t["id"] == "tb-per-kveld"] == ["Kveld"]
    error(lise.send("PUT", "/timebooks/tb-x", json={"practitioner_id": "s-anne", "name": "x"}), 404,
          field="practitioner_id")  # Fjordheim's doctor
    error(lise.send("PUT", "/timebooks/tb%20x", json={"practitioner_id": "s-per", "name": "x"}), 422,
          field="timebok_id")
    error(lise.send("PUT", "/timebooks/tb-x", json={"practitioner_id": "s-per", "name": 5}), 400, "wrong_type")
    error(lise.send("PUT", "/timebooks/tb-x", json=["s-per"]), 400)
    error(lise.send("PUT", "/timebooks/tb-x", json={"practitioner_id": "s-per"}), 422, "required", "name")
    error(lise.send("PUT", "/timebooks/tb-x", json={"practitioner_id": "s-per", "name": "x", "clinic_id": "c"}),
          422, "unknown_field", "clinic_id")
    assert "tb-x" not in [t["id"] for t in lise.get("/catalog").get_json()["timebooks"]]


def test_put_type_validates_every_field(lise):
    ok = lise.send("PUT", "/types/kort", json={"name": "Kort konsultasjon", "minutes": 10})
    assert ok.status_code == 200
    kort = next(t for t in ok.get_json()["types"] if t["id"] == "kort")
    assert kort == {"id": "kort", "name": "Kort konsultasjon", "minutes": 10, "video": False, "hidden": False,
                    "web_bookable": True, "notices": True}
    error(lise.send("PUT", "/types/kort", json={"name": "x", "minutes": "10"}), 400, "wrong_type", "minutes")
    error(lise.send("PUT", "/types/kort", json={"name": "x", "minutes": True}), 400, "wrong_type", "minutes")
    error(lise.send("PUT", "/types/kort", json={"name": "x", "minutes": 10, "video": "yes"}), 400, "wrong_type",
          "video")
    error(lise.send("PUT", "/types/kort", json={"name": "x", "minutes": 4}), 422, field="minutes")
    error(lise.send("PUT", "/types/kort", json={"name": "x", "minutes": 241}), 422, field="minutes")
    error(lise.send("PUT", "/types/kort", json={"name": "", "minutes": 10}), 422, "required", "name")
    error(lise.send("PUT", "/types/k%C3%B8", json={"name": "x", "minutes": 10}), 422, field="type_id")
    assert next(t for t in lise.get("/catalog").get_json()["types"] if t["id"] == "kort")["minutes"] == 10


def test_put_settings_sets_intervals_deadline_cap_and_expiry(lise, b_kari):
    body = {"intervals": [{"id": "morgen", "start": "08:00", "end": "10:00"}, {"start": "10:00", "end": "12:00"}],
            "cancel_deadline_hours": 1, "max_future_bookings": 5, "request_expiry_days": 3}
    answer = lise.send("PUT", "/settings", json=body)
    assert answer.status_code == 200
    assert answer.get_json()["settings"] == {
        "intervals": [{"id": "morgen", "start": "08:00", "end": "10:00"},
                      {"id": "i1", "start": "10:00", "end": "12:00"}],
        "cancel_deadline_hours": 1, "max_future_bookings": 5, "request_expiry_days": 3, "notices": False}
    # the patient side follows the new settings: a time 1 h 40 min ahead can now be cancelled online
    slot = first_free(b_kari, date="2026-11-23")[-1]  # 10:40 Oslo today
    assert book(b_kari, slot["id"])["can_cancel"] is True
    bad = [({**body, "intervals": [{"start": "10:00", "end": "10:00"}]}, 422, "intervals"),
           ({**body, "intervals": [{"start": "8:00", "end": "10:00"}]}, 422, "intervals"),
           ({**body, "intervals": [{"start": "25:00", "end": "26:00"}]}, 422, "intervals"),
           ({**body, "intervals": "08-10"}, 400, "intervals"),
           ({**body, "intervals": ["08-10"]}, 400, "intervals"),
           ({**body, "intervals": [{"start": "08:00", "end": "10:00", "colour": "red"}]}, 422, "colour"),
           ({**body, "cancel_deadline_hours": "24"}, 400, "cancel_deadline_hours"),
           ({**body, "max_future_bookings": 0}, 422, "max_future_bookings"),
           ({**body, "request_expiry_days": 91}, 422, "request_expiry_days"),
           ({k: v for k, v in body.items() if k != "request_expiry_days"}, 400, "request_expiry_days"),
           ({**body, "timezone": "UTC"}, 422, "timezone")]
    for payload, status, field in bad:
        error(lise.send("PUT", "/settings", json=payload), status, field=field)
    assert lise.get("/catalog").get_json()["settings"]["max_future_bookings"] == 5


# --- publishing and withdrawing free times ---

def test_publish_from_a_weekly_template_for_a_date_range_and_republishing_adds_nothing(lise, b_kari):
    weekdays = [{"weekday": d, "start": "12:00", "end": "13:00"} for d in range(5)]
    first = lise.publish("tb-per", "2027-01-04", "2027-01-10", weekdays)
    assert first.status_code == 201 and first.get_json() == {"published": 15}  # 3 a day, Monday to Friday
    again = lise.publish("tb-per", "2027-01-04", "2027-01-10", weekdays)
    assert again.status_code == 201 and again.get_json() == {"published": 0}
    wider = [{"weekday": d, "start": "12:00", "end": "13:20"} for d in range(5)]
    assert lise.publish("tb-per", "2027-01-04", "2027-01-10", wider).get_json() == {"published": 5}
    monday = lise.day("2027-01-04", timebok_id="tb-per")
    assert [i["start"] for i in monday] == ["2027-01-04T11:00:00Z", "2027-01-04T11:20:00Z", "2027-01-04T11:40:00Z",
                                            "2027-01-04T12:00:00Z"]
    assert all(i["status"] == "free" and i["kind"] == "slot" and i["id"] is None for i in monday)
    assert [s["id"] for s in first_free(b_kari, timebok="tb-per", date="2027-01-04")] == [
        i["slot_id"] for i in monday]
    assert lise.day("2027-01-09", timebok_id="tb-per") == []  # Saturday


def test_publish_refuses_bad_input_and_unknown_things(lise):
    block = [{"weekday": 0, "start": "12:00", "end": "13:00"}]
    cases = [
        (lise.publish("tb-per", "2027-01-04", "2027-01-04", block, type_id="nope"), 404, "type_id"),
        (lise.publish("tb-nope", "2027-01-04", "2027-01-04", block), 404, "timebok_id"),
        (lise.publish("tb-per", "2027-01-08", "2027-01-04", block), 422, "to"),
        (lise.publish("tb-per", "2027-01-04", "2028-02-04", block), 422, "to"),
        (lise.publish("tb-per", "2027-02-30", "2027-03-04", block), 422, "from"),
        (lise.publish("tb-per", "2027-01-04", 20270104, block), 422, "to"),
        (lise.publish("tb-per", "2027-01-04", "2027-01-04", [{"weekday": 7, "start": "12:00", "end": "13:00"}]),
         422, "weekday"),
        (lise.publish("tb-per", "2027-01-04", "2027-01-04", [{"weekday": "0", "start": "12:00", "end": "13:00"}]),
         400, "weekday"),
        (lise.publish("tb-per", "2027-01-04", "2027-01-04", [{"weekday": 0, "start": "12", "end": "13:00"}]),
         422, "blocks"),
        (lise.publish("tb-per", "2027-01-04", "2027-01-04", []), 400, "blocks"),
        (lise.publish("tb-per", "2027-01-04", "2027-01-04", [{**block[0], "type_id": "video"}]), 422, "type_id"),
        (lise.publish("tb-per", "2027-01-04", "2027-01-04", {"weekday": 0}), 400, "blocks"),
        (lise.publish("tb-per", "2027-01-04", "2027-01-04", block, type_id=3), 400, "type_id"),
        (lise.send("POST", "/timebooks/tb-per/publish", json={"from": "2027-01-04", "to": "2027-01-04",
                                                              "type_id": "ordinar", "blocks": block, "x": 1}),
         422, "x"),
    ]
    for answer, status, field in cases:
        error(answer, status, field=field)
    assert lise.day("2027-01-04") == []


def test_withdraw_a_free_time_but_never_a_booked_one(lise, b_kari):
    answer = lise.send("DELETE", f"/slots/{SLOT_0820}")
    assert answer.status_code == 200 and answer.get_json() == {"withdrawn": SLOT_0820}
    assert SLOT_0820 not in free_ids(b_kari)
    assert SLOT_0820 not in [i["slot_id"] for i in lise.day("2026-11-24")]
    error(lise.send("DELETE", f"/slots/{SLOT_0820}"), 404)  # already gone
    error(lise.send("DELETE", "/slots/tb-lise~2026-11-24T07:05:00Z"), 404)  # never was
    error(lise.send("DELETE", "/slots/tb-lise~yesterday"), 422, field="slot_id")
    booked = book(b_kari, SLOT_0800)
    error(lise.send("DELETE", f"/slots/{SLOT_0800}"), 409, "slot_not_free", "slot_id")
    assert tab(b_kari, "booked")[0]["id"] == booked["id"]


# --- day lists and the access log (R55) ---

def test_day_list_shows_free_and_booked_times_filtered_by_timebok_and_practitioner(lise, b_kari, b_nora):
    kari = book(b_kari, SLOT_0800, remark="Kontroll")
    nora = book(b_nora, "tb-per~2026-11-24T08:00:00Z")
    items = lise.day("2026-11-24")
    assert len(items) == 28  # tb-lise 9 + 4 video, tb-per 9, tb-lise-kveld 6 (Tuesday evening)
    assert [i["start"] for i in items] == sorted(i["start"] for i in items)
    booked = {i["patient_id"]: i for i in items if i["status"] == "booked"}
    assert set(booked) == {"p-kari", "p-nora"}
    assert booked["p-kari"] == {"id": kari["id"], "slot_id": SLOT_0800, "kind": "slot", "status": "booked",
                                "timebok_id": "tb-lise", "practitioner_id": "s-lise", "type_id": "ordinar",
                                "patient_id": "p-kari", "remark": "Kontroll", "reason": None,
                                "start": "2026-11-24T07:00:00Z", "end": "2026-11-24T07:20:00Z", "sequence": 0}
    assert booked["p-nora"]["id"] == nora["id"]
    per_only = lise.day("2026-11-24", timebok_id="tb-per")
    assert len(per_only) == 9 and {i["timebok_id"] for i in per_only} == {"tb-per"}
    lises = lise.day("2026-11-24", practitioner_id="s-lise")
    assert len(lises) == 19 and {i["timebok_id"] for i in lises} == {"tb-lise", "tb-lise-kveld"}
    assert [i["patient_id"] for i in lises if i["patient_id"]] == ["p-kari"]
    assert lise.day("2026-11-24", timebok_id="tb-lise", practitioner_id="s-per") == []
    assert lise.day("2026-11-28") == []  # Saturday
    error(lise.get("/appointments?date=24.11.2026"), 422, "invalid_date", "date")
    error(lise.get("/appointments"), 422, "invalid_date", "date")
    error(lise.get("/appointments?date=2026-11-24&timebok_id=tb%20lise"), 422, field="timebok_id")
    error(lise.get("/appointments?date=2026-11-24&practitioner_id=" + "s" * 65), 422, field="practitioner_id")


def test_R55_listing_a_day_logs_the_person_who_saw_the_appointment(lise, per, b_kari, kari):
    book(b_kari, SLOT_0800)
    assert kari.get("/api/accounts/access-log").get_json()["items"] == []  # booking herself is not logged
    per.day("2026-11-24", timebok_id="tb-per")  # Kari's appointment is not in this list
    assert kari.get("/api/accounts/access-log").get_json()["items"] == []
    lise.day("2026-11-24")
    items = kari.get("/api/accounts/access-log").get_json()["items"]
    assert len(items) == 1
    assert items[0]["actor_name"] == "Lise Lege" and items[0]["clinic_name"] == "Storgata legesenter"
    assert items[0]["actor_kind"] == "staff" and items[0]["what"] == "Timeavtaler"
    assert items[0]["why"] == "Klinikkens timeliste"
    per.day("2026-11-24")
    names = [i["actor_name"] for i in kari.get("/api/accounts/access-log").get_json()["items"]]
    assert names == ["Per Persen", "Lise Lege"]  # by person, newest first


def test_R55_day_list_of_requests_logs_each_requesting_patient(anne, b_ola, app, runtime):
    wish = ask(b_ola)
    items = anne.day("2026-11-25")
    assert [(i["kind"], i["status"], i["id"], i["patient_id"], i["start"], i["end"], i["remark"])
            for i in items] == [("request", "requested", wish["id"], "p-ola", "2026-11-25T09:00:00Z",
                                 "2026-11-25T11:00:00Z", "Trenger resept")]
    assert items[0]["slot_id"] is None
    ola_log = PatientClient(app, runtime, "p-ola").get("/api/accounts/access-log").get_json()["items"]
    assert [(i["actor_name"], i["clinic_name"]) for i in ola_log] == [("Anne Andersen", "Fjordheim legekontor")]


# --- requests (R19, R13) ---

def test_R19_accepting_a_request_with_a_free_time_books_it_for_the_patient(anne, b_ola):
    wish = ask(b_ola)
    assert wish["status"] == "requested" and wish["status_text"] == "Under arbeid"
    assert anne.publish("tb-anne", "2026-11-25", "2026-11-25", ANNE_WEDNESDAY).get_json() == {"published": 6}
    slot = "tb-anne~2026-11-25T09:20:00Z"
    accepted = anne.send("POST", f"/requests/{wish['id']}/accept", json={"slot_id": slot})
    assert accepted.status_code == 200
    body = accepted.get_json()
    assert (body["id"], body["status"], body["slot_id"], body["patient_id"], body["start"], body["remark"]) == (
        wish["id"], "booked", slot, "p-ola", "2026-11-25T09:20:00Z", "Trenger resept")
    mine = tab(b_ola, "booked")
    assert [(i["id"], i["status"], i["status_text"], i["start"]) for i in mine] == [
        (wish["id"], "booked", "Bestilt", "2026-11-25T09:20:00Z")]
    assert mine[0]["practitioner"]["name"] == "Anne Andersen" and mine[0]["interval"] is None
    assert "Under arbeid" not in [i["status_text"] for i in tab(b_ola, "all")]
    assert [i["kind"] for i in anne.day("2026-11-25") if i["patient_id"] == "p-ola"] == ["slot"]
    error(anne.send("POST", f"/requests/{wish['id']}/accept", json={"slot_id": "tb-anne~2026-11-25T09:40:00Z"}),
          409, "already_answered")
    assert len(tab(b_ola, "all")) == 1


def test_R19_accepting_with_a_concrete_start_books_that_time(anne, b_ola):
    wish = ask(b_ola, date="2026-11-26", interval="i10")
    accepted = anne.send("POST", f"/requests/{wish['id']}/accept", json={"start": "2026-11-26T10:20:00+01:00"})
    assert accepted.status_code == 200
    assert accepted.get_json()["slot_id"] == "tb-anne~2026-11-26T09:20:00Z"
    mine = tab(b_ola, "booked")
    assert [(i["id"], i["status_text"], i["start"], i["end"]) for i in mine] == [
        (wish["id"], "Bestilt", "2026-11-26T09:20:00Z", "2026-11-26T09:40:00Z")]
    day = anne.day("2026-11-26")
    assert [(i["status"], i["patient_id"]) for i in day] == [("booked", "p-ola")]


def test_R19_accepting_refuses_bad_or_taken_times_and_the_request_stays_under_arbeid(anne, b_ola):
    wish = ask(b_ola)
    anne.publish("tb-anne", "2026-11-25", "2026-11-25", ANNE_WEDNESDAY)
    taken = "tb-anne~2026-11-25T09:00:00Z"
    assert anne.send("POST", "/appointments", json={"patient_id": "p-emma", "slot_id": taken}).status_code == 201
    path = f"/requests/{wish['id']}/accept"
    error(anne.send("POST", path, json={"slot_id": taken}), 409, "slot_taken")
    error(anne.send("POST", path, json={"start": "2026-11-25T10:10:00+01:00"}), 409, "overlap", "start")
    error(anne.send("POST", path, json={}), 422, "required", "slot_id")
    error(anne.send("POST", path, json={"start": "2026-11-23T08:00:00+01:00"}), 422, "past_time", "start")
    error(anne.send("POST", path, json={"start": "soon"}), 422, field="start")
    error(anne.send("POST", path, json={"slot_id": 17}), 422, field="slot_id")
    error(anne.send("POST", path, json={"slot_id": "tb-anne~2026-11-25T09:05:00Z"}), 404)
    error(anne.send("POST", path, json={"slot_id": SLOT_0800}), 404)  # Storgata's time
    error(anne.send("POST", path, json={"slot_id": taken, "overbook": True}), 422, "unknown_field", "overbook")
    error(anne.send("POST", path, json=["x"]), 400)
    error(anne.send("POST", "/requests/r0000000000000000/accept", json={"slot_id": taken}), 404)
    assert [i["status_text"] for i in tab(b_ola, "booked")] == ["Under arbeid"]


def test_R13_rejected_request_shows_avvist_with_the_reason(anne, b_ola):
    wish = ask(b_ola)
    path = f"/requests/{wish['id']}/reject"
    error(anne.send("POST", path, json={"reason": ""}), 422, "required", "reason")
    error(anne.send("POST", path, json={}), 422, "required", "reason")
    error(anne.send("POST", path, json={"reason": 5}), 400, "wrong_type", "reason")
    error(anne.send("POST", path, json={"reason": "x" * 501}), 422, "too_long", "reason")
    reason = "Legen har ferie den uka. Ring oss for en time."
    rejected = anne.send("POST", path, json={"reason": reason})
    assert rejected.status_code == 200
    assert rejected.get_json()["status"] == "rejected" and rejected.get_json()["reason"] == reason
    assert tab(b_ola, "booked") == []
    cancelled = tab(b_ola, "cancelled")
    assert [(i["id"], i["status_text"], i["reason"]) for i in cancelled] == [(wish["id"], "Avvist", reason)]
    assert cancelled[0]["can_cancel"] is False and cancelled[0]["can_calendar"] is False
    error(anne.send("POST", path, json={"reason": "igjen"}), 409, "already_answered")
    error(anne.send("POST", f"/requests/{wish['id']}/accept", json={"start": "2026-11-25T10:00:00+01:00"}), 409,
          "already_answered")
    assert [(i["kind"], i["status"], i["reason"]) for i in anne.day("2026-11-25")] == [("request", "rejected", reason)]


def test_expired_requests_job_marks_them_utlopt_after_the_clinics_days(anne, b_ola, runtime, booking_app, app):
    late = ask(b_ola, date="2026-12-04", interval="i10")  # a wish 11 days ahead
    soon = ask(b_ola, date="2026-11-24", interval="i08")  # tomorrow morning
    job = build(runtime).clinic
    runtime.clock.advance(days=1, hours=2)  # tomorrow 11:00: the morning interval has passed
    assert job.expire_requests() == 1
    ola = login(booking_app, app, runtime, "p-ola")
    assert [(i["id"], i["status_text"]) for i in tab(ola, "cancelled")] == [(soon["id"], "Utløpt")]
    runtime.clock.advance(days=3)  # 4 days and 2 hours after the request: Fjordheim waits 5 days
    assert job.expire_requests() == 0
    ola = login(booking_app, app, runtime, "p-ola")
    assert [i["status_text"] for i in tab(ola, "booked")] == ["Under arbeid"]
    runtime.clock.set(datetime.fromisoformat("2026-11-29T09:00:00+01:00"))  # 6 days after the request
    assert job.expire_requests() == 1
    assert job.expire_requests() == 0  # once
    ola = login(booking_app, app, runtime, "p-ola")
    assert tab(ola, "booked") == []
    expired = tab(ola, "cancelled")
    assert {(i["id"], i["status"], i["status_text"]) for i in expired} == {
        (late["id"], "expired", "Utløpt"), (soon["id"], "expired", "Utløpt")}
    assert all("cancelled" in i["tabs"] and "booked" not in i["tabs"] for i in expired)
    error(anne.send("POST", f"/requests/{late['id']}/accept", json={"start": "2026-12-04T10:00:00+01:00"}), 409,
          "already_answered")


class RejectedMeanwhile(BookingRepository):
    """The real repository, except that another worker's "Avvis" lands just before "accepted" does."""

    def answer_request(self, request, status, reason, now, keep_in_patient_list):
        if status == "accepted":
            super().answer_request(request, "rejected", "Ring oss", now, keep_in_patient_list=True)
        return super().answer_request(request, status, reason, now, keep_in_patient_list)


def test_R19_a_request_answered_while_its_time_was_being_booked_gives_the_time_back(anne, b_ola, runtime):
    wish = ask(b_ola)
    anne.publish("tb-anne", "2026-11-25", "2026-11-25", ANNE_WEDNESDAY)
    slot = "tb-anne~2026-11-25T09:20:00Z"
    clinic = ClinicBooking(RejectedMeanwhile(), CatalogRepository(), runtime.directory, runtime.access_log,
                           runtime.clock)
    staff = Actor(kind=STAFF, actor_id="s-anne", on_behalf_of=None, clinic_id="c-fjordheim")
    with pytest.raises(Conflict) as refused:
        clinic.accept(staff, wish["id"], slot, None)
    assert refused.value.code == "already_answered"
    at_0920 = [i for i in anne.day("2026-11-25") if i["start"] == "2026-11-25T09:20:00Z"]
    assert [(i["kind"], i["status"], i["patient_id"]) for i in at_0920] == [("slot", "free", None)]
    assert [(i["id"], i["status_text"], i["reason"]) for i in tab(b_ola, "cancelled")] == [
        (wish["id"], "Avvist", "Ring oss")]
    assert tab(b_ola, "booked") == []


# --- the cap (max_future_bookings) across requests and staff bookings ---

def places(patient_id: str, clinic_id: str) -> frozenset[str]:
    """The patient's places under the clinic's cap, as stored."""
    return CapRepository().held(patient_id, clinic_id)[0]


def ask_refused(patient, date: str):
    return patient.send("POST", "/api/booking/requests", json={
        "clinic_id": "c-fjordheim", "practitioner_id": "s-anne", "date": date, "interval_id": "i10",
        "type_id": "ordinar", "remark": ""})


def test_max_future_bookings_counts_open_requests_and_a_rejection_gives_the_place_back(anne, b_ola):
    wishes = [ask(b_ola, date=day) for day in ("2026-11-25", "2026-11-26", "2026-11-27")]
    error(ask_refused(b_ola, "2026-11-30"), 409, "too_many_bookings")
    assert anne.send("POST", f"/requests/{wishes[0]['id']}/reject", json={"reason": "Ferie"}).status_code == 200
    assert {e.split("#")[0] for e in places("p-ola", "c-fjordheim")} == {w["id"] for w in wishes[1:]}
    ask(b_ola, date="2026-11-30")


def test_max_future_bookings_an_accepted_request_keeps_its_place_on_the_booked_time(anne, b_ola):
    wishes = [ask(b_ola, date=day) for day in ("2026-11-25", "2026-11-26", "2026-11-27")]
    before = places("p-ola", "c-fjordheim")
    anne.publish("tb-anne", "2026-11-25", "2026-11-25", ANNE_WEDNESDAY)
    slot = "tb-anne~2026-11-25T09:20:00Z"
    assert anne.send("POST", f"/requests/{wishes[0]['id']}/accept", json={"slot_id": slot}).status_code == 200
    assert places("p-ola", "c-fjordheim") == before
    error(ask_refused(b_ola, "2026-11-30"), 409, "too_many_bookings")


def test_max_future_bookings_expired_requests_give_their_places_back(b_ola, runtime):
    ask(b_ola, date="2026-11-24", interval="i08")  # tomorrow morning
    ask(b_ola, date="2026-12-04")
    runtime.clock.advance(days=1, hours=2)  # the morning interval has passed
    assert build(runtime).clinic.expire_requests() == 1
    assert len(places("p-ola", "c-fjordheim")) == 1


def test_max_future_bookings_staff_bookings_count_and_staff_may_exceed_the_cap(lise, b_kari):
    for slot in (SLOT_0800, SLOT_0820, SLOT_0840):
        assert lise.send("POST", "/appointments", json={"patient_id": "p-kari", "slot_id": slot}).status_code == 201
    free = free_ids(b_kari)
    error(b_kari.send("POST", "/api/booking/appointments", json={"slot_id": free[0]}), 409, "too_many_bookings")
    fourth = lise.send("POST", "/appointments", json={"patient_id": "p-kari", "slot_id": free[0]})
    assert fourth.status_code == 201 and len(places("p-kari", "c-storgata")) == 4
    for slot in (SLOT_0800, SLOT_0820):
        assert lise.send("POST", f"/slots/{slot}/cancel", json={}).status_code == 200
    assert len(places("p-kari", "c-storgata")) == 2
    book(b_kari, free[1])
    error(b_kari.send("POST", "/api/booking/appointments", json={"slot_id": free[2]}), 409, "too_many_bookings")


def test_max_future_bookings_a_refused_staff_booking_takes_no_place(lise, b_kari, b_nora):
    book(b_nora, SLOT_0800)
    error(lise.send("POST", "/appointments", json={"patient_id": "p-kari", "slot_id": SLOT_0800}), 409, "slot_taken")
    error(lise.send("POST", "/appointments", json={"patient_id": "p-kari", "timebok_id": "tb-lise",
                                                   "start": "2026-11-24T08:10", "type_id": "ordinar"}), 409, "overlap")
    assert places("p-kari", "c-storgata") == frozenset()


# --- staff bookings (R18) ---

def test_R18_staff_books_a_patient_in_a_free_time(lise, b_kari, kari):
    answer = lise.send("POST", "/appointments", json={"patient_id": "p-kari", "slot_id": SLOT_0800,
                                                      "remark": "Kontroll etter operasjon"})
    assert answer.status_code == 201
    body = answer.get_json()
    assert (body["status"], body["patient_id"], body["slot_id"], body["remark"]) == (
        "booked", "p-kari", SLOT_0800, "Kontroll etter operasjon")
    mine = tab(b_kari, "booked")
    assert [(i["id"], i["status_text"], i["start"]) for i in mine] == [(body["id"], "Bestilt", "2026-11-24T07:00:00Z")]
    assert SLOT_0800 not in free_ids(b_kari)
    log = kari.get("/api/accounts/access-log").get_json()["items"]
    assert [(i["actor_name"], i["clinic_name"]) for i in log] == [("Lise Lege", "Storgata legesenter")]


def test_R18_staff_double_books_only_with_the_overbook_flag(lise, b_kari, b_nora):
    kari = book(b_kari, SLOT_0800)
    at_same_time = {"patient_id": "p-nora", "timebok_id": "tb-lise", "start": "2026-11-24T08:00:00+01:00",
                    "type_id": "ordinar"}
    error(lise.send("POST", "/appointments", json=at_same_time), 409, "overlap", "start")
    error(lise.send("POST", "/appointments", json={"patient_id": "p-nora", "slot_id": SLOT_0800}), 409, "slot_taken")
    error(lise.send("POST", "/appointments", json={**at_same_time, "overbook": False}), 409, "overlap")
    assert tab(b_nora, "all") == []
    over = lise.send("POST", "/appointments", json={**at_same_time, "overbook": True})
    assert over.status_code == 201
    nora = over.get_json()
    assert nora["slot_id"].startswith(SLOT_0800 + "~OB~") and nora["start"] == "2026-11-24T07:00:00Z"
    at_0800 = [i for i in lise.day("2026-11-24", timebok_id="tb-lise") if i["start"] == "2026-11-24T07:00:00Z"]
    assert sorted((i["status"], i["patient_id"]) for i in at_0800) == [("booked", "p-kari"), ("booked", "p-nora")]
    assert [i["start"] for i in tab(b_nora, "booked")] == ["2026-11-24T07:00:00Z"]
    assert [i["id"] for i in tab(b_kari, "booked")] == [kari["id"]]
    # cancelling the overbooking removes it and leaves Kari's appointment alone
    assert lise.send("POST", f"/slots/{nora['slot_id']}/cancel", json={}).status_code == 200
    at_0800 = [i for i in lise.day("2026-11-24", timebok_id="tb-lise")
               if i["start"] == "2026-11-24T07:00:00Z" and i["kind"] == "slot"]
    assert [(i["status"], i["patient_id"]) for i in at_0800] == [("booked", "p-kari")]
    assert [i["status_text"] for i in tab(b_nora, "cancelled")] == ["Avbestilt av personell"]


def test_R18_staff_books_a_time_that_was_never_published(lise, b_kari):
    answer = lise.send("POST", "/appointments", json={"patient_id": "p-kari", "timebok_id": "tb-lise",
                                                      "start": "2026-11-24T15:00", "type_id": "skjult"})
    assert answer.status_code == 201  # a naive time is Oslo time
    assert answer.get_json()["start"] == "2026-11-24T14:00:00Z" and answer.get_json()["type_id"] == "skjult"
    assert [i["start"] for i in tab(b_kari, "booked")] == ["2026-11-24T14:00:00Z"]


def test_R18_a_cancelled_staff_booking_at_an_unpublished_time_is_never_offered_to_patients(lise, b_kari, b_nora):
    answer = lise.send("POST", "/appointments", json={"patient_id": "p-kari", "timebok_id": "tb-lise",
                                                      "start": "2026-11-24T18:40", "type_id": "ordinar"})
    assert answer.status_code == 201
    booked = answer.get_json()
    assert booked["slot_id"] == "tb-lise~2026-11-24T17:40:00Z"
    assert lise.send("POST", f"/slots/{booked['slot_id']}/cancel", json={}).status_code == 200
    assert [i["status_text"] for i in tab(b_kari, "cancelled")] == ["Avbestilt av personell"]
    assert booked["slot_id"] not in free_ids(b_nora)
    error(b_nora.send("POST", "/api/booking/appointments", json={"slot_id": booked["slot_id"]}), 409,
          "not_web_bookable", "slot_id")


def test_staff_booking_refuses_bad_input(lise):
    cases = [
        ({"patient_id": "p-ola", "slot_id": SLOT_0800}, 404, "patient_id"),  # not a Storgata patient
        ({"patient_id": "p-nobody", "slot_id": SLOT_0800}, 404, "patient_id"),
        ({"slot_id": SLOT_0800}, 422, "patient_id"),
        ({"patient_id": 7, "slot_id": SLOT_0800}, 400, "patient_id"),
        ({"patient_id": "p-kari", "slot_id": SLOT_0800, "overbook": "true"}, 400, "overbook"),
        ({"patient_id": "p-kari", "slot_id": SLOT_0800, "remark": "x" * 501}, 422, "remark"),
        ({"patient_id": "p-kari", "slot_id": SLOT_0800, "price": 1}, 422, "price"),
        ({"patient_id": "p-kari", "slot_id": "tb-lise~2026-11-24T07:05:00Z"}, 404, None),
        ({"patient_id": "p-kari", "slot_id": "tb-lise~2026-11-23T07:00:00Z"}, 404, None),  # before the clock
        ({"patient_id": "p-kari", "timebok_id": "tb-lise", "start": "2026-11-23T08:00:00+01:00", "type_id": "ordinar"},
         422, "start"),
        ({"patient_id": "p-kari", "timebok_id": "tb-lise", "start": "2026-11-24T12:00:00+01:00"}, 422, "slot_id"),
        ({"patient_id": "p-kari", "timebok_id": "tb-lise", "start": "tomorrow", "type_id": "ordinar"}, 422, "start"),
        ({"patient_id": "p-kari", "timebok_id": "tb-nope", "start": "2026-11-24T12:00:00+01:00",
          "type_id": "ordinar"}, 404, "timebok_id"),
        ({"patient_id": "p-kari"}, 404, "timebok_id"),
    ]
    for payload, status, field in cases:
        error(lise.send("POST", "/appointments", json=payload), status, field=field)
    assert [i for i in lise.day("2026-11-24") if i["status"] != "free"] == []


def test_R18_staff_cannot_book_a_past_time_even_if_a_slot_exists(lise, runtime):
    runtime.clock.set(datetime.fromisoformat("2026-11-24T08:30:00+01:00"))
    error(lise.send("POST", "/appointments", json={"patient_id": "p-nora", "slot_id": SLOT_0820}), 422,
          "past_time")


# --- staff cancel, move and marks (R13, R20a) ---

def test_R13_staff_cancel_shows_avbestilt_av_personell_and_frees_the_time(lise, b_kari):
    booked = book(b_kari, SLOT_0800)
    cancelled = lise.send("POST", f"/slots/{SLOT_0800}/cancel", json={"reason": "Legen er syk"})
    assert cancelled.status_code == 200
    assert cancelled.get_json()["status"] == "cancelled_by_staff" and cancelled.get_json()["reason"] == "Legen er syk"
    assert tab(b_kari, "booked") == []
    mine = tab(b_kari, "cancelled")
    assert [(i["id"], i["status_text"], i["reason"]) for i in mine] == [
        (booked["id"], "Avbestilt av personell", "Legen er syk")]
    assert SLOT_0800 in free_ids(b_kari)
    statuses = {(i["kind"], i["status"]) for i in lise.day("2026-11-24", timebok_id="tb-lise")
                if i["start"] == "2026-11-24T07:00:00Z"}
    assert statuses == {("slot", "free"), ("history", "cancelled_by_staff")}
    error(lise.send("POST", f"/slots/{SLOT_0800}/cancel", json={}), 404, field="slot_id")  # now free
    error(lise.send("POST", f"/slots/{SLOT_0820}/cancel", json={"reason": 5}), 400, "wrong_type")
    error(lise.send("POST", "/slots/not-a-slot/cancel", json={}), 422, field="slot_id")


def test_staff_moves_an_appointment_keeping_its_id(lise, b_kari):
    booked = book(b_kari, SLOT_0800)
    moved = lise.send("POST", f"/slots/{SLOT_0800}/move", json={"slot_id": SLOT_0840})
    assert moved.status_code == 200
    body = moved.get_json()
    assert (body["id"], body["slot_id"], body["patient_id"], body["sequence"], body["remark"]) == (
        booked["id"], SLOT_0840, "p-kari", 1, "Vondt i ryggen")
    assert [(i["id"], i["start"]) for i in tab(b_kari, "all")] == [(booked["id"], "2026-11-24T07:40:00Z")]
    free = free_ids(b_kari)
    assert SLOT_0800 in free and SLOT_0840 not in free
    other = book(b_kari, SLOT_0820)
    error(lise.send("POST", f"/slots/{SLOT_0840}/move", json={"slot_id": SLOT_0820}), 409, "slot_taken")
    error(lise.send("POST", f"/slots/{SLOT_0840}/move", json={"slot_id": "tb-lise~2026-11-24T07:10:00Z"}), 404)
    error(lise.send("POST", f"/slots/{SLOT_0840}/move", json={}), 422, field="slot_id")
    error(lise.send("POST", f"/slots/{SLOT_0800}/move", json={"slot_id": SLOT_0840}), 404)  # 08:00 is free now
    assert sorted(i["id"] for i in tab(b_kari, "booked")) == sorted([booked["id"], other["id"]])


def test_R20a_marked_no_show_or_completed_is_only_under_alle(lise, b_kari, runtime, booking_app, app):
    missed, held = book(b_kari, SLOT_0800), book(b_kari, SLOT_0820)
    runtime.clock.set(datetime.fromisoformat("2026-11-24T08:45:00+01:00"))
    for slot, status in ((SLOT_0800, "no_show"), (SLOT_0820, "completed")):
        marked = lise.send("POST", f"/slots/{slot}/status", json={"status": status})
        assert marked.status_code == 200 and marked.get_json()["status"] == status
    kari = login(booking_app, app, runtime, "p-kari")
    assert tab(kari, "booked") == [] and tab(kari, "cancelled") == []
    mine = tab(kari, "all")
    assert [(i["id"], i["status"], i["status_text"]) for i in mine] == [
        (held["id"], "completed", "Gjennomført"), (missed["id"], "no_show", "Ikke møtt")]
    assert not any(i["can_cancel"] or i["can_calendar"] or i["can_move"] for i in mine)
    error(lise.send("POST", f"/slots/{SLOT_0800}/status", json={"status": "completed"}), 404)  # no longer booked


def test_marking_refuses_other_statuses_and_free_times(lise, b_kari):
    book(b_kari, SLOT_0800)
    for bad, status, field in (({"status": "cancelled_by_staff"}, 422, "status"), ({"status": "booked"}, 422, "status"),
                               ({"status": 3}, 400, "status"), ({}, 422, "status")):
        error(lise.send("POST", f"/slots/{SLOT_0800}/status", json=bad), status, field=field)
    error(lise.send("POST", f"/slots/{SLOT_0820}/status", json={"status": "no_show"}), 404)
    assert tab(b_kari, "booked")[0]["status"] == "booked"


# --- ownership: a credential reaches only its own clinic ---

def test_storgata_credential_never_reads_or_changes_fjordheims_timebok_requests_or_appointments(
        lise, anne, b_ola, kari, app, runtime):
    wish = ask(b_ola)
    anne.publish("tb-anne", "2026-11-25", "2026-11-25", ANNE_WEDNESDAY)
    free, taken = "tb-anne~2026-11-25T10:00:00Z", "tb-anne~2026-11-25T10:20:00Z"
    assert anne.send("POST", "/appointments", json={"patient_id": "p-emma", "slot_id": taken}).status_code == 201
    before = anne.day("2026-11-25")
    refused = [
        ("POST", "/timebooks/tb-anne/publish", {"from": "2026-11-26", "to": "2026-11-26", "type_id": "ordinar",
                                                "blocks": [{"weekday": 3, "start": "08:00", "end": "09:00"}]}),
        ("DELETE", f"/slots/{free}", None),
        ("POST", f"/slots/{taken}/cancel", {"reason": "x"}),
        ("POST", f"/slots/{taken}/move", {"slot_id": free}),
        ("POST", f"/slots/{taken}/status", {"status": "no_show"}),
        ("POST", f"/requests/{wish['id']}/accept", {"slot_id": free}),
        ("POST", f"/requests/{wish['id']}/accept", {"start": "2026-11-25T11:00:00+01:00"}),
        ("POST", f"/requests/{wish['id']}/reject", {"reason": "x"}),
        ("POST", "/appointments", {"patient_id": "p-nora", "slot_id": free}),  # Nora is at both clinics
        ("POST", "/appointments", {"patient_id": "p-nora", "timebok_id": "tb-anne",
                                   "start": "2026-11-25T15:00:00+01:00", "type_id": "ordinar"}),
        ("POST", "/appointments", {"patient_id": "p-ola", "slot_id": SLOT_0800}),  # Fjordheim's patient
    ]
    for method, path, body in refused:
        error(lise.send(method, path, json=body), 404)
    assert lise.day("2026-11-25", timebok_id="tb-anne") == []
    assert lise.day("2026-11-25", practitioner_id="s-anne") == []
    assert all(i["timebok_id"] in ("tb-lise", "tb-lise-kveld", "tb-per") for i in lise.day("2026-11-25"))
    # claiming Fjordheim's timebok id for Storgata does not open it
    error(lise.send("PUT", "/timebooks/tb-anne", json={"practitioner_id": "s-lise", "name": "Mine nå"}), 409,
          "timebok_taken", "timebok_id")
    assert "tb-anne" not in [t["id"] for t in lise.get("/catalog").get_json()["timebooks"]]
    error(lise.send("DELETE", f"/slots/{free}"), 404)
    assert anne.day("2026-11-25") == before
    assert [i["status_text"] for i in tab(b_ola, "booked")] == ["Under arbeid"]
    for patient in ("p-ola", "p-emma"):
        log = PatientClient(app, runtime, patient).get("/api/accounts/access-log").get_json()["items"]
        assert "Storgata legesenter" not in [i["clinic_name"] for i in log]


def test_fjordheim_credential_never_reads_or_changes_storgatas_timebok_or_appointments(lise, anne, b_kari, kari):
    booked = book(b_kari, SLOT_0800, remark="Sensitivt")
    before = lise.day("2026-11-24")
    refused = [
        ("POST", "/timebooks/tb-lise/publish", {"from": "2027-01-04", "to": "2027-01-04", "type_id": "ordinar",
                                                "blocks": [{"weekday": 0, "start": "12:00", "end": "13:00"}]}),
        ("DELETE", f"/slots/{SLOT_0820}", None),
        ("POST", f"/slots/{SLOT_0800}/cancel", {}),
        ("POST", f"/slots/{SLOT_0800}/move", {"slot_id": SLOT_0840}),
        ("POST", f"/slots/{SLOT_0800}/status", {"status": "completed"}),
        ("POST", "/appointments", {"patient_id": "p-nora", "slot_id": SLOT_0820}),
        ("POST", "/appointments", {"patient_id": "p-nora", "timebok_id": "tb-lise",
                                   "start": "2026-11-24T15:00:00+01:00", "type_id": "ordinar"}),
        ("POST", "/appointments", {"patient_id": "p-kari", "timebok_id": "tb-anne",
                                   "start": "2026-11-24T15:00:00+01:00", "type_id": "ordinar"}),
    ]
    for method, path, body in refused:
        error(anne.send(method, path, json=body), 404)
    assert anne.day("2026-11-24") == []
    assert anne.day("2026-11-24", timebok_id="tb-lise") == []
    # claiming Storgata's timebok id does not open it (it used to: the id was the only key of the slots)
    for timebok in ("tb-lise", "tb-per"):
        error(anne.send("PUT", f"/timebooks/{timebok}", json={"practitioner_id": "s-anne", "name": "x"}), 409,
              "timebok_taken")
    assert [t["id"] for t in anne.get("/catalog").get_json()["timebooks"]] == ["tb-anne"]
    for method, path, body in refused[:5]:
        error(anne.send(method, path, json=body), 404)
    assert lise.day("2026-11-24") == before
    assert [(i["id"], i["status"], i["remark"]) for i in tab(b_kari, "booked")] == [
        (booked["id"], "booked", "Sensitivt")]
    log = kari.get("/api/accounts/access-log").get_json()["items"]
    assert {i["clinic_name"] for i in log} == {"Storgata legesenter"}  # Lise's day lists only


def test_text_with_a_lone_surrogate_is_refused_not_a_500(lise, b_kari):
    staff = lise.send("POST", "/appointments", content_type="application/json",
                      data='{"patient_id": "p-kari", "slot_id": "' + SLOT_0800 + '", "remark": "a\\ud800b"}')
    patient = b_kari.send("POST", "/api/booking/appointments", content_type="application/json",
                          data='{"slot_id": "' + SLOT_0820 + '", "remark": "\\udfff"}')
    timebok = lise.send("PUT", "/timebooks/tb-x", content_type="application/json",
                        data='{"practitioner_id": "s-per", "name": "\\ud800"}')
    assert (staff.status_code, patient.status_code, timebok.status_code) == (422, 422, 422)
