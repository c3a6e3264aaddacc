"""Pure booking rules (functions/booking/model.py) with fixed datetimes: tabs and states (R11, R20a),
cancelling (R14), the calendar file (R15), intervals (R19), video (R21), and Oslo calendar maths
across the 2026 daylight-saving changes (29 March: 02:00 -> 03:00; 25 October: 03:00 -> 02:00)."""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest

from functions.booking import model
from functions.booking.model import (
    BOOKED,
    CANCELLED_BY_PATIENT,
    CANCELLED_BY_STAFF,
    COMPLETED,
    EXPIRED,
    NO_SHOW,
    REJECTED,
    REQUEST,
    REQUESTED,
    STATES,
    TIMEBOK,
    Appointment,
    BookingSettings,
    Interval,
    TemplateBlock,
)
from functions.core.errors import Conflict, Invalid

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # 09:00 in Oslo
SETTINGS = BookingSettings(intervals=(), cancel_deadline_hours=24, max_future_bookings=3, request_expiry_days=5)
MORNING = Interval("i08", time(8), time(10))


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def appointment(status: str = BOOKED, start: datetime | None = None, minutes: int = 20, kind: str = "slot",
                video: bool = False, interval_end: datetime | None = None) -> Appointment:
    return Appointment(id="a1", key="SLOT#x", kind=kind, clinic_id="c-storgata", timebok_id="tb-lise",
                       practitioner_id="s-lise", type_id="ordinar", start=start or NOW + timedelta(days=2),
                       minutes=minutes, status=status, patient_id="p-kari", video=video, interval_end=interval_end)


# --- R11 / R20a: states and tabs ---

@pytest.mark.parametrize(("status", "expected"), [
    (REQUESTED, {"booked", "all"}),
    (BOOKED, {"booked", "all"}),
    (CANCELLED_BY_PATIENT, {"cancelled", "all"}),
    (CANCELLED_BY_STAFF, {"cancelled", "all"}),
    (REJECTED, {"cancelled", "all"}),
    (EXPIRED, {"cancelled", "all"}),
    (NO_SHOW, {"all"}),
    (COMPLETED, {"all"}),
])
def test_R20a_tabs_of_each_state_for_a_future_time(status, expected):
    assert model.tabs(appointment(status), NOW) == expected


def test_R20a_every_state_is_in_alle_past_or_future():
    for status in STATES:
        for start in (NOW - timedelta(days=30), NOW + timedelta(days=30)):
            assert "all" in model.tabs(appointment(status, start), NOW)


def test_R11_a_held_booked_appointment_is_only_in_alle():
    start = NOW - timedelta(minutes=20)  # ended exactly now
    assert model.held(appointment(BOOKED, start), NOW)
    assert model.tabs(appointment(BOOKED, start), NOW) == {"all"}
    assert model.tabs(appointment(BOOKED, start - timedelta(days=3)), NOW) == {"all"}


def test_R11_an_appointment_in_progress_is_not_yet_held_and_stays_under_bestilte():
    start = NOW - timedelta(minutes=19, seconds=59)
    assert not model.held(appointment(BOOKED, start), NOW)
    assert model.tabs(appointment(BOOKED, start), NOW) == {"booked", "all"}


def test_R12_an_unanswered_request_stays_under_bestilte_until_the_job_expires_it():
    wish = appointment(REQUESTED, NOW - timedelta(hours=3), kind="request", interval_end=NOW - timedelta(hours=1))
    assert model.tabs(wish, NOW) == {"booked", "all"}


def test_R20a_cancelled_raises_the_sequence_and_says_who():
    booked = replace(appointment(), sequence=2)
    by_patient = model.cancelled(booked, by_staff=False)
    by_staff = model.cancelled(booked, by_staff=True, reason="Legen er syk")
    assert (by_patient.status, by_patient.sequence) == (CANCELLED_BY_PATIENT, 3)
    assert (by_staff.status, by_staff.sequence, by_staff.reason) == (CANCELLED_BY_STAFF, 3, "Legen er syk")
    assert booked.status == BOOKED  # frozen: a new value, the old one unchanged


# --- R14: who may cancel, and until when ---

def test_R14_timebok_patient_may_cancel_until_exactly_the_deadline():
    at_deadline = appointment(start=NOW + timedelta(hours=24))
    assert model.cancel_refusal(at_deadline, TIMEBOK, SETTINGS, NOW) is None
    one_second_late = appointment(start=NOW + timedelta(hours=24) - timedelta(seconds=1))
    assert model.cancel_refusal(one_second_late, TIMEBOK, SETTINGS, NOW) == "cancel_deadline_passed"


def test_R14_without_a_deadline_the_patient_may_cancel_until_the_time_is_held():
    no_deadline = replace(SETTINGS, cancel_deadline_hours=0)
    assert model.cancel_refusal(appointment(start=NOW + timedelta(minutes=1)), TIMEBOK, no_deadline, NOW) is None
    in_progress = appointment(start=NOW - timedelta(minutes=5))
    assert model.cancel_refusal(in_progress, TIMEBOK, no_deadline, NOW) == "cancel_deadline_passed"


def test_R14_request_clinic_patient_must_call_even_far_ahead():
    far = NOW + timedelta(days=60)
    assert model.cancel_refusal(appointment(BOOKED, far), REQUEST, SETTINGS, NOW) == "call_clinic_to_cancel"
    wish = appointment(REQUESTED, far, kind="request", interval_end=far + timedelta(hours=2))
    assert model.cancel_refusal(wish, REQUEST, SETTINGS, NOW) == "call_clinic_to_cancel"


@pytest.mark.parametrize("status", [CANCELLED_BY_PATIENT, CANCELLED_BY_STAFF, REJECTED, EXPIRED, NO_SHOW,
                                    COMPLETED])
def test_R14_only_booked_or_requested_can_be_cancelled(status):
    assert model.cancel_refusal(appointment(status), TIMEBOK, SETTINGS, NOW) == "not_cancellable"


def test_R14_a_held_appointment_is_not_cancellable():
    held = appointment(start=NOW - timedelta(hours=1))
    assert model.cancel_refusal(held, TIMEBOK, SETTINGS, NOW) == "not_cancellable"
    assert model.cancel_refusal(held, REQUEST, SETTINGS, NOW) == "not_cancellable"


# --- R15: Legg til i kalender ---

def test_R15_only_an_approved_future_appointment_or_its_cancellation_gets_a_calendar_file():
    future, past = NOW + timedelta(days=1), NOW - timedelta(days=1)
    assert model.calendar_allowed(appointment(BOOKED, future), NOW)
    assert not model.calendar_allowed(appointment(BOOKED, past), NOW)
    assert not model.calendar_allowed(appointment(BOOKED, NOW), NOW)  # starting now is no longer "future"
    assert not model.calendar_allowed(appointment(REQUESTED, future, kind="request"), NOW)  # pending
    assert model.calendar_allowed(appointment(CANCELLED_BY_PATIENT, future), NOW)
    assert model.calendar_allowed(appointment(CANCELLED_BY_STAFF, future), NOW)
    assert not model.calendar_allowed(appointment(CANCELLED_BY_STAFF, past), NOW)
    for status in (REJECTED, EXPIRED, NO_SHOW, COMPLETED):
        assert not model.calendar_allowed(appointment(status, future), NOW)


# --- R21: the video window ---

def test_R21_video_window_is_15_minutes_before_until_2_hours_after_the_start():
    start = utc(2026, 11, 24, 12, 0)
    video = appointment(BOOKED, start, minutes=15, video=True)
    assert model.video_window(video) == (utc(2026, 11, 24, 11, 45), utc(2026, 11, 24, 14, 0))
    second = timedelta(seconds=1)
    assert not model.video_open(video, start - timedelta(minutes=15) - second)
    assert model.video_open(video, start - timedelta(minutes=15))
    assert model.video_open(video, start)
    assert model.video_open(video, start + timedelta(hours=2))
    assert not model.video_open(video, start + timedelta(hours=2) + second)


def test_R21_only_a_booked_video_appointment_opens():
    start = utc(2026, 11, 24, 12, 0)
    assert not model.video_open(appointment(BOOKED, start, video=False), start)
    for status in (CANCELLED_BY_PATIENT, CANCELLED_BY_STAFF, NO_SHOW, COMPLETED, REQUESTED):
        assert not model.video_open(appointment(status, start, video=True), start)


# --- R18: bookable and the per-patient cap ---

def test_R18_a_past_or_present_time_is_never_bookable_and_a_taken_one_conflicts():
    with pytest.raises(Invalid) as past:
        model.check_bookable(replace(appointment(start=NOW), status="free"), NOW)
    assert past.value.code == "past_time"
    with pytest.raises(Conflict) as taken:
        model.check_bookable(appointment(BOOKED, NOW + timedelta(seconds=1)), NOW)
    assert taken.value.code == "slot_taken"
    model.check_bookable(replace(appointment(start=NOW + timedelta(seconds=1)), status="free"), NOW)


def test_per_patient_cap_counts_up_to_the_setting():
    model.check_cap(2, SETTINGS)
    with pytest.raises(Conflict) as capped:
        model.check_cap(3, SETTINGS)
    assert capped.value.code == "too_many_bookings" and capped.value.params == {"max": 3}


def test_remark_is_trimmed_and_capped():
    assert model.remark("  Vondt i ryggen \n") == "Vondt i ryggen"
    assert model.remark(None) == ""
    assert model.remark("x" * 500) == "x" * 500
    with pytest.raises(Invalid):
        model.remark("x" * 501)


# --- R19: request intervals and expiry ---

def test_R19_an_interval_is_open_until_its_start():
    day = date(2026, 11, 24)
    assert model.check_interval_open(day, MORNING, NOW) == (utc(2026, 11, 24, 7), utc(2026, 11, 24, 9))
    for now in (utc(2026, 11, 24, 7), utc(2026, 11, 24, 7, 1), utc(2026, 11, 24, 10)):
        with pytest.raises(Invalid) as past:
            model.check_interval_open(day, MORNING, now)
        assert past.value.code == "past_interval" and past.value.field == "interval_id"
    assert model.check_interval_open(day, MORNING, utc(2026, 11, 24, 6, 59, 59))[0] == utc(2026, 11, 24, 7)


def test_R19_interval_bounds_follow_oslo_time_in_summer_and_winter():
    assert model.interval_bounds(date(2026, 6, 15), MORNING) == (utc(2026, 6, 15, 6), utc(2026, 6, 15, 8))
    assert model.interval_bounds(date(2026, 10, 25), MORNING) == (utc(2026, 10, 25, 7), utc(2026, 10, 25, 9))


def test_R19_an_interval_starting_at_a_time_that_does_not_exist_is_refused():
    night = Interval("i02", time(2), time(4))
    with pytest.raises(Invalid) as missing:
        model.check_interval_open(date(2026, 3, 29), night, NOW.replace(year=2025))
    assert missing.value.code == "invalid_interval"


def test_R19_request_expires_after_the_clinics_days_or_when_its_interval_has_passed():
    requested_at = utc(2026, 11, 23, 8)
    wish = appointment(REQUESTED, utc(2026, 12, 7, 7), kind="request", interval_end=utc(2026, 12, 7, 9))
    deadline = requested_at + timedelta(days=5)
    assert not model.request_expired(wish, requested_at, SETTINGS, deadline - timedelta(seconds=1))
    assert model.request_expired(wish, requested_at, SETTINGS, deadline)
    soon = appointment(REQUESTED, utc(2026, 11, 24, 7), kind="request", interval_end=utc(2026, 11, 24, 9))
    assert not model.request_expired(soon, requested_at, SETTINGS, utc(2026, 11, 24, 8, 59, 59))
    assert model.request_expired(soon, requested_at, SETTINGS, utc(2026, 11, 24, 9))


def test_R19_an_answered_request_never_expires():
    for status in (BOOKED, REJECTED, EXPIRED):
        answered = appointment(status, utc(2026, 11, 24, 7), kind="request", interval_end=utc(2026, 11, 24, 9))
        assert not model.request_expired(answered, utc(2026, 1, 1), SETTINGS, utc(2027, 1, 1))


# --- Oslo calendar maths across daylight saving ---

def test_day_bounds_of_an_ordinary_winter_and_summer_day_are_24_hours():
    assert model.day_bounds(date(2026, 11, 23)) == (utc(2026, 11, 22, 23), utc(2026, 11, 23, 23))
    assert model.day_bounds(date(2026, 6, 15)) == (utc(2026, 6, 14, 22), utc(2026, 6, 15, 22))


def test_spring_forward_day_has_23_hours():
    start, end = model.day_bounds(date(2026, 3, 29))
    assert (start, end) == (utc(2026, 3, 28, 23), utc(2026, 3, 29, 22))
    assert end - start == timedelta(hours=23)


def test_fall_back_day_has_25_hours():
    start, end = model.day_bounds(date(2026, 10, 25))
    assert (start, end) == (utc(2026, 10, 24, 22), utc(2026, 10, 25, 23))
    assert end - start == timedelta(hours=25)


def test_month_bounds_span_the_dst_changes_in_local_midnights():
    march = model.month_bounds(date(2026, 3, 1))
    assert march == (utc(2026, 2, 28, 23), utc(2026, 3, 31, 22))
    assert march[1] - march[0] == timedelta(days=31) - timedelta(hours=1)
    october = model.month_bounds(date(2026, 10, 1))
    assert october == (utc(2026, 9, 30, 22), utc(2026, 10, 31, 23))
    assert october[1] - october[0] == timedelta(days=31, hours=1)
    assert model.month_bounds(date(2026, 12, 1)) == (utc(2026, 11, 30, 23), utc(2026, 12, 31, 23))
    assert model.month_bounds(date(2028, 2, 1))[1] == utc(2028, 2, 29, 23)  # leap year


def test_R17_free_times_are_counted_per_oslo_day():
    stamps = ["2026-11-23T22:59:00Z",                        # 23:59 in Oslo: the 23rd
              "2026-11-23T23:00:00Z", "2026-11-24T07:00:00Z",  # 00:00 and 08:00 on the 24th
              "2026-11-24T22:40:00Z",                        # 23:40 on the 24th
              "2026-11-26T08:00:00Z"]
    assert model.free_per_day(stamps) == {date(2026, 11, 23): 1, date(2026, 11, 24): 3, date(2026, 11, 26): 1}
    assert model.free_per_day([]) == {}


def test_R17_free_times_are_counted_per_oslo_day_across_the_dst_changes():
    spring = ["2026-03-28T22:59:00Z",  # 23:59 on the 28th (UTC+1)
              "2026-03-28T23:00:00Z", "2026-03-29T21:59:00Z",  # 00:00 and 23:59 on the 29th (23 hours)
              "2026-03-29T22:00:00Z"]  # 00:00 on the 30th (UTC+2)
    assert model.free_per_day(spring) == {date(2026, 3, 28): 1, date(2026, 3, 29): 2, date(2026, 3, 30): 1}
    autumn = ["2026-10-24T21:59:00Z",  # 23:59 on the 24th (UTC+2)
              "2026-10-24T22:00:00Z", "2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z",  # 00:00, 02:30, 02:30 again
              "2026-10-25T22:59:00Z",  # 23:59 on the 25th (25 hours)
              "2026-10-25T23:00:00Z"]  # 00:00 on the 26th (UTC+1)
    assert model.free_per_day(autumn) == {date(2026, 10, 24): 1, date(2026, 10, 25): 4, date(2026, 10, 26): 1}


def test_at_local_skips_a_wall_clock_time_that_does_not_exist():
    spring = date(2026, 3, 29)
    assert model.at_local(spring, time(1, 59)) == utc(2026, 3, 29, 0, 59)
    assert model.at_local(spring, time(2, 0)) is None
    assert model.at_local(spring, time(2, 30)) is None
    assert model.at_local(spring, time(3, 0)) == utc(2026, 3, 29, 1, 0)


def test_at_local_gives_08_00_as_07Z_in_winter_and_06Z_in_summer():
    assert model.at_local(date(2026, 3, 28), time(8)) == utc(2026, 3, 28, 7)
    assert model.at_local(date(2026, 3, 29), time(8)) == utc(2026, 3, 29, 6)
    assert model.at_local(date(2026, 10, 24), time(8)) == utc(2026, 10, 24, 6)
    assert model.at_local(date(2026, 10, 25), time(8)) == utc(2026, 10, 25, 7)


def test_at_local_takes_the_first_of_a_repeated_fall_back_time():
    assert model.at_local(date(2026, 10, 25), time(2, 30)) == utc(2026, 10, 25, 0, 30)  # still CEST
    assert model.local_day(utc(2026, 10, 25, 22, 59)) == date(2026, 10, 25)
    assert model.local_day(utc(2026, 10, 25, 23, 0)) == date(2026, 10, 26)


def test_weekly_template_at_08_00_gives_07Z_in_winter_and_06Z_in_summer():
    mondays = (TemplateBlock(0, time(8), time(8, 20)),)
    spring = model.expand_template(mondays, date(2026, 3, 23), date(2026, 4, 6), 20, utc(2026, 1, 1))
    assert spring == [utc(2026, 3, 23, 7), utc(2026, 3, 30, 6), utc(2026, 4, 6, 6)]
    autumn = model.expand_template(mondays, date(2026, 10, 19), date(2026, 11, 2), 20, utc(2026, 1, 1))
    assert autumn == [utc(2026, 10, 19, 6), utc(2026, 10, 26, 7), utc(2026, 11, 2, 7)]


def test_template_on_the_spring_forward_night_skips_the_missing_hour():
    sunday_night = (TemplateBlock(6, time(1), time(4)),)
    starts = model.expand_template(sunday_night, date(2026, 3, 29), date(2026, 3, 29), 30, utc(2026, 1, 1))
    # 01:00, 01:30 CET; 02:00 and 02:30 do not exist; 03:00, 03:30 CEST
    assert starts == [utc(2026, 3, 29, 0), utc(2026, 3, 29, 0, 30), utc(2026, 3, 29, 1), utc(2026, 3, 29, 1, 30)]


def test_template_on_the_fall_back_night_keeps_the_wall_clock_times_once():
    sunday_night = (TemplateBlock(6, time(1), time(4)),)
    starts = model.expand_template(sunday_night, date(2026, 10, 25), date(2026, 10, 25), 60, utc(2026, 1, 1))
    assert starts == [utc(2026, 10, 24, 23), utc(2026, 10, 25, 0), utc(2026, 10, 25, 2)]  # 01:00, 02:00, 03:00


def test_template_fits_whole_slots_in_a_block_and_only_on_its_weekday():
    block = (TemplateBlock(1, time(8), time(9)),)  # Tuesdays
    week = (date(2026, 11, 23), date(2026, 11, 29))
    assert model.expand_template(block, *week, 20, NOW) == [utc(2026, 11, 24, 7), utc(2026, 11, 24, 7, 20),
                                                            utc(2026, 11, 24, 7, 40)]
    assert model.expand_template(block, *week, 25, NOW) == [utc(2026, 11, 24, 7), utc(2026, 11, 24, 7, 25)]
    assert model.expand_template(block, *week, 61, NOW) == []
    assert model.expand_template(block * 2, *week, 20, NOW) == model.expand_template(block, *week, 20, NOW)


def test_template_never_publishes_the_past_or_the_present():
    today = (TemplateBlock(0, time(8), time(11)),)  # Monday 23 November, clock at 09:00 Oslo
    starts = model.expand_template(today, date(2026, 11, 23), date(2026, 11, 23), 20, NOW)
    assert starts[0] == utc(2026, 11, 23, 8, 20) and utc(2026, 11, 23, 8) not in starts
    assert len(starts) == 5


def test_template_range_must_be_ordered_and_at_most_a_year():
    block = (TemplateBlock(0, time(8), time(9)),)
    for first, last in ((date(2026, 12, 2), date(2026, 12, 1)), (date(2026, 1, 1), date(2027, 1, 3))):
        with pytest.raises(Invalid) as bad:
            model.expand_template(block, first, last, 20, NOW)
        assert (bad.value.code, bad.value.field) == ("invalid_range", "to")
    assert len(model.expand_template(block, date(2027, 1, 1), date(2028, 1, 1), 20, NOW)) == 52 * 3


def test_overlaps_are_half_open():
    other = appointment(start=utc(2026, 11, 24, 8), minutes=20)  # 08:00-08:20Z
    assert not model.overlaps(utc(2026, 11, 24, 7, 40), 20, [other])  # ends as the other starts
    assert not model.overlaps(utc(2026, 11, 24, 8, 20), 20, [other])  # starts as the other ends
    assert model.overlaps(utc(2026, 11, 24, 7, 41), 20, [other])
    assert model.overlaps(utc(2026, 11, 24, 8, 19), 20, [other])
    assert model.overlaps(utc(2026, 11, 24, 7, 0), 120, [other])  # contains it
    assert model.overlaps(utc(2026, 11, 24, 8, 5), 5, [other])  # inside it
    assert not model.overlaps(utc(2026, 11, 24, 8), 20, [])
