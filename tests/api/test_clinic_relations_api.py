"""The clinic side of Relasjoner (R35-R37, R55) through the accounts clinic API with the demo credentials:
a clinic reads a patient's relations, registers parental responsibility and removes it, only for its own
patients (anyone else's is 404, as if they did not exist), each call in the access log by person."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from functions.core.clock import OSLO
from tests.api.booking.test_clinic_booking_api import error
from tests.api.conftest import PatientClient, new_pid

BASE = "/api/accounts/clinic/patients"


class Clinic:
    """A clinic system calling the accounts clinic API with its credential and a staff member."""

    def __init__(self, app, headers: dict) -> None:
        self.client, self.headers = app.test_client(), headers

    def relations(self, patient_id: str):
        return self.client.get(f"{BASE}/{patient_id}/relations", headers=self.headers)

    def rows(self, patient_id: str) -> dict[str, dict]:
        answer = self.relations(patient_id)
        assert answer.status_code == 200, answer.get_json()
        return {r["name"]: r for r in answer.get_json()["items"]}

    def register(self, child_id: str, body, **kw):
        return self.client.post(f"{BASE}/{child_id}/parents", json=body, headers=self.headers, **kw)

    def remove(self, child_id: str, parent_id: str):
        return self.client.delete(f"{BASE}/{child_id}/parents/{parent_id}", headers=self.headers)


@pytest.fixture
def fjordheim(app, other_clinic_headers):
    """Fjordheim legekontor (Anne Andersen): Ola, Emma, Jonas and Nora are its patients."""
    return Clinic(app, other_clinic_headers)


@pytest.fixture
def storgata(app, clinic_headers):
    """Storgata legesenter (Lise Lege): Kari and Nora are its patients."""
    return Clinic(app, clinic_headers)


def nid_of(runtime, name: str) -> str:
    return next(p["pid"] for p in runtime.persons if p["name"] == name)


def log_of(app, runtime, patient_id: str) -> list[dict]:
    return PatientClient(app, runtime, patient_id).get("/api/accounts/access-log").get_json()["items"]


def own_relations(app, runtime, patient_id: str) -> dict[str, dict]:
    answer = PatientClient(app, runtime, patient_id).get("/api/accounts/relations")
    return {r["name"]: r for r in answer.get_json()["items"]}


# --- reading (R35) ---

def test_R35_a_clinic_reads_who_what_access_and_until_when(fjordheim):
    emma = fjordheim.rows("p-emma")
    assert emma == {"Ola Hansen": {"patient_id": "p-ola", "name": "Ola Hansen", "relation": "foreldre",
                                   "access": True, "access_until": emma["Ola Hansen"]["access_until"]}}
    ola = fjordheim.rows("p-ola")
    assert {n: (r["relation"], r["access"]) for n, r in ola.items()} == {
        "Emma Hansen": ("barn", True), "Jonas Hansen": ("barn", True)}
    # a parent's access ends the day before the child's 16th birthday (R36)
    assert ola["Jonas Hansen"]["access_until"] < ola["Emma Hansen"]["access_until"] == emma["Ola Hansen"][
        "access_until"]
    assert fjordheim.rows("p-nora") == {}


def test_R35_a_fullmakt_shows_with_its_direction_and_period(app, runtime, fjordheim):
    ola = PatientClient(app, runtime, "p-ola")
    given = ola.send("POST", "/api/accounts/relations/fullmakt", json={
        "national_id": nid_of(runtime, "Kari Nordmann"), "valid_from": "2026-11-23", "valid_until": "2027-01-31"})
    assert given.status_code == 201, given.get_json()
    row = fjordheim.rows("p-ola")["Kari Nordmann"]
    assert (row["relation"], row["access"], row["access_until"]) == ("fullmakt_gitt", True, "2027-01-31")


def test_R55_a_clinic_reading_relations_is_in_the_patients_access_log_by_person(app, runtime, fjordheim):
    fjordheim.rows("p-emma")
    [entry] = log_of(app, runtime, "p-emma")
    assert (entry["actor_name"], entry["actor_kind"], entry["clinic_name"]) == (
        "Anne Andersen", "staff", "Fjordheim legekontor")
    assert entry["what"] == "Relasjoner (foreldre, barn, fullmakt)"
    assert entry["why"] == "Kontroll av hvem som kan representere pasienten"
    assert log_of(app, runtime, "p-ola") == []   # only the patient whose relations were read


# --- registering parental responsibility (R36) ---

def test_R36_a_clinic_registers_a_parent_among_its_patients_and_the_parent_may_act_for_the_child(
        app, runtime, fjordheim):
    answer = fjordheim.register("p-jonas", {"parent_id": "p-nora"})
    assert answer.status_code == 201, answer.get_json()
    row = answer.get_json()
    assert (row["patient_id"], row["name"], row["relation"], row["access"]) == ("p-nora", "Nora Berg",
                                                                                "foreldre", True)
    assert row["access_until"] == fjordheim.rows("p-jonas")["Ola Hansen"]["access_until"]
    assert own_relations(app, runtime, "p-nora")["Jonas Hansen"]["relation"] == "barn"
    nora = PatientClient(app, runtime, "p-nora")
    assert nora.send("POST", "/api/accounts/acting-for", json={"patient_id": "p-jonas"}).status_code == 200
    assert nora.get("/api/accounts/session").get_json()["acting_for"]["name"] == "Jonas Hansen"


def test_R36_registering_twice_is_one_relation(app, runtime, fjordheim):
    first = fjordheim.register("p-emma", {"parent_id": "p-nora"})
    again = fjordheim.register("p-emma", {"parent_id": "p-nora"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json() == first.get_json()
    assert list(own_relations(app, runtime, "p-nora")) == ["Emma Hansen"]
    # a parent the register already gave is not registered anew either
    assert fjordheim.register("p-emma", {"parent_id": "p-ola"}).status_code == 200
    assert [r["name"] for r in fjordheim.relations("p-emma").get_json()["items"]] == ["Nora Berg", "Ola Hansen"]


def test_R36_the_parent_may_be_named_by_national_id_also_when_not_this_clinics_patient(app, runtime, fjordheim):
    """Kari is Storgata's patient: by patient id she is not found at Fjordheim, by national id (in the
    body, never in a URL) she is the parent Fjordheim registers for its patient Emma."""
    error(fjordheim.register("p-emma", {"parent_id": "p-kari"}), 404, "not_found", "parent_id")
    answer = fjordheim.register("p-emma", {"national_id": nid_of(runtime, "Kari Nordmann")})
    assert answer.status_code == 201, answer.get_json()
    assert answer.get_json()["patient_id"] == "p-kari"
    assert own_relations(app, runtime, "p-kari")["Emma Hansen"]["access"] is True


def test_R36_a_parent_who_never_logged_in_is_registered_by_national_id(app, runtime, fjordheim):
    answer = fjordheim.register("p-jonas", {"national_id": new_pid()})
    assert answer.status_code == 201, answer.get_json()
    newcomer = answer.get_json()["patient_id"]
    assert newcomer.startswith("p") and newcomer not in ("p-ola", "p-nora")
    assert fjordheim.register("p-jonas", {"national_id": new_pid()}).status_code == 200   # the same person


def test_a_refused_registration_makes_no_profile_for_someone_who_never_logged_in(app, runtime, fjordheim):
    from functions.accounts.repository import ProfileRepository
    from functions.core import national_id

    newcomer = new_pid()
    error(fjordheim.register("p-ola", {"national_id": newcomer}), 422, "child_too_old", "patient_id")
    key = national_id.lookup_key(national_id.parse(newcomer, allow_synthetic=True), runtime.pepper)
    assert ProfileRepository().patient_for(key) is None
    error(fjordheim.register("p-emma", {"national_id": nid_of(runtime, "Emma Hansen")}), 422, "parent_is_child",
          "national_id")
    error(fjordheim.register("p-jonas", {"national_id": nid_of(runtime, "Emma Hansen")}), 422,
          "parent_not_older", "national_id")


def test_R35_a_parent_the_family_removed_is_registered_anew_by_the_clinic(app, runtime, fjordheim):
    ola = PatientClient(app, runtime, "p-ola")
    assert ola.send("DELETE", "/api/accounts/relations/p-jonas").status_code == 200
    assert "Ola Hansen" not in fjordheim.rows("p-jonas")
    assert fjordheim.register("p-jonas", {"parent_id": "p-ola"}).status_code == 201
    assert fjordheim.rows("p-jonas")["Ola Hansen"]["access"] is True
    assert ola.send("POST", "/api/accounts/acting-for", json={"patient_id": "p-jonas"}).status_code == 200


def test_R55_registering_is_in_both_access_logs_by_person_and_names_no_national_id(app, runtime, fjordheim):
    kari_nid = nid_of(runtime, "Kari Nordmann")
    assert fjordheim.register("p-emma", {"national_id": kari_nid}).status_code == 201
    for patient in ("p-emma", "p-kari"):
        [entry] = log_of(app, runtime, patient)
        assert (entry["actor_name"], entry["clinic_name"], entry["why"]) == (
            "Anne Andersen", "Fjordheim legekontor", "Registrering av foreldreansvar")
        assert kari_nid not in str(entry)


# --- removing it (R35, R36) ---

def test_R35_a_clinic_removes_parental_responsibility_and_access_ends_at_once_in_an_open_session(
        app, runtime, fjordheim):
    open_session = PatientClient(app, runtime, "p-ola")
    assert open_session.send("POST", "/api/accounts/acting-for", json={"patient_id": "p-jonas"}).status_code == 200
    answer = fjordheim.remove("p-jonas", "p-ola")
    assert answer.status_code == 200 and answer.get_json() == {"items": []}
    assert open_session.get("/api/accounts/session").get_json()["acting_for"]["ended"] is True
    assert "Jonas Hansen" not in own_relations(app, runtime, "p-ola")
    assert list(fjordheim.rows("p-ola")) == ["Emma Hansen"]


def test_R35_removing_twice_is_404_the_second_time(fjordheim):
    assert fjordheim.remove("p-emma", "p-ola").status_code == 200
    error(fjordheim.remove("p-emma", "p-ola"), 404, "not_found", "parent_id")
    error(fjordheim.remove("p-emma", "p-nora"), 404, "not_found", "parent_id")   # never a parent


def test_R35_a_clinic_removes_only_parental_responsibility_not_a_fullmakt(app, runtime, fjordheim):
    """Nora gives Ola a fullmakt: the clinic cannot end it through the parents' endpoint."""
    nora = PatientClient(app, runtime, "p-nora")
    given = nora.send("POST", "/api/accounts/relations/fullmakt", json={
        "national_id": nid_of(runtime, "Ola Hansen"), "valid_from": "2026-11-23", "valid_until": "2027-01-31"})
    assert given.status_code == 201, given.get_json()
    error(fjordheim.remove("p-nora", "p-ola"), 404, "not_found", "parent_id")
    assert fjordheim.rows("p-nora")["Ola Hansen"]["relation"] == "fullmakt_gitt"


def test_R55_removing_is_in_both_access_logs(app, runtime, fjordheim):
    fjordheim.remove("p-emma", "p-ola")
    for patient in ("p-emma", "p-ola"):
        [entry] = log_of(app, runtime, patient)
        assert (entry["actor_name"], entry["why"]) == ("Anne Andersen", "Foreldreansvar fjernet")


# --- only the clinic's own patients: 404, never 403 ---

@pytest.mark.parametrize("patient", ["p-emma", "p-nobody"])
def test_R55_another_clinics_patient_is_404_exactly_like_nobody(app, runtime, storgata, patient):
    """Emma is Fjordheim's patient: to Storgata she is as unknown as someone who does not exist."""
    for answer in (storgata.relations(patient), storgata.register(patient, {"parent_id": "p-kari"}),
                   storgata.register(patient, {"national_id": nid_of(runtime, "Kari Nordmann")}),
                   storgata.remove(patient, "p-ola")):
        body = error(answer, 404, "not_found")
        assert body["field"] is None
    assert log_of(app, runtime, "p-emma") == [] and log_of(app, runtime, "p-kari") == []
    assert "Kari Nordmann" not in own_relations(app, runtime, "p-emma")


def test_R55_a_patient_of_both_clinics_is_reached_by_each(storgata, fjordheim):
    assert storgata.rows("p-nora") == {} and fjordheim.rows("p-nora") == {}


def test_the_clinic_credential_and_staff_member_are_required(app, fjordheim, other_clinic_headers):
    client = app.test_client()
    path = f"{BASE}/p-emma/relations"
    error(client.get(path), 401, "bad_credentials")
    error(client.get(path, headers={**other_clinic_headers, "X-Staff-Id": "s-lise"}), 403, "unknown_staff")
    error(client.post(f"{BASE}/p-emma/parents", json={"parent_id": "p-nora"}), 401, "bad_credentials")
    error(client.delete(f"{BASE}/p-emma/parents/p-ola"), 401, "bad_credentials")
    assert "Nora Berg" not in fjordheim.rows("p-emma") and "Ola Hansen" in fjordheim.rows("p-emma")


# --- bad input: the one error shape, the field named ---

@pytest.mark.parametrize(("child", "body", "status", "code", "field"), [
    ("p-emma", {}, 422, "required", "parent_id"),
    ("p-emma", {"parent_id": None, "national_id": None}, 422, "required", "parent_id"),
    ("p-emma", {"parent_id": "p-nora", "national_id": "x"}, 422, "parent_id_or_national_id", "parent_id"),
    ("p-emma", {"parent_id": "p-nora", "role": "mor"}, 422, "unknown_field", "role"),
    ("p-emma", {"parent_id": 7}, 422, "invalid", "parent_id"),
    ("p-emma", {"parent_id": "p nora"}, 422, "invalid", "parent_id"),
    ("p-emma", {"national_id": "12345678901"}, 422, "invalid_national_id", "national_id"),
    ("p-emma", {"national_id": 12345678901}, 422, "invalid_national_id", "national_id"),
    ("p-emma", ["p-nora"], 400, "bad_request", None),
    ("p-ola", {"parent_id": "p-nora"}, 422, "child_too_old", "patient_id"),        # 16 or over: no parent (R36)
    ("p-emma", {"parent_id": "p-emma"}, 422, "parent_is_child", "parent_id"),
    ("p-jonas", {"parent_id": "p-emma"}, 422, "parent_not_older", "parent_id"),    # Emma is 9, Jonas 14
    ("p-emma", {"parent_id": "p-kari"}, 404, "not_found", "parent_id"),            # not Fjordheim's patient
])
def test_bad_input_is_refused_at_the_field(app, runtime, fjordheim, child, body, status, code, field):
    body = error(fjordheim.register(child, body), status, code, field)
    assert set(body) == {"error", "message", "field"} and body["message"]
    assert log_of(app, runtime, child) == []   # nothing was written, nothing read


def test_a_body_that_is_not_json_is_refused(fjordheim):
    error(fjordheim.client.post(f"{BASE}/p-emma/parents", data="parent_id=p-nora", headers={
        **fjordheim.headers, "Content-Type": "text/plain"}), 415, "unsupported_media")
    error(fjordheim.client.post(f"{BASE}/p-emma/parents", headers=fjordheim.headers), 400, "bad_request")


def test_messages_follow_the_request_language(fjordheim):
    answer = fjordheim.client.post(f"{BASE}/p-ola/parents", json={"parent_id": "p-nora"},
                                   headers={**fjordheim.headers, "Accept-Language": "en"})
    assert error(answer, 422, "child_too_old")["message"] == \
        "Parental responsibility gives access only for children under 16."


def test_R36_access_shown_to_the_clinic_ends_at_the_16th_birthday(runtime, fjordheim):
    until = date.fromisoformat(fjordheim.rows("p-jonas")["Ola Hansen"]["access_until"])
    runtime.clock.set(datetime.combine(until + timedelta(days=1), time(0), OSLO))   # Oslo midnight
    row = fjordheim.rows("p-jonas")["Ola Hansen"]
    assert (row["access"], row["access_until"]) == (False, None)
    error(fjordheim.register("p-jonas", {"parent_id": "p-nora"}), 422, "child_too_old", "patient_id")
