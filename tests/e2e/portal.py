"""What the browser tests share: the running local stack (`make run`), the watch on every page's
console, and the steps a person takes (log in through the stand-in ID-porten, accept the terms)."""
from __future__ import annotations

import contextlib
import os
import queue
import re
import signal
import socket
import subprocess
import threading
import time
from collections import deque
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from playwright.sync_api import ConsoleMessage, Locator, Page, expect
from playwright.sync_api import Error as PlaywrightError

ROOT = Path(__file__).resolve().parents[2]
PORTAL_NOW = "2026-11-23T09:00:00+01:00"
STARTED = "kjører på http"
START_TIMEOUT = 120
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PAGES = sorted(p.stem for p in (ROOT / "site" / "templates" / "pages").glob("*.html"))
LANGS = ("nb", "en")

CLINIC_KEY = ("ck_demo_storgata", "demo-storgata-secret-not-for-production")
CLINIC_STAFF = "s-lise"

# The portal allows this many requests to /api/accounts/login + /callback per client address and
# portal minute (Settings.login_rate_per_minute); each login costs two. The tests stay below it.
LOGIN_RATE = 20
LOGIN_MARGIN = 4


# ----------------------------------------------------------------------------------------- stack

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stack_environment(port: int) -> dict[str, str]:
    """The developer's environment plus PORT and PORTAL_NOW, minus what would change the stack
    `make run` sets up (settings it takes from PORTAL_*/AWS_*, an enclosing make's flags)."""
    drop = ("PORTAL_", "AWS_", "MAKE", "MFLAGS")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    env.update(PORT=str(port), PORTAL_NOW=PORTAL_NOW, PYTHONUNBUFFERED="1")
    return env


def make_command() -> list[str]:
    """`make run`. When the install stamp is missing or stale make would first (re)install the
    virtualenv; the tests never do that to a shared venv (`-o` takes the stamp as up to date)."""
    probe = subprocess.run(["make", "-q", ".venv/.installed"], cwd=ROOT, capture_output=True)
    return ["make", "run"] if probe.returncode == 0 else ["make", "-o", ".venv/.installed", "run"]


class Stack:
    """A running `make run` in its own process group: its output and the URL it announced."""

    def __init__(self) -> None:
        self.command = make_command()
        self.process = subprocess.Popen(self.command, cwd=ROOT, env=stack_environment(free_port()),
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                        bufsize=1, start_new_session=True)
        self._lines: deque[str] = deque(maxlen=500)
        self._fresh: queue.Queue[str | None] = queue.Queue()
        self.login_hits: dict[int, int] = {}
        threading.Thread(target=self._pump, name="stack-output", daemon=True).start()
        self.base_url = self._wait_started()

    def _pump(self) -> None:
        # Reads for the whole session: an unread pipe would block the server once it fills.
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._lines.append(line.rstrip("\n"))
            self._fresh.put(line)
        self._fresh.put(None)

    def output(self, last: int = 60) -> str:
        return "\n".join(list(self._lines)[-last:])

    def _fail(self, why: str) -> None:
        self.stop()
        pytest.fail(f"`{' '.join(self.command)}` {why}:\n{self.output(300)}", pytrace=False)

    def _wait_started(self) -> str:
        deadline = time.monotonic() + START_TIMEOUT
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self._fresh.get(timeout=left)
            except queue.Empty:
                break
            if line is None:
                self._fail(f"ended before it started (exit {self.process.wait()})")
            if STARTED in line:
                found = re.search(r"https?://\S+", line)
                if not found:
                    self._fail(f"announced no URL: {line!r}")
                return found.group(0).rstrip("/")
        self._fail(f"did not print {STARTED!r} within {START_TIMEOUT} s")
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

    # --- the portal clock (GET/POST /__dev/clock) and the login rate limit

    def now(self) -> datetime:
        answer = requests.get(f"{self.base_url}/__dev/clock", timeout=10)
        answer.raise_for_status()
        return datetime.fromisoformat(answer.json()["now"].replace("Z", "+00:00"))

    def set_now(self, instant: datetime) -> None:
        answer = requests.post(f"{self.base_url}/__dev/clock", json={"now": instant.isoformat()}, timeout=10)
        answer.raise_for_status()

    @contextlib.contextmanager
    def clock_travel(self) -> Iterator[None]:
        """Moves of the portal clock inside the block are undone on the way out: the clock goes back
        to where it was, plus the time that passed meanwhile (so it never runs backwards for the
        rest of the session)."""
        before, started = self.now(), time.monotonic()
        try:
            yield
        finally:
            self.set_now(before + timedelta(seconds=time.monotonic() - started))

    def spend_login_hits(self, hits: int) -> None:
        """Before `hits` requests to /login or /callback: if this portal minute has no room left for
        them under the rate limit, move the portal clock on to the next minute."""
        now = self.now()
        window, second = divmod(int(now.timestamp()), 60)
        if self.login_hits.get(window, 0) + hits > LOGIN_RATE - LOGIN_MARGIN or second >= 55:
            window += 1
            self.set_now(datetime.fromtimestamp(window * 60 + 1, now.tzinfo))
        self.login_hits[window] = self.login_hits.get(window, 0) + hits


STACKS: dict[str, Stack] = {}


def spend_login_hits(base: str, hits: int) -> None:
    running = STACKS.get(base.rstrip("/"))
    if running is not None:
        running.spend_login_hits(hits)


# ------------------------------------------------------------------------------- watching pages

_RESOURCE = re.compile(r"^Failed to load resource: the server responded with a status of (\d{3})")


class BrowserProblems:
    """Console errors, CSP violations and uncaught exceptions on every page of one test."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.pages: list[Page] = []
        self._allowed = {401, 403}  # the site handles these (log-in prompt, consent, step-up)

    def allow_status(self, *statuses: int) -> None:
        """API answers the test provokes on purpose (e.g. 422 for an invalid phone number)."""
        self._allowed.update(statuses)

    def watch(self, page: Page) -> None:
        self.pages.append(page)
        page.on("console", lambda message: self._console(page, message))
        page.on("pageerror", lambda error: self.problems.append(f"uncaught exception on {page.url}: {error}"))
        page.on("crash", lambda _: self.problems.append(f"page crashed: {page.url}"))

    def _console(self, page: Page, message: ConsoleMessage) -> None:
        text = message.text
        if "Refused to" in text or "Content Security Policy" in text:  # older and newer Chromium wording
            self.problems.append(f"CSP violation on {page.url}: {text}")
            return
        if message.type != "error":
            return
        status = _RESOURCE.match(text)
        source = message.location.get("url", "")
        if status and int(status.group(1)) in self._allowed and urlsplit(source).path.startswith("/api/"):
            return
        self.problems.append(f"console error on {page.url}: {text} ({source})")

    def settle(self) -> None:
        """One round trip per open page, so Playwright delivers events already emitted."""
        for page in self.pages:
            if not page.is_closed():
                with contextlib.suppress(PlaywrightError):  # closed meanwhile: nothing more to hear
                    page.evaluate("0")


# --------------------------------------------------------------------------------- a person's steps

LOGIN_LINK = {"nb": "Logg inn med {}", "en": "Log in with {}"}
CONSENT_BUTTON = {"nb": "Jeg samtykker", "en": "I consent"}
LEVEL_LABEL = {"BankID": "BankID (høyt sikkerhetsnivå)", "MinID": "MinID (betydelig sikkerhetsnivå)"}
SITE_PAGE = re.compile(r"/(nb|en)/[a-z-]+\.html")

_DECIDED = """() => {
  const body = document.body;
  if (document.readyState !== 'complete' || !body) return false;
  if (!body.dataset.page) return true;  // not one of the site's pages (the stand-ins, the mailbox)
  if (body.classList.contains('is-ready')) return true;
  return ['login-prompt', 'step-up'].some((id) => { const p = document.getElementById(id); return p && !p.hidden; });
}"""


def wait_ready(page: Page, timeout_ms: float = 15_000) -> None:
    """Until app.js has decided (content shown, log-in prompt or step-up panel), riding out the
    client-side redirects on the way (e.g. to the consent page)."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        try:
            page.wait_for_load_state("load")
            page.wait_for_function(_DECIDED, timeout=max(1000.0, (deadline - time.monotonic()) * 1000))
            return
        except PlaywrightError as exc:
            navigating = "context was destroyed" in str(exc) or "navigat" in str(exc).lower()
            if not navigating or time.monotonic() > deadline:
                raise


def settle(page: Page) -> None:
    """wait_ready, then until the page's module has fetched and shown its data."""
    wait_ready(page)
    page.wait_for_load_state("networkidle")


def open_page(page: Page, base: str, lang: str, name: str) -> None:
    page.goto(f"{base}/{lang}/{name}.html")
    settle(page)


def choose_at_idporten(page: Page, person: str, level: str) -> None:
    """On the stand-in ID-porten: choose the demo person and the level, then Logg inn."""
    page.wait_for_url(re.compile(r"/idporten/authorize"))
    expect(page.get_by_role("heading", name="Logg inn med ID-porten")).to_be_visible()
    page.get_by_role("radio", name=re.compile(rf"^{re.escape(person)} – ")).check()
    page.get_by_role("radio", name=LEVEL_LABEL[level]).check()
    page.get_by_role("button", name="Logg inn", exact=True).click()


def follow_login_link(page: Page, base: str, link: Locator, person: str, level: str) -> None:
    """Click a link that starts a login (/api/accounts/login), log in at the stand-in and wait
    until the site's page we land on has settled."""
    spend_login_hits(base, 2)
    link.click()
    choose_at_idporten(page, person, level)
    page.wait_for_url(SITE_PAGE)
    wait_ready(page)


def login(page: Page, base: str, person: str = "Kari Nordmann", level: str = "BankID", lang: str = "nb") -> None:
    """/<lang>/ → "Logg inn med BankID" (or MinID) → the stand-in ID-porten → choose → back on the site."""
    page.goto(f"{base}/{lang}/")
    wait_ready(page)
    link = page.get_by_role("main").get_by_role("link", name=LOGIN_LINK[lang].format(level), exact=True)
    follow_login_link(page, base, link, person, level)


def accept_consent(page: Page, lang: str = "nb") -> None:
    """On the consent page: "Jeg samtykker"; then wait for the page it sends us on to (?next=)."""
    expect(page).to_have_url(re.compile(r"/samtykke\.html"))
    wait_ready(page)
    button = page.get_by_role("button", name=CONSENT_BUTTON[lang])
    expect(button).to_be_visible()
    before = page.url
    moves_on = re.search(r"[?&]next=%2F(nb|en)%2F(?!samtykke)", before) is not None
    button.click()
    if moves_on:
        page.wait_for_url(lambda url: url != before and "/samtykke.html" not in url)
        wait_ready(page)
    else:
        expect(button).to_be_hidden()


def ensure_consent(page: Page, lang: str = "nb") -> None:
    """After logging in: accept the terms if the portal asks (a person's first visit)."""
    wait_ready(page)
    if "/samtykke.html" in page.url:
        expect(page.locator("#consent-status")).not_to_be_empty()
        if page.get_by_role("button", name=CONSENT_BUTTON[lang]).is_visible():
            accept_consent(page, lang)


def session_of(page: Page, base: str) -> dict:
    """GET /api/accounts/session with the cookies of this page's browser context."""
    answer = page.request.get(f"{base}/api/accounts/session")
    assert answer.ok, answer.status
    body = answer.json()
    body.pop("server_time", None)  # the portal clock, not part of what a session is
    return body
