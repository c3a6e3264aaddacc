"""Client authentication at the token endpoint, chosen by configuration: client_secret_post,
client_secret_basic and private_key_jwt (RFC 7523), each through a whole login at the stand-in
ID-porten, which verifies the assertion as ID-porten does."""
from __future__ import annotations

import base64

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from devstack.idporten import create_idporten_app
from devstack.stack import new_client_key
from functions.accounts.oidc import OidcClient, OidcError
from functions.accounts.oidc_client_auth import (
    ASSERTION_TYPE,
    PrivateKeyJwt,
    SecretBasic,
    SecretPost,
    client_auth,
    public_jwk,
)
from functions.core.clock import SettableClock
from functions.core.config import Settings, settings_from_env
from tests.support.aws_stack import client_key
from tests.unit.test_oidc import (
    CALLBACK,
    CLIENT_ID,
    ISSUER,
    LOGGED_OUT,
    PERSONS,
    SECRET,
    START,
    AppFetcher,
    browser,
    start,
)

TOKEN = f"{ISSUER}/token"


class RecordingFetcher(AppFetcher):
    """Also keeps what each token request sent (form fields and headers)."""

    def __init__(self, app) -> None:
        super().__init__(app)
        self.posts: list[tuple[dict, dict]] = []

    def post_form(self, url: str, data: dict, headers: dict[str, str] | None = None) -> tuple[int, dict]:
        self.posts.append((dict(data), dict(headers or {})))
        return super().post_form(url, data, headers)


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock(START, frozen=True)


@pytest.fixture
def provider(clock):
    clients = {CLIENT_ID: {"secret": SECRET, "jwks": [public_jwk(client_key())], "redirect_uris": [CALLBACK],
                           "post_logout_redirect_uris": [LOGGED_OUT]},
               "bare-key": {"jwks": [public_jwk(client_key())], "redirect_uris": [CALLBACK]}}
    return create_idporten_app(ISSUER, clients, PERSONS, clock)


def login_with(auth, provider, clock) -> tuple[str, RecordingFetcher]:
    """A whole login with one client authentication method: the verified level, and what was sent."""
    fetcher = RecordingFetcher(provider)
    rp = OidcClient(ISSUER, CLIENT_ID, auth, fetcher, clock)
    url, _, nonce, verifier = start(rp)
    token = rp.exchange_code(browser(provider, url)["code"], CALLBACK, verifier)
    return rp.verify_id_token(token, nonce).level, fetcher


def test_client_secret_post_sends_the_secret_in_the_form(provider, clock):
    level, fetcher = login_with(SecretPost(SECRET), provider, clock)
    (form, headers), = fetcher.posts
    assert level == "high" and provider.extensions["idporten"].auth.last_method == "client_secret_post"
    assert form["client_secret"] == SECRET and "Authorization" not in headers


def test_client_secret_basic_sends_the_secret_in_an_authorization_header(provider, clock):
    level, fetcher = login_with(SecretBasic(SECRET), provider, clock)
    (form, headers), = fetcher.posts
    assert level == "high" and provider.extensions["idporten"].auth.last_method == "client_secret_basic"
    assert "client_secret" not in form
    assert headers["Authorization"] == "Basic " + base64.b64encode(f"{CLIENT_ID}:{SECRET}".encode()).decode()


def test_private_key_jwt_sends_a_short_lived_signed_assertion_and_no_secret(provider, clock):
    level, fetcher = login_with(PrivateKeyJwt(client_key(), None, clock), provider, clock)
    (form, headers), = fetcher.posts
    assert level == "high" and provider.extensions["idporten"].auth.last_method == "private_key_jwt"
    assert "client_secret" not in form and "Authorization" not in headers
    assert form["client_assertion_type"] == ASSERTION_TYPE
    header = jwt.get_unverified_header(form["client_assertion"])
    claims = jwt.decode(form["client_assertion"], options={"verify_signature": False})
    assert header["alg"] == "RS256" and header["kid"] == public_jwk(client_key())["kid"]
    assert claims["iss"] == claims["sub"] == CLIENT_ID and claims["aud"] == ISSUER
    assert claims["iat"] == int(START.timestamp()) and claims["exp"] - claims["iat"] == 60 and claims["jti"]


def test_private_key_jwt_uses_the_configured_kid(clock):
    auth = PrivateKeyJwt(client_key(), "digdir-nokkel-1", clock)
    form, _ = auth.credentials(CLIENT_ID, ISSUER)
    assert jwt.get_unverified_header(form["client_assertion"])["kid"] == "digdir-nokkel-1"
    assert form["client_assertion"] != auth.credentials(CLIENT_ID, ISSUER)[0]["client_assertion"]  # fresh jti


def _assertion(clock, key: str | None = None, **changes) -> str:
    now = int(clock.now().timestamp())
    claims = {"iss": CLIENT_ID, "sub": CLIENT_ID, "aud": ISSUER, "iat": now, "exp": now + 60, "jti": "j1", **changes}
    return jwt.encode(claims, key or client_key(), algorithm="RS256", headers={"kid": public_jwk(client_key())["kid"]})


def _token_request(provider, assertion: str, kind: str = ASSERTION_TYPE) -> int:
    """The status of a token request with an unknown code: 400 once the client is authenticated."""
    form = {"grant_type": "authorization_code", "code": "x", "redirect_uri": CALLBACK, "code_verifier": "v" * 43,
            "client_assertion_type": kind, "client_assertion": assertion}
    return provider.test_client().post(TOKEN, data=form).status_code


def test_the_stand_in_accepts_a_valid_assertion_at_issuer_or_token_endpoint(provider, clock):
    assert _token_request(provider, _assertion(clock)) == 400
    assert _token_request(provider, _assertion(clock, aud=TOKEN, jti="j2")) == 400


@pytest.mark.parametrize("case", ["replayed", "expired", "too_long", "wrong_aud", "wrong_sub", "other_key",
                                  "wrong_type", "unknown_client"])
def test_the_stand_in_refuses_a_bad_assertion_as_invalid_client(provider, clock, case):
    now = int(clock.now().timestamp())
    changes = {"expired": {"iat": now - 200, "exp": now - 100}, "too_long": {"exp": now + 600},
               "wrong_aud": {"aud": "https://evil.example"}, "wrong_sub": {"sub": "noen-andre"},
               "other_key": {"key": new_client_key()}, "unknown_client": {"iss": "ukjent", "sub": "ukjent"}}
    assertion = _assertion(clock, **changes.get(case, {}))
    if case == "replayed":
        assert _token_request(provider, assertion) == 400
    kind = "urn:ietf:params:oauth:client-assertion-type:saml2-bearer" if case == "wrong_type" else ASSERTION_TYPE
    assert _token_request(provider, assertion, kind) == 401


def test_a_client_with_only_a_key_cannot_use_a_secret(provider, clock):
    rp = OidcClient(ISSUER, "bare-key", SecretPost(""), RecordingFetcher(provider), clock)
    with pytest.raises(OidcError, match=r"^token_exchange_failed \(invalid_client\)$"):
        rp.exchange_code("x", CALLBACK, "v" * 43)


def test_only_an_rsa_key_of_2048_bits_or_more_is_accepted(clock):
    pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    with pytest.raises(ValueError, match="RSA private key"):
        PrivateKeyJwt(pem, None, clock)


@pytest.mark.parametrize(("method", "cls", "param"), [
    ("client_secret_post", SecretPost, "/p/oidc/client-secret"),
    ("client_secret_basic", SecretBasic, "/p/oidc/client-secret"),
    ("private_key_jwt", PrivateKeyJwt, "/p/oidc/client-key")])
def test_the_configured_method_reads_only_its_own_secret_from_ssm(clock, method, cls, param):
    settings = settings_from_env({"PORTAL_PREFIX": "p", "PORTAL_OIDC_CLIENT_AUTH": method})
    read: list[str] = []
    values = {"/p/oidc/client-secret": "hemmelig", "/p/oidc/client-key": client_key()}
    auth = client_auth(settings, lambda name: read.append(name) or values[name], clock)
    assert type(auth) is cls and read == [param] and "hemmelig" not in repr(auth)


def test_settings_read_the_client_auth_from_the_environment_and_refuse_unknown_methods():
    settings = settings_from_env({"PORTAL_OIDC_CLIENT_AUTH": "private_key_jwt", "PORTAL_OIDC_KEY_PARAM": "/k",
                                  "PORTAL_OIDC_CLIENT_KEY_ID": "kid-1"})
    assert (settings.oidc_client_auth, settings.oidc_client_key_param, settings.oidc_client_key_id) == (
        "private_key_jwt", "/k", "kid-1")
    assert Settings().oidc_client_auth == "client_secret_post"
    with pytest.raises(ValueError, match="PORTAL_OIDC_CLIENT_AUTH"):
        settings_from_env({"PORTAL_OIDC_CLIENT_AUTH": "none"})
