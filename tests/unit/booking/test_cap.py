"""The cap on a patient's future bookings and open requests at a clinic (the clinic setting
max_future_bookings): its pure rules (functions/booking/cap_model.py) and the guard's slow path
(functions/booking/cap_guard.py) with a hand-written fake of the places, fixed datetimes."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from functions.booking import cap_model
from functions.booking.cap_guard import FULL, SIBLING, TAKEN, CapGuard
from functions.booking.model import BOOKED, REQUESTED, Appointment
from functions.core.clock import SettableClock

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
LATER = NOW + timedelta(days=2)
SLOT = "tb-lise~SLOT#2026-11-25T08:00:00Z"


def appointment(ident: str, start: datetime = LATER, status: str = BOOKED, clinic: str = "c-storgata",
                kind: str = "slot", entry: str | None = None) -> Appointment:
    return Appointment(id=ident, key="SLOT#x", kind=kind, clinic_id=clinic, timebok_id="tb-lise", practitioner_id="s",
                       type_id="ordinar", start=start, minutes=20, status=status, patient_id="p-kari",
                       cap_entry=entry)


def old(ident: str) -> str:
    return cap_model.entry(ident, NOW - cap_model.GRACE - timedelta(seconds=1))


# --- rules ---

def test_max_future_bookings_an_entry_names_its_appointment_when_and_for_which_slot():
    parsed = cap_model.parse_entry(cap_model.entry("a1", NOW, SLOT))
    assert parsed == cap_model.Entry("a1", int(NOW.timestamp()), SLOT)
    assert cap_model.parse_entry("a1#garbage") == cap_model.Entry("a1", 0, "")
    assert cap_model.entry_of(appointment("a2")) == "a2#0#"  # booked before the cap item existed


def test_max_future_bookings_counts_upcoming_bookings_and_open_requests_at_the_clinic_only():
    assert cap_model.counts(appointment("a"), "c-storgata", NOW)
    assert cap_model.counts(appointment("r", kind="request", status=REQUESTED), "c-storgata", NOW)
    assert not cap_model.counts(appointment("a", clinic="c-fjordheim"), "c-storgata", NOW)
    assert not cap_model.counts(appointment("a", start=NOW), "c-storgata", NOW)  # started: over
    assert not cap_model.counts(appointment("a", kind="history", status="cancelled_by_patient"), "c-storgata", NOW)
    assert not cap_model.counts(appointment("r", kind="request", status="rejected"), "c-storgata", NOW)


def test_max_future_bookings_healing_keeps_real_bookings_and_entries_in_flight_only():
    real = appointment("a-real", entry=old("a-real"))
    past = appointment("a-past", start=NOW - timedelta(hours=1), entry=old("a-past"))
    in_flight = cap_model.entry("a-flying", NOW - timedelta(seconds=30), SLOT)
    held = {real.cap_entry, past.cap_entry, old("a-crashed"), in_flight}
    legacy = appointment("a-legacy")
    assert cap_model.healed(held, [real, past, legacy], "c-storgata", NOW) == {
        real.cap_entry, in_flight, "a-legacy#0#"}


def test_max_future_bookings_another_booking_for_the_same_slot_is_a_sibling():
    mine = cap_model.entry("a-mine", NOW, SLOT)
    other_tab = cap_model.entry("a-other", NOW, SLOT)
    elsewhere = cap_model.entry("a-else", NOW, "tb-lise~SLOT#2026-11-26T08:00:00Z")
    assert cap_model.sibling_at({other_tab}, mine)
    assert not cap_model.sibling_at({elsewhere, mine}, mine)
    assert not cap_model.sibling_at({other_tab}, cap_model.entry("r-request", NOW))  # requests name no slot


# --- the guard's slow path, with fakes ---

class FakePlaces:
    """The cap item in memory; `interfere` runs just before a rewrite (another request's write)."""

    def __init__(self, held=(), interfere=None) -> None:
        self.held_set, self.version, self.interfere = set(held), 1, interfere
        self.writes: list[str] = []

    def take(self, patient_id, clinic_id, entry, cap) -> bool:
        self.writes.append("take")
        if len(self.held_set) >= cap:
            return False
        self.held_set.add(entry)
        self.version += 1
        return True

    def add(self, patient_id, clinic_id, entry) -> None:
        self.held_set.add(entry)
        self.version += 1

    def held(self, patient_id, clinic_id):
        return frozenset(self.held_set), self.version

    def rewrite(self, patient_id, clinic_id, entries, version) -> bool:
        self.writes.append("rewrite")
        if self.interfere:
            self.interfere(self)
        if version != self.version:
            return False
        self.held_set, self.version = set(entries), self.version + 1
        return True


class FakeBookings:
    def __init__(self, future: list[Appointment]) -> None:
        self.future = future

    def of_patient(self, patient_id, after=None):
        return [a for a in self.future if after is None or a.start > after]


def guard(places: FakePlaces, future: list[Appointment]) -> CapGuard:
    return CapGuard(places, FakeBookings(future), SettableClock(NOW, frozen=True))


def test_max_future_bookings_a_refusal_heals_crashed_and_past_places_and_takes_one():
    past = appointment("a-past", start=NOW - timedelta(hours=1), entry=old("a-past"))
    real = appointment("a-real", entry=old("a-real"))
    places = FakePlaces({old("a-crashed"), past.cap_entry, real.cap_entry})
    mine = cap_model.entry("a-new", NOW, SLOT)
    assert guard(places, [past, real]).make_room("p-kari", "c-storgata", mine, 3) == TAKEN
    assert places.held_set == {real.cap_entry, mine}


def test_max_future_bookings_places_in_flight_are_never_healed_away():
    flying = {cap_model.entry(f"a{n}", NOW - timedelta(seconds=5), f"tb~SLOT#{n}") for n in range(3)}
    places = FakePlaces(flying)
    assert guard(places, []).make_room("p-kari", "c-storgata", cap_model.entry("a-new", NOW, SLOT), 3) == FULL
    assert places.held_set == flying and places.writes == []  # nothing to heal: no write at all


def test_max_future_bookings_a_heal_that_loses_a_race_never_drops_the_winners_place():
    """A staff booking adds its place between the heal's read and its rewrite: the rewrite is
    refused (version), the heal tries one take, which the cap refuses; the new place is kept."""
    concurrent = cap_model.entry("a-staff", NOW)
    places = FakePlaces({old("a-crashed"), cap_model.entry("a1", NOW), cap_model.entry("a2", NOW)},
                        interfere=lambda p: p.add("p-kari", "c-storgata", concurrent))
    mine = cap_model.entry("a-new", NOW, SLOT)
    assert guard(places, []).make_room("p-kari", "c-storgata", mine, 3) == FULL
    assert concurrent in places.held_set and mine not in places.held_set
    assert places.writes == ["rewrite", "take"]


def test_max_future_bookings_a_sibling_at_the_same_slot_is_reported_not_taken():
    places = FakePlaces({cap_model.entry(f"a{n}", NOW, f"tb~SLOT#{n}") for n in range(2)}
                        | {cap_model.entry("a-other-tab", NOW, SLOT)})
    assert guard(places, []).make_room("p-kari", "c-storgata", cap_model.entry("a-new", NOW, SLOT), 3) == SIBLING
    assert places.writes == []
