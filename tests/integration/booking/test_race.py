"""R18 under real concurrency: "20 threads against the local stack race for one time through the
HTTP API -> exactly one success, nineteen 409, no orphan or half-written records."

The stack is started as the README's `make run` (its own process group, portal clock fixed with
PORTAL_NOW). Twenty patient sessions log in over real HTTP through the stand-in ID-porten (there
are six demo persons, so several sessions share a person: every login makes a new session) and
accept the terms; then twenty threads, released together by a barrier, book the same slot.

The slot is on the last day the demo publishes (PORTAL_NOW + 35 days). Every 409 carries the next
free times, a Query of up to 31 days of free slots, and moto's server (one request at a time) takes
about 1.5 ms per returned item: for a slot early in the range each loser costs it ~0.5 s, nineteen
of them ~10 s, and on a busy machine requests then outlive the portal's 5 s DynamoDB read timeout
(500s instead of 409s). At the end of the range the same race costs moto a few seconds at most."""
from __future__ import annotations

import base64
import os
import queue
import re
import signal
import socket
import subprocess
import threading
import time
import uuid
from collections import deque
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests

pytestmark = pytest.mark.stack

ROOT = Path(__file__).resolve().parents[3]
PORTAL_NOW = "2026-11-23T09:00:00+01:00"  # a Monday, 09:00 in Oslo
STARTED = "kjører på http"
START_TIMEOUT = 45
RACERS = 20
PERSONS = 6  # the demo persons on the stand-in ID-porten's authorize page (indexes 0-5)
TIMEBOK, DAY = "tb-lise", "2026-12-28"  # a Monday: the last day of devstack.demo_booking's free times
COOKIE = "portal_session"
CLINIC_KEY = ("ck_demo_storgata", "demo-storgata-secret-not-for-production")
LOGIN_RATE, LOGIN_MARGIN = 20, 4  # logins + callbacks per client address and portal minute (Settings)
TIMEOUT = 20


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_command() -> list[str]:
    """`make run`; when the install stamp is missing or stale, `-o` keeps make from reinstalling
    the shared virtualenv first."""
    probe = subprocess.run(["make", "-q", ".venv/.installed"], cwd=ROOT, capture_output=True, check=False)
    return ["make", "run"] if probe.returncode == 0 else ["make", "-o", ".venv/.installed", "run"]


def environment(port: int) -> dict[str, str]:
    """The caller's environment minus what would change the stack `make run` builds, plus PORT and
    PORTAL_NOW."""
    drop = ("PORTAL_", "AWS_", "MAKE", "MFLAGS")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    env.update(PORT=str(port), PORTAL_NOW=PORTAL_NOW, PYTHONUNBUFFERED="1")
    return env


class LocalStack:
    """`make run` in its own process group; its output, the URL it announced, its clock."""

    def __init__(self) -> None:
        self.command = make_command()
        self.process = subprocess.Popen(self.command, cwd=ROOT, env=environment(free_port()),
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
                                        start_new_session=True)
        self.lines: deque[str] = deque(maxlen=300)
        self._fresh: queue.Queue[str | None] = queue.Queue()
        self._login_hits: dict[int, int] = {}
        threading.Thread(target=self._pump, name="stack-output", daemon=True).start()
        self.base_url = self._wait_started()

    def _pump(self) -> None:  # an unread pipe would block the server once it fills
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))
            self._fresh.put(line)
        self._fresh.put(None)

    def _wait_started(self) -> str:
        deadline = time.monotonic() + START_TIMEOUT
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self._fresh.get(timeout=left)
            except queue.Empty:
                break
            if line is None:
                break
            if STARTED in line:
                found = re.search(r"https?://\S+", line)
                if found:
                    return found.group(0).rstrip("/")
        self.stop()
        output = "\n".join(self.lines)
        pytest.fail(f"`{' '.join(self.command)}` did not announce {STARTED!r} in {START_TIMEOUT} s:\n{output}",
                    pytrace=False)
        raise AssertionError("unreachable")

    def stop(self) -> None:
        """SIGTERM to the whole process group (make, devstack, moto), SIGKILL after 10 s."""
        if self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        except ProcessLookupError:
            pass

    def url(self, path: str) -> str:
        return self.base_url + path

    def spend_login_hits(self, hits: int) -> None:
        """Before `hits` requests to /login or /callback: if this portal minute has no room left under
        the login rate limit, move the portal clock on to the next minute (via /__dev/clock)."""
        answer = requests.get(self.url("/__dev/clock"), timeout=TIMEOUT)
        answer.raise_for_status()
        now = datetime.fromisoformat(answer.json()["now"].replace("Z", "+00:00"))
        window, second = divmod(int(now.timestamp()), 60)
        if self._login_hits.get(window, 0) + hits > LOGIN_RATE - LOGIN_MARGIN or second >= 55:
            window += 1
            moved = requests.post(self.url("/__dev/clock"),
                                  json={"now": datetime.fromtimestamp(window * 60 + 1, now.tzinfo).isoformat()},
                                  timeout=TIMEOUT)
            moved.raise_for_status()
        self._login_hits[window] = self._login_hits.get(window, 0) + hits


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


def login(stack: LocalStack, person: int) -> Patient:
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
def stack() -> Iterator[LocalStack]:
    running = LocalStack()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def patients(stack: LocalStack) -> list[Patient]:
    return [login(stack, n % PERSONS) for n in range(RACERS)]


def free_on_day(stack: LocalStack, patient: Patient) -> list[dict]:
    answer = patient.http.get(stack.url(f"/api/booking/timebooks/{TIMEBOK}/day"),
                              params={"date": DAY, "type": "ordinar", "all": "1"}, timeout=TIMEOUT)
    assert answer.status_code == 200, answer.text[:300]
    return answer.json()["slots"]


def free_in_month(stack: LocalStack, patient: Patient) -> dict[str, int]:
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
        "local stack output:\n" + "\n".join(list(stack.lines)[-40:]))
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
