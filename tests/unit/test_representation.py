"""Acting for someone (R35-R37), as pure rules: age bands at Oslo midnight, scopes, fullmakt."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from functions.core import representation as rep
from functions.core.actor import PATIENT, REPRESENTATIVE, Actor
from functions.core.errors import Forbidden


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def parent_of(birth: date) -> rep.Relation:
    return rep.Relation("p-ola", "p-emma", rep.PARENT, "Ola Hansen", "Emma Hansen", birth, "2026-01")


EMMA = date(2015, 3, 29)   # her 12th birthday is the day after the spring-forward Sunday of 2027


@pytest.mark.parametrize(("instant", "expected"), [
    ("2027-03-28T23:59:59+02:00", "child"),   # the last second she is 11 (Oslo already on summer time)
    ("2027-03-28T23:59:59+01:00", "teen"),    # the same wall clock read as winter time is an hour later
    ("2027-03-29T00:00:00+02:00", "teen"),    # Oslo midnight on the 12th birthday (22:00 UTC the day before)
    ("2027-03-28T22:00:00+00:00", "teen"),    # the same instant, written in UTC
    ("2027-03-28T21:59:59+00:00", "child"),
])
def test_R36_the_12th_birthday_begins_at_oslo_midnight(instant, expected):
    assert rep.band(EMMA, at(instant)) == expected


def test_R36_the_16th_birthday_ends_a_parents_access_at_oslo_midnight_in_summer_time():
    jonas = date(2011, 6, 15)
    before, after = at("2027-06-14T21:59:59+00:00"), at("2027-06-14T22:00:00+00:00")   # Oslo is UTC+2
    assert rep.scopes(parent_of(jonas), before) == rep.TEEN_SCOPES
    assert rep.scopes(parent_of(jonas), after) == frozenset()
    assert rep.access_until(parent_of(jonas)) == date(2027, 6, 14)


def test_R36_under_12_all_12_to_16_appointments_and_prescriptions_only():
    now = at("2026-11-23T09:00:00+01:00")
    assert rep.scopes(parent_of(date(2018, 1, 1)), now) == rep.ALL_SCOPES
    assert rep.scopes(parent_of(date(2013, 1, 1)), now) == {rep.APPOINTMENTS, rep.PRESCRIPTIONS}


def test_a_leap_day_child_is_a_year_older_on_1_march_in_other_years():
    leap = date(2012, 2, 29)
    assert rep.access_until(parent_of(leap)) == date(2028, 2, 28)       # 2028 has a 29 February: the day itself
    assert rep.band(leap, at("2028-02-28T23:59:59+01:00")) == "teen"
    assert rep.band(leap, at("2028-02-29T00:00:00+01:00")) == "adult"
    assert rep.age_on(leap, date(2027, 2, 28)) == 14 and rep.age_on(leap, date(2027, 3, 1)) == 15
    assert rep.access_until(parent_of(date(2013, 2, 28))) == date(2029, 2, 27)


def test_a_fullmakt_gives_access_for_its_period_only():
    proxy = rep.Relation("p-nora", "p-kari", rep.FULLMAKT, "Nora Berg", "Kari Nordmann", date(1985, 5, 12), "2026-01",
                         valid_from=date(2026, 12, 1), valid_until=date(2026, 12, 31))
    assert rep.scopes(proxy, at("2026-11-30T23:59:00+01:00")) == frozenset()
    assert rep.scopes(proxy, at("2026-12-01T00:00:00+01:00")) == rep.ALL_SCOPES
    assert rep.scopes(proxy, at("2026-12-31T23:59:59+01:00")) == rep.ALL_SCOPES
    assert rep.scopes(proxy, at("2027-01-01T00:00:00+01:00")) == frozenset()


def test_a_fullmakt_is_given_by_16_plus_to_18_plus():
    now = at("2026-11-23T09:00:00+01:00")
    assert rep.may_give_fullmakt(date(2010, 11, 23), date(2008, 11, 23), now) is None
    assert rep.may_give_fullmakt(date(2010, 11, 24), date(1980, 1, 1), now) == "fullmakt_giver_too_young"
    assert rep.may_give_fullmakt(date(1980, 1, 1), date(2008, 11, 24), now) == "fullmakt_holder_too_young"


def representative(scopes: frozenset[str]) -> Actor:
    return Actor(kind=REPRESENTATIVE, actor_id="p-ola", on_behalf_of="p-jonas", level="high", scopes=scopes)


def test_R36_a_representative_reaches_only_the_scopes_the_relation_gives():
    teen = representative(rep.TEEN_SCOPES)
    assert teen.require_patient(scope=rep.APPOINTMENTS) == "p-jonas"
    for scope in (rep.MESSAGES, rep.PAYMENTS, None):
        with pytest.raises(Forbidden) as refused:
            teen.require_patient(scope=scope)
        assert refused.value.code == "not_for_representative"


def test_R36_a_hidden_appointment_is_never_shown_to_a_parent_but_shareable_items_are():
    teen, child = representative(rep.TEEN_SCOPES), representative(rep.ALL_SCOPES)
    assert not child.may_see(rep.APPOINTMENTS, hidden=True)
    assert not teen.may_see(rep.MESSAGES) and teen.may_see(rep.MESSAGES, shareable=True)
    assert not representative(frozenset()).may_see(rep.MESSAGES, shareable=True)   # the relation has ended
    me = Actor(kind=PATIENT, actor_id="p-jonas", on_behalf_of="p-jonas", level="high")
    assert me.may_see(rep.APPOINTMENTS, hidden=True) and me.require_patient() == "p-jonas"
