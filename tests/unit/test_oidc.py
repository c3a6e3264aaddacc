"""OidcClient <-> stand-in ID-porten, whole code flow in-process (a fetcher over the test client)."""
from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import pytest

from functions.accounts.oidc import OidcClient, OidcError, make_pkce, random_token
from functions.accounts.oidc_client_auth import SecretPost
from functions.core.clock import parse_instant

ISSUER = "http://127.0.0.1:8000/idporten"
JWKS = f"{ISSUER}/jwks"
CLIENT_ID, SECRET = "pasientportal-test", "klienthemmelighet"
CALLBACK = "http://127.0.0.1:8000/api/accounts/callback"
LOGGED_OUT = "http://127.0.0.1:8000/nb/"
CLIENTS = {CLIENT_ID: {"secret": SECRET, "redirect_uris": [CALLBACK], "post_logout_redirect_uris": [LOGGED_OUT]}}
START = parse_instant("2026-11-23T09:00:00+01:00")


def synthetic_pid(day: int, month: int, year: int) -> str:
    """A Tenor-style synthetic national id (month + 80) passing both mod-11 control digits."""
    k1_weights, k2_weights = (3, 7, 6, 1, 8, 9, 4, 5, 2), (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
    for individual in range(500, 1000):
        digits = [int(c) for c in f"{day:02d}{month + 80:02d}{year % 100:02d}{individual:03d}"]
        k1 = (11 - sum(w * d for w, d in zip(k1_weights, digits, strict=True)) % 11) % 11
        k2 = (11 - sum(w * d for w, d in zip(k2_weights, [*digits, k1], strict=True)) % 11) % 11
        if k1 != 10 and k2 != 10:
            return "".join(str(d) for d in [*digits, k1, k2])
    raise ValueError("no valid individual number")


PERSONS = [{"pid": synthetic_pid(14, 3, 1985), "name": "Kari Nordmann", "label": "Forelder med to barn"},
           {"pid": synthetic_pid(2, 9, 2016), "name": "Ola Nordmann", "label": "Barn"}]


class AppFetcher:
    """HttpFetcher over a Flask app's test client; swapping `app` models a provider key rotation."""

    def __init__(self, app) -> None:
        self.app, self.urls = app, []

    def get_json(self, url: str) -> dict:
        self.urls.append(url)
        response = self.app.test_client().get(url)
        if response.status_code != 200:
            raise OSError(f"HTTP {response.status_code}")
        return response.get_json()

    def post_form(self, url: str, data: dict, headers: dict[str, str] | None = None) -> tuple[int, dict]:
        response = self.app.test_client().post(url, data=data, headers=headers or {})
        return response.status_code, response.get_json(silent=True) or {}


def tags(html: str, name: str) -> list[dict]:
    found: list[dict] = []
    parser = HTMLParser()
    parser.handle_starttag = lambda tag, attrs: found.append(dict(attrs)) if tag == name else None
    parser.feed(html)
    return found




def start(rp: OidcClient, level: str | None = "high") -> tuple[str, str, str, str]:
    (state, nonce), (verifier, challenge) = (random_token(), random_token()), make_pkce()
    return rp.authorization_url(CALLBACK, state, nonce, challenge, level, "nb"), state, nonce, verifier


def browser(app, url: str, level: str = "high", action: str = "login", person: str = "0") -> dict:
    """The user on the authorize page; the query of the redirect back to the portal."""
    client = app.test_client()
    inputs = tags(client.get(url).get_data(as_text=True), "input")
    form = {i["name"]: i["value"] for i in inputs if i["type"] == "hidden"}
    answer = client.post(urlsplit(url).path, data={**form, "person": person, "level": level, "action": action})
    assert answer.status_code == 302 and answer.headers["Location"].startswith(CALLBACK + "?")
    return {k: v[0] for k, v in parse_qs(urlsplit(answer.headers["Location"]).query).items()}


def login(rp: OidcClient, app, level: str = "high", person: str = "0") -> tuple[str, str]:
    url, state, nonce, verifier = start(rp, level)
    answer = browser(app, url, level, person=person)
    assert answer["state"] == state
    return rp.exchange_code(answer["code"], CALLBACK, verifier), nonce


def outcome(rp: OidcClient, token: str, nonce: str) -> str:
    """The level of a verified id_token, or the reason it was refused."""
    try:
        return rp.verify_id_token(token, nonce).level
    except OidcError as err:
        return err.reason


def test_R1_acr_high_maps_to_level_high(rp, provider):
    claims = rp.verify_id_token(*login(rp, provider, "high"))
    assert (claims.level, claims.pid) == ("high", PERSONS[0]["pid"]) and claims.sid


def test_R1_acr_substantial_maps_to_level_substantial(rp, provider):
    assert outcome(rp, *login(rp, provider, "substantial")) == "substantial"


def test_R2_pid_is_the_chosen_persons_and_sub_is_stable_and_opaque(rp, provider):
    first, again, other = (rp.verify_id_token(*login(rp, provider, person=n)) for n in ("1", "1", "0"))
    assert first.pid == PERSONS[1]["pid"] and first.sub == again.sub != other.sub and first.pid not in first.sub


def test_R1_token_times_come_from_the_injected_clock(rp, provider, clock):
    token, nonce = login(rp, provider)
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["iat"] == int(START.timestamp()) and claims["exp"] == claims["iat"] + 120
    clock.advance(seconds=120 + 29)
    assert outcome(rp, token, nonce) == "high"                        # inside the leeway
    clock.advance(seconds=2)
    assert outcome(rp, token, nonce) == "expired"


@pytest.mark.parametrize(("mode", "expected"), [
    ("bad_signature", "bad_signature"), ("wrong_iss", "wrong_issuer"), ("wrong_aud", "wrong_audience"),
    ("bad_nonce", "bad_nonce"), ("expired", "expired")])
def test_R1_broken_token_is_refused(rp, provider, mode, expected):
    assert provider.test_client().post(f"{ISSUER}/__switch", json={"mode": mode}).status_code == 200
    assert provider.test_client().post(f"{ISSUER}/__switch", json={"mode": "chaos"}).status_code == 400
    assert provider.test_client().get(f"{ISSUER}/__switch").get_json() == {"mode": mode}
    assert outcome(rp, *login(rp, provider)) == expected


def test_R1_replayed_code_is_refused(rp, provider):
    url, _, _, verifier = start(rp)
    rp.exchange_code(code := browser(provider, url)["code"], CALLBACK, verifier)
    with pytest.raises(OidcError, match=r"^token_exchange_failed \(invalid_grant\)$"):
        rp.exchange_code(code, CALLBACK, verifier)


@pytest.mark.parametrize("case", ["wrong_verifier", "wrong_secret", "code_expired", "wrong_redirect"])
def test_R1_token_exchange_refusals(rp, provider, fetcher, clock, case):
    url, _, _, verifier = start(rp)
    code = browser(provider, url)["code"]
    client = OidcClient(ISSUER, CLIENT_ID, SecretPost("feil" if case == "wrong_secret" else SECRET), fetcher, clock)
    verifier = make_pkce()[0] if case == "wrong_verifier" else verifier
    clock.advance(seconds=61 if case == "code_expired" else 0)
    redirect = CALLBACK + "x" if case == "wrong_redirect" else CALLBACK
    with pytest.raises(OidcError, match="^token_exchange_failed"):
        client.exchange_code(code, redirect, verifier)


def test_client_secret_basic_is_accepted(rp, provider):
    url, _, _, verifier = start(rp)
    code = browser(provider, url)["code"]
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK, "code_verifier": verifier}
    basic = {"Authorization": "Basic " + base64.b64encode(f"{CLIENT_ID}:{SECRET}".encode()).decode()}
    answer = provider.test_client().post(f"{ISSUER}/token", data=form, headers=basic)
    assert answer.json["token_type"] == "Bearer" and answer.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(("claims", "expected"), [
    ({"acr": "Level4"}, "high"), ({"acr": "Level3"}, "substantial"), ({"acr": "idporten-loa-low"}, "bad_acr"),
    ({"acr": None}, "bad_acr"), ({"pid": None}, "missing_pid"), ({"aud": [CLIENT_ID, "x"]}, "wrong_audience"),
    ({"aud": [CLIENT_ID, "x"], "azp": CLIENT_ID}, "high"), ({"azp": "x"}, "wrong_audience")])
def test_R1_claims_of_a_validly_signed_token(rp, provider, claims, expected):
    stand_in, now = provider.extensions["idporten"], int(START.timestamp())
    base = {"iss": ISSUER, "aud": CLIENT_ID, "sub": "s", "pid": PERSONS[0]["pid"], "acr": "idporten-loa-high",
            "nonce": "n", "iat": now, "exp": now + 120}
    body = {k: v for k, v in {**base, **claims}.items() if v is not None}
    token = jwt.encode(body, stand_in.key, algorithm="RS256", headers={"kid": stand_in.kid})
    assert outcome(rp, token, "n") == expected
    assert outcome(rp, jwt.encode(body, "k" * 32, algorithm="HS256", headers={"kid": stand_in.kid}), "n") == (
        "bad_signature")                                                # never a symmetric or unsigned token


def test_discovery_issuer_must_match_exactly(fetcher, clock):
    client = OidcClient(ISSUER + "/", CLIENT_ID, SecretPost(SECRET), fetcher, clock)
    with pytest.raises(OidcError, match="^discovery_failed$"):
        client.discovery()


def test_authorization_url_asks_for_code_pkce_and_level(rp):
    query = parse_qs(urlsplit(start(rp, "substantial")[0]).query)
    assert query["scope"] == ["openid profile"] and query["response_type"] == ["code"]
    assert query["code_challenge_method"] == ["S256"] and query["acr_values"] == ["idporten-loa-substantial"]
    verifier, challenge = make_pkce()
    assert challenge == base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")


@pytest.mark.parametrize(("level", "checked"), [("high", "high"), ("substantial", "substantial"), (None, "high")])
def test_authorize_page_lists_persons_without_pids(rp, provider, level, checked):
    page = provider.test_client().get(start(rp, level)[0])
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'lang="nb"' in html and "ID-porten (lokal testinnlogging)" in html
    assert "Kari Nordmann – Forelder med to barn" in html and "Velg testperson" in html
    assert not re.search(r"\d{11}", html) and all(p["pid"] not in html for p in PERSONS)
    assert "<script" not in html and "<style" not in html and "style=" not in html
    visible = [i for i in tags(html, "input") if i["type"] != "hidden"]
    assert len(visible) == 4 and {i["id"] for i in visible} == {label["for"] for label in tags(html, "label")}
    assert [i["value"] for i in visible if i["name"] == "level" and "checked" in i] == [checked]


@pytest.mark.parametrize("missing", ["state", "nonce", "code_challenge", "redirect_uri"])
def test_authorize_without_a_required_parameter_is_a_400_page(rp, provider, missing):
    url = start(rp)[0]
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items() if k != missing}
    page = provider.test_client().get(f"{ISSUER}/authorize?{urlencode(query)}")
    assert page.status_code == 400 and page.mimetype == "text/html" and "Location" not in page.headers


def test_cancel_returns_access_denied_with_state(rp, provider):
    url, state, _, _ = start(rp)
    assert browser(provider, url, action="cancel") == {"error": "access_denied", "state": state}


def test_end_session_returns_to_a_registered_uri_only_with_a_valid_id_token_hint(rp, provider):
    hint, _ = login(rp, provider)
    answer = provider.test_client().get(rp.end_session_url(LOGGED_OUT, hint, state="s1"))
    assert answer.status_code == 302 and answer.headers["Location"] == f"{LOGGED_OUT}?state=s1"
    provider.test_client().post(f"{ISSUER}/__switch", json={"mode": "bad_signature"})
    forged, _ = login(rp, provider)
    for url in (rp.end_session_url("https://evil.example/", hint), rp.end_session_url(LOGGED_OUT),
                rp.end_session_url(LOGGED_OUT, forged)):
        answer = provider.test_client().get(url)  # unregistered target, no hint, a hint not signed by us
        assert answer.status_code == 200 and "Du er logget ut" in answer.get_data(as_text=True)
