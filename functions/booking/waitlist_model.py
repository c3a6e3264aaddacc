"""Pure rules of the waitlist, "Gi meg beskjed om en tidligere time" (beyond the seeds).

From a booked appointment at a Timebok clinic a patient may wait for an earlier time at the same
timebok, optionally only on some weekdays or before a day. When a time frees up, every patient
waiting for it, in sign-up order, gets a content-free notice with a link that opens "Flytt til
denne tiden"; the first to take it wins by the ordinary one-write rule (R18), and their old time
is released. At most one such notice per patient per Oslo day; the wish ends with the appointment
(moved, cancelled or over)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlencode

from functions.booking.model import BOOKED, TIMEBOK, Appointment, Wish, local_day
from functions.core.errors import Conflict, Invalid

MAX_WEEKDAYS = 7


@dataclass(frozen=True)
class Waiting:
    """One entry of a timebok's waitlist."""

    key: str                 # the entry's place in sign-up order (opaque outside the repository)
    patient_id: str
    appointment_id: str
    slot_key: str
    start: datetime          # the appointment the patient has now
    type_id: str | None
    clinic_id: str
    wish: Wish


def check_wish(weekdays: object, before: object, appointment: Appointment, booking_mode: str, now: datetime,
               since: datetime) -> Wish:
    """The wish as the patient may make it, or the reason not (a clear 4xx at the field)."""
    if booking_mode != TIMEBOK or appointment.kind != "slot":
        raise Conflict("waitlist_timebok_only")
    if appointment.status != BOOKED or appointment.start <= now:
        raise Conflict("waitlist_not_booked")
    if not isinstance(weekdays, list) or len(weekdays) > MAX_WEEKDAYS or not all(
            isinstance(d, int) and not isinstance(d, bool) and 0 <= d <= 6 for d in weekdays):
        raise Invalid("invalid_weekdays", field="weekdays")
    day = None
    if before is not None:
        try:
            day = date.fromisoformat(before) if isinstance(before, str) and len(before) == 10 else None
        except ValueError:
            day = None
        if day is None:
            raise Invalid("invalid_date", field="before")
        if day <= local_day(now):
            raise Invalid("waitlist_before_past", field="before")
    return Wish(since, tuple(sorted(set(weekdays))), day)


def fits(waiting: Waiting, freed: Appointment, now: datetime) -> bool:
    """Whether a freed time is one this patient waits for: free and offered, still ahead, earlier
    than the patient's own, the same type, and on a wished weekday and before the wished day."""
    if freed.status != "free" or not freed.web_bookable or freed.start <= now:
        return False
    if freed.start >= waiting.start or freed.type_id != waiting.type_id:
        return False
    day = local_day(freed.start)
    if waiting.wish.weekdays and day.weekday() not in waiting.wish.weekdays:
        return False
    return waiting.wish.before is None or day < waiting.wish.before


def offer_key(patient_id: str, now: datetime) -> str:
    """At most one waitlist notice per patient per Oslo day."""
    return f"waitlist:{patient_id}:{local_day(now).isoformat()}"


def offer_link(appointment_id: str, slot_id: str) -> str:
    """Opens "Flytt til denne tiden" on Mine konsultasjoner (ids only: no personal data)."""
    return "/nb/konsultasjoner.html?" + urlencode({"flytt": appointment_id, "til": slot_id})
