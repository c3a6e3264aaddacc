"""The one parser for dates, months, clock times and instants that arrive from outside.

Every value is checked against a sane range for what it is (a booking, a birth date), so a year
like 0001 or 9999 is a 422 naming the field, never an overflow deeper down (Oslo conversion,
`+ timedelta`). Pure: no clock, no I/O."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from functions.core.clock import OSLO
from functions.core.errors import Invalid


@dataclass(frozen=True)
class Span:
    """The dates a field may hold, both ends included."""
    earliest: date
    latest: date

    def holds(self, day: date) -> bool:
        return self.earliest <= day <= self.latest


BOOKING = Span(date(2000, 1, 1), date(2099, 12, 31))   # appointments, requests, published times
BIRTH = Span(date(1854, 1, 1), date(2099, 12, 31))     # the national id's individual numbers reach back to 1854

MAX_TEXT = 40


def _iso_text(value: object, length: int | None = None) -> str | None:
    if not isinstance(value, str) or not value.isascii() or len(value) > MAX_TEXT:
        return None
    return value if length is None or len(value) == length else None


def parse_date(value: object, field: str, span: Span = BOOKING) -> date:
    """"2026-11-23" (exactly YYYY-MM-DD) inside the span."""
    text = _iso_text(value, 10)
    try:
        day = date.fromisoformat(text) if text and text[4] == "-" and text[7] == "-" else None
    except ValueError:
        day = None
    if day is None:
        raise Invalid("invalid_date", field=field)
    if not span.holds(day):
        raise Invalid("date_out_of_range", field=field, earliest=span.earliest.isoformat(),
                      latest=span.latest.isoformat())
    return day


def parse_month(value: object, field: str = "month", span: Span = BOOKING) -> date:
    """"2026-11" -> the month's first day (read by hand: strptime is slow on the calendar's hot path)."""
    text = _iso_text(value, 7)
    if text is None or text[4] != "-" or not (text[:4] + text[5:]).isdecimal() or not 1 <= int(text[5:]) <= 12 \
            or text[:4] == "0000":
        raise Invalid("invalid_month", field=field)
    first = date(int(text[:4]), int(text[5:]), 1)
    if not (span.earliest.replace(day=1) <= first <= span.latest):
        raise Invalid("date_out_of_range", field=field, earliest=span.earliest.isoformat(),
                      latest=span.latest.isoformat())
    return first


def parse_clock_time(value: object, field: str) -> time:
    """"08:30" (HH:MM, 24 h)."""
    text = _iso_text(value, 5)
    try:
        if text is None or text[2] != ":":
            raise ValueError(text)
        return time.fromisoformat(text)
    except ValueError as exc:
        raise Invalid("invalid_time", field=field) from exc


def parse_instant(value: object, field: str, span: Span = BOOKING) -> datetime:
    """ISO 8601 date and time with an offset or Z (a naive time is read as Europe/Oslo), in UTC.

    The span is checked on the date as written, before any conversion could overflow."""
    text = _iso_text(value)
    try:
        if text is None or len(text) < 16 or text[10] not in "T ":
            raise ValueError(text)
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError as exc:
        raise Invalid("invalid_datetime", field=field) from exc
    if not span.holds(parsed.date()):
        raise Invalid("date_out_of_range", field=field, earliest=span.earliest.isoformat(),
                      latest=span.latest.isoformat())
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=OSLO)).astimezone(UTC)
