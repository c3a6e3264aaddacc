"""The booking table's item keys, and items translated to domain objects (for the repositories only:
storage keys never leave them)."""
from __future__ import annotations

from datetime import UTC, date, datetime

from functions.booking.model import Appointment, Wish, local_day
from functions.booking.records import BookingItemRecord as Item
from functions.core.clock import iso


def stamp(instant: datetime) -> str:
    return iso(instant)


def parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def to_appointment(r: Item) -> Appointment:
    return Appointment(
        id=r.appointment_id or r.sk, key=r.sk, kind=r.kind, clinic_id=r.clinic_id, timebok_id=r.timebok_id,
        practitioner_id=r.practitioner_id, type_id=r.type_id, start=parse(r.start), minutes=int(r.minutes),
        status=r.status, patient_id=r.patient_id, remark=r.remark, sequence=int(r.sequence or 0),
        reason=r.reason, interval_end=parse(r.interval_end) if r.interval_end else None,
        video=bool(r.video), hidden=bool(r.hidden), web_bookable=bool(r.web_bookable), cap_entry=r.cap_entry,
        wish=_wish(r.wish) if r.wish else None, overbooking=r.sk.split(OVERBOOKED)[1] if OVERBOOKED in r.sk else None)


def _wish(m) -> Wish:
    return Wish(m.since, tuple(int(d) for d in m.weekdays or ()), date.fromisoformat(m.before) if m.before else None)


def slot_pk(timebok_id: str) -> str:
    return f"TB#{timebok_id}"


def free_key(timebok_id: str, type_id: str | None) -> str:
    """The `free` index partition: one timebok's patient-bookable free times of one type."""
    return f"TB#{timebok_id}#{type_id}"


OVERBOOKED = "#OB#"


def slot_sk(start: datetime, overbooking: str | None = None) -> str:
    """A slot's sort key; a staff overbooking at the same start is a second item (R18)."""
    return f"SLOT#{stamp(start)}" + (f"{OVERBOOKED}{overbooking}" if overbooking else "")


def patient_keys(patient_id: str, start: datetime, appointment_id: str) -> dict:
    return {"patient_pk": f"PAT#{patient_id}", "patient_sk": f"{stamp(start)}#{appointment_id}"}


def day_keys(clinic_id: str, start: datetime, item_id: str) -> dict:
    return {"clinic_day": f"CLINIC#{clinic_id}#{local_day(start).isoformat()}",
            "start_sk": f"{stamp(start)}#{item_id}"}
