"""Consent (R10), the access log (R55) and the export (R57) through the HTTP API."""
from __future__ import annotations

from tests.api.conftest import PatientClient


def test_R10_first_visit_requires_consent_before_using_anything(app, runtime):
    fresh = PatientClient(app, runtime, "p-nora", consent=False)
    session = fresh.get("/api/accounts/session").get_json()
    assert session["authenticated"] and session["consent"]["given"] is False
    blocked = fresh.send("PATCH", "/api/accounts/profile", json={"first_name": "N"})
    assert blocked.status_code == 403 and blocked.get_json()["error"] == "consent_required"
    given = fresh.send("POST", "/api/accounts/consent", json={"version": runtime.settings.terms_version})
    assert given.status_code == 200 and given.get_json()["given"] is True
    assert given.get_json()["history"][0]["action"] == "given"
    assert fresh.send("PATCH", "/api/accounts/profile", json={"first_name": "N"}).status_code == 200


def test_R10_consent_to_outdated_terms_is_refused(app, runtime):
    fresh = PatientClient(app, runtime, "p-nora", consent=False)
    answer = fresh.send("POST", "/api/accounts/consent", json={"version": "1999-01"})
    assert answer.status_code == 422 and answer.get_json()["field"] == "version"


def test_R10_withdrawal_blocks_everything_but_logout_access_log_and_export(kari, runtime):
    withdrawn = kari.send("DELETE", "/api/accounts/consent")
    assert withdrawn.status_code == 200 and withdrawn.get_json()["given"] is False
    assert [h["action"] for h in withdrawn.get_json()["history"]] == ["withdrawn", "given"]
    assert kari.send("POST", "/api/accounts/profile/phones", json={"number": "41234567"}).status_code == 403
    assert kari.get("/api/accounts/profile").status_code == 403
    assert kari.get("/api/accounts/access-log").status_code == 200
    export = kari.get("/api/accounts/export")
    assert export.status_code == 200 and "attachment" in export.headers["Content-Disposition"]
    assert kari.send("POST", "/api/accounts/consent", json={"version": runtime.settings.terms_version}
                     ).status_code == 200
    assert kari.send("POST", "/api/accounts/profile/phones", json={"number": "41234567"}).status_code == 201


def test_R10_withdrawal_reaches_the_patients_other_sessions(app, runtime, kari):
    second = PatientClient(app, runtime, "p-kari")
    kari.send("DELETE", "/api/accounts/consent")
    answer = second.send("PATCH", "/api/accounts/profile", json={"first_name": "K"})
    assert answer.status_code == 403 and answer.get_json()["error"] == "consent_required"


def test_R57_export_holds_profile_consent_and_access_log(kari, clinic_headers, app):
    app.test_client().get("/api/accounts/clinic/patients/p-kari/contact", headers=clinic_headers)
    data = kari.get("/api/accounts/export").get_json()
    assert data["profile"]["first_name"] == "Kari"
    assert data["consent"][0]["action"] == "given"
    assert data["access_log"][0]["actor_name"] == "Lise Lege"
    assert kari.get("/api/accounts/export").headers["Cache-Control"] == "no-store"


def test_R55_access_log_pages_with_a_signed_cursor_owned_by_the_patient(kari, ola, clinic_headers, app):
    clinic = app.test_client()
    for _ in range(55):
        clinic.get("/api/accounts/clinic/patients/p-kari/contact", headers=clinic_headers)
    first = kari.get("/api/accounts/access-log").get_json()
    assert len(first["items"]) == 50 and first["next_cursor"]
    second = kari.get(f"/api/accounts/access-log?cursor={first['next_cursor']}").get_json()
    assert len(second["items"]) == 5 and second["next_cursor"] is None
    stolen = ola.get(f"/api/accounts/access-log?cursor={first['next_cursor']}")
    assert stolen.status_code == 400 and stolen.get_json()["field"] == "cursor"
    assert kari.get("/api/accounts/access-log?cursor=garbage").status_code == 400
