"""Pure rules of the cap on a patient's future bookings and open requests at one clinic (the clinic
setting `max_future_bookings`), split from model.py by role.

A patient's places at a clinic are entries `<appointment id>#<taken, epoch seconds>#<slot>` in one
set: a booking takes its place with one conditional write before it writes its slot, so the cap
needs no read. Only a refused place reads, to heal the set: it keeps the entries of the patient's
real future bookings and open requests, and the entries younger than the grace (bookings in
flight between their two writes); anything else (past appointments, crashed bookings) drops out."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from functions.booking.model import BOOKED, REQUESTED, Appointment

# How long an entry may be in flight: longer than a function may run (zappa timeout_seconds, 30 s),
# so an entry this young may belong to a booking that has not written its slot yet.
GRACE = timedelta(seconds=120)


@dataclass(frozen=True)
class Entry:
    appointment_id: str
    taken: int        # epoch seconds; 0 = not known (an appointment from before the cap item)
    slot: str = ""    # the slot a patient booking is for ("" for requests and staff bookings)


def entry(appointment_id: str, now: datetime, slot: str = "") -> str:
    return f"{appointment_id}#{int(now.timestamp())}#{slot}"


def parse_entry(text: str) -> Entry:
    appointment_id, _, rest = text.partition("#")
    taken, _, slot = rest.partition("#")
    return Entry(appointment_id, int(taken) if taken.isdigit() else 0, slot)


def entry_of(appointment: Appointment) -> str:
    """The place an appointment holds: the entry stored on it, or (made before the cap item) one
    naming only its id."""
    return appointment.cap_entry or f"{appointment.id}#0#"


def counts(appointment: Appointment, clinic_id: str, now: datetime) -> bool:
    """Upcoming bookings and open requests of a patient at one clinic count toward its cap."""
    return (appointment.clinic_id == clinic_id and appointment.kind != "history"
            and appointment.status in (BOOKED, REQUESTED) and appointment.start > now)


def in_flight(text: str, now: datetime) -> bool:
    return now.timestamp() - parse_entry(text).taken < GRACE.total_seconds()


def healed(held: Iterable[str], bookings: Iterable[Appointment], clinic_id: str, now: datetime) -> frozenset[str]:
    """The places a patient really holds: one per real future booking or open request at the
    clinic, and every entry still in flight. Past appointments and crashed bookings drop out."""
    real = {entry_of(a) for a in bookings if counts(a, clinic_id, now)}
    return frozenset(real | {e for e in held if in_flight(e, now)})


def sibling_at(entries: Iterable[str], mine: str) -> bool:
    """Does another booking of the same patient (another tab, a double click with another key)
    hold a place for the very slot `mine` is for? Then this one can never win that slot."""
    me = parse_entry(mine)
    return bool(me.slot) and any(
        other.slot == me.slot and other.appointment_id != me.appointment_id for other in map(parse_entry, entries))
