"""Login in Chromium beyond our own stand-in: against a third-party OpenID provider, and a login
as another person in the same browser.

Third party: oidc-provider-mock (PyPI; see tests/support/loopback.py) runs in this test process on
127.0.0.1; a second local stack is started exactly like `make run` with only environment settings
changed: PORTAL_OIDC_ISSUER (that provider), PORTAL_OIDC_CLIENT_AUTH=client_secret_basic, and
PORTAL_NOW at the real time, because the provider stamps its tokens with the real time. That is
the least invasive honest way: the same code and the same startup as the real stack, no test
hooks in the portal. The stack's client secret is generated at startup and never leaves it, so
this provider runs without client registration (it takes any secret); the HTTP integration test
(tests/integration/test_third_party_oidc.py) proves the secret and method checks with registered
clients. The provider's pages link a stylesheet on a CDN this offline machine cannot reach; the
browser gets an empty stylesheet for it instead of a console error."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from functions.core.national_id import synthetic
from tests.e2e.portal import (
    SITE_PAGE,
    STACKS,
    BrowserProblems,
    Stack,
    choose_at_idporten,
    ensure_consent,
    login,
    session_of,
    spend_login_hits,
    wait_ready,
)
from tests.e2e.test_journeys import assert_clear_failure_page
from tests.support.loopback import set_user, third_party_provider

pytestmark = pytest.mark.e2e

PID = synthetic(date(1988, 2, 29), 433)
SWITCHED = "Nettleseren var logget inn som en annen person. Den innloggingen er avsluttet."


@pytest.fixture(scope="module")
def third_party() -> Iterator[str]:
    with third_party_provider(require_nonce=True) as issuer:
        yield issuer


@pytest.fixture(scope="module")
def third_party_stack(third_party: str) -> Iterator[Stack]:
    now = datetime.now(UTC).isoformat(timespec="seconds")
    running = Stack({"PORTAL_OIDC_ISSUER": third_party, "PORTAL_OIDC_CLIENT_AUTH": "client_secret_basic",
                     "PORTAL_NOW": now})
    STACKS[running.base_url] = running
    try:
        yield running
    finally:
        STACKS.pop(running.base_url, None)
        running.stop()


@pytest.fixture
def third_party_page(browser: Browser, third_party_stack: Stack, browser_problems: BrowserProblems
                     ) -> Iterator[Callable[[], Page]]:
    """Fresh, watched pages on the second stack, each in its own browser context."""
    made: list[BrowserContext] = []

    def make() -> Page:
        context = browser.new_context(base_url=third_party_stack.base_url)
        context.set_default_timeout(15_000)
        context.on("page", browser_problems.watch)
        context.route("https://cdn.jsdelivr.net/**",
                      lambda route: route.fulfill(status=200, content_type="text/css", body=""))
        made.append(context)
        return context.new_page()

    yield make
    for context in made:
        context.close()


def log_in_at_third_party(page: Page, stack: Stack, issuer: str, sub: str) -> None:
    """/nb/ -> "Logg inn med BankID" -> the provider's own page -> answer as `sub` -> back."""
    page.goto(f"{stack.base_url}/nb/")
    wait_ready(page)
    stack.spend_login_hits(2)
    page.get_by_role("main").get_by_role("link", name="Logg inn med BankID", exact=True).click()
    page.wait_for_url(re.compile(re.escape(f"{issuer}/oauth2/authorize?")))
    page.get_by_placeholder("sub").fill(sub)
    page.get_by_role("button", name="Authorize", exact=True).click()
    page.wait_for_url(SITE_PAGE)
    wait_ready(page)


def test_R1_R3_in_chromium_a_third_party_provider_with_pid_and_acr_logs_in_and_out_without_them_refused(
        third_party: str, third_party_stack: Stack, third_party_page: Callable[[], Page]):
    base = third_party_stack.base_url
    set_user(third_party, "kari-tredjepart", {"pid": PID, "acr": "idporten-loa-high"})
    page = third_party_page()
    log_in_at_third_party(page, third_party_stack, third_party, "kari-tredjepart")
    ensure_consent(page)
    session = session_of(page, base)
    assert session["authenticated"] is True and session["level"] == "high", session

    # Logg ut: the provider's end-session page gets our id_token_hint, then sends us back.
    page.get_by_role("button", name="Logg ut").click()
    page.wait_for_url(re.compile(re.escape(f"{third_party}/oauth2/end_session?") + ".*id_token_hint="))
    expect(page.get_by_text("id_token_hint not set", exact=False)).to_have_count(0)
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(f"{base}/nb/logget-ut.html")
    assert session_of(page, base) == {"authenticated": False}

    # Without ID-porten's claims: the clear failure page, no session.
    set_user(third_party, "uten-idporten", {"email": "noen@example.org"})
    refused = third_party_page()
    log_in_at_third_party(refused, third_party_stack, third_party, "uten-idporten")
    assert_clear_failure_page(refused, base, "bad_acr",
                              "Innloggingen hadde ikke høyt nok sikkerhetsnivå. Logg inn med BankID eller MinID.")


def test_R4_in_chromium_logging_in_as_another_person_ends_the_old_session_and_says_so(page: Page, base_url: str):
    login(page, base_url, "Jonas Hansen", "BankID")
    ensure_consent(page)
    assert session_of(page, base_url)["display_name"] == "Jonas Hansen"
    spend_login_hits(base_url, 2)
    page.goto(f"{base_url}/api/accounts/login?level=high&next=%2Fnb%2Foversikt.html")
    choose_at_idporten(page, "Nora Berg", "BankID")
    page.wait_for_url(SITE_PAGE)
    wait_ready(page)
    expect(page.locator("#switched-notice")).to_have_text(SWITCHED)
    expect(page.locator("#switched-notice")).to_be_visible()
    expect(page).not_to_have_url(re.compile("switched"))          # said once; a reload says nothing
    assert session_of(page, base_url)["display_name"] == "Nora Berg"
