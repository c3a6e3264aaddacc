"""Opaque, signed paging cursors: a client can neither read nor forge another's position."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable

from functions.core.errors import BadRequest


class Cursors:
    def __init__(self, key: bytes) -> None:
        self._key = hashlib.sha256(b"cursor:" + key).digest()

    def encode(self, owner: str, last_key: dict | None) -> str | None:
        if not last_key:
            return None
        body = json.dumps({"o": owner, "k": last_key}, separators=(",", ":")).encode()
        mac = hmac.new(self._key, body, hashlib.sha256).digest()[:16]
        return base64.urlsafe_b64encode(mac + body).decode().rstrip("=")

    def decode(self, owner: str, cursor: str | None) -> dict | None:
        if not cursor:
            return None
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
            mac, body = raw[:16], raw[16:]
            good = hmac.compare_digest(mac, hmac.new(self._key, body, hashlib.sha256).digest()[:16])
            data = json.loads(body) if good else None
        except (ValueError, json.JSONDecodeError):
            data = None
        if not data or data.get("o") != owner:
            raise BadRequest("bad_cursor", field="cursor")
        return data["k"]


class LazyCursors:
    """Cursors whose key (the pepper, a secret read from SSM) is read on first real use: a first
    page (no cursor given) that is also the last (no cursor made) reads no secret, so neither does
    a cold start's first list."""

    def __init__(self, key: Callable[[], bytes]) -> None:
        self._key, self._cursors = key, None

    def _made(self) -> Cursors:
        if self._cursors is None:
            self._cursors = Cursors(self._key())
        return self._cursors

    def encode(self, owner: str, last_key: dict | None) -> str | None:
        return self._made().encode(owner, last_key) if last_key else None

    def decode(self, owner: str, cursor: str | None) -> dict | None:
        return self._made().decode(owner, cursor) if cursor else None
