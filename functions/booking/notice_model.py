"""Pure rules of appointment notices (R24, R47, R48 through our own channels, R28).

Every booked appointment carries the next notice due for it, as a stage on its item (a sparse
index, `due`): first the confirmation (booked / moved), then the reminder 48 hours before, then,
for video, "it is time" 15 minutes before. A cancellation puts "cancelled" on the history copy it
leaves. Each stage is handled once by a job, which then advances the item to the next stage.

Two partitions, two jobs: NOW (confirmations, cancellations, "it is time": every minute) and
REMIND (the reminders: `send_reminders`, every 15 minutes)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from functions.booking.model import BOOKED, VIDEO_OPENS, AppointmentType, BookingSettings, Timebok
from functions.core.clock import OSLO

NOW, REMIND = "NOW", "REMIND"
BOOKED_NOTICE, MOVED, CANCELLED, REMINDER, VIDEO_TIME, WAITLIST = (
    "booked", "moved", "cancelled", "reminder", "video_time", "waitlist")
FREED = "freed"   # a time freed by a move: no notice of its own, but the waitlist hears of it
FREES = (CANCELLED, FREED)
REMIND_FROM, REMIND_UNTIL = timedelta(hours=48), timedelta(hours=24)   # the reminder window before the start
VIDEO_BEFORE = VIDEO_OPENS                                             # R24: when the room opens (R21)
CODES = {BOOKED_NOTICE: "appointment_booked", MOVED: "appointment_moved", CANCELLED: "appointment_cancelled",
         REMINDER: "appointment_reminder", VIDEO_TIME: "video_time", WAITLIST: "waitlist_offer"}
KIND_OF = {code: kind for kind, code in CODES.items()}
LINK = "/nb/konsultasjoner.html"


@dataclass(frozen=True)
class Due:
    """One appointment item's due notice, as the `due` index shows it."""

    pk: str
    sk: str
    partition: str          # NOW | REMIND
    at: str                 # due from (UTC stamp, sortable)
    kind: str               # booked | moved | cancelled | reminder | video_time
    appointment_id: str
    patient_id: str
    clinic_id: str
    timebok_id: str
    type_id: str | None
    start: datetime
    status: str
    sequence: int
    video: bool


@dataclass(frozen=True)
class Stage:
    partition: str
    at: datetime
    kind: str


def first_stage(now: datetime, sequence: int) -> Stage:
    """What a fresh booking (sequence 0) or a move (a later sequence) is due first."""
    return Stage(NOW, now, MOVED if sequence > 0 else BOOKED_NOTICE)


def cancelled_stage(now: datetime) -> Stage:
    return Stage(NOW, now, CANCELLED)


def freed_stage(now: datetime) -> Stage:
    return Stage(NOW, now, FREED)


def next_stage(due: Due) -> Stage | None:
    """After a stage is handled (sent or skipped): the reminder, then "it is time" for video."""
    if due.status != BOOKED or due.kind in (CANCELLED, FREED, VIDEO_TIME):
        return None
    if due.kind in (BOOKED_NOTICE, MOVED):
        return Stage(REMIND, due.start - REMIND_FROM, REMINDER)
    if due.kind == REMINDER and due.video:
        return Stage(NOW, due.start - VIDEO_BEFORE, VIDEO_TIME)
    return None


def worth_sending(due: Due, now: datetime) -> bool:
    """Whether the stage is still news when the job reaches it: a reminder only inside 48-24 hours
    before (a booking made later gets none), "it is time" only until the start, a confirmation or
    cancellation only for a time still ahead."""
    if due.start <= now or due.kind == FREED:
        return False
    if due.kind == CANCELLED:
        return True
    if due.status != BOOKED:
        return False
    if due.kind == REMINDER:
        return due.start - REMIND_FROM <= now < due.start - REMIND_UNTIL
    if due.kind == VIDEO_TIME:
        return due.start - VIDEO_BEFORE <= now
    return True


def enabled(settings: BookingSettings, timebok: Timebok | None, kind: AppointmentType | None) -> bool:
    """R48: our own appointment notices only where the clinic, the timebok and the appointment type
    all have them on. (A patient active in HelseNorge is notified there instead: not built yet.)"""
    return bool(settings.notices and (timebok is None or timebok.notices) and (kind is None or kind.notices))


def dedupe_key(due: Due) -> str:
    """Once per appointment, kind and version: a move (a new sequence) gets its own reminder."""
    return f"appointment:{due.appointment_id}:{due.kind}:{due.sequence}"


_DAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")
_MONTHS = ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober",
           "november", "desember")


def when(instant: datetime) -> str:
    """A time as a Norwegian reads it, in Oslo: "fredag 4. desember 2026 kl. 10:15"."""
    local = instant.astimezone(OSLO)
    return (f"{_DAYS[local.weekday()]} {local.day}. {_MONTHS[local.month - 1]} {local.year} "
            f"kl. {local:%H:%M}")
