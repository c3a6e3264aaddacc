"""Clinic credentials: key id + secret (stored as a peppered hash, compared in constant time),
bound to one clinic, naming the acting staff member on each call; rate-limited per key."""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets

from pynamodb.exceptions import DoesNotExist

from functions.core.actor import STAFF, Actor
from functions.core.core_records import CredentialRecord
from functions.core.directory import Directory
from functions.core.errors import Forbidden, Unauthenticated
from functions.core.ratelimit import RateLimiter

_DUMMY_HASH = "0" * 64


def hash_secret(secret: str, pepper: bytes) -> str:
    return hmac.new(pepper, b"clinic-secret:" + secret.encode(), hashlib.sha256).hexdigest()


def parse_basic(header: str | None) -> tuple[str, str]:
    if not header or not header.startswith("Basic "):
        raise Unauthenticated("bad_credentials")
    try:
        key_id, _, secret = base64.b64decode(header[6:], validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise Unauthenticated("bad_credentials") from exc
    if not key_id or not secret:
        raise Unauthenticated("bad_credentials")
    return key_id, secret


class ClinicAuth:
    def __init__(self, pepper: bytes, limiter: RateLimiter, directory: Directory, rate: int) -> None:
        self._pepper = pepper
        self._limiter = limiter
        self._directory = directory
        self._rate = rate

    def issue(self, clinic_id: str, label: str = "") -> tuple[str, str]:
        """A new credential for a clinic; the secret is shown once and stored only hashed."""
        key_id, secret = "ck_" + secrets.token_hex(8), secrets.token_urlsafe(32)
        CredentialRecord(f"CRED#{key_id}", "CRED", clinic_id=clinic_id, label=label,
                         secret_hash=hash_secret(secret, self._pepper)).save(CredentialRecord.pk.does_not_exist())
        return key_id, secret

    def authenticate(self, authorization: str | None, staff_id: str | None) -> Actor:
        key_id, secret = parse_basic(authorization)
        self._limiter.hit(f"clinic:{key_id}", self._rate)
        try:
            record = CredentialRecord.get(f"CRED#{key_id}", "CRED")
            stored, active = record.secret_hash, record.active
        except DoesNotExist:
            record, stored, active = None, _DUMMY_HASH, False
        good = hmac.compare_digest(stored, hash_secret(secret, self._pepper))
        if not (good and active and record):
            raise Unauthenticated("bad_credentials")
        if not staff_id:
            raise Forbidden("unknown_staff", field="X-Staff-Id")
        staff = self._directory.staff(record.clinic_id, staff_id)
        if staff is None or not staff.active:
            raise Forbidden("unknown_staff", field="X-Staff-Id")
        return Actor(kind=STAFF, actor_id=staff_id, on_behalf_of=None, clinic_id=record.clinic_id)
