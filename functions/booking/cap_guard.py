"""The cap on a patient's future bookings and open requests at a clinic (`max_future_bookings`),
held under concurrency without read-then-write: a place is taken by ONE conditional write before
the booking's own write; only a refused place reads, to heal the places (docs/booking.md, "The cap")."""
from __future__ import annotations

from functions.booking import cap_model
from functions.booking.cap_repository import CapRepository
from functions.booking.repository import BookingRepository
from functions.core.clock import Clock

TAKEN, SIBLING, FULL = "taken", "sibling", "full"


class CapGuard:
    def __init__(self, places: CapRepository, bookings: BookingRepository, clock: Clock) -> None:
        self._places, self._bookings, self._clock = places, bookings, clock

    def take(self, patient_id: str, clinic_id: str, entry: str, cap: int) -> bool:
        """The fast path: one conditional UpdateItem, no read."""
        return self._places.take(patient_id, clinic_id, entry, cap)

    def make_room(self, patient_id: str, clinic_id: str, entry: str, cap: int) -> str:
        """After a refused take only. Heal: rewrite the places to the patient's real future bookings
        and requests at the clinic plus the entries in flight, conditional on the version read (a
        concurrent take or release makes the rewrite fail, never lose an entry). If that left room,
        or the rewrite lost a race, take a place once more. SIBLING: another booking of the same
        patient holds a place for the same slot (so this one cannot win it); FULL: at the cap."""
        now = self._clock.now()
        held, version = self._places.held(patient_id, clinic_id)
        kept = cap_model.healed(held, self._bookings.of_patient(patient_id, after=now), clinic_id, now)
        if cap_model.sibling_at(kept, entry):
            return SIBLING
        rewritten = kept == held or self._places.rewrite(patient_id, clinic_id, kept, version)
        if (len(kept) < cap or not rewritten) and self._places.take(patient_id, clinic_id, entry, cap):
            return TAKEN
        return FULL

    def add(self, patient_id: str, clinic_id: str, entry: str) -> None:
        """Staff bookings count toward the cap, and may exceed it."""
        self._places.add(patient_id, clinic_id, entry)

    def give_back(self, patient_id: str, clinic_id: str | None, entry: str) -> None:
        """Best effort: a place not given back is dropped by the next heal."""
        if patient_id and clinic_id:
            self._places.give_back(patient_id, clinic_id, entry)
