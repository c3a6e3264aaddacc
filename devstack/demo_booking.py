"""Booking demo: timebøker, appointment types, request intervals and a month of free times,
published through the clinic service exactly as a clinic would (relative to the portal clock)."""
from __future__ import annotations

from datetime import time, timedelta

from functions.booking import model
from functions.booking.services import build
from functions.core.actor import STAFF, Actor
from functions.core.clock import OSLO
from functions.core.runtime import Runtime

WEEKDAYS = tuple(range(5))
STORGATA = Actor(kind=STAFF, actor_id="s-lise", on_behalf_of=None, clinic_id="c-storgata")
FJORDHEIM = Actor(kind=STAFF, actor_id="s-anne", on_behalf_of=None, clinic_id="c-fjordheim")


def load(runtime: Runtime) -> None:
    clinic = build(runtime).clinic
    _storgata(clinic)
    _fjordheim(clinic)


def _storgata(clinic) -> None:
    clinic.put_timebok(STORGATA, "tb-lise", "s-lise", "Lise Lege – dagtid")
    clinic.put_timebok(STORGATA, "tb-lise-kveld", "s-lise", "Lise Lege – kveld")
    clinic.put_timebok(STORGATA, "tb-per", "s-per", "Per Persen")
    clinic.put_type(STORGATA, model.AppointmentType("ordinar", "Ordinær konsultasjon", 20))
    clinic.put_type(STORGATA, model.AppointmentType("video", "Videokonsultasjon", 15, video=True))
    clinic.put_type(STORGATA, model.AppointmentType("skjult", "Skjult time", 30, hidden=True, web_bookable=False))
    clinic.put_settings(STORGATA, model.BookingSettings((), cancel_deadline_hours=24, max_future_bookings=3,
                                                        request_expiry_days=7, notices=True))
    today = clinic._clock.now().astimezone(OSLO).date()
    last = today + timedelta(days=35)
    morning = tuple(model.TemplateBlock(d, time(8), time(11)) for d in WEEKDAYS)
    afternoon = tuple(model.TemplateBlock(d, time(13), time(14)) for d in WEEKDAYS)
    clinic.publish(STORGATA, "tb-lise", "ordinar", today, last, morning)
    clinic.publish(STORGATA, "tb-lise", "video", today, last, afternoon)
    clinic.publish(STORGATA, "tb-per", "ordinar", today, last, morning)
    clinic.publish(STORGATA, "tb-lise-kveld", "ordinar", today, last,
                   tuple(model.TemplateBlock(d, time(17), time(19)) for d in (1, 3)))


def _fjordheim(clinic) -> None:
    clinic.put_timebok(FJORDHEIM, "tb-anne", "s-anne", "Anne Andersen")
    clinic.put_type(FJORDHEIM, model.AppointmentType("ordinar", "Ordinær konsultasjon", 20))
    # for a teenager who calls the clinic and books a time the parents shall not see (R36)
    clinic.put_type(FJORDHEIM, model.AppointmentType("skjult", "Skjult time", 30, hidden=True, web_bookable=False))
    intervals = tuple(model.Interval(f"i{h:02d}", time(h), time(h + 2)) for h in (8, 10, 12, 14))
    clinic.put_settings(FJORDHEIM, model.BookingSettings(intervals, cancel_deadline_hours=0,
                                                         max_future_bookings=3, request_expiry_days=5,
                                                         notices=True))
