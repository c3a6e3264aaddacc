"""JSON views of appointments for the patient: names, status text and what may be done (flags)."""
from __future__ import annotations

from datetime import datetime

from functions.booking import model
from functions.booking.catalog import Catalog
from functions.booking.lookups import ClinicLookups
from functions.booking.model import BOOKED, Appointment
from functions.booking.repository import stamp
from functions.booking.texts import status_text
from functions.core import messages, phones
from functions.core.directory import Clinic


class AppointmentViews:
    def __init__(self, lookups: ClinicLookups) -> None:
        self._lookups = lookups

    def render(self, appointments: list[Appointment], now: datetime, lang: str) -> list[dict]:
        clinic_ids = list(dict.fromkeys(a.clinic_id for a in appointments))
        found = {c: self._lookups.clinic(c) for c in clinic_ids}
        staff = {c: self._lookups.staff_names(c) for c in clinic_ids}
        return [self.one(a, *found[a.clinic_id], staff[a.clinic_id], now, lang) for a in appointments]

    def one(self, a: Appointment, clinic: Clinic, catalog: Catalog, staff: dict[str, str], now: datetime,
            lang: str) -> dict:
        kind = catalog.types.get(a.type_id or "")
        refusal = model.cancel_refusal(a, clinic.booking_mode, catalog.settings, now)
        live = a.status == BOOKED and not model.held(a, now)
        return {
            "id": a.id, "status": a.status, "status_text": status_text(a.status, lang),
            "start": stamp(a.start), "end": stamp(a.end), "remark": a.remark, "reason": a.reason or None,
            "clinic": {"id": clinic.clinic_id, "name": clinic.name, "phone": clinic.phone,
                       "phone_display": phones.display(clinic.phone), "booking_mode": clinic.booking_mode,
                       "cancel_deadline_hours": catalog.settings.cancel_deadline_hours},
            "practitioner": {"id": a.practitioner_id, "name": staff.get(a.practitioner_id or "", "")},
            "type": {"id": a.type_id, "name": kind.name if kind else "", "video": a.video},
            "timebook": {"id": a.timebok_id, "name": timebok.name if (timebok := catalog.timebooks.get(
                a.timebok_id or "")) else ""},
            "interval": {"start": stamp(a.start), "end": stamp(a.end)} if a.kind == "request" else None,
            "can_cancel": refusal is None, "can_move": refusal is None and a.status == BOOKED,
            # held() keeps a video appointment live until its window closes (R21)
            "can_calendar": model.calendar_allowed(a, now), "can_video": a.video and live,
            "cancel_info": messages.text(refusal, lang, phone=phones.display(clinic.phone))
            if refusal in ("call_clinic_to_cancel", "cancel_deadline_passed") else None,
            "tabs": sorted(model.tabs(a, now)),
            # "Gi meg beskjed om en tidligere time" (functions/booking/waitlist_model.py)
            "can_wait": clinic.booking_mode == model.TIMEBOK and a.kind == "slot" and a.status == BOOKED
            and a.start > now,
            "waitlist": {"since": stamp(a.wish.since), "weekdays": list(a.wish.weekdays),
                         "before": a.wish.before.isoformat() if a.wish.before else None} if a.wish else None,
        }


def visible(appointments: list[Appointment], tab: str, now: datetime) -> list[Appointment]:
    return [a for a in appointments if tab in model.tabs(a, now)]


