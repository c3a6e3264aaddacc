"""Login through the stand-in ID-porten, in-process (R1-R4). Every failure lands on a clear page
and creates no session."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import jwt
import pytest

from functions.accounts.app import make_app
from functions.core.web import COOKIE
from tests.api.conftest import new_pid as _new_pid
from tests.api.conftest import stand_in_for
from tests.support.aws_stack import make_settings, moto_runtime
from tests.unit.test_oidc import AppFetcher


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
    replay = portal.test_client()
    replay.set_cookie(COOKIE, token)
    assert replay.get("/api/accounts/profile").status_code == 401


def test_R3_logout_sends_the_sessions_id_token_as_hint_and_the_logged_out_page(portal, provider, runtime):
    browser, callback = login(portal, provider)
    assert not [c for c in callback.headers.getlist("Set-Cookie") if "eyJ" in c]  # no id_token in a cookie
    token = browser.get_cookie(COOKIE).value
    csrf = browser.get("/api/accounts/session").get_json()["csrf_token"]
    answer = browser.post("/api/accounts/logout", headers={"X-CSRF-Token": csrf})
    url = answer.get_json()["redirect"]
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    assert answer.headers["Cache-Control"] == "no-store"
    assert query["post_logout_redirect_uri"] == f"{runtime.settings.base_url}/nb/logget-ut.html"
    claims = jwt.decode(query["id_token_hint"], options={"verify_signature": False})
    assert claims["aud"] == runtime.settings.oidc_client_id and claims["pid"] == runtime.persons[0]["pid"]
    ended = provider.test_client().get(path_of(url))               # the stand-in checks the hint, like ID-porten
    assert ended.status_code == 302 and ended.location == query["post_logout_redirect_uri"]
    assert runtime.sessions.take_id_token(token) is None              # deleted server-side with the session


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


@pytest.mark.parametrize("method", ["client_secret_post", "client_secret_basic", "private_key_jwt"])
def test_R1_login_completes_with_each_client_authentication_chosen_by_configuration(method):
    with moto_runtime(make_settings(oidc_client_auth=method), demo=True) as runtime:
        provider = stand_in_for(runtime)
        portal = make_app(runtime, fetcher=AppFetcher(provider))
        browser, callback = login(portal, provider)
        assert callback.location == "/nb/profil.html" and browser.get_cookie(COOKIE)
        assert provider.extensions["idporten"].auth.last_method == method
