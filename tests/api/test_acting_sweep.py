"""A sweep of every patient endpoint of accounts and booking while acting for someone (R35-R37, R55, R56).

The route lists below are checked against both apps' url_maps, so a new patient route fails here until
it is added to the sweep. Three situations, each in one logged-in session of the parent (Ola Hansen):
- acting for a 13-year-old (Ida, registered by her clinic through the clinic API) who has a hidden
  appointment ("Skjult time"): booking works in her name, the hidden one never appears (lists, counts,
  .ics, by id: 404), her reads go into her access log;
- acting for a child who has turned 16 (Jonas, the demo family): every booking endpoint is refused,
  also in a session opened before the birthday, the clock moved past Oslo midnight;
- after Fjern (by the parent in another tab, by the child, by the clinic): every booking endpoint is
  refused at once in the session that is still open.
Accounts' patient endpoints are always the logged-in person's own (self_actor): in every situation they
answer with the parent's own data and never with the child's (nor the child's national id, R56)."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from devstack import demo
from functions.accounts.app import make_app as accounts_app
from functions.accounts.model import Profile
from functions.accounts.repository import ProfileRepository
from functions.booking.app import make_app as booking_app_factory
from functions.core import national_id
from functions.core import representation as rep
from functions.core.clock import OSLO
from functions.core.core_records import MembershipRecord
from functions.core.web import COOKIE
from tests.api.booking.conftest import first_free
from tests.api.booking.test_clinic_booking_api import StaffClient, error
from tests.api.conftest import PatientClient
from tests.api.test_profile_api import png_bytes
from tests.support.openapi_fuzz import served_routes

# Every patient route of booking: (method, route as in the url_map).
BOOKING_ROUTES = {
    ("GET", "/api/booking/clinics"),
    ("GET", "/api/booking/clinics/{clinic_id}"),
    ("GET", "/api/booking/timebooks/{timebok_id}/month"),
    ("GET", "/api/booking/timebooks/{timebok_id}/day"),
    ("POST", "/api/booking/appointments"),
    ("POST", "/api/booking/requests"),
    ("GET", "/api/booking/appointments"),
    ("POST", "/api/booking/appointments/{appointment_id}/cancel"),
    ("POST", "/api/booking/appointments/{appointment_id}/move"),
    ("GET", "/api/booking/appointments/{appointment_id}/calendar.ics"),
    ("POST", "/api/booking/appointments/{appointment_id}/video"),
    ("PUT", "/api/booking/appointments/{appointment_id}/waitlist"),
    ("DELETE", "/api/booking/appointments/{appointment_id}/waitlist"),
}
BY_ID = {route for route in BOOKING_ROUTES if "{appointment_id}" in route[1]}
# Accounts routes that are not a session's: the browser's way into a login.
LOGIN_ROUTES = {("GET", "/api/accounts/login"), ("GET", "/api/accounts/callback")}
ACCOUNTS_ROUTES = {  # every patient route of accounts: the logged-in person's own
    ("GET", "/api/accounts/session"),
    ("POST", "/api/accounts/logout"),
    ("GET", "/api/accounts/profile"),
    ("PATCH", "/api/accounts/profile"),
    ("POST", "/api/accounts/profile/addresses"),
    ("POST", "/api/accounts/profile/phones"),
    ("PUT", "/api/accounts/profile/phones/{phone_id}"),
    ("DELETE", "/api/accounts/profile/phones/{phone_id}"),
    ("PUT", "/api/accounts/profile/contact"),
    ("PUT", "/api/accounts/profile/picture"),
    ("GET", "/api/accounts/consent"),
    ("POST", "/api/accounts/consent"),
    ("DELETE", "/api/accounts/consent"),
    ("GET", "/api/accounts/access-log"),
    ("GET", "/api/accounts/export"),
    ("GET", "/api/accounts/relations"),
    ("DELETE", "/api/accounts/relations/{patient_id}"),
    ("POST", "/api/accounts/relations/fullmakt"),
    ("POST", "/api/accounts/acting-for"),
}

FREE_DAY = "2026-11-25"   # Wednesday: Storgata's tb-lise has free ordinary times from 08:00


@pytest.fixture
def booking_app(runtime):
    return booking_app_factory(runtime)


def test_the_sweep_names_every_patient_route_of_both_apps(runtime):
    booking = served_routes(booking_app_factory(runtime), "/api/booking/", "")
    assert {r for r in booking if not r[1].startswith("/api/booking/clinic/")} == BOOKING_ROUTES
    accounts = served_routes(accounts_app(runtime), "/api/accounts/", "")
    assert {r for r in accounts if not r[1].startswith("/api/accounts/clinic/")} == ACCOUNTS_ROUTES | LOGIN_ROUTES


class Holder:
    """One logged-in session of a parent on both apps (the same cookie), acting for `subject`. The
    accounts app is `portal` (its relying party talks to the stand-in ID-porten, which logout needs)."""

    def __init__(self, app, booking_app, runtime, subject: str, holder: str = "p-ola") -> None:
        self.patient = PatientClient(app, runtime, holder)
        self.booking = booking_app.test_client()
        self.booking.set_cookie(COOKIE, self.patient.token)
        self.answers: list[str] = []   # every answer's text, to look for what must never be in one
        if subject:
            assert self.call("POST", "/api/accounts/acting-for", {"patient_id": subject}).status_code == 200

    def call(self, method: str, path: str, body=None, **kw):
        client = self.booking if path.startswith("/api/booking/") else self.patient.client
        headers = {} if method == "GET" else {"X-CSRF-Token": self.patient.session.csrf}
        if body is None and method != "GET" and "data" not in kw:
            body = {}
        answer = client.open(path, method=method, json=body, headers=headers, **kw)
        self.answers.append(answer.get_data(as_text=True))
        return answer


def booking_calls(slot: str, other_slot: str, appointment_id: str) -> list[tuple[tuple, str, dict | None]]:
    """One well-formed call per booking route (so only the relation can refuse it), with the given ids."""
    by_id = f"/api/booking/appointments/{appointment_id}"
    calls = [
        (("GET", "/api/booking/clinics"), "/api/booking/clinics?q=legesenter", None),
        (("GET", "/api/booking/clinics/{clinic_id}"), "/api/booking/clinics/c-storgata", None),
        (("GET", "/api/booking/timebooks/{timebok_id}/month"),
         "/api/booking/timebooks/tb-lise/month?month=2026-11&type=ordinar", None),
        (("GET", "/api/booking/timebooks/{timebok_id}/day"),
         f"/api/booking/timebooks/tb-lise/day?date={FREE_DAY}&type=ordinar&all=1", None),
        (("POST", "/api/booking/appointments"), "/api/booking/appointments", {"slot_id": slot, "remark": "Sweep"}),
        (("POST", "/api/booking/requests"), "/api/booking/requests", {
            "clinic_id": "c-fjordheim", "practitioner_id": "s-anne", "date": FREE_DAY, "interval_id": "i10",
            "type_id": "ordinar", "remark": "Sweep"}),
        (("GET", "/api/booking/appointments"), "/api/booking/appointments?tab=all", None),
        (("GET", "/api/booking/appointments/{appointment_id}/calendar.ics"), f"{by_id}/calendar.ics", None),
        (("POST", "/api/booking/appointments/{appointment_id}/video"), f"{by_id}/video", {}),
        (("PUT", "/api/booking/appointments/{appointment_id}/waitlist"), f"{by_id}/waitlist",
         {"weekdays": [0, 1, 2, 3, 4], "before": None}),
        (("DELETE", "/api/booking/appointments/{appointment_id}/waitlist"), f"{by_id}/waitlist", None),
        (("POST", "/api/booking/appointments/{appointment_id}/move"), f"{by_id}/move", {"slot_id": other_slot}),
        (("POST", "/api/booking/appointments/{appointment_id}/cancel"), f"{by_id}/cancel", {}),
    ]
    assert {route for route, _, _ in calls} == BOOKING_ROUTES
    return calls


def accounts_calls(runtime, subject: str) -> list[tuple[tuple, str, dict | None, dict]]:
    """One call per accounts patient route, in an order that leaves the session usable until logout."""
    kari = next(p["pid"] for p in runtime.persons if p["name"] == "Kari Nordmann")
    today = runtime.clock.now().astimezone(OSLO).date()
    period = {"valid_from": today.isoformat(), "valid_until": (today + timedelta(days=60)).isoformat()}
    picture = {"data": png_bytes(), "content_type": "image/png"}
    calls = [
        (("GET", "/api/accounts/session"), "/api/accounts/session", None, {}),
        (("GET", "/api/accounts/profile"), "/api/accounts/profile", None, {}),
        (("PATCH", "/api/accounts/profile"), "/api/accounts/profile", {"middle_name": "Sveip"}, {}),
        (("POST", "/api/accounts/profile/addresses"), "/api/accounts/profile/addresses",
         {"street": "Sveipeveien 1", "postal_code": "0150", "city": "Oslo"}, {}),
        (("POST", "/api/accounts/profile/phones"), "/api/accounts/profile/phones", {"number": "+4798765432"}, {}),
        (("PUT", "/api/accounts/profile/phones/{phone_id}"), "/api/accounts/profile/phones/t1",
         {"number": "+4798765433"}, {}),
        (("PUT", "/api/accounts/profile/contact"), "/api/accounts/profile/contact",
         {"channel": "email", "phone_id": None, "address_id": None}, {}),
        (("DELETE", "/api/accounts/profile/phones/{phone_id}"), "/api/accounts/profile/phones/t1", None, {}),
        (("PUT", "/api/accounts/profile/picture"), "/api/accounts/profile/picture", None, picture),
        (("GET", "/api/accounts/consent"), "/api/accounts/consent", None, {}),
        (("DELETE", "/api/accounts/consent"), "/api/accounts/consent", None, {}),
        (("POST", "/api/accounts/consent"), "/api/accounts/consent", {"version": runtime.settings.terms_version}, {}),
        (("GET", "/api/accounts/access-log"), "/api/accounts/access-log", None, {}),
        (("GET", "/api/accounts/export"), "/api/accounts/export", None, {}),
        (("GET", "/api/accounts/relations"), "/api/accounts/relations", None, {}),
        (("POST", "/api/accounts/relations/fullmakt"), "/api/accounts/relations/fullmakt",
         {"national_id": kari, **period}, {}),
        (("DELETE", "/api/accounts/relations/{patient_id}"), "/api/accounts/relations/p-kari", None, {}),
        (("POST", "/api/accounts/acting-for"), "/api/accounts/acting-for", {"patient_id": subject}, {}),
        (("POST", "/api/accounts/logout"), "/api/accounts/logout", None, {}),
    ]
    assert {route for route, *_ in calls} == ACCOUNTS_ROUTES
    return calls


def sweep_accounts(holder: Holder, runtime, subject: str, subject_reachable: bool) -> None:
    """Every accounts patient route answers with the holder's own data, never the subject's; the
    subject's profile is untouched. Switching to the subject works only while the relation gives access."""
    profiles = ProfileRepository()
    before, own = profiles.get(subject), profiles.get("p-ola")
    for route, path, body, raw in accounts_calls(runtime, subject):
        answer = holder.call(route[0], path, body, **raw)
        if route == ("POST", "/api/accounts/acting-for") and not subject_reachable:
            error(answer, 404, "not_found", "patient_id")
            continue
        assert answer.status_code < 300, (route, answer.status_code, answer.get_json())
        if route in {("GET", "/api/accounts/profile"), ("PATCH", "/api/accounts/profile")}:
            assert answer.get_json()["national_id"] == own.national_id, route
        if route == ("GET", "/api/accounts/session"):
            assert answer.get_json()["display_name"] == "Ola Hansen"
            assert answer.get_json()["acting_for"]["ended"] is (not subject_reachable)
        if route == ("GET", "/api/accounts/export"):
            assert answer.get_json()["profile"]["national_id"] == own.national_id
    after = profiles.get(subject)
    assert (after.middle_name, after.addresses, after.phones, after.picture_key, after.consent_version) == (
        before.middle_name, before.addresses, before.phones, before.picture_key, before.consent_version)
    assert profiles.get("p-ola").middle_name == "Sveip"   # the holder's own profile was the one changed
    assert not any(before.national_id in text for text in holder.answers), "the child's national id (R56)"


def assert_all_booking_refused(holder: Holder, appointment_id: str) -> None:
    for route, path, body in booking_calls(f"tb-lise~{FREE_DAY}T08:00:00Z", f"tb-lise~{FREE_DAY}T08:20:00Z",
                                           appointment_id):
        error(holder.call(route[0], path, body), 403, "relation_ended")


# --- a 13-year-old with a hidden appointment (R36) ---

def seed_teen(runtime, clinic_id: str = "c-storgata") -> tuple[str, str]:
    """Ida Hansen, 13, a patient of Storgata only (her parent Ola is Fjordheim's), consent given."""
    today = runtime.clock.now().astimezone(OSLO).date()
    pid = demo.pid_for(demo.DemoPerson("ida", "Ida", "Hansen", "", 13, 161, 512, clinic_id, "s-lise"), today)
    nid = national_id.parse(pid, allow_synthetic=True)
    assert rep.age_on(nid.birth_date, today) == 13
    ProfileRepository().create(national_id.lookup_key(nid, runtime.pepper), Profile(
        patient_id="p-ida", national_id=pid, birth_date=nid.birth_date, first_name="Ida", last_name="Hansen",
        consent_version=runtime.settings.terms_version, consent_at=runtime.clock.now()))
    MembershipRecord("PAT#p-ida", f"CLINIC#{clinic_id}", clinic_id=clinic_id, gp_practitioner_id="s-lise",
                     since=runtime.clock.now()).save()
    return "p-ida", pid


@pytest.fixture
def teen(app, booking_app, runtime, clinic_headers):
    """Ida, her parent registered by her clinic by national id, and a hidden appointment Lise booked."""
    ida, _ = seed_teen(runtime)
    ola_nid = next(p["pid"] for p in runtime.persons if p["name"] == "Ola Hansen")
    registered = app.test_client().post(f"/api/accounts/clinic/patients/{ida}/parents",
                                        json={"national_id": ola_nid}, headers=clinic_headers)
    assert registered.status_code == 201, registered.get_json()
    hidden = StaffClient(booking_app, clinic_headers).send("POST", "/appointments", json={
        "patient_id": ida, "timebok_id": "tb-lise", "start": "2026-11-26T12:00", "type_id": "skjult"})
    assert hidden.status_code == 201, hidden.get_json()
    return ida, hidden.get_json()["id"]


def test_R36_acting_for_a_13_year_old_every_booking_endpoint_works_in_her_name_without_the_hidden_one(
        portal, booking_app, runtime, teen):
    ida, hidden_id = teen
    ola = Holder(portal, booking_app, runtime, ida)
    scopes = ola.call("GET", "/api/accounts/session").get_json()["acting_for"]["scopes"]
    assert scopes == ["appointments", "prescriptions"]   # 12-15: the limited view (R36)
    slots = [s["id"] for s in first_free(ola.booking, date=FREE_DAY)]
    calls = booking_calls(slots[0], slots[1], "{booked}")
    booked = None
    for route, path, body in calls:
        path = path.replace("{booked}", booked or "")
        if route in BY_ID:   # the hidden one by id: as if it did not exist
            hidden_path = path.replace(f"/appointments/{booked}/", f"/appointments/{hidden_id}/")
            error(ola.call(route[0], hidden_path, body), 404, "not_found")
        answer = ola.call(route[0], path, body)
        if route == ("GET", "/api/booking/clinics"):
            assert [c["id"] for c in answer.get_json()["attached"]] == ["c-storgata"]   # Ida's, not Ola's
        elif route == ("POST", "/api/booking/appointments"):
            assert answer.status_code == 201, answer.get_json()
            booked = answer.get_json()["id"]
        elif route == ("POST", "/api/booking/requests"):
            assert answer.status_code == 201, answer.get_json()
        elif route == ("GET", "/api/booking/appointments"):
            assert answer.status_code == 200
            assert hidden_id not in {i["id"] for i in answer.get_json()["items"]}
            assert len(answer.get_json()["items"]) == 2                      # the booking and the request
        elif route == ("GET", "/api/booking/appointments/{appointment_id}/calendar.ics"):
            assert answer.status_code == 200 and answer.mimetype == "text/calendar"
        elif route == ("POST", "/api/booking/appointments/{appointment_id}/video"):
            error(answer, 422, "not_video")                                  # reached: not a video time
        else:
            assert answer.status_code == 200, (route, answer.get_json())
    for tab in ("booked", "cancelled", "all"):
        items = ola.call("GET", f"/api/booking/appointments?tab={tab}").get_json()["items"]
        assert hidden_id not in {i["id"] for i in items}, tab
    assert not any(hidden_id in text for text in ola.answers)
    # Ida herself sees everything, the hidden one too; the parent's booking was in her name
    herself = Holder(portal, booking_app, runtime, "", holder=ida)
    own = herself.call("GET", "/api/booking/appointments?tab=all").get_json()["items"]
    assert hidden_id in {i["id"] for i in own} and booked in {i["id"] for i in own}
    assert len(own) == len(ola.call("GET", "/api/booking/appointments?tab=all").get_json()["items"]) + 1
    log = herself.call("GET", "/api/accounts/access-log").get_json()["items"]
    assert any(e["actor_name"] == "Ola Hansen" and e["actor_kind"] == "representative" for e in log), log


def test_R36_R56_acting_for_a_13_year_old_every_accounts_endpoint_is_the_parents_own(
        portal, booking_app, runtime, teen):
    ida, hidden_id = teen
    ola = Holder(portal, booking_app, runtime, ida)
    sweep_accounts(ola, runtime, ida, subject_reachable=True)
    assert not any(hidden_id in text for text in ola.answers)


# --- a child who turned 16 (R36) ---

def test_R36_at_the_16th_birthday_every_booking_endpoint_is_refused_in_a_session_already_open(
        portal, booking_app, runtime):
    before = Holder(portal, booking_app, runtime, "p-jonas")
    slot = first_free(before.booking, date=FREE_DAY)[0]["id"]
    booked = before.call("POST", "/api/booking/appointments", {"slot_id": slot})
    assert booked.status_code == 201, booked.get_json()
    until = date.fromisoformat(next(r for r in before.call("GET", "/api/accounts/relations").get_json()["items"]
                                    if r["patient_id"] == "p-jonas")["access_until"])
    sixteenth = datetime.combine(until + timedelta(days=1), time(0), OSLO)   # Oslo midnight
    runtime.clock.set(sixteenth - timedelta(minutes=10))
    ola = Holder(portal, booking_app, runtime, "p-jonas")
    assert ola.call("GET", "/api/booking/appointments?tab=all").status_code == 200   # still a child
    runtime.clock.set(sixteenth + timedelta(minutes=1))
    assert_all_booking_refused(ola, booked.get_json()["id"])
    assert ola.call("GET", "/api/accounts/session").get_json()["acting_for"]["ended"] is True
    sweep_accounts(ola, runtime, "p-jonas", subject_reachable=False)


# --- after Fjern (R35) ---

def _fjern_by(who: str, app, runtime, clinic_headers, other_clinic_headers):
    if who == "parent":   # another tab of the same parent
        return PatientClient(app, runtime, "p-ola").send("DELETE", "/api/accounts/relations/p-jonas")
    if who == "child":
        return PatientClient(app, runtime, "p-jonas").send("DELETE", "/api/accounts/relations/p-ola")
    return app.test_client().delete("/api/accounts/clinic/patients/p-jonas/parents/p-ola",
                                    headers=other_clinic_headers)


@pytest.mark.parametrize("who", ["parent", "child", "clinic"])
def test_R35_after_fjern_every_booking_endpoint_is_refused_at_once_in_the_live_session(
        app, portal, booking_app, runtime, clinic_headers, other_clinic_headers, who):
    ola = Holder(portal, booking_app, runtime, "p-jonas")
    slot = first_free(ola.booking, date=FREE_DAY)[0]["id"]
    booked = ola.call("POST", "/api/booking/appointments", {"slot_id": slot})
    assert booked.status_code == 201, booked.get_json()
    assert _fjern_by(who, app, runtime, clinic_headers, other_clinic_headers).status_code == 200
    assert_all_booking_refused(ola, booked.get_json()["id"])
    assert ola.call("GET", "/api/accounts/session").get_json()["acting_for"]["ended"] is True
    assert "p-jonas" not in {r["patient_id"] for r in ola.call("GET", "/api/accounts/relations").get_json()["items"]}
    sweep_accounts(ola, runtime, "p-jonas", subject_reachable=False)
