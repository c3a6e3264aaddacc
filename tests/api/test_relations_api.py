"""Relasjoner and the acting-for switch (R35-R37) through the accounts app, on the demo families."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from functions.core import national_id
from functions.core.clock import OSLO
from tests.api.booking.test_clinic_booking_api import error
from tests.api.conftest import PatientClient


@pytest.fixture
def ola(app, runtime):
    return PatientClient(app, runtime, "p-ola")


def names(client) -> dict[str, dict]:
    answer = client.get("/api/accounts/relations")
    assert answer.status_code == 200, answer.get_json()
    return {r["name"]: r for r in answer.get_json()["items"]}


def test_R35_the_parent_sees_both_children_with_access_and_until_when(ola):
    rows = names(ola)
    assert set(rows) == {"Emma Hansen", "Jonas Hansen"}
    assert all(r["relation"] == "barn" and r["access"] for r in rows.values())
    assert rows["Jonas Hansen"]["access_until"] < rows["Emma Hansen"]["access_until"]


def test_R35_the_child_sees_the_parent_who_acts_for_them(app, runtime):
    emma = PatientClient(app, runtime, "p-emma")
    [(name, row)] = names(emma).items()
    assert (name, row["relation"], row["access"], row["their_access"]) == ("Ola Hansen", "foreldre", False, True)


def test_R36_switching_to_a_child_lives_in_the_server_side_session(ola):
    answer = ola.send("POST", "/api/accounts/acting-for", json={"patient_id": "p-emma"})
    assert answer.status_code == 200 and answer.get_json() == {"acting_for": "p-emma"}
    session = ola.get("/api/accounts/session").get_json()
    assert session["acting_for"]["name"] == "Emma Hansen" and not session["acting_for"]["ended"]
    assert session["display_name"] == "Ola Hansen"   # who is logged in does not change
    ola.send("POST", "/api/accounts/acting-for", json={"patient_id": None})
    assert ola.get("/api/accounts/session").get_json()["acting_for"] is None


@pytest.mark.parametrize("other", ["p-kari", "p-nora", "p-nobody", "p-ola"])
def test_R37_nobody_can_switch_to_a_person_they_have_no_relation_with(ola, other):
    answer = ola.send("POST", "/api/accounts/acting-for", json={"patient_id": other})
    if other == "p-ola":   # oneself: back to one's own data
        assert answer.get_json() == {"acting_for": None}
    else:
        error(answer, 404, "not_found", "patient_id")
        assert ola.get("/api/accounts/session").get_json()["acting_for"] is None


def test_R35_fjern_ends_access_at_once_also_in_a_session_that_acts_for_the_child(app, runtime, ola):
    other_tab = PatientClient(app, runtime, "p-ola")
    other_tab.send("POST", "/api/accounts/acting-for", json={"patient_id": "p-jonas"})
    answer = ola.send("DELETE", "/api/accounts/relations/p-jonas")
    assert answer.status_code == 200 and [r["name"] for r in answer.get_json()["items"]] == ["Emma Hansen"]
    assert other_tab.get("/api/accounts/session").get_json()["acting_for"]["ended"] is True
    error(ola.send("POST", "/api/accounts/acting-for", json={"patient_id": "p-jonas"}), 404, "not_found")
    error(ola.send("DELETE", "/api/accounts/relations/p-jonas"), 404, "not_found")
    assert names(PatientClient(app, runtime, "p-jonas")) == {}


def test_R36_access_ends_at_the_16th_birthday_also_for_a_session_already_open(app, runtime, ola):
    until = date.fromisoformat(names(ola)["Jonas Hansen"]["access_until"])
    sixteenth = datetime.combine(until + timedelta(days=1), time(0), OSLO)   # Oslo midnight
    runtime.clock.set(sixteenth - timedelta(minutes=10))
    open_session = PatientClient(app, runtime, "p-ola")
    assert open_session.send("POST", "/api/accounts/acting-for", json={"patient_id": "p-jonas"}).status_code == 200
    assert open_session.get("/api/accounts/session").get_json()["acting_for"]["ended"] is False
    runtime.clock.set(sixteenth)
    assert open_session.get("/api/accounts/session").get_json()["acting_for"]["ended"] is True
    assert not names(open_session)["Jonas Hansen"]["access"]
    error(open_session.send("POST", "/api/accounts/acting-for", json={"patient_id": "p-jonas"}), 404, "not_found")


def test_R1_relations_need_level_high(app, runtime):
    minid = PatientClient(app, runtime, "p-ola", level="substantial")
    error(minid.get("/api/accounts/relations"), 403, "step_up_required")
    error(minid.send("POST", "/api/accounts/acting-for", json={"patient_id": "p-emma"}), 403, "step_up_required")


def test_a_fullmakt_is_given_and_shows_on_both_sides(app, runtime, ola):
    kari_nid = next(p["pid"] for p in runtime.persons if p["name"] == "Kari Nordmann")
    answer = ola.send("POST", "/api/accounts/relations/fullmakt",
                      json={"national_id": kari_nid, "valid_from": "2026-11-23", "valid_until": "2027-01-31"})
    assert answer.status_code == 201, answer.get_json()
    assert answer.get_json()["relation"] == "fullmakt_gitt" and answer.get_json()["name"] == "Kari Nordmann"
    kari = PatientClient(app, runtime, "p-kari")
    assert names(kari)["Ola Hansen"]["relation"] == "fullmakt_mottatt" and names(kari)["Ola Hansen"]["access"]
    assert kari.send("POST", "/api/accounts/acting-for", json={"patient_id": "p-ola"}).status_code == 200


@pytest.mark.parametrize(("body", "status", "code", "field"), [
    ({"national_id": "12345678901", "valid_from": "2026-11-23", "valid_until": "2027-01-31"}, 422,
     "invalid_national_id", "national_id"),
    ({"national_id": "x", "valid_from": "2026-11-23", "valid_until": "9999-12-31"}, 422, "date_out_of_range",
     "valid_until"),
    ({"national_id": "x", "valid_from": "23.11.2026", "valid_until": "2027-01-31"}, 422, "invalid_date",
     "valid_from"),
    ({"valid_from": "2026-11-23", "valid_until": "2027-01-31"}, 422, "required", "national_id"),
    ({"national_id": "x", "valid_from": "2026-11-23", "valid_until": "2027-01-31", "scope": "all"}, 422,
     "unknown_field", "scope"),
])
def test_a_fullmakt_with_bad_input_is_refused_at_the_field(ola, body, status, code, field):
    error(ola.send("POST", "/api/accounts/relations/fullmakt", json=body), status, code, field)


def test_a_child_under_16_cannot_give_a_fullmakt(app, runtime):
    jonas = PatientClient(app, runtime, "p-jonas")
    kari_nid = next(p["pid"] for p in runtime.persons if p["name"] == "Kari Nordmann")
    error(jonas.send("POST", "/api/accounts/relations/fullmakt",
                     json={"national_id": kari_nid, "valid_from": "2026-11-23", "valid_until": "2026-12-31"}),
          422, "fullmakt_giver_too_young")
    assert national_id  # the demo's ids are synthetic (month + 80)
