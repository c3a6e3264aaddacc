"""A slot's public id, `<timebok>~<start>` (a staff overbooking adds `~OB~<id>`), and its JSON shape.
The sort key it stands for is made by the repository side (items.slot_sk) and opaque to services."""
from __future__ import annotations

from datetime import datetime

from functions.booking.model import Appointment
from functions.booking.repository import slot_sk, stamp
from functions.core import dates
from functions.core.errors import Invalid


def slot_id(timebok_id: str, start: datetime) -> str:
    return f"{timebok_id}~{stamp(start)}"


def parse_slot_id(value: object) -> tuple[str, str]:
    """`<timebok>~<start>` (a staff overbooking adds `~OB~<id>`) -> (timebok id, sort key)."""
    parts = value.split("~") if isinstance(value, str) and len(value) <= 120 else []
    if len(parts) not in (2, 4) or not parts[0] or (len(parts) == 4 and (parts[2] != "OB" or not parts[3])):
        raise Invalid("invalid", field="slot_id")
    if not parts[1].endswith("Z"):   # a slot's start is written in UTC
        raise Invalid("invalid", field="slot_id")
    start = dates.parse_instant(parts[1], "slot_id")
    return parts[0], slot_sk(start, parts[3] if len(parts) == 4 else None)


def public_id(a: Appointment) -> str:
    """The id a clinic uses for a slot or appointment (the inverse of parse_slot_id)."""
    return slot_id(a.timebok_id or "", a.start) + (f"~OB~{a.overbooking}" if a.overbooking else "")


def slot_json(slot: Appointment) -> dict:
    return {"id": slot_id(slot.timebok_id, slot.start), "start": stamp(slot.start), "minutes": slot.minutes,
            "type_id": slot.type_id}
