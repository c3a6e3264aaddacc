"""Legg til i kalender (R15, R52): one UID for the appointment's life, SEQUENCE rising on every
change, Europe/Oslo times, STATUS:CANCELLED for a cancelled one. No health details."""
from __future__ import annotations

from datetime import date, datetime

from functions.booking.model import BOOKED, Appointment
from functions.core.clock import OSLO

PRODID = "-//Pasientportalen//Timebestilling//NB"


def appointment_ics(appointment: Appointment, clinic_name: str, clinic_phone: str, practitioner: str,
                    now: datetime, domain: str) -> bytes:
    from icalendar import Calendar, Event  # lazy: only a download pays for it (cold start, M1)

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    cancelled = appointment.status != BOOKED
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = Event()
    event.add("uid", f"{appointment.id}@{domain}")
    event.add("sequence", appointment.sequence)
    event.add("dtstamp", now)
    event.add("dtstart", appointment.start.astimezone(OSLO))
    event.add("dtend", appointment.end.astimezone(OSLO))
    event.add("summary", f"Legetime hos {practitioner}, {clinic_name}")
    event.add("location", clinic_name)
    event.add("description", f"Spørsmål om timen? Ring {clinic_name}: {clinic_phone}")
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    calendar.add_component(event)
    year = appointment.start.astimezone(OSLO).year  # RFC 5545 3.2.19: a VTIMEZONE for every TZID used
    calendar.add_missing_timezones(first_date=date(year - 1, 1, 1), last_date=date(year + 2, 1, 1))
    return calendar.to_ical()
