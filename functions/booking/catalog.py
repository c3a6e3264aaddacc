"""A clinic's booking catalogue: timebøker, appointment types and settings (one Query to read)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time

from functions.booking.model import AppointmentType, BookingSettings, Interval, Timebok
from functions.booking.records import ClinicConfigRecord as Config
from functions.booking.records import IntervalMap
from functions.core.errors import Conflict
from functions.core.records import Refused


@dataclass
class Catalog:
    clinic_id: str
    timebooks: dict[str, Timebok] = field(default_factory=dict)
    types: dict[str, AppointmentType] = field(default_factory=dict)
    settings: BookingSettings = field(default_factory=BookingSettings)

    def timebooks_of(self, practitioner_id: str) -> list[Timebok]:
        return [t for t in self.timebooks.values() if t.practitioner_id == practitioner_id]


def _interval(m) -> Interval:
    return Interval(m.id, time.fromisoformat(m.start), time.fromisoformat(m.end))


class CatalogRepository:
    def load(self, clinic_id: str) -> Catalog:
        catalog = Catalog(clinic_id)
        for r in Config.query(f"CLINIC#{clinic_id}"):
            kind, _, item_id = r.sk.partition("#")
            if kind == "TIMEBOK":
                catalog.timebooks[item_id] = Timebok(item_id, clinic_id, r.practitioner_id or "", r.name,
                                                     r.notices is not False)
            elif kind == "TYPE":
                catalog.types[item_id] = AppointmentType(item_id, r.name, int(r.minutes or 15), bool(r.video),
                                                         bool(r.hidden), bool(r.web_bookable), r.notices is not False)
            elif kind == "BOOKING":
                catalog.settings = BookingSettings(
                    tuple(_interval(m) for m in r.intervals or []), int(r.cancel_deadline_hours or 0),
                    int(r.max_future_bookings or 3), int(r.request_expiry_days or 7), bool(r.notices))
        return catalog

    def put_timebok(self, timebok: Timebok) -> None:
        """A timebok's slots live under TB#<id> whatever the clinic: the first clinic to use an id owns
        it, and no other clinic can ever add it to its catalogue (and so reach those slots)."""
        try:
            Config(f"TIMEBOK#{timebok.id}", "OWNER", owner=timebok.clinic_id).save(
                Config.pk.does_not_exist() | (Config.owner == timebok.clinic_id))
        except Refused as exc:
            raise Conflict("timebok_taken", field="timebok_id") from exc
        Config(f"CLINIC#{timebok.clinic_id}", f"TIMEBOK#{timebok.id}", name=timebok.name,
               practitioner_id=timebok.practitioner_id, notices=timebok.notices).save()

    def put_type(self, clinic_id: str, t: AppointmentType) -> None:
        Config(f"CLINIC#{clinic_id}", f"TYPE#{t.id}", name=t.name, minutes=t.minutes, video=t.video,
               hidden=t.hidden, web_bookable=t.web_bookable, notices=t.notices).save()

    def put_settings(self, clinic_id: str, s: BookingSettings) -> None:
        Config(f"CLINIC#{clinic_id}", "BOOKING", cancel_deadline_hours=s.cancel_deadline_hours,
               max_future_bookings=s.max_future_bookings, request_expiry_days=s.request_expiry_days,
               notices=s.notices,
               intervals=[IntervalMap(id=i.id, start=i.start.strftime("%H:%M"), end=i.end.strftime("%H:%M"))
                          for i in s.intervals]).save()
