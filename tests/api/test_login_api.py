"""Login through the stand-in ID-porten, in-process (R1-R4). Every failure lands on a clear page
and creates no session."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from devstack.idporten import create_idporten_app
from functions.accounts.app import make_app
from functions.core.web import COOKIE
from tests.support.aws_stack import CLIENT_SECRET
from tests.unit.test_oidc import AppFetcher


@pytest.fixture
def provider(runtime):
    s = runtime.settings
    clients = {s.oidc_client_id: {"secret": CLIENT_SECRET, "redirect_uris": [f"{s.base_url}/api/accounts/callback"],
                                  "post_logout_redirect_uris": [f"{s.base_url}/nb/logget-ut.html"]}}
    persons = [*runtime.persons, {"pid": _new_pid(), "name": "Ny Bruker", "label": "ny"}]
    return create_idporten_app(s.oidc_issuer, clients, persons, runtime.clock)


def _new_pid() -> str:
    from datetime import date

    from functions.core.national_id import synthetic
    return synthetic(date(1993, 9, 9), 407)


@pytest.fixture
def portal(runtime, provider):
    return make_app(runtime, fetcher=AppFetcher(provider))


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


def login(portal, provider, person=0, level="high", ask="high", mode="normal", browser=None,
          next_path="/nb/profil.html"):
    browser = browser or portal.test_client()
    provider.test_client().post("/idporten/__switch", json={"mode": mode})
    start = browser.get(f"/api/accounts/login?level={ask}&next={next_path}")
    assert start.status_code == 302
    params = {k: v[0] for k, v in parse_qs(urlsplit(start.location).query).items()}
    answer = provider.test_client().post("/idporten/authorize", data={**params, "person": str(person),
                                                                      "level": level, "action": "login"})
    callback = browser.get(path_of(answer.location))
    return browser, callback


def test_R1_high_login_creates_a_session_with_a_safe_cookie(portal, provider):
    browser, callback = login(portal, provider)
    assert callback.status_code == 302 and callback.location == "/nb/profil.html"
    cookie = callback.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    session = browser.get("/api/accounts/session").get_json()
    assert session["authenticated"] and session["level"] == "high" and session["display_name"] == "Kari Nordmann"


def test_R1_substantial_login_gives_a_substantial_session(portal, provider):
    browser, _ = login(portal, provider, level="substantial", ask="substantial")
    assert browser.get("/api/accounts/session").get_json()["level"] == "substantial"


def test_R1_asking_for_high_but_getting_substantial_is_refused(portal, provider):
    browser, callback = login(portal, provider, level="substantial", ask="high")
    assert callback.location == "/nb/innlogging-feilet.html?reason=bad_acr"
    assert browser.get("/api/accounts/session").get_json()["authenticated"] is False


@pytest.mark.parametrize("mode,reason", [("bad_signature", "bad_signature"), ("wrong_iss", "wrong_issuer"),
                                         ("wrong_aud", "wrong_audience"), ("bad_nonce", "bad_nonce"),
                                         ("expired", "expired")])
def test_R1_each_oidc_failure_shows_a_page_and_creates_no_session(portal, provider, mode, reason):
    browser, callback = login(portal, provider, mode=mode)
    assert callback.location == f"/nb/innlogging-feilet.html?reason={reason}"
    assert COOKIE not in callback.headers.get("Set-Cookie", "")
    assert browser.get("/api/accounts/session").get_json()["authenticated"] is False


def test_R1_replayed_callback_is_refused(portal, provider):
    browser, callback = login(portal, provider)
    replay = portal.test_client().get(path_of(callback.request.url))
    assert replay.location == "/nb/innlogging-feilet.html?reason=state_mismatch"


def test_R1_forged_state_is_refused(portal):
    answer = portal.test_client().get("/api/accounts/callback?code=x&state=forged")
    assert answer.location == "/nb/innlogging-feilet.html?reason=state_mismatch"


def test_R2_first_login_creates_a_patient_keyed_by_an_opaque_id(portal, provider, runtime):
    browser, _ = login(portal, provider, person=len(runtime.persons))
    assert browser.get("/api/accounts/profile").status_code == 403  # no consent yet (R10)
    profile = browser.get("/api/accounts/export").get_json()["profile"]
    assert profile["national_id"] == _new_pid() and profile["first_name"] == ""
    again, _ = login(portal, provider, person=len(runtime.persons))
    assert again.get("/api/accounts/export").get_json()["profile"]["national_id"] == _new_pid()


def test_R4_login_rotates_the_session_id(portal, provider):
    browser, first = login(portal, provider)
    old = browser.get_cookie(COOKIE).value
    _, second = login(portal, provider, browser=browser)
    assert browser.get_cookie(COOKIE).value != old
    stale = portal.test_client()
    stale.set_cookie(COOKIE, old)
    assert stale.get("/api/accounts/session").get_json()["authenticated"] is False


def test_R3_logout_ends_the_session_server_side(portal, provider):
    browser, _ = login(portal, provider)
    token = browser.get_cookie(COOKIE).value
    csrf = browser.get("/api/accounts/session").get_json()["csrf_token"]
    answer = browser.post("/api/accounts/logout", headers={"X-CSRF-Token": csrf})
    assert answer.status_code == 200 and "/idporten/endsession" in answer.get_json()["redirect"]
    assert "id_token_hint" not in answer.get_json()["redirect"]
    replay = portal.test_client()
    replay.set_cookie(COOKIE, token)
    assert replay.get("/api/accounts/profile").status_code == 401


def test_login_is_rate_limited(portal, runtime):
    client = portal.test_client()
    statuses = [client.get("/api/accounts/login?level=high").location
                for _ in range(runtime.settings.login_rate_per_minute + 1)]
    assert "/idporten/authorize" in statuses[0]
    assert statuses[-1] == "/nb/innlogging-feilet.html?reason=rate_limited"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x.html", "/nb/../../etc.html"])
def test_open_redirects_are_not_followed(portal, provider, target):
    _, callback = login(portal, provider, next_path=target)
    assert callback.location == "/nb/oversikt.html"
