"""Clinic credentials and the clinic contact endpoint (R55, R51)."""
from __future__ import annotations

from tests.conftest import basic


def test_R55_clinic_reads_contact_and_the_patient_sees_who(app, kari, clinic_headers):
    answer = app.test_client().get("/api/accounts/clinic/patients/p-kari/contact", headers=clinic_headers)
    assert answer.status_code == 200
    assert answer.get_json()["name"] == "Kari Nordmann" and answer.get_json()["phones"]
    items = kari.get("/api/accounts/access-log").get_json()["items"]
    assert items[0]["actor_name"] == "Lise Lege" and items[0]["clinic_name"] == "Storgata legesenter"
    assert items[0]["what"] == "Kontaktopplysninger"


def test_patient_reading_own_profile_writes_no_access_log(kari):
    kari.get("/api/accounts/profile")
    assert kari.get("/api/accounts/access-log").get_json()["items"] == []


def test_credential_never_reaches_another_clinics_patient(app, clinic_headers, other_clinic_headers):
    client = app.test_client()
    assert client.get("/api/accounts/clinic/patients/p-ola/contact", headers=clinic_headers).status_code == 404
    assert client.get("/api/accounts/clinic/patients/p-kari/contact",
                      headers=other_clinic_headers).status_code == 404
    assert client.get("/api/accounts/clinic/patients/p-nobody/contact", headers=clinic_headers).status_code == 404


def test_R51_lookup_by_national_id_only_within_the_clinic(app, runtime, clinic_headers, other_clinic_headers):
    client = app.test_client()
    kari_pid = next(p["pid"] for p in runtime.persons if p["name"] == "Kari Nordmann")
    found = client.post("/api/accounts/clinic/patients/lookup", json={"national_id": kari_pid},
                        headers=clinic_headers)
    assert found.status_code == 200 and found.get_json() == {"patient_id": "p-kari"}
    assert client.post("/api/accounts/clinic/patients/lookup", json={"national_id": kari_pid},
                       headers=other_clinic_headers).status_code == 404
    bad = client.post("/api/accounts/clinic/patients/lookup", json={"national_id": "12345678901"},
                      headers=clinic_headers)
    assert bad.status_code == 422 and bad.get_json()["field"] == "national_id"


def test_wrong_secret_unknown_key_and_unknown_staff_are_refused(app, clinic_headers):
    client = app.test_client()
    path = "/api/accounts/clinic/patients/p-kari/contact"
    wrong = {**clinic_headers, "Authorization": basic("ck_demo_storgata", "wrong")}
    assert client.get(path, headers=wrong).status_code == 401
    unknown = {**clinic_headers, "Authorization": basic("ck_nope", "x")}
    assert client.get(path, headers=unknown).status_code == 401
    assert client.get(path, headers={**clinic_headers, "X-Staff-Id": "s-anne"}).status_code == 403
    assert client.get(path, headers={"X-Staff-Id": "s-lise"}).status_code == 401


def test_clinic_calls_are_rate_limited(app, runtime, clinic_headers):
    client = app.test_client()
    limit = runtime.settings.clinic_rate_per_minute
    statuses = [client.get("/api/accounts/clinic/patients/p-kari/contact", headers=clinic_headers).status_code
                for _ in range(limit + 1)]
    assert statuses[-1] == 429 and statuses[0] == 200
