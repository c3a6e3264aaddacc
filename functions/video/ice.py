"""The ICE servers a room's browsers use: none on loopback; STUN and TURN from configuration.

TURN credentials are short-lived and made per join from a secret shared with the TURN server
(coturn's `use-auth-secret` / `static-auth-secret`, the "TURN REST API" scheme): the username is
`<expiry, epoch seconds>:<role>` and the password base64(HMAC-SHA1(secret, username)). The secret
is read from SSM on first use and never leaves the function."""
from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable
from datetime import datetime, timedelta

TURN_LIFETIME = timedelta(hours=3)


def turn_credential(secret: str, username: str) -> str:
    return base64.b64encode(hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()).decode()


class IceServers:
    def __init__(self, stun_urls: tuple[str, ...], turn_urls: tuple[str, ...], turn_secret: Callable[[], str]) -> None:
        self._stun, self._turn, self._secret = stun_urls, turn_urls, turn_secret

    def for_join(self, role: str, now: datetime) -> list[dict]:
        servers: list[dict] = []
        if self._stun:
            servers.append({"urls": list(self._stun)})
        if self._turn:
            username = f"{int((now + TURN_LIFETIME).timestamp())}:{role}"
            servers.append({"urls": list(self._turn), "username": username,
                            "credential": turn_credential(self._secret(), username)})
        return servers
