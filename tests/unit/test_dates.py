"""The one parser for dates and times from outside (functions/core/dates.py): clear 422s at the
field, never an overflow further down."""
from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from functions.core import dates
from functions.core.errors import Invalid


def _refused(parse, value, *args) -> Invalid:
    with pytest.raises(Invalid) as bad:
        parse(value, *args)
    return bad.value


def test_month_is_read_exactly_and_refuses_garbage_with_the_field():
    assert dates.parse_month("2026-11") == date(2026, 11, 1)
    for text in ("2026-13", "2026-00", "2026-1-1", "nov", "", None, "2026-1x", "+026-11", "٢٠٢٦-١١", 202611,
                 "0000-01"):
        error = _refused(dates.parse_month, text)
        assert (error.code, error.field) == ("invalid_month", "month")


@pytest.mark.parametrize("text", ["9999-12", "0001-01", "1999-12", "2100-01"])
def test_month_outside_the_booking_span_is_out_of_range_not_an_overflow(text):
    error = _refused(dates.parse_month, text)
    assert (error.code, error.field) == ("date_out_of_range", "month")
    assert error.params == {"earliest": "2000-01-01", "latest": "2099-12-31"}


def test_date_is_read_exactly():
    assert dates.parse_date("2026-03-29", "date") == date(2026, 3, 29)
    for text in ("2026-02-30", "20260329", "2026-3-29", "2026-03-29T10:00", None, 20260329, "", "x" * 500):
        error = _refused(dates.parse_date, text, "from")
        assert (error.code, error.field) == ("invalid_date", "from")


@pytest.mark.parametrize("text", ["9999-12-31", "0001-01-01", "2100-01-01", "1999-12-31"])
def test_date_outside_the_booking_span_is_out_of_range(text):
    error = _refused(dates.parse_date, text, "to")
    assert (error.code, error.field) == ("date_out_of_range", "to")


def test_birth_dates_have_their_own_span():
    assert dates.parse_date("1931-05-17", "birth_date", dates.BIRTH) == date(1931, 5, 17)
    assert _refused(dates.parse_date, "1931-05-17", "birth_date").code == "date_out_of_range"  # not a booking
    assert _refused(dates.parse_date, "1800-01-01", "birth_date", dates.BIRTH).code == "date_out_of_range"


def test_instant_needs_a_date_and_a_time_and_is_returned_in_utc():
    assert dates.parse_instant("2026-11-23T09:00:00+01:00", "start") == datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    assert dates.parse_instant("2026-11-23T08:00:00Z", "start") == datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    assert dates.parse_instant("2026-07-01T10:00", "start") == datetime(2026, 7, 1, 8, 0, tzinfo=UTC)  # Oslo, summer
    for text in ("2026-11-23", "tomorrow", "", None, 1700000000, "2026-11-23T25:00Z", "2026-11-23T09:00+25:00"):
        error = _refused(dates.parse_instant, text, "start")
        assert (error.code, error.field) == ("invalid_datetime", "start")


@pytest.mark.parametrize("text", ["9999-12-31T23:30:00+00:00", "0001-01-01T00:00:00+00:00",
                                  "9999-12-31T23:59:59-23:59", "0001-01-01T00:30:00+23:59"])
def test_instant_at_the_ends_of_the_calendar_is_out_of_range_not_an_overflow(text):
    error = _refused(dates.parse_instant, text, "start")
    assert (error.code, error.field) == ("date_out_of_range", "start")


def test_clock_time_is_hours_and_minutes():
    assert dates.parse_clock_time("08:30", "start") == time(8, 30)
    for text in ("8:30", "24:00", "08:60", "08.30", "0830", None, 830, "08:30:00"):
        error = _refused(dates.parse_clock_time, text, "blocks")
        assert (error.code, error.field) == ("invalid_time", "blocks")
