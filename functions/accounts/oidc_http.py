"""The relying party's back channel to the provider (discovery, JWKS, token endpoint). Nothing
here logs: a token request carries a code, a secret or a signed assertion."""
from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Protocol
from urllib.parse import urlencode, urlsplit

MAX_BODY = 1 << 20


class HttpFetcher(Protocol):
    """Back-channel HTTP. `get_json` raises OSError or ValueError unless it gets 200 and a JSON
    object; `post_form` returns the status and the JSON object answered ({} if none)."""

    def get_json(self, url: str) -> dict: ...

    def post_form(self, url: str, data: dict, headers: dict[str, str] | None = None) -> tuple[int, dict]: ...


class UrllibFetcher:
    """HttpFetcher over urllib: http and https only, answers over MAX_BODY bytes count as no JSON."""

    def __init__(self, timeout: float = 5) -> None:
        self.timeout = timeout

    def get_json(self, url: str) -> dict:
        status, body = self._send(url, None, {})
        if status != 200 or body is None:
            raise OSError(f"HTTP {status} without a JSON object")
        return body

    def post_form(self, url: str, data: dict, headers: dict[str, str] | None = None) -> tuple[int, dict]:
        status, body = self._send(url, urlencode(data).encode(), headers or {})
        return status, body or {}

    def _send(self, url: str, form: bytes | None, headers: dict[str, str]) -> tuple[int, dict | None]:
        if urlsplit(url).scheme not in ("http", "https"):
            raise ValueError("only http and https URLs")
        # With data urllib POSTs as application/x-www-form-urlencoded.
        request = urllib.request.Request(url, data=form, headers={"Accept": "application/json", **headers})  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return response.status, _json_object(response.read(MAX_BODY + 1))
        except urllib.error.HTTPError as err:
            with err:
                return err.code, _json_object(err.read(MAX_BODY + 1))


def _json_object(raw: bytes) -> dict | None:
    try:
        value = json.loads(raw) if len(raw) <= MAX_BODY else None
    except ValueError:
        return None
    return value if isinstance(value, dict) else None
