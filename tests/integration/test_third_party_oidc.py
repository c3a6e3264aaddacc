"""Interoperability: the portal logs in against an OpenID provider this project did not write
(oidc-provider-mock, see tests/support/loopback.py), by real HTTP on loopback, the portal's
settings pointed at it by environment alone (PORTAL_OIDC_ISSUER, _CLIENT_ID, _CLIENT_AUTH; the
secret in SSM). The provider requires registered clients (so it checks the secret and the auth
method) and a nonce. With ID-porten's claims (`pid`, `acr`) the login completes; without them it
is refused with the clear failure page and no session.

The portal app is served over HTTP too (werkzeug on 127.0.0.1, moto in-process); a
requests.Session plays the browser. The portal's clock starts at the real time here, because the
provider stamps its tokens with the real time; what the test proves does not depend on which time
that is."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
import requests

from functions.accounts.app import make_app
from functions.core import aws
from functions.core.config import settings_from_env
from functions.core.national_id import synthetic
from tests.support.aws_stack import moto_runtime
from tests.support.loopback import register_client, serve, set_user, third_party_provider

PID = synthetic(date(1990, 5, 17), 512)
COOKIE = "portal_session"
HIGH = "idporten-loa-high"
TIMEOUT = 10


class _Later:
    """A WSGI app filled in once the server's port (the portal's base URL) is known."""

    app = None

    def __call__(self, environ, start_response):
        return self.app(environ, start_response)


@pytest.fixture(scope="module")
def issuer() -> Iterator[str]:
    with third_party_provider(require_client_registration=True, require_nonce=True) as url:
        yield url


@contextmanager
def portal_against(issuer: str, method: str, registered_as: str | None = None, secret: str | None = None):
    """The accounts app on loopback, configured for the third-party issuer with `method`."""
    later = _Later()
    with serve(later) as portal_url:
        client_id, issued = register_client(issuer, f"{portal_url}/api/accounts/callback", registered_as or method)
        settings = settings_from_env({"PORTAL_ENV": "test", "PORTAL_PREFIX": "portal-test",
                                      "PORTAL_BASE_URL": portal_url, "PORTAL_OIDC_ISSUER": issuer,
                                      "PORTAL_OIDC_CLIENT_ID": client_id, "PORTAL_OIDC_CLIENT_AUTH": method})
        with moto_runtime(settings, now=datetime.now(UTC)) as runtime:
            aws.for_settings(settings, "ssm").put_parameter(Name=settings.oidc_client_secret_param, Overwrite=True,
                                                            Value=secret or issued, Type="SecureString")
            later.app = make_app(runtime)
            yield portal_url


def log_in(portal: str, issuer: str, sub: str) -> tuple[requests.Session, requests.Response]:
    """One browser: Logg inn -> the provider's own authorize page -> answer as `sub` -> callback."""
    http = requests.Session()
    start = http.get(f"{portal}/api/accounts/login", params={"level": "high", "next": "/nb/profil.html"},
                     allow_redirects=False, timeout=TIMEOUT)
    authorize = start.headers["Location"]
    assert start.status_code == 302 and authorize.startswith(f"{issuer}/oauth2/authorize?"), start.headers
    page = http.get(authorize, timeout=TIMEOUT)
    assert page.status_code == 200 and 'name="sub"' in page.text, page.text[:300]
    granted = http.post(authorize, data={"sub": sub}, allow_redirects=False, timeout=TIMEOUT)
    assert granted.headers["Location"].startswith(f"{portal}/api/accounts/callback?code="), granted.headers
    return http, http.get(granted.headers["Location"], allow_redirects=False, timeout=TIMEOUT)


def session(http: requests.Session, portal: str) -> dict:
    return http.get(f"{portal}/api/accounts/session", timeout=TIMEOUT).json()


@pytest.mark.parametrize("method", ["client_secret_basic", "client_secret_post"])
def test_R1_R2_login_completes_when_a_third_party_provider_sends_pid_and_acr(issuer, method):
    set_user(issuer, f"kari-{method}", {"pid": PID, "acr": HIGH})
    with portal_against(issuer, method) as portal:
        http, done = log_in(portal, issuer, f"kari-{method}")
        assert done.status_code == 302 and done.headers["Location"] == "/nb/profil.html"
        assert http.cookies.get(COOKIE)
        assert session(http, portal)["authenticated"] is True and session(http, portal)["level"] == "high"
        export = http.get(f"{portal}/api/accounts/export", timeout=TIMEOUT).json()
        assert export["profile"]["national_id"] == PID              # the patient found by `pid` (R2)


@pytest.mark.parametrize(("claims", "reason"), [
    ({}, "bad_acr"), ({"pid": PID}, "bad_acr"), ({"acr": HIGH}, "missing_pid"),
    ({"pid": PID, "acr": "idporten-loa-substantial"}, "bad_acr")],   # asked for high, got substantial
    ids=["neither", "no_acr", "no_pid", "too_low"])
def test_R1_a_third_party_login_without_idportens_claims_is_refused_clearly(issuer, claims, reason):
    sub = f"uten-{reason}-{len(claims)}"
    set_user(issuer, sub, claims)
    with portal_against(issuer, "client_secret_basic") as portal:
        http, done = log_in(portal, issuer, sub)
        assert done.status_code == 302 and done.headers["Location"] == f"/nb/innlogging-feilet.html?reason={reason}"
        assert not http.cookies.get(COOKIE) and session(http, portal)["authenticated"] is False


@pytest.mark.parametrize("case", ["wrong_secret", "wrong_method"])
def test_R1_the_provider_checks_our_client_authentication(issuer, case):
    set_user(issuer, f"ola-{case}", {"pid": PID, "acr": HIGH})
    registered_as = "client_secret_post" if case == "wrong_method" else None
    secret = "feil-hemmelighet" if case == "wrong_secret" else None
    with portal_against(issuer, "client_secret_basic", registered_as, secret) as portal:
        http, done = log_in(portal, issuer, f"ola-{case}")
        assert done.headers["Location"] == "/nb/innlogging-feilet.html?reason=token_exchange_failed"
        assert session(http, portal)["authenticated"] is False


def test_R3_logout_sends_the_id_token_hint_and_logged_out_page_to_its_end_session(issuer):
    set_user(issuer, "emma", {"pid": PID, "acr": HIGH})
    with portal_against(issuer, "client_secret_basic") as portal:
        http, _ = log_in(portal, issuer, "emma")
        csrf = session(http, portal)["csrf_token"]
        url = http.post(f"{portal}/api/accounts/logout", headers={"X-CSRF-Token": csrf}, timeout=TIMEOUT).json()[
            "redirect"]
        assert url.startswith(f"{issuer}/oauth2/end_session?")
        query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
        hint = jwt.decode(query["id_token_hint"], options={"verify_signature": False})
        assert hint["iss"] == issuer and hint["pid"] == PID and query["post_logout_redirect_uri"] == (
            f"{portal}/nb/logget-ut.html")
        assert requests.get(url, timeout=TIMEOUT).status_code == 200   # the provider's logout page
        assert session(http, portal)["authenticated"] is False
