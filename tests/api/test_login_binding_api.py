"""Login CSRF / session swap (issue 7, part 1): the login state is bound to the browser that
started the login by a short-lived login cookie. A callback opened in another browser is refused
with the clear failure page and no session; a login in one's own browser as another person ends
the old session first and says so."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from functions.accounts.app import make_app
from functions.core.sessions import SessionStore
from functions.core.web import COOKIE
from tests.api.conftest import stand_in_for
from tests.api.test_login_api import login, path_of
from tests.support.aws_stack import make_settings, moto_runtime
from tests.unit.test_oidc import AppFetcher

FAILED = "/nb/innlogging-feilet.html?reason=state_mismatch"


def provider_step(portal, provider, browser, person: int) -> str:
    """In `browser`: start a login and complete the provider step as `person`, but do not follow
    the redirect back. Returns the callback path (code + state) the provider sent it to."""
    start = browser.get("/api/accounts/login?level=high&next=/nb/profil.html")
    params = {k: v[0] for k, v in parse_qs(urlsplit(start.location).query).items()}
    answer = provider.test_client().post("/idporten/authorize", data={**params, "person": str(person),
                                                                      "level": "high", "action": "login"})
    assert answer.status_code == 302 and "/api/accounts/callback?" in answer.location
    return path_of(answer.location)


def set_cookies(response) -> list[str]:
    return response.headers.getlist("Set-Cookie")


def test_login_csrf_the_exact_repro_a_callback_opened_in_the_victims_browser_is_refused(portal, provider):
    attacker, victim = portal.test_client(), portal.test_client()     # browser A, browser B
    callback = provider_step(portal, provider, attacker, person=1)    # the attacker logs in as themself ...
    answer = victim.get(callback)                                     # ... and has the victim open the callback
    assert answer.status_code == 302 and answer.location == FAILED
    assert not [c for c in set_cookies(answer) if c.startswith(f"{COOKIE}=")]
    assert victim.get_cookie(COOKIE) is None
    assert victim.get("/api/accounts/session").get_json()["authenticated"] is False
    assert attacker.get(callback).location == FAILED                  # and the state is used up


def test_login_csrf_a_forged_callback_leaves_the_victims_own_session_alone(portal, provider):
    victim, _ = login(portal, provider, person=0)
    before = victim.get_cookie(COOKIE).value
    answer = victim.get(provider_step(portal, provider, portal.test_client(), person=1))
    assert answer.location == FAILED and victim.get_cookie(COOKIE).value == before
    assert victim.get("/api/accounts/session").get_json()["display_name"] == "Kari Nordmann"


def test_login_csrf_a_callback_without_the_login_cookie_is_refused_in_the_same_browser(portal, provider):
    browser = portal.test_client()
    callback = provider_step(portal, provider, browser, person=0)
    browser.delete_cookie("portal_login")
    assert browser.get(callback).location == FAILED and browser.get_cookie(COOKIE) is None


def test_login_start_sets_a_short_lived_httponly_login_cookie(portal, provider):
    cookie, = set_cookies(portal.test_client().get("/api/accounts/login?level=high"))
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
    assert cookie.startswith("portal_login=") and "Max-Age=600" in cookie
    assert {"httponly", "path", "samesite"} <= attributes and "SameSite=Lax" in cookie
    assert "secure" not in attributes and "domain" not in attributes   # local: plain http


def test_two_logins_started_in_one_browser_both_complete(portal, provider):
    browser = portal.test_client()
    first = provider_step(portal, provider, browser, person=0)          # e.g. two tabs
    second = provider_step(portal, provider, browser, person=0)
    assert browser.get(first).location == "/nb/profil.html"
    assert browser.get(second).location == "/nb/profil.html"


def test_outside_local_the_login_cookie_is_host_prefixed_and_secure_and_the_login_completes():
    https = "https://portal.example"
    with moto_runtime(make_settings(env="dev", base_url=https, oidc_issuer=f"{https}/idporten"),
                      demo=True) as runtime:
        provider = stand_in_for(runtime)
        portal = make_app(runtime, fetcher=AppFetcher(provider))
        browser = portal.test_client()
        start = browser.get("/api/accounts/login?level=high", base_url=https)
        cookie, = set_cookies(start)
        assert cookie.startswith("__Host-portal_login=") and "; Secure" in cookie and "Path=/" in cookie
        assert "Domain" not in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
        params = {k: v[0] for k, v in parse_qs(urlsplit(start.location).query).items()}
        answer = provider.test_client().post("/idporten/authorize", data={**params, "person": "0",
                                                                          "level": "high", "action": "login"})
        done = browser.get(path_of(answer.location), base_url=https)
        assert done.location == "/nb/oversikt.html" and browser.get_cookie(COOKIE, domain="portal.example")


class RecordingSessions(SessionStore):
    """The real store, noting the order in which sessions end and begin."""

    def __init__(self, store: SessionStore, calls: list[str]) -> None:
        self.__dict__.update(store.__dict__)
        self.calls = calls

    def end(self, token: str) -> None:
        self.calls.append("end")
        super().end(token)

    def create(self, *args, **kwargs):
        self.calls.append("create")
        return super().create(*args, **kwargs)


@pytest.fixture
def calls(runtime) -> list[str]:
    made: list[str] = []
    runtime.sessions = RecordingSessions(runtime.sessions, made)
    return made


def test_R4_logging_in_as_another_person_ends_the_old_session_first_and_says_so(calls, portal, provider):
    browser, _ = login(portal, provider, person=0)                    # logged in as X (Kari)
    old = browser.get_cookie(COOKIE).value
    calls.clear()
    _, callback = login(portal, provider, person=1, browser=browser)  # Y, started in the same browser
    assert callback.location == "/nb/profil.html?switched=1"
    assert calls == ["end", "create"]                                 # X's session ends before Y's begins
    stale = portal.test_client()
    stale.set_cookie(COOKIE, old)
    assert stale.get("/api/accounts/session").get_json()["authenticated"] is False
    assert browser.get("/api/accounts/session").get_json()["display_name"] != "Kari Nordmann"


def test_R4_logging_in_again_as_the_same_person_rotates_the_session_and_says_nothing(calls, portal, provider):
    browser, _ = login(portal, provider, person=0)
    _, callback = login(portal, provider, person=0, browser=browser, ask="high")
    assert callback.location == "/nb/profil.html" and calls[-2:] == ["end", "create"]
