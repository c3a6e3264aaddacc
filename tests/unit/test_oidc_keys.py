"""Signing-key rotation at the provider: an id_token with an unknown kid refetches the JWKS, at
most once per interval by the injected clock (a flood of made-up kids cannot make us refetch on
every token); a token without kid is accepted only while the set holds exactly one key."""
from __future__ import annotations

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from devstack.idporten import create_idporten_app
from functions.accounts.oidc import JWKS_REFETCH_SECONDS, OidcClient
from functions.accounts.oidc_client_auth import SecretPost
from tests.unit.test_oidc import CLIENT_ID, CLIENTS, ISSUER, JWKS, PERSONS, SECRET, AppFetcher, login, outcome


def signed(provider, clock, kid: str | None = "the provider's") -> str:
    """A valid id_token (nonce "n") signed with the provider's key, under any kid or none."""
    stand_in, now = provider.extensions["idporten"], int(clock.now().timestamp())
    claims = {"iss": ISSUER, "aud": CLIENT_ID, "sub": "s", "pid": PERSONS[0]["pid"], "acr": "idporten-loa-high",
              "nonce": "n", "iat": now, "exp": now + 120}
    kid = stand_in.kid if kid == "the provider's" else kid
    return jwt.encode(claims, stand_in.key, algorithm="RS256", headers={"kid": kid} if kid else None)


class TwoKeyFetcher(AppFetcher):
    """The provider publishes a second signing key next to its own (a rotation in progress)."""

    def get_json(self, url: str) -> dict:
        answer = super().get_json(url)
        if url == JWKS:
            other = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
            extra = jwt.algorithms.RSAAlgorithm.to_jwk(other, as_dict=True)
            answer = {"keys": [*answer["keys"], {**extra, "kid": "neste", "use": "sig", "alg": "RS256"}]}
        return answer


def test_rotation_an_unknown_kid_refetches_the_jwks_and_a_retired_kid_is_refused(rp, provider, fetcher, clock):
    old = login(rp, provider)
    assert outcome(rp, *old) == "high" and fetcher.urls.count(JWKS) == 1
    clock.advance(seconds=JWKS_REFETCH_SECONDS)
    fetcher.app = create_idporten_app(ISSUER, CLIENTS, PERSONS, clock)  # rotated: same issuer, new kid
    new = login(rp, fetcher.app)
    assert outcome(rp, *new) == outcome(rp, *new) == "high"             # unknown kid: fetch 2, then cached
    assert fetcher.urls.count(JWKS) == 2
    clock.advance(seconds=JWKS_REFETCH_SECONDS)
    assert outcome(rp, *old) == "bad_signature" and fetcher.urls.count(JWKS) == 3  # retired kid: fetch 3


def test_a_flood_of_unknown_kids_refetches_the_jwks_at_most_once_per_interval(rp, provider, fetcher, clock):
    assert outcome(rp, signed(provider, clock), "n") == "high" and fetcher.urls.count(JWKS) == 1
    flood = [signed(provider, clock, kid=f"ukjent-{n}") for n in range(50)]
    assert {outcome(rp, token, "n") for token in flood} == {"bad_signature"}
    assert fetcher.urls.count(JWKS) == 1                               # inside the interval: none
    clock.advance(seconds=JWKS_REFETCH_SECONDS - 1)
    assert {outcome(rp, token, "n") for token in flood} == {"bad_signature"}
    assert fetcher.urls.count(JWKS) == 1
    clock.advance(seconds=1)
    assert {outcome(rp, token, "n") for token in flood} == {"bad_signature"}
    assert fetcher.urls.count(JWKS) == 2                               # one per interval, not one per token
    assert outcome(rp, signed(provider, clock), "n") == "high"         # the known kid is never held up


def test_a_token_without_kid_is_accepted_while_the_set_holds_one_key(rp, provider, clock):
    assert outcome(rp, signed(provider, clock, kid=None), "n") == "high"


def test_a_token_without_kid_is_refused_when_the_set_holds_two_keys(provider, clock):
    rp = OidcClient(ISSUER, CLIENT_ID, SecretPost(SECRET), TwoKeyFetcher(provider), clock)
    assert outcome(rp, signed(provider, clock, kid=None), "n") == "bad_signature"
    assert outcome(rp, signed(provider, clock), "n") == "high"
