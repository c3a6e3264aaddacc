"""How the relying party proves who it is at the token endpoint, chosen by configuration
(Settings.oidc_client_auth, env PORTAL_OIDC_CLIENT_AUTH):

- client_secret_post   client_id + client_secret in the form (RFC 6749 2.3.1)
- client_secret_basic  the same pair in an HTTP Basic header
- private_key_jwt      a short-lived RS256 assertion signed with our private key (RFC 7523 2.2,
                       OIDC Core 9): ID-porten's recommended method. No shared secret leaves us;
                       the provider knows only our public key (registered with Digdir).

Secrets (the client secret, the private key PEM) come from SSM, read once when the client is built.
"""
from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from typing import Any, ClassVar, Protocol
from urllib.parse import quote_plus

from functions.core.clock import Clock
from functions.core.config import Settings

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
ASSERTION_SECONDS = 60  # ID-porten accepts at most 120 s between iat and exp


class ClientAuth(Protocol):
    method: str

    def credentials(self, client_id: str, audience: str) -> tuple[dict[str, str], dict[str, str]]:
        """(form fields, HTTP headers) authenticating `client_id` to the provider `audience`."""
        ...


class SecretPost:
    method: ClassVar[str] = "client_secret_post"

    def __init__(self, secret: str) -> None:
        self._secret = secret

    def __repr__(self) -> str:
        return f"{type(self).__name__}(***)"

    def credentials(self, client_id: str, audience: str) -> tuple[dict[str, str], dict[str, str]]:
        return {"client_id": client_id, "client_secret": self._secret}, {}


class SecretBasic(SecretPost):
    method: ClassVar[str] = "client_secret_basic"

    def credentials(self, client_id: str, audience: str) -> tuple[dict[str, str], dict[str, str]]:
        # RFC 6749 2.3.1: both halves are form-urlencoded before the base64 of HTTP Basic.
        pair = f"{quote_plus(client_id)}:{quote_plus(self._secret)}".encode()
        return {"client_id": client_id}, {"Authorization": "Basic " + base64.b64encode(pair).decode("ascii")}


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _load_rsa_key(private_key_pem: str) -> Any:
    from cryptography.hazmat.primitives.asymmetric import rsa  # lazy: only a login pays (M1)
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    key = load_pem_private_key(private_key_pem.encode(), password=None)
    if not isinstance(key, rsa.RSAPrivateKey) or key.key_size < 2048:
        raise ValueError("the OIDC client key must be an RSA private key of at least 2048 bits")
    return key


def public_jwk(private_key_pem: str, kid: str | None = None) -> dict[str, str]:
    """The public half as a JWK, to register with the provider. Without `kid`, the key id is the
    key's RFC 7638 thumbprint, so it needs no configuration and changes with the key."""
    import jwt  # lazy, see _load_rsa_key

    jwk = jwt.algorithms.RSAAlgorithm.to_jwk(_load_rsa_key(private_key_pem).public_key(), as_dict=True)
    required = json.dumps({k: jwk[k] for k in ("e", "kty", "n")}, separators=(",", ":"), sort_keys=True)
    thumbprint = _b64url(hashlib.sha256(required.encode()).digest())
    return {"kty": "RSA", "n": jwk["n"], "e": jwk["e"], "kid": kid or thumbprint, "use": "sig", "alg": "RS256"}


class PrivateKeyJwt:
    method: ClassVar[str] = "private_key_jwt"

    def __init__(self, private_key_pem: str, kid: str | None, clock: Clock) -> None:
        self._key = _load_rsa_key(private_key_pem)
        self.kid = public_jwk(private_key_pem, kid)["kid"]
        self._clock = clock

    def __repr__(self) -> str:
        return f"PrivateKeyJwt(kid={self.kid!r})"

    def credentials(self, client_id: str, audience: str) -> tuple[dict[str, str], dict[str, str]]:
        """A one-use assertion: iss = sub = our client id, aud = the provider's issuer (what
        ID-porten checks; RFC 7523 3 allows it), a fresh jti, valid ASSERTION_SECONDS by our clock."""
        import secrets

        import jwt

        now = int(self._clock.now().timestamp())
        claims = {"iss": client_id, "sub": client_id, "aud": audience, "iat": now,
                  "exp": now + ASSERTION_SECONDS, "jti": secrets.token_urlsafe(24)}
        assertion = jwt.encode(claims, self._key, algorithm="RS256", headers={"kid": self.kid})
        return {"client_id": client_id, "client_assertion_type": ASSERTION_TYPE, "client_assertion": assertion}, {}


def client_auth(settings: Settings, read_secret: Callable[[str], str], clock: Clock) -> ClientAuth:
    """The configured method, its secret read from SSM (only the one it needs)."""
    if settings.oidc_client_auth == PrivateKeyJwt.method:
        return PrivateKeyJwt(read_secret(settings.oidc_client_key_param), settings.oidc_client_key_id, clock)
    secret = read_secret(settings.oidc_client_secret_param)
    return SecretBasic(secret) if settings.oidc_client_auth == SecretBasic.method else SecretPost(secret)


if __name__ == "__main__":  # python -m functions.accounts.oidc_client_auth < key.pem: the JWK to register
    import sys

    print(json.dumps(public_jwk(sys.stdin.read()), indent=2))
