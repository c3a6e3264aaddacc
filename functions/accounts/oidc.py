"""OpenID Connect relying party (ID-porten test/prod or any standard provider): code flow with
PKCE, state and nonce; HTTP through an injected fetcher, time from the injected clock, client
authentication by the injected method (oidc_client_auth). Nothing here logs, and no token, code or
national id leaves except as a return value."""
from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from functions.accounts.oidc_client_auth import ClientAuth
from functions.accounts.oidc_http import HttpFetcher
from functions.core.actor import HIGH, SUBSTANTIAL
from functions.core.clock import Clock

REASONS = ("discovery_failed", "token_exchange_failed", "bad_signature", "wrong_issuer",
           "wrong_audience", "expired", "bad_nonce", "bad_acr", "missing_pid")
ACR_LEVELS = {"idporten-loa-high": HIGH, "Level4": HIGH,
              "idporten-loa-substantial": SUBSTANTIAL, "Level3": SUBSTANTIAL}
ACR_VALUES = {HIGH: "idporten-loa-high", SUBSTANTIAL: "idporten-loa-substantial"}
JWKS_REFETCH_SECONDS = 60  # an unknown kid refetches the JWKS at most this often
# Signature only: PyJWT reads the real time, so every time and claim check is done here.
_DECODE_OPTIONS: Any = {"verify_signature": True, "verify_exp": False, "verify_iat": False,
                        "verify_nbf": False, "verify_aud": False, "verify_iss": False}
_ERROR_CODE = re.compile(r"[a-z_]{1,40}")


def random_token(nbytes: int = 32) -> str:
    return secrets.token_urlsafe(nbytes)


def make_pkce() -> tuple[str, str]:
    """(code_verifier, S256 code_challenge) per RFC 7636."""
    verifier = random_token(48)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


@dataclass(frozen=True)
class IdClaims:
    pid: str
    level: str          # high | substantial
    sub: str
    sid: str | None


class OidcError(Exception):
    """A failed login; `reason` is one of REASONS, `detail` the provider's OAuth error code if any."""

    def __init__(self, reason: str, detail: str | None = None) -> None:
        super().__init__(reason if detail is None else f"{reason} ({detail})")
        self.reason, self.detail = reason, detail


def _with_query(url: str, params: dict[str, str]) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(query="&".join(q for q in (parts.query, urlencode(params)) if q)))


def _error_code(body: object) -> str | None:
    error = body.get("error") if isinstance(body, dict) else None
    return error if isinstance(error, str) and _ERROR_CODE.fullmatch(error) else None


def _pick(keys: dict, kid: object) -> Any:
    if kid is None and len(keys) == 1:
        return next(iter(keys.values()))
    return keys.get(kid) if isinstance(kid, str) else None


def _rsa_keys(jwks: dict) -> dict[str, Any]:
    """kid -> public key, for the RSA signing keys of a JWKS (others are skipped)."""
    import jwt  # lazy: only a login pays for PyJWT and cryptography (cold start, M1)

    keys: dict[str, Any] = {}
    for jwk in jwks.get("keys") if isinstance(jwks.get("keys"), list) else []:
        try:
            if jwk.get("use", "sig") == "sig" and jwk.get("alg", "RS256") == "RS256" and "d" not in jwk:
                keys[jwk.get("kid")] = jwt.PyJWK(jwk, algorithm="RS256").key   # checks kty is RSA
        except (jwt.PyJWTError, AttributeError, ValueError, TypeError, KeyError):
            continue
    return keys


class OidcClient:
    def __init__(self, issuer: str, client_id: str, auth: ClientAuth, fetcher: HttpFetcher,
                 clock: Clock, leeway_seconds: int = 30, scope: str = "openid profile",
                 jwks_refetch_seconds: int = JWKS_REFETCH_SECONDS) -> None:
        self.issuer, self.client_id, self.auth = issuer, client_id, auth
        self.fetcher, self.clock, self.leeway, self.scope = fetcher, clock, leeway_seconds, scope
        self._refetch_after = timedelta(seconds=jwks_refetch_seconds)
        self._discovery: dict | None = None
        self._keys: dict[str, Any] = {}
        self._keys_fetched_at: datetime | None = None

    def discovery(self) -> dict:
        """The provider's metadata, fetched once; its issuer must be ours exactly."""
        if self._discovery is None:
            doc = self._get(self.issuer.rstrip("/") + "/.well-known/openid-configuration")
            endpoints = ("authorization_endpoint", "token_endpoint", "jwks_uri")
            if doc.get("issuer") != self.issuer or not all(isinstance(doc.get(k), str) for k in endpoints):
                raise OidcError("discovery_failed")
            self._discovery = doc
        return self._discovery

    def authorization_url(self, redirect_uri: str, state: str, nonce: str, code_challenge: str,
                          acr: str | None = None, ui_locales: str | None = None) -> str:
        """`acr` is a level (high | substantial) or its ID-porten acr value; None lets the provider choose."""
        params = {"response_type": "code", "client_id": self.client_id, "redirect_uri": redirect_uri,
                  "scope": self.scope, "state": state, "nonce": nonce,
                  "code_challenge": code_challenge, "code_challenge_method": "S256"}
        if acr is not None:
            if acr not in ACR_VALUES and acr not in ACR_VALUES.values():
                raise ValueError(f"unknown level {acr!r}")
            params["acr_values"] = ACR_VALUES.get(acr, acr)
        if ui_locales:
            params["ui_locales"] = ui_locales
        return _with_query(self.discovery()["authorization_endpoint"], params)

    def exchange_code(self, code: str, redirect_uri: str, code_verifier: str) -> str:
        """The id_token for an authorization code, the client authenticated by `self.auth`."""
        fields, headers = self.auth.credentials(self.client_id, self.issuer)
        data = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
                "code_verifier": code_verifier, **fields}
        try:
            status, body = self.fetcher.post_form(self.discovery()["token_endpoint"], data, headers)
        except (OSError, ValueError) as err:
            raise OidcError("token_exchange_failed") from err
        id_token = body.get("id_token") if isinstance(body, dict) else None
        if status != 200 or not isinstance(id_token, str):
            raise OidcError("token_exchange_failed", _error_code(body))
        return id_token

    def verify_id_token(self, id_token: str, nonce: str) -> IdClaims:
        claims = self._signed_claims(id_token)
        self._check_issuer_and_audience(claims)
        self._check_times(claims)
        got = claims.get("nonce")
        if not nonce or not isinstance(got, str) or not hmac.compare_digest(got.encode(), nonce.encode()):
            raise OidcError("bad_nonce")
        level = ACR_LEVELS.get(acr) if isinstance(acr := claims.get("acr"), str) else None
        if level is None:
            raise OidcError("bad_acr")
        pid, sub, sid = claims.get("pid"), claims.get("sub"), claims.get("sid")
        if not (isinstance(pid, str) and pid and isinstance(sub, str) and sub):
            raise OidcError("missing_pid")
        return IdClaims(pid=pid, level=level, sub=sub, sid=sid if isinstance(sid, str) else None)

    def end_session_url(self, post_logout_redirect_uri: str, id_token_hint: str | None = None,
                        state: str | None = None) -> str:
        """RP-initiated logout (OIDC RP-Initiated Logout 1.0, GET). ID-porten requires the
        id_token_hint; it carries the pid, base64-encoded, in this URL (see LoginService.logout)."""
        endpoint = self.discovery().get("end_session_endpoint")
        if not isinstance(endpoint, str):
            raise OidcError("discovery_failed")
        params = {"client_id": self.client_id, "post_logout_redirect_uri": post_logout_redirect_uri,
                  "id_token_hint": id_token_hint, "state": state}
        return _with_query(endpoint, {k: v for k, v in params.items() if v})

    def _get(self, url: str) -> dict:
        try:
            doc = self.fetcher.get_json(url)
        except (OSError, ValueError) as err:
            raise OidcError("discovery_failed") from err
        return doc if isinstance(doc, dict) else {}

    def _signing_key(self, kid: object) -> Any:
        """The key for a kid from the cached JWKS. An unknown kid (a rotation) refetches the set,
        but at most once per `jwks_refetch_seconds` by the injected clock: a flood of tokens with
        made-up kids costs the provider one request per interval, not one per token. A token
        without a kid is accepted only while the set holds exactly one key."""
        key = _pick(self._keys, kid)
        now = self.clock.now()
        stale = self._keys_fetched_at is None or now - self._keys_fetched_at >= self._refetch_after
        if key is None and (stale or not self._keys):
            self._keys_fetched_at = now
            self._keys = _rsa_keys(self._get(self.discovery()["jwks_uri"]))
            key = _pick(self._keys, kid)
        if key is None:
            raise OidcError("bad_signature")
        return key

    def _signed_claims(self, id_token: str) -> dict:
        import jwt  # lazy, see _rsa_keys

        try:
            header = jwt.get_unverified_header(id_token)
        except jwt.PyJWTError as err:
            raise OidcError("bad_signature") from err
        key = self._signing_key(header.get("kid"))   # decode below accepts RS256 only
        try:
            return jwt.decode(id_token, key, algorithms=["RS256"], options=_DECODE_OPTIONS)
        except jwt.PyJWTError as err:
            raise OidcError("bad_signature") from err

    def _check_issuer_and_audience(self, claims: dict) -> None:
        if claims.get("iss") != self.issuer:
            raise OidcError("wrong_issuer")
        aud = claims.get("aud")
        audiences = [aud] if isinstance(aud, str) else aud if isinstance(aud, list) else []
        # OIDC Core 3.1.3.7: with several audiences azp must name us; if present it must anyway.
        azp = claims.get("azp", self.client_id if len(audiences) == 1 else None)
        if self.client_id not in audiences or azp != self.client_id:
            raise OidcError("wrong_audience")

    def _check_times(self, claims: dict) -> None:
        now, leeway = self.clock.now().timestamp(), self.leeway
        exp, iat, nbf = claims.get("exp"), claims.get("iat"), claims.get("nbf", 0)
        numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (exp, iat, nbf))
        if not numbers or now > exp + leeway or iat > now + leeway or nbf > now + leeway:
            raise OidcError("expired")
