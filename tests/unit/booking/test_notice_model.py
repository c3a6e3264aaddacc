"""The pure rules of appointment notices: stages, the 48-24 hour reminder window, "it is time" for
video (R24), what R48 lets through, the once-per-version key, and Oslo time across DST."""
from __future__ import annotations

from datetime import datetime, timedelta

from functions.booking import notice_model as nm
from functions.booking.model import BOOKED, CANCELLED_BY_PATIENT, AppointmentType, BookingSettings, Timebok

START = datetime.fromisoformat("2026-12-04T10:15:00+01:00")


def due(kind: str, start: datetime = START, status: str = BOOKED, video: bool = False, sequence: int = 0) -> nm.Due:
    return nm.Due("TB#t", "SLOT#x", nm.NOW, "", kind, "a1", "p1", "c1", "t", "ordinar", start, status, sequence,
                  video)


def test_r47_a_new_booking_is_confirmed_and_a_move_says_moved():
    now = START - timedelta(days=3)
    assert nm.first_stage(now, 0) == nm.Stage(nm.NOW, now, nm.BOOKED_NOTICE)
    assert nm.first_stage(now, 2).kind == nm.MOVED


def test_r47_after_the_confirmation_the_reminder_is_due_48_hours_before():
    assert nm.next_stage(due(nm.BOOKED_NOTICE)) == nm.Stage(nm.REMIND, START - timedelta(hours=48), nm.REMINDER)
    assert nm.next_stage(due(nm.MOVED)).kind == nm.REMINDER


def test_r24_only_video_gets_it_is_time_after_the_reminder():
    assert nm.next_stage(due(nm.REMINDER)) is None
    assert nm.next_stage(due(nm.REMINDER, video=True)) == nm.Stage(nm.NOW, START - timedelta(minutes=15),
                                                                     nm.VIDEO_TIME)
    assert nm.next_stage(due(nm.VIDEO_TIME, video=True)) is None


def test_r47_nothing_follows_a_cancellation():
    assert nm.next_stage(due(nm.CANCELLED, status=CANCELLED_BY_PATIENT)) is None


def test_r47_the_reminder_is_sent_only_between_48_and_24_hours_before():
    reminder = due(nm.REMINDER)
    assert not nm.worth_sending(reminder, START - timedelta(hours=48, seconds=1))
    assert nm.worth_sending(reminder, START - timedelta(hours=48))
    assert nm.worth_sending(reminder, START - timedelta(hours=24, seconds=1))
    assert not nm.worth_sending(reminder, START - timedelta(hours=24))


def test_r24_it_is_time_from_15_minutes_before_until_the_start():
    video = due(nm.VIDEO_TIME, video=True)
    assert not nm.worth_sending(video, START - timedelta(minutes=16))
    assert nm.worth_sending(video, START - timedelta(minutes=15))
    assert not nm.worth_sending(video, START)


def test_r47_nothing_about_a_time_that_has_passed():
    assert not nm.worth_sending(due(nm.BOOKED_NOTICE), START)
    assert not nm.worth_sending(due(nm.CANCELLED, status=CANCELLED_BY_PATIENT), START + timedelta(minutes=1))
    assert nm.worth_sending(due(nm.CANCELLED, status=CANCELLED_BY_PATIENT), START - timedelta(minutes=1))


def test_r48_clinic_timebok_and_type_must_all_allow_notices():
    on, off = BookingSettings(notices=True), BookingSettings()
    book, quiet_book = Timebok("t", "c1", "s1", "T"), Timebok("t", "c1", "s1", "T", notices=False)
    kind, quiet_kind = AppointmentType("o", "O", 20), AppointmentType("o", "O", 20, notices=False)
    assert nm.enabled(on, book, kind)
    assert not nm.enabled(off, book, kind)         # off until the clinic turns them on
    assert not nm.enabled(on, quiet_book, kind)
    assert not nm.enabled(on, book, quiet_kind)


def test_once_per_appointment_kind_and_version():
    assert nm.dedupe_key(due(nm.REMINDER)) != nm.dedupe_key(due(nm.REMINDER, sequence=1))
    assert nm.dedupe_key(due(nm.REMINDER)) == nm.dedupe_key(due(nm.REMINDER))
    assert nm.dedupe_key(due(nm.REMINDER)) != nm.dedupe_key(due(nm.BOOKED_NOTICE))


def test_r28_the_time_reads_as_norwegian_in_oslo_time_on_both_sides_of_dst():
    assert nm.when(START) == "fredag 4. desember 2026 kl. 10:15"
    summer = datetime.fromisoformat("2026-06-01T06:00:00+00:00")
    assert nm.when(summer) == "mandag 1. juni 2026 kl. 08:00"
    # the night the clocks go back (25 October 2026): 00:30 UTC is 02:30 summer time, 01:30 UTC 02:30 winter
    assert nm.when(datetime.fromisoformat("2026-10-25T00:30:00+00:00")).endswith("kl. 02:30")
    assert nm.when(datetime.fromisoformat("2026-10-25T01:30:00+00:00")).endswith("kl. 02:30")


def test_r47_the_reminder_window_is_in_real_hours_across_dst():
    """48 hours before a Monday 10:00 after the clocks go back is Saturday 11:00 local, not 10:00."""
    monday = datetime.fromisoformat("2026-10-26T10:00:00+01:00")
    stage = nm.next_stage(due(nm.BOOKED_NOTICE, start=monday))
    assert nm.when(stage.at) == "lørdag 24. oktober 2026 kl. 11:00"
