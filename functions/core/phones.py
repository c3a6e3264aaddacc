"""Phone numbers as a Norwegian reads them: stored in E.164 (`+4741234524`), shown in groups
(`+47 41 23 45 24`) by phonenumbers (the lite build: formatting metadata only, no geocoder or
carrier data). Loaded on first use, so a function that never shows a number never imports it."""
from __future__ import annotations

import functools


@functools.lru_cache(maxsize=1024)
def display(number: str | None) -> str:
    if not number:
        return ""
    import phonenumbers

    try:
        parsed = phonenumbers.parse(number, "NO")
    except phonenumbers.NumberParseException:
        return number
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def normalize(text: str, field_name: str = "phone") -> str:
    """A phone number as typed -> E.164: Norwegian numbers (8 digits, optional +47/0047) or
    international E.164 numbers; anything else is Invalid("invalid_phone") at `field_name`."""
    import re

    from functions.core.errors import Invalid

    compact = re.sub(r"[\s().-]", "", text)
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if re.fullmatch(r"[2-9]\d{7}", compact):
        return "+47" + compact
    if re.fullmatch(r"\+47[2-9]\d{7}", compact):
        return compact
    if re.fullmatch(r"\+(?!47)[1-9]\d{6,14}", compact):
        return compact
    raise Invalid("invalid_phone", field=field_name)
