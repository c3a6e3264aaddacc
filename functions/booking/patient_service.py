"""What a patient does with bookings (R11-R21): browse free times, book, request, cancel, move."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from functions.booking import cap_model, model
from functions.booking.cap_guard import FULL, SIBLING, TAKEN, CapGuard
from functions.booking.cap_repository import CapRepository
from functions.booking.catalog import Catalog
from functions.booking.lookups import ClinicLookups
from functions.booking.model import BOOKED, REQUEST, REQUESTED, TIMEBOK, Appointment, BookingSettings
from functions.booking.ports import AccessRecorder, Bookings, ClinicDirectory
from functions.booking.slot_ids import parse_slot_id, slot_id, slot_json
from functions.core import dates, phones
from functions.core.actor import Actor
from functions.core.clock import Clock
from functions.core.directory import Clinic
from functions.core.errors import Conflict, Invalid, NotFound
from functions.core.representation import APPOINTMENTS

__all__ = ["Booked", "PatientBooking", "parse_slot_id", "slot_id", "slot_json"]  # slot ids: slot_ids.py


@dataclass(frozen=True)
class Booked:
    appointment: Appointment
    clinic: Clinic


class PatientBooking:
    def __init__(self, repo: Bookings, lookups: ClinicLookups, directory: ClinicDirectory,
                 clock: Clock, cap: CapGuard | None = None, access_log: AccessRecorder | None = None) -> None:
        self._repo, self._lookups, self._directory, self._clock = repo, lookups, directory, clock
        self._cap = cap or CapGuard(CapRepository(), repo, clock)
        self._log = access_log   # R55: a representative's reads go into the subject's log

    # --- browsing ---
    def clinics(self, actor: Actor, query: str | None) -> tuple[list[Clinic], list[Clinic]]:
        patient_id = self._patient(actor)
        memberships = sorted(self._directory.memberships(patient_id), key=lambda m: m.gp_practitioner_id is None)
        if self._log is not None and not actor.is_self and memberships:
            self._log.record(actor, patient_id, "what_clinics", "why_representative")   # R55
        attached = self._directory.clinics([m.clinic_id for m in memberships])
        ordered = [attached[m.clinic_id] for m in memberships if m.clinic_id in attached]
        return ordered, (self._directory.search(query) if query else [])

    def clinic(self, actor: Actor, clinic_id: str) -> tuple[Clinic, Catalog, list]:
        self._patient(actor)
        clinic, catalog = self._lookups.clinic(clinic_id)
        staff = [s for s in self._directory.staff_of(clinic_id) if catalog.timebooks_of(s.staff_id)]
        return clinic, catalog, staff

    def month(self, actor: Actor, timebok_id: str, month: str, type_id: str | None) -> dict[date, int]:
        """R17: free times per day of a month: one Query reading only that month's free times."""
        self._patient(actor)
        start, end = model.month_bounds(dates.parse_month(month))
        start = max(start, self._clock.now())
        return model.free_per_day(self._repo.free_starts(timebok_id, _type(type_id), start, end) if start < end else [])

    def day(self, actor: Actor, timebok_id: str, day_text: str | None, type_id: str | None,
            show_all: bool) -> list[Appointment]:
        """R17: the nearest free times of a day, or all of them ("Vis alle")."""
        self._patient(actor)
        start, end = model.day_bounds(dates.parse_date(day_text, "date"))
        start = max(start, self._clock.now())
        if start >= end:
            return []
        return self._repo.free_slots(timebok_id, _type(type_id), start, end, None if show_all else model.NEAREST)

    def next_free(self, timebok_id: str, after: datetime, type_id: str | None, count: int = 4) -> list[Appointment]:
        return self._repo.free_slots(timebok_id, _type(type_id), after, after + timedelta(days=31), count)

    # --- booking ---
    def book(self, actor: Actor, raw_slot_id: object, remark: str | None, idempotency_key: str | None) -> Booked:
        """Two conditional writes and no read: a place under the clinic's cap, then the slot. Every
        rule the slot's write needs was put on it when it was published; the cap comes from the
        cached catalogue. Reads happen only when a write is refused (the slow paths)."""
        patient_id = self._patient(actor)
        timebok_id, key = parse_slot_id(raw_slot_id)
        text, now = model.remark(remark), self._clock.now()
        appointment_id = _appointment_id(patient_id, idempotency_key)
        clinic, catalog = self._lookups.clinic(self._lookups.timebok_clinic(timebok_id, self._repo.timebok_clinic))
        entry = cap_model.entry(appointment_id, now, f"{timebok_id}~{key}")
        if not self._cap.take(patient_id, clinic.clinic_id, entry, catalog.settings.max_future_bookings):
            retried = self._over_cap(patient_id, timebok_id, key, appointment_id, entry, catalog.settings)
            if retried is not None:
                return retried
        try:
            booked = self._repo.book_key(timebok_id, key, patient_id, appointment_id, text, actor.actor_id, now,
                                         cap_entry=entry)
        except Conflict:
            try:
                again = self._refused(timebok_id, key, appointment_id, now)
            except Exception:
                self._cap.give_back(patient_id, clinic.clinic_id, entry)
                raise
            if again.appointment.cap_entry != entry:   # a retry in the same second shares the booking's
                self._cap.give_back(patient_id, clinic.clinic_id, entry)   # entry: keep that place
            return again
        return Booked(booked, clinic)

    def _over_cap(self, patient_id: str, timebok_id: str, key: str, appointment_id: str, entry: str,
                  settings: BookingSettings) -> Booked | None:
        """The cap refused a place (the slow path). A retry of this very booking gets it back; a
        time that cannot be booked says why; else heal the places and take one (None) or refuse."""
        now = self._clock.now()
        slot = self._repo.slot(timebok_id, key)
        if not (slot.status == "free" and slot.start > now and slot.web_bookable):
            return self._explain(slot, appointment_id, now)
        outcome = self._cap.make_room(patient_id, slot.clinic_id, entry, settings.max_future_bookings)
        if outcome == SIBLING:  # another tab of the same patient is booking this very time
            raise self._taken(slot, now)
        if outcome == FULL:
            model.check_cap(settings.max_future_bookings, settings)
        return None

    def _refused(self, timebok_id: str, key: str, appointment_id: str, now: datetime) -> Booked:
        """Why the write was refused, for a clear answer (the slow path)."""
        return self._explain(self._repo.slot(timebok_id, key), appointment_id, now)

    def _explain(self, slot: Appointment, appointment_id: str, now: datetime) -> Booked:
        clinic, _ = self._lookups.clinic(slot.clinic_id)
        if slot.status == BOOKED and slot.id == appointment_id:
            return Booked(slot, clinic)  # the same request again (double click, retried request)
        if slot.start <= now:
            raise Invalid("past_time", field="slot_id")
        if slot.status == "free" and not slot.web_bookable:
            raise Conflict("not_web_bookable" if clinic.booking_mode == TIMEBOK else "wrong_booking_mode",
                           field="slot_id")
        raise self._taken(slot, now)

    def _taken(self, slot: Appointment, now: datetime) -> Conflict:
        nearby = self.next_free(slot.timebok_id, max(now, slot.start - timedelta(hours=2)), slot.type_id)
        return Conflict("slot_taken", field="slot_id", extra={"next": [slot_json(s) for s in nearby
                                                                       if s.key != slot.key]})

    def request(self, actor: Actor, clinic_id: str, practitioner_id: str, day_text: str, interval_id: str,
                type_id: str, remark: str | None) -> Booked:
        patient_id = self._patient(actor)
        clinic, catalog = self._clinic_of(clinic_id)
        if clinic.booking_mode != REQUEST:
            raise Conflict("wrong_booking_mode", field="clinic_id")
        timebooks = catalog.timebooks_of(practitioner_id)
        if not timebooks:
            raise NotFound(field="practitioner_id")
        kind = self._check_type(clinic, catalog, type_id)
        interval = next((i for i in catalog.settings.intervals if i.id == interval_id), None)
        if interval is None:
            raise Invalid("invalid_interval", field="interval_id")
        now = self._clock.now()
        start, end = model.check_interval_open(dates.parse_date(day_text, "date"), interval, now)
        wish_id = "r" + secrets.token_hex(8)
        wish = Appointment(id=wish_id, key="REQ", kind="request", clinic_id=clinic_id,
                           timebok_id=timebooks[0].id, practitioner_id=practitioner_id, type_id=type_id,
                           start=start, minutes=kind.minutes, status=REQUESTED, patient_id=patient_id,
                           remark=model.remark(remark), interval_end=end, video=kind.video, hidden=kind.hidden,
                           cap_entry=cap_model.entry(wish_id, now))
        self._hold_place(wish, catalog.settings)
        try:
            return Booked(self._repo.put_request(wish, now), clinic)
        except Conflict:
            self._cap.give_back(patient_id, clinic_id, wish.cap_entry)
            raise

    def _hold_place(self, wish: Appointment, settings: BookingSettings) -> None:
        """An open request counts toward the cap like a booking: its place first (one conditional
        write), healing only if that is refused."""
        cap = settings.max_future_bookings
        if self._cap.take(wish.patient_id, wish.clinic_id, wish.cap_entry, cap):
            return
        if self._cap.make_room(wish.patient_id, wish.clinic_id, wish.cap_entry, cap) != TAKEN:
            model.check_cap(cap, settings)

    def _check_type(self, clinic: Clinic, catalog: Catalog, type_id: str | None):
        kind = catalog.types.get(type_id or "")
        if kind is None:
            raise NotFound(field="type_id")
        if not kind.web_bookable:
            raise Invalid("not_web_bookable", field="type_id")
        if kind.video and not clinic.features.get("video"):
            raise Invalid("video_not_enabled", field="type_id")  # R20
        return kind

    # --- the patient's own appointments ---
    def appointments(self, actor: Actor) -> list[Appointment]:
        """The patient's appointments; a representative never sees a hidden one ("Skjult time", R36)
        and their read is written to the subject's access log (R55)."""
        patient_id = self._patient(actor)
        found = [a for a in self._repo.of_patient(patient_id) if actor.may_see(APPOINTMENTS, hidden=a.hidden)]
        if self._log is not None and not actor.is_self:
            self._log.record(actor, patient_id, "what_appointments", "why_representative")
        return sorted(found, key=lambda a: a.start, reverse=True)

    def find(self, actor: Actor, appointment_id: str) -> Appointment:
        """Only among the patient's own appointments: anyone else's id is simply not found."""
        mine = [a for a in self.appointments(actor) if a.id == appointment_id]
        if not mine:
            raise NotFound()
        return sorted(mine, key=lambda a: (a.kind == "history", -a.sequence))[0]

    def cancel(self, actor: Actor, appointment_id: str) -> Booked:
        appointment = self.find(actor, appointment_id)
        clinic, catalog = self._clinic_of(appointment.clinic_id)
        refusal = model.cancel_refusal(appointment, clinic.booking_mode, catalog.settings, self._clock.now())
        if refusal:
            raise Conflict(refusal, phone=phones.display(clinic.phone))
        final = model.cancelled(appointment, by_staff=False)
        self._repo.release(appointment, final, self._clock.now())
        self._cap.give_back(appointment.patient_id, appointment.clinic_id, cap_model.entry_of(appointment))
        return Booked(final, clinic)

    def move(self, actor: Actor, appointment_id: str, raw_slot_id: object) -> Booked:
        """The new time is won first; only then is the old one released."""
        appointment = self.find(actor, appointment_id)
        clinic, catalog = self._clinic_of(appointment.clinic_id)
        refusal = model.cancel_refusal(appointment, clinic.booking_mode, catalog.settings, self._clock.now())
        if refusal:
            raise Conflict(refusal, phone=phones.display(clinic.phone))
        timebok_id, key = parse_slot_id(raw_slot_id)
        if timebok_id != appointment.timebok_id:
            raise Invalid("invalid", field="slot_id")
        now = self._clock.now()
        try:
            moved = self._repo.book_key(timebok_id, key, appointment.patient_id, appointment.id, appointment.remark,
                                        actor.actor_id, now, sequence=appointment.sequence + 1,
                                        cap_entry=cap_model.entry_of(appointment))  # the same place
        except Conflict:
            self._refused(timebok_id, key, "", now)
            raise
        self._repo.release(appointment, replace(appointment, status="moved", sequence=appointment.sequence + 1),
                           now)
        return Booked(moved, clinic)

    def _clinic_of(self, clinic_id: str) -> tuple[Clinic, Catalog]:
        return self._lookups.clinic(clinic_id)

    @staticmethod
    def _patient(actor: Actor) -> str:
        actor.require_high()  # appointments are health data (R1), and need consent (R10)
        return actor.require_patient(scope=APPOINTMENTS)   # acting for a child books in the child's name


def _type(type_id: str | None) -> str:
    if not type_id or len(type_id) > 64:
        raise Invalid("type_required", field="type")
    return type_id


def _appointment_id(patient_id: str, idempotency_key: str | None) -> str:
    if idempotency_key:
        return "a" + hashlib.sha256(f"{patient_id}:{idempotency_key}".encode()).hexdigest()[:20]
    return "a" + secrets.token_hex(10)
