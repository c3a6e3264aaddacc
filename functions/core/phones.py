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
