"""What the browser tests share: the running local stack (`make run`), the watch on every page's
console, and the steps a person takes (log in through the stand-in ID-porten, accept the terms)."""
from __future__ import annotations

import contextlib
import re
import time
from urllib.parse import urlsplit

from playwright.sync_api import ConsoleMessage, Locator, Page, expect
from playwright.sync_api import Error as PlaywrightError

from tests.support.local_stack import (  # noqa: F401 - shared with the race tests
    LOGIN_MARGIN,
    LOGIN_RATE,
    PORTAL_NOW,
    ROOT,
    START_TIMEOUT,
    STARTED,
    Stack,
    free_port,
    make_command,
    stack_environment,
)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PAGES = sorted(p.stem for p in (ROOT / "site" / "templates" / "pages").glob("*.html"))
LANGS = ("nb", "en")

CLINIC_KEY = ("ck_demo_storgata", "demo-storgata-secret-not-for-production")
CLINIC_STAFF = "s-lise"




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
