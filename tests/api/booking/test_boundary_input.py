"""Issue 7, §2: boundary input to the booking function gets a 422 naming the field, never a 5xx.

Every date case here answered 500 (OverflowError) before the shared parser in functions/core/dates.py."""
from __future__ import annotations

import pytest

from tests.api.booking.test_clinic_booking_api import error, lise  # noqa: F401 - fixture

BLOCK = [{"weekday": 0, "start": "12:00", "end": "13:00"}]


@pytest.mark.parametrize("month", ["9999-12", "0001-01"])
def test_month_calendar_at_the_ends_of_the_calendar_is_422_at_month(b_kari, month):
    error(b_kari.get(f"/api/booking/timebooks/tb-lise/month?month={month}"), 422, "date_out_of_range", "month")


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_day_list_at_the_ends_of_the_calendar_is_422_at_date(b_kari, day):
    error(b_kari.get(f"/api/booking/timebooks/tb-lise/day?date={day}"), 422, "date_out_of_range", "date")


@pytest.mark.parametrize(("first", "last", "field"), [("0001-01-01", "2027-01-04", "from"),
                                                      ("2027-01-04", "9999-12-31", "to")])
def test_clinic_publish_at_the_ends_of_the_calendar_is_422_at_the_field(lise, first, last, field):  # noqa: F811
    error(lise.publish("tb-lise", first, last, BLOCK), 422, "date_out_of_range", field)


def test_clinic_book_at_the_end_of_the_calendar_is_422_at_start(lise):  # noqa: F811
    answer = lise.send("POST", "/appointments", json={"patient_id": "p-kari", "timebok_id": "tb-lise",
                                                      "start": "9999-12-31T23:30:00+00:00", "type_id": "ordinar"})
    error(answer, 422, "date_out_of_range", "start")


def test_a_slot_id_at_the_end_of_the_calendar_is_422_at_slot_id(b_kari):
    error(b_kari.send("POST", "/api/booking/appointments", json={"slot_id": "tb-lise~9999-12-31T23:30:00Z"}),
          422, "date_out_of_range", "slot_id")


def test_remarks_refuse_bidi_characters_at_the_field(b_kari):
    answer = b_kari.send("POST", "/api/booking/appointments", json={"slot_id": "tb-lise~2026-11-24T07:00:00Z",
                                                                     "remark": "Vondt \u202ei ryggen"})
    error(answer, 422, "invalid_characters", "remark")
    assert b_kari.get("/api/booking/appointments?tab=booked").get_json()["items"] == []
