"""Client authentication at the stand-in ID-porten's token endpoint, as ID-porten does it:
client_secret_basic, client_secret_post, or private_key_jwt (RFC 7523 2.2: an RS256 assertion
signed by a key registered for the client, aud = the issuer or the token endpoint, at most 120 s
valid, each jti once). A client registers `secret` and/or `jwks` (its public keys)."""
from __future__ import annotations

import hmac
import threading
from urllib.parse import unquote_plus

import jwt
from flask import Request

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
MAX_ASSERTION_SECONDS, LEEWAY = 120, 10
METHODS = ("client_secret_post", "client_secret_basic", "private_key_jwt")
_NO_TIMES = {"verify_exp": False, "verify_iat": False, "verify_nbf": False, "verify_aud": False}


class ClientAuthenticator:
    def __init__(self, issuer: str, token_endpoint: str, clients: dict[str, dict], clock) -> None:
        self.audiences = {issuer, token_endpoint}
        self.clients, self.clock = clients, clock
        self._seen: dict[str, float] = {}   # jti -> exp of assertions already used
        self._lock = threading.Lock()
        self.last_method: str | None = None  # for tests: how the last client authenticated

    def authenticate(self, req: Request) -> str | None:
        """The authenticated client id, or None."""
        if req.form.get("client_assertion_type") or req.form.get("client_assertion"):
            return self._assertion(req.form.get("client_assertion_type", ""), req.form.get("client_assertion", ""),
                                   req.form.get("client_id"))
        auth = req.authorization
        if auth is not None and auth.type == "basic":
            method = "client_secret_basic"
            client_id, secret = unquote_plus(auth.username or ""), unquote_plus(auth.password or "")
        else:
            method = "client_secret_post"
            client_id, secret = req.form.get("client_id", ""), req.form.get("client_secret", "")
        registered = self.clients.get(client_id, {}).get("secret")
        if registered and secret and hmac.compare_digest(secret.encode(), registered.encode()):
            return self._done(client_id, method)
        return None

    def _assertion(self, kind: str, assertion: str, form_client: str | None) -> str | None:
        try:
            header = jwt.get_unverified_header(assertion)
            client_id = jwt.decode(assertion, options={"verify_signature": False}).get("iss")
        except jwt.PyJWTError:
            return None
        if not isinstance(client_id, str):
            return None
        keys = self.clients.get(client_id, {}).get("jwks", [])
        if kind != ASSERTION_TYPE or form_client not in (None, client_id) or header.get("alg") != "RS256":
            return None
        kid = header.get("kid")
        jwk = next((k for k in keys if k.get("kid") == kid), keys[0] if kid is None and len(keys) == 1 else None)
        if jwk is None:
            return None
        try:
            claims = jwt.decode(assertion, jwt.PyJWK(jwk, algorithm="RS256").key, algorithms=["RS256"],
                                options=_NO_TIMES)
        except jwt.PyJWTError:
            return None
        return self._done(client_id, "private_key_jwt") if self._claims_ok(claims, client_id) else None

    def _claims_ok(self, claims: dict, client_id: str) -> bool:
        now = self.clock.now().timestamp()
        exp, iat, jti, aud = claims.get("exp"), claims.get("iat"), claims.get("jti"), claims.get("aud")
        audiences = {a for a in (aud if isinstance(aud, list) else [aud]) if isinstance(a, str)}
        if claims.get("sub") != client_id or not audiences & self.audiences or not isinstance(jti, str):
            return False
        if not all(isinstance(v, int | float) for v in (exp, iat)):
            return False
        if exp < now - LEEWAY or iat > now + LEEWAY or exp - iat > MAX_ASSERTION_SECONDS:
            return False
        with self._lock:
            self._seen = {j: e for j, e in self._seen.items() if e >= now - LEEWAY}
            if jti in self._seen:
                return False   # a replayed assertion
            self._seen[jti] = exp
        return True

    def _done(self, client_id: str, method: str) -> str:
        self.last_method = method
        return client_id
