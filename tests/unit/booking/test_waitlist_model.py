"""The waitlist's pure rules (issue 8 §4): which wishes may be made, which freed times fit a wish,
one notice per patient per Oslo day, and a link with ids only."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from functions.booking import waitlist_model as wm
from functions.booking.model import BOOKED, REQUEST, TIMEBOK, Appointment, Wish
from functions.core.errors import Conflict, Invalid

NOW = datetime.fromisoformat("2026-11-23T09:00:00+01:00")
MINE = datetime.fromisoformat("2026-11-27T10:00:00+01:00")   # a Friday


def appointment(start: datetime = MINE, status: str = BOOKED, kind: str = "slot") -> Appointment:
    return Appointment("a1", "SLOT#x", kind, "c1", "tb", "s1", "ordinar", start.astimezone(UTC), 20, status, "p1")


def waiting(weekdays=(), before=None) -> wm.Waiting:
    return wm.Waiting("k", "p1", "a1", "SLOT#x", MINE.astimezone(UTC), "ordinar", "c1", Wish(NOW, weekdays, before))


def freed(start: datetime, type_id: str = "ordinar", status: str = "free", web: bool = True) -> Appointment:
    return Appointment("SLOT#y", "SLOT#y", "slot", "c1", "tb", "s1", type_id, start.astimezone(UTC), 20, status,
                       web_bookable=web)


def test_a_wish_only_for_a_booked_future_time_at_a_timebok_clinic():
    assert wm.check_wish([4, 2, 2], "2026-11-27", appointment(), TIMEBOK, NOW, NOW) == Wish(
        NOW, (2, 4), date(2026, 11, 27))
    with pytest.raises(Conflict, match="waitlist_timebok_only"):
        wm.check_wish([], None, appointment(), REQUEST, NOW, NOW)
    with pytest.raises(Conflict, match="waitlist_timebok_only"):
        wm.check_wish([], None, appointment(kind="request"), TIMEBOK, NOW, NOW)
    with pytest.raises(Conflict, match="waitlist_not_booked"):
        wm.check_wish([], None, appointment(status="cancelled_by_patient"), TIMEBOK, NOW, NOW)
    with pytest.raises(Conflict, match="waitlist_not_booked"):
        wm.check_wish([], None, appointment(start=NOW - timedelta(hours=1)), TIMEBOK, NOW, NOW)


@pytest.mark.parametrize(("weekdays", "before", "field"), [
    ([7], None, "weekdays"), ([-1], None, "weekdays"), (["1"], None, "weekdays"), ([True], None, "weekdays"),
    (None, None, "weekdays"), (list(range(8)), None, "weekdays"),
    ([], "2026-11-23", "before"), ([], "2026-02-30", "before"), ([], "27.11.2026", "before"), ([], 20261127, "before"),
])
def test_bad_wishes_are_refused_at_their_field(weekdays, before, field):
    with pytest.raises(Invalid) as bad:
        wm.check_wish(weekdays, before, appointment(), TIMEBOK, NOW, NOW)
    assert bad.value.field == field


def test_a_freed_time_fits_when_it_is_earlier_the_same_type_free_offered_and_still_ahead():
    wed = datetime.fromisoformat("2026-11-25T08:00:00+01:00")
    assert wm.fits(waiting(), freed(wed), NOW)
    assert not wm.fits(waiting(), freed(MINE), NOW)                       # not earlier
    assert not wm.fits(waiting(), freed(MINE + timedelta(hours=1)), NOW)  # later
    assert not wm.fits(waiting(), freed(wed, type_id="video"), NOW)       # another type
    assert not wm.fits(waiting(), freed(wed, status=BOOKED), NOW)         # taken again meanwhile
    assert not wm.fits(waiting(), freed(wed, web=False), NOW)             # not offered to patients
    assert not wm.fits(waiting(), freed(NOW - timedelta(minutes=1)), NOW)  # passed


def test_weekday_and_before_filters_use_the_oslo_day():
    late_tuesday = datetime.fromisoformat("2026-11-24T23:30:00+01:00")   # Tuesday in Oslo, Tuesday 22:30 UTC
    early_wednesday = datetime.fromisoformat("2026-11-25T00:30:00+01:00")  # Wednesday in Oslo, Tuesday in UTC
    assert wm.fits(waiting(weekdays=(1,)), freed(late_tuesday), NOW)
    assert not wm.fits(waiting(weekdays=(1,)), freed(early_wednesday), NOW)
    assert wm.fits(waiting(before=date(2026, 11, 25)), freed(late_tuesday), NOW)
    assert not wm.fits(waiting(before=date(2026, 11, 25)), freed(early_wednesday), NOW)


def test_one_waitlist_notice_per_patient_per_oslo_day():
    evening = datetime.fromisoformat("2026-11-23T23:50:00+01:00")
    assert wm.offer_key("p1", NOW) == wm.offer_key("p1", evening)
    assert wm.offer_key("p1", NOW) != wm.offer_key("p1", evening + timedelta(minutes=20))
    assert wm.offer_key("p1", NOW) != wm.offer_key("p2", NOW)


def test_the_link_opens_flytt_til_denne_tiden_with_ids_only():
    assert wm.offer_link("a1", "tb-lise~2026-11-25T07:00:00Z") == (
        "/nb/konsultasjoner.html?flytt=a1&til=tb-lise~2026-11-25T07%3A00%3A00Z")
