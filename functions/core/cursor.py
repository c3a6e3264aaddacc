"""Opaque, signed paging cursors: a client can neither read nor forge another's position."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json

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
