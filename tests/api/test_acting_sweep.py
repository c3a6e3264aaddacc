"""A sweep of every patient endpoint of accounts, booking, dialogs and pharmacy while acting for someone (R35-R37,
R55, R56).

The route lists below are checked against the apps' url_maps, so a new patient route fails here until
it is added to the sweep. Three situations, each in one logged-in session of the parent (Ola Hansen):
- acting for a 13-year-old (Ida, registered by her clinic through the clinic API) who has a hidden
  appointment ("Skjult time"): booking works in her name, the hidden one never appears (lists, counts,
  .ics, by id: 404), her reads go into her access log; in Kommunikasjon her prescription matters work
  in her name and her own message never appears (inbox, unread, by id: 404);
- acting for a child who has turned 16 (Jonas, the demo family): every booking and dialogs endpoint is
  refused, also in a session opened before the birthday, the clock moved past Oslo midnight;
- after Fjern (by the parent in another tab, by the child, by the clinic): every booking and dialogs
  endpoint is refused at once in the session that is still open.
Accounts' patient endpoints are always the logged-in person's own (self_actor): in every situation they
answer with the parent's own data and never with the child's (nor the child's national id, R56)."""
from __future__ import annotations

import secrets
from datetime import date, datetime, time, timedelta

import pytest

from devstack import demo
from functions.accounts.app import make_app as accounts_app
from functions.accounts.model import Profile
from functions.accounts.repository import ProfileRepository
from functions.booking.app import make_app as booking_app_factory
from functions.core import national_id
from functions.core import representation as rep
from functions.core.actor import HIGH, PATIENT, Actor
from functions.core.clock import OSLO
from functions.core.core_records import MembershipRecord
from functions.core.web import COOKIE
from functions.dialogs.app import make_app as dialogs_app_factory
from functions.dialogs.patient_service import NewDialog
from functions.dialogs.services import build as build_dialogs
from functions.pharmacy.app import make_app as pharmacy_app_factory
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
# Every patient route of dialogs (Kommunikasjon).
DIALOGS_ROUTES = {
    ("GET", "/api/dialogs/inbox"),
    ("GET", "/api/dialogs/unread"),
    ("GET", "/api/dialogs/clinics/{clinic_id}/start"),
    ("GET", "/api/dialogs/clinics/{clinic_id}/invoices"),
    ("POST", "/api/dialogs/attachments"),
    ("POST", "/api/dialogs/dialogs"),
    ("GET", "/api/dialogs/dialogs/{dialog_id}"),
    ("POST", "/api/dialogs/dialogs/{dialog_id}/messages"),
    ("GET", "/api/dialogs/dialogs/{dialog_id}/attachments/{attachment_id}"),
}
DIALOG_BY_ID = {route for route in DIALOGS_ROUTES if "{dialog_id}" in route[1]}
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


def test_the_sweep_names_every_patient_route_of_every_app(runtime):
    booking = served_routes(booking_app_factory(runtime), "/api/booking/", "")
    assert {r for r in booking if not r[1].startswith("/api/booking/clinic/")} == BOOKING_ROUTES
    dialogs = served_routes(dialogs_app_factory(runtime), "/api/dialogs/", "")
    assert {r for r in dialogs if not r[1].startswith("/api/dialogs/clinic/")} == DIALOGS_ROUTES
    accounts = served_routes(accounts_app(runtime), "/api/accounts/", "")
    assert {r for r in accounts if not r[1].startswith("/api/accounts/clinic/")} == ACCOUNTS_ROUTES | LOGIN_ROUTES


class Holder:
    """One logged-in session of a parent on every app (the same cookie), acting for `subject`. The
    accounts app is `portal` (its relying party talks to the stand-in ID-porten, which logout needs)."""

    def __init__(self, app, booking_app, runtime, subject: str, holder: str = "p-ola") -> None:
        self.patient = PatientClient(app, runtime, holder)
        self.booking = booking_app.test_client()
        self.booking.set_cookie(COOKIE, self.patient.token)
        self.dialogs = dialogs_app_factory(runtime).test_client()
        self.dialogs.set_cookie(COOKIE, self.patient.token)
        self.answers: list[str] = []   # every answer's text, to look for what must never be in one
        if subject:
            assert self.call("POST", "/api/accounts/acting-for", {"patient_id": subject}).status_code == 200

    def call(self, method: str, path: str, body=None, **kw):
        client = self.booking if path.startswith("/api/booking/") else \
            self.dialogs if path.startswith("/api/dialogs/") else self.patient.client
        headers = {} if method == "GET" else {"X-CSRF-Token": self.patient.session.csrf,
                                              "Idempotency-Key": "sweep-" + secrets.token_hex(8)}
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


def dialogs_calls(dialog_id: str, attachment_id: str, clinic_id: str = "c-storgata") -> list[tuple]:
    """One well-formed call per dialogs route (so only the relation can refuse it), with the given ids."""
    by_id = f"/api/dialogs/dialogs/{dialog_id}"
    calls = [
        (("GET", "/api/dialogs/inbox"), "/api/dialogs/inbox", None, {}),
        (("GET", "/api/dialogs/unread"), "/api/dialogs/unread", None, {}),
        (("GET", "/api/dialogs/clinics/{clinic_id}/start"), f"/api/dialogs/clinics/{clinic_id}/start", None, {}),
        (("GET", "/api/dialogs/clinics/{clinic_id}/invoices"), f"/api/dialogs/clinics/{clinic_id}/invoices",
         None, {}),
        (("POST", "/api/dialogs/attachments"), "/api/dialogs/attachments", None,
         {"data": png_bytes(), "content_type": "image/png"}),
        (("POST", "/api/dialogs/dialogs"), "/api/dialogs/dialogs", {
            "clinic_id": clinic_id, "kind": "resept", "text": "", "medicine": "Ventoline", "dose": "0,1 mg",
            "amount": "1 inhalator", "attachments": ["{upload}"]}, {}),
        (("GET", "/api/dialogs/dialogs/{dialog_id}"), by_id, None, {}),
        (("POST", "/api/dialogs/dialogs/{dialog_id}/messages"), f"{by_id}/messages", {"text": "Sweep"}, {}),
        (("GET", "/api/dialogs/dialogs/{dialog_id}/attachments/{attachment_id}"),
         f"{by_id}/attachments/{attachment_id}", None, {}),
    ]
    assert {route for route, *_ in calls} == DIALOGS_ROUTES
    return calls


def dialog_in_name(holder: Holder, clinic_id: str) -> tuple[str, str]:
    """A prescription request with a photo, sent while the relation still gives access: (dialog, file)."""
    photo = holder.call("POST", "/api/dialogs/attachments", data=png_bytes(), content_type="image/png")
    assert photo.status_code == 201, photo.get_json()
    sent = holder.call("POST", "/api/dialogs/dialogs", {
        "clinic_id": clinic_id, "kind": "resept", "text": "", "medicine": "Ventoline", "dose": "0,1 mg",
        "amount": "1 inhalator", "attachments": [photo.get_json()["id"]]})
    assert sent.status_code == 201, sent.get_json()
    return sent.get_json()["id"], photo.get_json()["id"]


def assert_all_dialogs_refused(holder: Holder, dialog_id: str, attachment_id: str, clinic_id: str) -> None:
    fresh = "AAAAAAAAAAAAAAAA"   # an upload id: the send is refused before any upload is looked at
    for route, path, body, raw in dialogs_calls(dialog_id, attachment_id, clinic_id):
        if body and body.get("attachments"):
            body = {**body, "attachments": [fresh]}
        error(holder.call(route[0], path, body, **raw), 403, "relation_ended")


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


def test_R36_R55_acting_for_a_13_year_old_every_dialogs_endpoint_works_for_prescriptions_only(
        portal, booking_app, runtime, teen):
    """12-15: prescription matters in her name; her own message (not marked shareable) never shows."""
    ida, _ = teen
    herself_actor = Actor(kind=PATIENT, actor_id=ida, on_behalf_of=ida, level=HIGH)
    own = build_dialogs(runtime).patient.start(herself_actor, NewDialog(
        "c-storgata", "annen", "Kan jeg snakke med legen uten at foreldrene mine vet det?"), "ida-own-1")
    ola = Holder(portal, booking_app, runtime, ida)
    sent = upload = None
    for route, path, body, raw in dialogs_calls("{sent}", "{upload}"):
        path = path.replace("{sent}", sent or "").replace("{upload}", upload or "")
        if body and body.get("attachments"):
            body = {**body, "attachments": [upload]}
        if route in DIALOG_BY_ID:   # her own message by id: as if it did not exist
            error(ola.call(route[0], path.replace(f"/dialogs/{sent}", f"/dialogs/{own}"), body, **raw), 404,
                  "not_found")
        answer = ola.call(route[0], path, body, **raw)
        if route == ("GET", "/api/dialogs/clinics/{clinic_id}/invoices"):
            error(answer, 403, "not_for_representative")              # invoices are not hers to show him
            continue
        assert answer.status_code in (200, 201, 302), (route, answer.status_code, answer.get_json())
        if route == ("GET", "/api/dialogs/inbox"):
            assert own not in {d["id"] for d in answer.get_json()["dialogs"]}
        elif route == ("GET", "/api/dialogs/unread"):
            assert answer.get_json()["count"] == 0
        elif route == ("GET", "/api/dialogs/clinics/{clinic_id}/start"):
            assert answer.get_json()["kinds"] == ["resept"] and answer.get_json()["recipients"] == []
        elif route == ("POST", "/api/dialogs/attachments"):
            upload = answer.get_json()["id"]
        elif route == ("POST", "/api/dialogs/dialogs"):
            sent = answer.get_json()["id"]
            assert answer.get_json()["messages"][0]["author_name"] == "Ola Hansen"
    assert not any(own in text or "foreldrene" in text for text in ola.answers)
    inbox = ola.call("GET", "/api/dialogs/inbox").get_json()["dialogs"]
    assert [d["id"] for d in inbox] == [sent]
    # Ida sees both; the parent's reads of hers are in her access log
    herself = Holder(portal, booking_app, runtime, "", holder=ida)
    assert {d["id"] for d in herself.call("GET", "/api/dialogs/inbox").get_json()["dialogs"]} == {own, sent}
    log = herself.call("GET", "/api/accounts/access-log").get_json()["items"]
    by_ola = {e["what"] for e in log if e["actor_name"] == "Ola Hansen" and e["actor_kind"] == "representative"}
    assert {"Innboks (meldinger)", "En melding (dialog)"} <= by_ola, log


def test_R36_R56_acting_for_a_13_year_old_every_accounts_endpoint_is_the_parents_own(
        portal, booking_app, runtime, teen):
    ida, hidden_id = teen
    ola = Holder(portal, booking_app, runtime, ida)
    sweep_accounts(ola, runtime, ida, subject_reachable=True)
    assert not any(hidden_id in text for text in ola.answers)


# --- a child who turned 16 (R36) ---

def test_R36_at_the_16th_birthday_every_booking_and_dialogs_endpoint_is_refused_in_an_open_session(
        portal, booking_app, runtime):
    before = Holder(portal, booking_app, runtime, "p-jonas")
    slot = first_free(before.booking, date=FREE_DAY)[0]["id"]
    booked = before.call("POST", "/api/booking/appointments", {"slot_id": slot})
    assert booked.status_code == 201, booked.get_json()
    asked, photo = dialog_in_name(before, "c-fjordheim")
    until = date.fromisoformat(next(r for r in before.call("GET", "/api/accounts/relations").get_json()["items"]
                                    if r["patient_id"] == "p-jonas")["access_until"])
    sixteenth = datetime.combine(until + timedelta(days=1), time(0), OSLO)   # Oslo midnight
    runtime.clock.set(sixteenth - timedelta(minutes=10))
    ola = Holder(portal, booking_app, runtime, "p-jonas")
    assert ola.call("GET", "/api/booking/appointments?tab=all").status_code == 200   # still a child
    runtime.clock.set(sixteenth + timedelta(minutes=1))
    assert_all_booking_refused(ola, booked.get_json()["id"])
    assert_all_dialogs_refused(ola, asked, photo, "c-fjordheim")
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
def test_R35_after_fjern_every_booking_and_dialogs_endpoint_is_refused_at_once_in_the_live_session(
        app, portal, booking_app, runtime, clinic_headers, other_clinic_headers, who):
    ola = Holder(portal, booking_app, runtime, "p-jonas")
    slot = first_free(ola.booking, date=FREE_DAY)[0]["id"]
    booked = ola.call("POST", "/api/booking/appointments", {"slot_id": slot})
    assert booked.status_code == 201, booked.get_json()
    asked, photo = dialog_in_name(ola, "c-fjordheim")
    assert _fjern_by(who, app, runtime, clinic_headers, other_clinic_headers).status_code == 200
    assert_all_booking_refused(ola, booked.get_json()["id"])
    assert_all_dialogs_refused(ola, asked, photo, "c-fjordheim")
    assert ola.call("GET", "/api/accounts/session").get_json()["acting_for"]["ended"] is True
    assert "p-jonas" not in {r["patient_id"] for r in ola.call("GET", "/api/accounts/relations").get_json()["items"]}
    sweep_accounts(ola, runtime, "p-jonas", subject_reachable=False)


# --- E-apotek (functions/pharmacy): every patient route after the 16th birthday and after Fjern ---
# (working in the child's name while the relation gives access: tests/api/pharmacy/test_pharmacy_acting_api.py)

PHARMACY_ROUTES = {
    ("GET", "/api/pharmacy/vendors"),
    ("GET", "/api/pharmacy/vendors/{vendor_id}/prices"),
    ("PUT", "/api/pharmacy/vendors/{vendor_id}/consent"),
    ("DELETE", "/api/pharmacy/vendors/{vendor_id}/consent"),
    ("GET", "/api/pharmacy/contact"),
    ("GET", "/api/pharmacy/addresses"),
    ("POST", "/api/pharmacy/addresses"),
    ("POST", "/api/pharmacy/orders"),
    ("GET", "/api/pharmacy/orders"),
    ("GET", "/api/pharmacy/orders/{order_id}"),
}


def test_the_sweep_names_every_patient_route_of_pharmacy(runtime):
    pharmacy = served_routes(pharmacy_app_factory(runtime), "/api/pharmacy/", "")
    assert {r for r in pharmacy if not r[1].startswith("/api/pharmacy/vendor/")} == PHARMACY_ROUTES


class PharmacyHolder(Holder):
    """Holder with the pharmacy app on the same session cookie."""

    def __init__(self, app, booking_app, runtime, subject: str, holder: str = "p-ola") -> None:
        super().__init__(app, booking_app, runtime, subject, holder)
        self.pharmacy = pharmacy_app_factory(runtime).test_client()
        self.pharmacy.set_cookie(COOKIE, self.patient.token)

    def call(self, method: str, path: str, body=None, **kw):
        if not path.startswith("/api/pharmacy/"):
            return super().call(method, path, body, **kw)
        headers = {} if method == "GET" else {"X-CSRF-Token": self.patient.session.csrf,
                                              "Idempotency-Key": "sweep-" + secrets.token_hex(8)}
        answer = self.pharmacy.open(path, method=method, json=body if method != "GET" else None, headers=headers)
        self.answers.append(answer.get_data(as_text=True))
        return answer


def pharmacy_calls(order_id: str) -> list[tuple[tuple, str, dict | None]]:
    """One well-formed call per pharmacy patient route (so only the relation can refuse it)."""
    vendor = "/api/pharmacy/vendors/v-nordlys"
    calls = [
        (("GET", "/api/pharmacy/vendors"), "/api/pharmacy/vendors", None),
        (("GET", "/api/pharmacy/vendors/{vendor_id}/prices"), f"{vendor}/prices", None),
        (("PUT", "/api/pharmacy/vendors/{vendor_id}/consent"), f"{vendor}/consent", {}),
        (("GET", "/api/pharmacy/contact"), "/api/pharmacy/contact", None),
        (("GET", "/api/pharmacy/addresses"), "/api/pharmacy/addresses", None),
        (("POST", "/api/pharmacy/addresses"), "/api/pharmacy/addresses",
         {"street": "Sveipeveien 2", "postal_code": "0150", "city": "Oslo"}),
        (("POST", "/api/pharmacy/orders"), "/api/pharmacy/orders", pharmacy_order()),
        (("GET", "/api/pharmacy/orders"), "/api/pharmacy/orders", None),
        (("GET", "/api/pharmacy/orders/{order_id}"), f"/api/pharmacy/orders/{order_id}", None),
        (("DELETE", "/api/pharmacy/vendors/{vendor_id}/consent"), f"{vendor}/consent", None),
    ]
    assert {route for route, *_ in calls} == PHARMACY_ROUTES
    return calls


def pharmacy_order() -> dict:
    return {"vendor_id": "v-nordlys", "phone": "923 45 678", "email": "ola.hansen@example.no", "substitution": True,
            "address_id": "reg-a1", "delivery": "post_i_butikk", "medicines": ["Ventoline 0,1 mg, 1 inhalator"]}


def pharmacy_order_in_name(holder: PharmacyHolder) -> str:
    """While the relation still gives access: the vendor consent and an order in the child's name."""
    assert holder.call("PUT", "/api/pharmacy/vendors/v-nordlys/consent", {}).status_code == 200
    placed = holder.call("POST", "/api/pharmacy/orders", pharmacy_order())
    assert placed.status_code == 201, placed.get_json()
    return placed.get_json()["id"]


def assert_all_pharmacy_refused(holder: PharmacyHolder, order_id: str) -> None:
    for route, path, body in pharmacy_calls(order_id):
        error(holder.call(route[0], path, body), 403, "relation_ended")


def test_R36_at_the_16th_birthday_every_pharmacy_endpoint_is_refused_in_an_open_session(
        portal, booking_app, runtime):
    before = PharmacyHolder(portal, booking_app, runtime, "p-jonas")
    order_id = pharmacy_order_in_name(before)
    until = date.fromisoformat(next(r for r in before.call("GET", "/api/accounts/relations").get_json()["items"]
                                    if r["patient_id"] == "p-jonas")["access_until"])
    sixteenth = datetime.combine(until + timedelta(days=1), time(0), OSLO)   # Oslo midnight
    runtime.clock.set(sixteenth - timedelta(minutes=10))
    ola = PharmacyHolder(portal, booking_app, runtime, "p-jonas")
    assert ola.call("GET", f"/api/pharmacy/orders/{order_id}").status_code == 200   # still a child
    runtime.clock.set(sixteenth + timedelta(minutes=1))
    assert_all_pharmacy_refused(ola, order_id)


@pytest.mark.parametrize("who", ["parent", "child", "clinic"])
def test_R35_after_fjern_every_pharmacy_endpoint_is_refused_at_once_in_the_live_session(
        app, portal, booking_app, runtime, clinic_headers, other_clinic_headers, who):
    ola = PharmacyHolder(portal, booking_app, runtime, "p-jonas")
    order_id = pharmacy_order_in_name(ola)
    assert _fjern_by(who, app, runtime, clinic_headers, other_clinic_headers).status_code == 200
    assert_all_pharmacy_refused(ola, order_id)
