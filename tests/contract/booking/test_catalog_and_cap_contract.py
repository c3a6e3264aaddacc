"""The catalogue's contract (ports `Catalogs`: load/save round trip, timebok ownership) and the cap's
places (ports `CapPlaces`: one conditional take under the cap, give-back, the versioned rewrite),
on the fake and on moto."""
from __future__ import annotations

from datetime import time

import pytest

from functions.booking.model import AppointmentType, BookingSettings, Interval, Timebok
from functions.core.errors import Conflict
from tests.contract.booking.conftest import CLINIC, OTHER_CLINIC, TIMEBOK

SETTINGS = BookingSettings((Interval("i08", time(8), time(10)), Interval("i10", time(10), time(12))),
                           cancel_deadline_hours=24, max_future_bookings=2, request_expiry_days=5, notices=True)


# --- catalogue ---

def test_R16_a_catalogue_reads_back_what_was_saved(world):
    empty = world.catalogs.load(CLINIC)
    assert (empty.clinic_id, empty.timebooks, empty.types, empty.settings) == (CLINIC, {}, {}, BookingSettings())
    lise = Timebok(TIMEBOK, CLINIC, "s-lise", "Lise Lege – dagtid")
    evening = Timebok("tb-lise-kveld", CLINIC, "s-lise", "Lise Lege – kveld", notices=False)
    kinds = (AppointmentType("ordinar", "Ordinær konsultasjon", 20),
             AppointmentType("video", "Videokonsultasjon", 15, video=True),
             AppointmentType("skjult", "Skjult time", 30, hidden=True, web_bookable=False, notices=False))
    for t in (lise, evening):
        world.catalogs.put_timebok(t)
    for k in kinds:
        world.catalogs.put_type(CLINIC, k)
    world.catalogs.put_settings(CLINIC, SETTINGS)
    loaded = world.catalogs.load(CLINIC)
    assert loaded.timebooks == {t.id: t for t in (lise, evening)}
    assert loaded.types == {k.id: k for k in kinds} and loaded.settings == SETTINGS
    assert loaded.timebooks_of("s-lise") and loaded.timebooks_of("s-per") == []
    assert world.catalogs.load(OTHER_CLINIC).timebooks == {}          # one clinic's catalogue only


def test_R16_saving_again_replaces_and_zero_numbers_read_back_as_the_defaults(world):
    world.catalogs.put_type(CLINIC, AppointmentType("ordinar", "Ordinær", 20))
    world.catalogs.put_type(CLINIC, AppointmentType("ordinar", "Lang konsultasjon", 0))
    world.catalogs.put_settings(CLINIC, BookingSettings((Interval("i", time(8, 0, 30), time(9)),),
                                                        max_future_bookings=0, request_expiry_days=0))
    loaded = world.catalogs.load(CLINIC)
    assert loaded.types["ordinar"] == AppointmentType("ordinar", "Lang konsultasjon", 15)
    assert loaded.settings == BookingSettings((Interval("i", time(8), time(9)),), max_future_bookings=3,
                                              request_expiry_days=7)


def test_a_timebok_id_belongs_to_the_first_clinic_that_uses_it(world):
    world.catalogs.put_timebok(Timebok(TIMEBOK, CLINIC, "s-lise", "Lise"))
    with pytest.raises(Conflict) as taken:
        world.catalogs.put_timebok(Timebok(TIMEBOK, OTHER_CLINIC, "s-anne", "Anne"))
    assert (taken.value.code, taken.value.field) == ("timebok_taken", "timebok_id")
    assert world.catalogs.load(OTHER_CLINIC).timebooks == {}
    world.catalogs.put_timebok(Timebok(TIMEBOK, CLINIC, "s-per", "Per"))   # the owner may change it
    assert world.catalogs.load(CLINIC).timebooks[TIMEBOK].practitioner_id == "s-per"
    assert world.repo.timebok_clinic(TIMEBOK) == CLINIC


# --- the cap's places ---

def test_max_future_bookings_a_place_is_taken_only_under_the_cap(world):
    places = world.places
    assert places.held("p-kari", CLINIC) == (frozenset(), 0)
    assert places.take("p-kari", CLINIC, "a1#1#", 2) and places.take("p-kari", CLINIC, "a2#1#", 2)
    assert not places.take("p-kari", CLINIC, "a3#1#", 2)
    assert not places.take("p-kari", CLINIC, "a1#1#", 2)              # at the cap even an entry it holds
    assert places.take("p-kari", OTHER_CLINIC, "a3#1#", 2)            # per clinic
    assert places.held("p-kari", CLINIC) == (frozenset({"a1#1#", "a2#1#"}), 2)
    places.add("p-kari", CLINIC, "a-staff#1#")                         # staff may exceed it
    assert places.held("p-kari", CLINIC) == (frozenset({"a1#1#", "a2#1#", "a-staff#1#"}), 3)


def test_max_future_bookings_a_place_given_back_frees_room_and_an_empty_set_is_gone(world):
    places = world.places
    assert not places.give_back("p-kari", CLINIC, "a1#1#")            # nothing held: nothing to give
    places.take("p-kari", CLINIC, "a1#1#", 1)
    assert places.give_back("p-kari", CLINIC, "a1#1#")
    assert places.held("p-kari", CLINIC) == (frozenset(), 2)
    assert not places.give_back("p-kari", CLINIC, "a1#1#")            # the set went with its last entry
    assert places.take("p-kari", CLINIC, "a2#1#", 1)
    assert places.give_back("p-kari", CLINIC, "a-unknown#1#")          # not held: written, nothing changes
    assert places.held("p-kari", CLINIC) == (frozenset({"a2#1#"}), 4)


def test_max_future_bookings_a_rewrite_holds_only_if_nothing_wrote_since_its_read(world):
    places = world.places
    assert places.rewrite("p-kari", CLINIC, frozenset({"a1#1#"}), 0)   # no item yet: version 0
    assert not places.rewrite("p-kari", CLINIC, frozenset(), 0)
    held, version = places.held("p-kari", CLINIC)
    places.add("p-kari", CLINIC, "a-staff#1#")                          # a write in between
    assert not places.rewrite("p-kari", CLINIC, frozenset(), version)
    held, version = places.held("p-kari", CLINIC)
    assert places.rewrite("p-kari", CLINIC, frozenset(), version)
    assert places.held("p-kari", CLINIC) == (frozenset(), version + 1)
    assert places.take("p-kari", CLINIC, "a2#1#", 1)
