"""Races against the real local stack through the HTTP API.

R18 under real concurrency: "20 threads race for one time -> exactly one success, nineteen 409, no
orphan or half-written records." And the cap (the clinic setting max_future_bookings) under real
concurrency: 10 threads of ONE session book 10 different times at a cap of 3 -> exactly 3 succeed,
7 get 409 `too_many_bookings`, and no time is left booked beyond the 3 (every time not won is free
and offered again).

The stack is started as the README's `make run` (its own process group, portal clock fixed with
PORTAL_NOW). Patient sessions log in over real HTTP through the stand-in ID-porten (there are six
demo persons, so several sessions share a person: every login makes a new session) and accept the
terms; threads released together by a barrier then book.

The one-time race is for a slot on the last day the demo publishes (PORTAL_NOW + 35 days), so each
loser's 409 (which carries the next free times, one Limit-4 Query) stays cheap on moto's
one-at-a-time server."""
from __future__ import annotations

import base64
import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin

import pytest
import requests

from tests.support.local_stack import Stack

pytestmark = pytest.mark.stack

RACERS = 20
PERSONS = 6  # the demo persons on the stand-in ID-porten's authorize page (indexes 0-5)
TIMEBOK, DAY = "tb-lise", "2026-12-28"  # a Monday: the last day of devstack.demo_booking's free times
COOKIE = "portal_session"
CLINIC_KEY = ("ck_demo_storgata", "demo-storgata-secret-not-for-production")
TIMEOUT = 20


class _Form(HTMLParser):
    """The authorize page's form: its action and hidden inputs."""

    def __init__(self) -> None:
        super().__init__()
        self.action: str | None = None
        self.hidden: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "form" and self.action is None:
            self.action = values.get("action")
        elif tag == "input" and values.get("type") == "hidden" and values.get("name"):
            self.hidden[values["name"]] = values.get("value") or ""


@dataclass
class Patient:
    person: int
    http: requests.Session
    csrf: str


def login(stack: Stack, person: int) -> Patient:
    """Log in through the stand-in ID-porten as demo person `person` at level high, then accept
    the current terms."""
    stack.spend_login_hits(2)
    http = requests.Session()
    start = http.get(stack.url("/api/accounts/login"), params={"level": "high", "next": "/nb/oversikt.html"},
                     allow_redirects=False, timeout=TIMEOUT)
    assert start.status_code == 302, start.text[:300]
    page = http.get(urljoin(stack.base_url, start.headers["Location"]), timeout=TIMEOUT)
    assert page.status_code == 200 and "/idporten/authorize" in page.url, page.text[:300]
    form = _Form()
    form.feed(page.text)
    assert form.action and form.hidden.get("state"), page.text[:300]
    granted = http.post(urljoin(page.url, form.action),
                        data={**form.hidden, "person": str(person), "level": "high", "action": "login"},
                        allow_redirects=False, timeout=TIMEOUT)
    assert granted.status_code == 302 and "/api/accounts/callback" in granted.headers["Location"], granted.text[:300]
    done = http.get(urljoin(page.url, granted.headers["Location"]), allow_redirects=False, timeout=TIMEOUT)
    assert done.status_code == 302 and done.headers["Location"].endswith("/nb/oversikt.html"), done.headers
    assert http.cookies.get(COOKIE), "the callback set no session cookie"

    info = http.get(stack.url("/api/accounts/session"), timeout=TIMEOUT).json()
    assert info["authenticated"] and info["level"] == "high", info
    consent = http.post(stack.url("/api/accounts/consent"), json={"version": info["consent"]["current_version"]},
                        headers={"X-CSRF-Token": info["csrf_token"]}, timeout=TIMEOUT)
    assert consent.status_code == 200 and consent.json()["given"], consent.text[:300]
    return Patient(person, http, info["csrf_token"])


def clinic_headers() -> dict[str, str]:
    key_id, secret = CLINIC_KEY
    return {"Authorization": "Basic " + base64.b64encode(f"{key_id}:{secret}".encode()).decode(),
            "X-Staff-Id": "s-lise"}


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    running = Stack()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def patients(stack: Stack) -> list[Patient]:
    return [login(stack, n % PERSONS) for n in range(RACERS)]


def free_on_day(stack: Stack, patient: Patient) -> list[dict]:
    answer = patient.http.get(stack.url(f"/api/booking/timebooks/{TIMEBOK}/day"),
                              params={"date": DAY, "type": "ordinar", "all": "1"}, timeout=TIMEOUT)
    assert answer.status_code == 200, answer.text[:300]
    return answer.json()["slots"]


def free_in_month(stack: Stack, patient: Patient) -> dict[str, int]:
    answer = patient.http.get(stack.url(f"/api/booking/timebooks/{TIMEBOK}/month"),
                              params={"month": DAY[:7], "type": "ordinar"}, timeout=TIMEOUT)
    assert answer.status_code == 200, answer.text[:300]
    return {d["date"]: d["free"] for d in answer.json()["days"]}


def test_R18_twenty_patients_race_for_one_time_and_exactly_one_gets_it(stack, patients):
    slot = free_on_day(stack, patients[0])[0]
    free_before = free_in_month(stack, patients[0])[DAY]
    barrier = threading.Barrier(RACERS, timeout=TIMEOUT)

    def attempt(n: int) -> requests.Response:
        patient = patients[n]
        headers = {"X-CSRF-Token": patient.csrf, "Idempotency-Key": f"race-{n:02d}-{uuid.uuid4().hex[:16]}"}
        barrier.wait()
        return patient.http.post(stack.url("/api/booking/appointments"), json={"slot_id": slot["id"], "remark": ""},
                                 headers=headers, timeout=30)

    with ThreadPoolExecutor(max_workers=RACERS) as pool:
        answers = list(pool.map(attempt, range(RACERS)))

    statuses = [a.status_code for a in answers]
    assert sorted(statuses) == [201] + [409] * (RACERS - 1), (
        f"{statuses}\n{[a.text[:160] for a in answers if a.status_code not in (201, 409)]}\n"
        "local stack output:\n" + stack.output(40))
    losers = [a.json() for a in answers if a.status_code == 409]
    assert {body["error"] for body in losers} == {"slot_taken"}, losers
    assert all(slot["id"] not in [s["id"] for s in body["next"]] for body in losers)
    winner = statuses.index(201)
    booked = answers[winner].json()
    assert booked["status"] == "booked" and booked["start"] == slot["start"], booked

    # The time is no longer offered, and counted once less in the month calendar.
    assert slot["id"] not in [s["id"] for s in free_on_day(stack, patients[0])]
    assert free_in_month(stack, patients[0]).get(DAY, 0) == free_before - 1

    # Across every session exactly one appointment exists at that time: the winner's, seen only by
    # the winner's person (every session of that person) and by nobody else.
    seen: dict[int, list[str]] = {}
    for n, patient in enumerate(patients):
        answer = patient.http.get(stack.url("/api/booking/appointments"), params={"tab": "all"}, timeout=TIMEOUT)
        assert answer.status_code == 200, answer.text[:300]
        seen[n] = [item["id"] for item in answer.json()["items"] if item["start"] == slot["start"]]
    owner = patients[winner].person
    assert {n: ids for n, ids in seen.items() if ids} == {
        n: [booked["id"]] for n, patient in enumerate(patients) if patient.person == owner}

    # The clinic's day list holds exactly one item at that time: the booked slot, no stray copy.
    answer = requests.get(stack.url("/api/booking/clinic/appointments"), params={"date": DAY, "timebok_id": TIMEBOK},
                          headers=clinic_headers(), timeout=TIMEOUT)
    assert answer.status_code == 200, answer.text[:300]
    at_time = [item for item in answer.json()["items"] if item["start"] == slot["start"]]
    assert [(i["id"], i["kind"], i["status"], i["slot_id"]) for i in at_time] == [
        (booked["id"], "slot", "booked", slot["id"])], at_time


CAP, CAP_TIMEBOK, CAP_DAYS = 3, "tb-per", ("2026-12-21", "2026-12-22")  # Per Persen, Storgata (cap per clinic)


def storgata_bookings(stack: Stack, patient: Patient) -> list[dict]:
    answer = patient.http.get(stack.url("/api/booking/appointments"), params={"tab": "booked"}, timeout=TIMEOUT)
    assert answer.status_code == 200, answer.text[:300]
    return [i for i in answer.json()["items"] if i["clinic"]["id"] == "c-storgata" and i["status"] == "booked"]


def put_cap(stack: Stack, cap: int) -> None:
    settings = requests.get(stack.url("/api/booking/clinic/catalog"), headers=clinic_headers(),
                            timeout=TIMEOUT).json()["settings"]
    answer = requests.put(stack.url("/api/booking/clinic/settings"), json={**settings, "max_future_bookings": cap},
                          headers=clinic_headers(), timeout=TIMEOUT)
    assert answer.status_code == 200 and answer.json()["settings"]["max_future_bookings"] == cap, answer.text[:300]


def free_times(stack: Stack, patient: Patient, day: str) -> list[dict]:
    answer = patient.http.get(stack.url(f"/api/booking/timebooks/{CAP_TIMEBOK}/day"),
                              params={"date": day, "type": "ordinar", "all": "1"}, timeout=TIMEOUT)
    assert answer.status_code == 200, answer.text[:300]
    return answer.json()["slots"]


def test_max_future_bookings_ten_parallel_bookings_of_one_session_at_a_cap_of_3_give_exactly_3(stack):
    patient = login(stack, PERSONS - 1)
    for mine in storgata_bookings(stack, patient):  # start with no future booking at Storgata
        cancel = patient.http.post(stack.url(f"/api/booking/appointments/{mine['id']}/cancel"),
                                   headers={"X-CSRF-Token": patient.csrf}, timeout=TIMEOUT)
        assert cancel.status_code == 200, cancel.text[:300]
    put_cap(stack, CAP)
    times = [s for day in CAP_DAYS for s in free_times(stack, patient, day)[:5]]
    assert len(times) == 10, times
    barrier = threading.Barrier(len(times), timeout=TIMEOUT)

    def attempt(n: int) -> requests.Response:
        http = requests.Session()  # one portal session (the same cookie), one HTTP connection per thread
        http.cookies.update(patient.http.cookies)
        headers = {"X-CSRF-Token": patient.csrf, "Idempotency-Key": f"cap-{n:02d}-{uuid.uuid4().hex[:16]}"}
        barrier.wait()
        return http.post(stack.url("/api/booking/appointments"), json={"slot_id": times[n]["id"], "remark": ""},
                         headers=headers, timeout=30)

    with ThreadPoolExecutor(max_workers=len(times)) as pool:
        answers = list(pool.map(attempt, range(len(times))))

    statuses = [a.status_code for a in answers]
    assert sorted(statuses) == [201] * CAP + [409] * (len(times) - CAP), (
        f"{statuses}\n{[a.text[:160] for a in answers]}\nlocal stack output:\n" + stack.output(40))
    assert {a.json()["error"] for a in answers if a.status_code == 409} == {"too_many_bookings"}
    won = {times[n]["id"]: a.json()["id"] for n, a in enumerate(answers) if a.status_code == 201}

    # Exactly the three won are the patient's; every other time is free and offered again.
    assert sorted(i["id"] for i in storgata_bookings(stack, patient)) == sorted(won.values())
    offered = {s["id"] for day in CAP_DAYS for s in free_times(stack, patient, day)}
    assert {t["id"] for t in times if t["id"] not in won} <= offered and not set(won) & offered
    for day in CAP_DAYS:  # the clinic's day list: no time booked beyond the three
        items = requests.get(stack.url("/api/booking/clinic/appointments"), headers=clinic_headers(),
                             params={"date": day, "timebok_id": CAP_TIMEBOK}, timeout=TIMEOUT).json()["items"]
        raced = {i["slot_id"]: i for i in items if i["kind"] == "slot" and i["slot_id"] in {t["id"] for t in times}}
        assert {ref: (i["status"], i["id"]) for ref, i in raced.items() if i["status"] != "free"} == {
            ref: ("booked", won[ref]) for ref in won if ref.split("~")[1].startswith(day)}

    # The cap still holds one at a time, and a cancellation gives its place back.
    spare = free_times(stack, patient, "2026-12-23")[0]["id"]
    again = patient.http.post(stack.url("/api/booking/appointments"), json={"slot_id": spare},
                              headers={"X-CSRF-Token": patient.csrf}, timeout=TIMEOUT)
    assert again.status_code == 409 and again.json()["error"] == "too_many_bookings", again.text[:300]
    cancel = patient.http.post(stack.url(f"/api/booking/appointments/{next(iter(won.values()))}/cancel"),
                               headers={"X-CSRF-Token": patient.csrf}, timeout=TIMEOUT)
    assert cancel.status_code == 200, cancel.text[:300]
    after = patient.http.post(stack.url("/api/booking/appointments"), json={"slot_id": spare},
                              headers={"X-CSRF-Token": patient.csrf}, timeout=TIMEOUT)
    assert after.status_code == 201, after.text[:300]
