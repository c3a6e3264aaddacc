"""Input parsing for the edges: JSON bodies checked field by field, one error per problem."""
from __future__ import annotations

import re
import unicodedata
from typing import Any

from functions.core.errors import BadRequest, Invalid

EMAIL = re.compile(r"^[^@\s]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9-]{1,63})+$")


def json_object(payload: Any, allowed: set[str]) -> dict:
    if not isinstance(payload, dict):
        raise BadRequest("bad_request")
    for key in payload:
        if key not in allowed:
            raise Invalid("unknown_field", field=str(key)[:64])
    return payload


def text(body: dict, name: str, max_len: int, required: bool = True, allow_empty: bool = False,
         multiline: bool = False) -> str | None:
    """A trimmed string of at most max_len characters; `multiline` keeps line breaks (as "\\n") and tabs."""
    value = body.get(name)
    if value is None:
        if required:
            raise Invalid("required", field=name)
        return None
    if not isinstance(value, str):
        raise BadRequest("wrong_type", field=name)
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = value.strip()
    if len(value) > max_len:
        raise Invalid("too_long", field=name, max=max_len)
    if not value and not allow_empty and required:
        raise Invalid("required", field=name)
    if not printable(value.replace("\n", "").replace("\t", "") if multiline else value):
        raise Invalid("invalid_characters", field=name)
    return value


# Control (Cc), format (Cf: bidi overrides such as U+202E, zero-width marks), private-use (Co),
# unassigned (Cn) and surrogate (Cs) code points and line/paragraph separators: they can make what
# clinic staff see differ from what was written. Letters of every script (Sámi too) stay.
_REFUSED = frozenset(("Cc", "Cf", "Co", "Cn", "Cs", "Zl", "Zp"))


def printable(value: str) -> bool:
    if value.isascii():
        return value.isprintable()
    return not any(unicodedata.category(c) in _REFUSED for c in value)


def optional_id(body: dict, name: str) -> str | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", value):
        raise Invalid("invalid", field=name)
    return value


def email(value: str, field: str = "email") -> str:
    if len(value) > 254 or not EMAIL.match(value):
        raise Invalid("invalid_email", field=field)
    return value.lower()
