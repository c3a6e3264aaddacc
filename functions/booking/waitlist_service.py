"""The waitlist, "Gi meg beskjed om en tidligere time" (functions/booking/waitlist_model.py): the
patient's wish on a booked appointment, and the offer when a time frees up (from the notices job)."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from functions.booking import notice_model
from functions.booking.lookups import ClinicLookups
from functions.booking.notices_service import ref_of
from functions.booking.patient_service import Booked, PatientBooking
from functions.booking.slot_ids import slot_id
from functions.booking.waitlist_model import check_wish, fits, offer_key, offer_link
from functions.booking.waitlist_repository import WaitlistRepository
from functions.core.actor import Actor
from functions.core.clock import Clock
from functions.core.outbox import Notice, Outbox


class Waitlist:
    def __init__(self, patient: PatientBooking, repo: WaitlistRepository, lookups: ClinicLookups, outbox: Outbox,
                 clock: Clock) -> None:
        self._patient, self._repo, self._lookups = patient, repo, lookups
        self._outbox, self._clock = outbox, clock

    def wait(self, actor: Actor, appointment_id: str, weekdays: object, before: object) -> Booked:
        """Wait (or change what for) keeping one's place in the order."""
        appointment = self._patient.find(actor, appointment_id)   # own (or a represented child's) only
        clinic, _ = self._lookups.clinic(appointment.clinic_id)
        now = self._clock.now()
        since = appointment.wish.since if appointment.wish else now
        wish = check_wish(weekdays, before, appointment, clinic.booking_mode, now, since)
        self._repo.put(appointment, wish)
        return Booked(replace(appointment, wish=wish), clinic)

    def stop(self, actor: Actor, appointment_id: str) -> Booked:
        appointment = self._patient.find(actor, appointment_id)
        clinic, _ = self._lookups.clinic(appointment.clinic_id)
        self._repo.remove(appointment)
        return Booked(replace(appointment, wish=None), clinic)

    def offer(self, timebok_id: str, start: datetime, now: datetime) -> int:
        """A time at `start` was freed: every patient waiting for it, in sign-up order, hears of it
        (at most once a day each); entries whose appointment has moved on are dropped."""
        freed = self._repo.freed(timebok_id, start)
        if freed is None or freed.status != "free":
            return 0
        clinic, _ = self._lookups.clinic(freed.clinic_id)
        told = 0
        for waiting in self._repo.waiting(timebok_id):
            if not fits(waiting, freed, now):
                continue
            if not self._repo.current(timebok_id, waiting):
                self._repo.drop(timebok_id, waiting)
                continue
            notice = Notice(waiting.patient_id, notice_model.CODES[notice_model.WAITLIST],
                            offer_link(waiting.appointment_id, slot_id(timebok_id, start)),
                            {"clinic": clinic.name, "time": notice_model.when(start)},
                            ref=ref_of(waiting.clinic_id, waiting.appointment_id))
            if self._outbox.enqueue(notice, offer_key(waiting.patient_id, now)):
                told += 1
        return told
