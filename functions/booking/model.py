"""Pure booking rules (R11-R21, R20a): states, tabs, windows, deadlines, Oslo calendar maths."""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from functions.core.clock import OSLO, iso, parse_instant
from functions.core.errors import Conflict, Invalid

REQUESTED, BOOKED = "requested", "booked"
CANCELLED_BY_PATIENT, CANCELLED_BY_STAFF = "cancelled_by_patient", "cancelled_by_staff"
REJECTED, EXPIRED, NO_SHOW, COMPLETED = "rejected", "expired", "no_show", "completed"
STATES = (REQUESTED, BOOKED, CANCELLED_BY_PATIENT, CANCELLED_BY_STAFF, REJECTED, EXPIRED, NO_SHOW, COMPLETED)
CANCELLED_TAB = {CANCELLED_BY_PATIENT, CANCELLED_BY_STAFF, REJECTED, EXPIRED}
TIMEBOK, REQUEST = "timebok", "request"
VIDEO_OPENS = timedelta(minutes=15)
VIDEO_CLOSES = timedelta(hours=2)
REMARK_MAX = 500
NEAREST = 4


@dataclass(frozen=True)
class Interval:
    id: str
    start: time
    end: time


@dataclass(frozen=True)
class AppointmentType:
    id: str
    name: str
    minutes: int
    video: bool = False
    hidden: bool = False
    web_bookable: bool = True
    notices: bool = True     # R48: appointment notices for this type (when the clinic has them on)


@dataclass(frozen=True)
class Timebok:
    id: str
    clinic_id: str
    practitioner_id: str
    name: str
    notices: bool = True     # R48: appointment notices for this timebok (when the clinic has them on)


@dataclass(frozen=True)
class BookingSettings:
    intervals: tuple[Interval, ...] = ()
    cancel_deadline_hours: int = 0
    max_future_bookings: int = 3
    request_expiry_days: int = 7
    notices: bool = False    # R48: the clinic sends its own appointment notices (off until it turns them on)


@dataclass(frozen=True)
class Wish:
    """"Gi meg beskjed om en tidligere time": the patient waits for an earlier time at the same timebok."""

    since: datetime                     # sign-up time: the waitlist's order
    weekdays: tuple[int, ...] = ()      # 0 = Monday; none = any day
    before: date | None = None          # only times before this day (Oslo); none = any earlier time


@dataclass(frozen=True)
class Appointment:
    id: str                  # stable for the appointment's life (the .ics UID)
    key: str                 # the item's sort key (slot, history or request)
    kind: str                # slot | history | request
    clinic_id: str
    timebok_id: str | None
    practitioner_id: str | None
    type_id: str | None
    start: datetime          # UTC; for requests: start of the wished interval
    minutes: int
    status: str
    patient_id: str | None = None
    remark: str = ""
    sequence: int = 0
    reason: str = ""
    interval_end: datetime | None = None
    video: bool = False
    hidden: bool = False
    web_bookable: bool = False   # patients may book this time online (published so)
    cap_entry: str | None = None  # its place under the clinic's cap (functions/booking/cap_model.py)
    wish: Wish | None = None      # on the waitlist for an earlier time (functions/booking/waitlist_model.py)
    overbooking: str | None = None  # a staff overbooking's id (a second appointment at a booked time, R18)

    @property
    def end(self) -> datetime:
        return self.interval_end or self.start + timedelta(minutes=self.minutes)


def held(appointment: Appointment, now: datetime) -> bool:
    """Over: after its end; a video consultation stays open until its window closes (R21)."""
    end = max(appointment.end, appointment.start + VIDEO_CLOSES) if appointment.video else appointment.end
    return end <= now


def tabs(appointment: Appointment, now: datetime) -> set[str]:
    """R11/R20a: Bestilte = requested, or booked and not yet held; Avbestilte = cancelled,
    rejected or expired; Alle = everything."""
    found = {"all"}
    if appointment.status == REQUESTED or (appointment.status == BOOKED and not held(appointment, now)):
        found.add("booked")
    if appointment.status in CANCELLED_TAB:
        found.add("cancelled")
    return found


def check_bookable(slot: Appointment, now: datetime) -> None:
    """R18: never a time in the past, never a time that is not free."""
    if slot.start <= now:
        raise Invalid("past_time", field="slot_id")
    if slot.status != "free":
        raise Conflict("slot_taken", field="slot_id")


def patient_bookable(kind: AppointmentType, booking_mode: str, clinic_video: bool) -> bool:
    """Decided when a time is published, and kept on the slot so booking needs no reads:
    web-bookable, not "Skjult time", a Timebok clinic (R17), video only where enabled (R20)."""
    return kind.web_bookable and not kind.hidden and booking_mode == TIMEBOK and (clinic_video or not kind.video)


def check_cap(future_bookings: int, settings: BookingSettings) -> None:
    if future_bookings >= settings.max_future_bookings:
        raise Conflict("too_many_bookings", field="slot_id", max=settings.max_future_bookings)


def cancel_refusal(appointment: Appointment, mode: str, settings: BookingSettings, now: datetime) -> str | None:
    """R14 and the clinic's deadline: why the patient may not cancel or move (None = may)."""
    if appointment.status not in (BOOKED, REQUESTED) or held(appointment, now):
        return "not_cancellable"
    if mode == REQUEST:
        return "call_clinic_to_cancel"
    if appointment.start - now < timedelta(hours=settings.cancel_deadline_hours):
        return "cancel_deadline_passed"
    return None


def calendar_allowed(appointment: Appointment, now: datetime) -> bool:
    """R15: an approved appointment in the future; a cancelled one offers its cancellation."""
    if appointment.status == BOOKED:
        return appointment.start > now
    return appointment.status in (CANCELLED_BY_PATIENT, CANCELLED_BY_STAFF) and appointment.start > now


def video_window(appointment: Appointment) -> tuple[datetime, datetime]:
    return appointment.start - VIDEO_OPENS, appointment.start + VIDEO_CLOSES


def video_open(appointment: Appointment, now: datetime) -> bool:
    """R21: from 15 minutes before the start until 2 hours after it."""
    opens, closes = video_window(appointment)
    return appointment.status == BOOKED and appointment.video and opens <= now <= closes


def cancelled(appointment: Appointment, by_staff: bool, reason: str = "") -> Appointment:
    status = CANCELLED_BY_STAFF if by_staff else CANCELLED_BY_PATIENT
    return replace(appointment, status=status, sequence=appointment.sequence + 1, reason=reason)


def remark(text: str | None) -> str:
    value = (text or "").strip()
    if len(value) > REMARK_MAX:
        raise Invalid("too_long", field="remark", max=REMARK_MAX)
    return value


# --- calendar maths in Europe/Oslo (DST-safe) ---

def local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=OSLO).astimezone(UTC)


def day_bounds(day: date) -> tuple[datetime, datetime]:
    return local_midnight(day), local_midnight(day + timedelta(days=1))


def month_bounds(first: date) -> tuple[datetime, datetime]:
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return local_midnight(first), local_midnight(following)


def local_day(instant: datetime) -> date:
    return instant.astimezone(OSLO).date()


def free_per_day(stamps: list[str]) -> dict[date, int]:
    """R17: how many free times each Oslo day has, from sorted UTC stamps ("2026-11-23T08:00:00Z").

    One time per day is converted to find its day and the stamp where the next day begins; the rest
    of the day's times are counted by bisection (the stamps sort as the instants do)."""
    counts: dict[date, int] = {}
    i, n = 0, len(stamps)
    while i < n:
        day = local_day(parse_instant(stamps[i]))
        j = bisect_left(stamps, iso(local_midnight(day + timedelta(days=1))), i)
        counts[day] = j - i
        i = j
    return counts


def at_local(day: date, clock_time: time) -> datetime | None:
    """A wall-clock time on a day in Oslo as UTC; None if it does not exist (spring forward)."""
    local = datetime.combine(day, clock_time, tzinfo=OSLO)
    back = local.astimezone(UTC).astimezone(OSLO)
    if back.replace(tzinfo=None) != local.replace(tzinfo=None):
        return None
    return local.astimezone(UTC)


def interval_bounds(day: date, interval: Interval) -> tuple[datetime, datetime]:
    start, end = at_local(day, interval.start), at_local(day, interval.end)
    if start is None or end is None:
        raise Invalid("invalid_interval", field="interval_id")
    return start, end


def check_interval_open(day: date, interval: Interval, now: datetime) -> tuple[datetime, datetime]:
    """R19: an interval whose start has passed is greyed out and refused."""
    start, end = interval_bounds(day, interval)
    if start <= now:
        raise Invalid("past_interval", field="interval_id")
    return start, end


def request_expired(appointment: Appointment, requested_at: datetime, settings: BookingSettings,
                    now: datetime) -> bool:
    """A request unanswered for the clinic's number of days (or whose wish has passed) expires."""
    if appointment.status != REQUESTED:
        return False
    return now - requested_at >= timedelta(days=settings.request_expiry_days) or appointment.end <= now


@dataclass(frozen=True)
class TemplateBlock:
    """A weekly template row: on `weekday` (0 = Monday) from `start` to `end`, one slot per type length."""

    weekday: int
    start: time
    end: time


def expand_template(blocks: tuple[TemplateBlock, ...], first: date, last: date, minutes: int,
                    now: datetime) -> list[datetime]:
    """Slot starts (UTC) for a date range from Oslo wall-clock blocks; past and non-existent
    (spring-forward) times are skipped, DST days keep their wall-clock times."""
    if last < first or (last - first).days > 366:
        raise Invalid("invalid_range", field="to")
    starts: list[datetime] = []
    day = first
    while day <= last:
        for block in blocks:
            if block.weekday != day.weekday():
                continue
            cursor = datetime.combine(day, block.start)
            end = datetime.combine(day, block.end)
            while cursor + timedelta(minutes=minutes) <= end:
                instant = at_local(day, cursor.time())
                if instant is not None and instant > now:
                    starts.append(instant)
                cursor += timedelta(minutes=minutes)
        day += timedelta(days=1)
    return sorted(set(starts))


def overlaps(start: datetime, minutes: int, others: list[Appointment]) -> bool:
    end = start + timedelta(minutes=minutes)
    return any(o.start < end and start < o.end for o in others)
