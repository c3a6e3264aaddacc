"""Pharmacy vendor credentials, modelled on core/clinic_auth.py: key id + secret over HTTP Basic
(never in a URL), the secret stored only as a peppered hash and compared in constant time, bound
to one vendor, rate-limited per key. Never logged."""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from functions.core.actor import INTEGRATION, Actor
from functions.core.clinic_auth import parse_basic
from functions.core.errors import Unauthenticated
from functions.core.ratelimit import RateLimiter
from functions.pharmacy.model import Vendor
from functions.pharmacy.ports import Pharmacy
from functions.pharmacy.repository import Credential

_DUMMY_HASH = "0" * 64


def hash_secret(secret: str, pepper: bytes) -> str:
    return hmac.new(pepper, b"vendor-secret:" + secret.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class VendorCaller:
    actor: Actor
    vendor: Vendor


class VendorAuth:
    def __init__(self, repo: Pharmacy, pepper: bytes, limiter: RateLimiter, rate: int) -> None:
        self._repo, self._pepper, self._limiter, self._rate = repo, pepper, limiter, rate

    def issue(self, vendor_id: str) -> tuple[str, str]:
        """A new credential; the secret is shown once and stored only hashed."""
        key_id, secret = "vk_" + secrets.token_hex(8), secrets.token_urlsafe(32)
        self._repo.put_credential(Credential(key_id, vendor_id, hash_secret(secret, self._pepper), True))
        return key_id, secret

    def authenticate(self, authorization: str | None) -> VendorCaller:
        try:
            key_id, secret = parse_basic(authorization)
        except Unauthenticated as exc:
            raise Unauthenticated("bad_vendor_credentials") from exc
        self._limiter.hit(f"vendor:{key_id}", self._rate)
        found = self._repo.credential(key_id)
        stored = found.secret_hash if found else _DUMMY_HASH
        good = hmac.compare_digest(stored, hash_secret(secret, self._pepper))
        vendor = self._repo.vendor(found.vendor_id) if found and good and found.active else None
        if vendor is None:
            raise Unauthenticated("bad_vendor_credentials")
        return VendorCaller(Actor(kind=INTEGRATION, actor_id=vendor.vendor_id, on_behalf_of=None,
                                  actor_name=vendor.name), vendor)
