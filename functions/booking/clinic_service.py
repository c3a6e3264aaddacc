"""What a clinic does with bookings through its API. A credential reaches only its own clinic;
every read of a patient's appointment goes to that patient's access log (R55)."""
from __future__ import annotations

import secrets
from dataclasses import replace
from datetime import date, datetime

from functions.booking import cap_model, model
from functions.booking.cap_guard import CapGuard
from functions.booking.cap_repository import CapRepository
from functions.booking.catalog import Catalog
from functions.booking.model import BOOKED, EXPIRED, REJECTED, REQUESTED, Appointment, Timebok
from functions.booking.ports import AccessRecorder, Bookings, Catalogs, ClinicDirectory
from functions.booking.slot_ids import parse_slot_id
from functions.core.actor import Actor
from functions.core.clock import Clock
from functions.core.directory import Staff
from functions.core.errors import Conflict, Invalid, NotFound


class ClinicBooking:
    def __init__(self, repo: Bookings, catalogs: Catalogs, directory: ClinicDirectory,
                 access_log: AccessRecorder, clock: Clock, on_change=lambda clinic_id: None,
                 cap: CapGuard | None = None) -> None:
        self._repo, self._catalogs, self._directory = repo, catalogs, directory
        self._changed = on_change  # clears cached copies of the clinic's catalogue
        self._log, self._clock = access_log, clock
        self._cap = cap or CapGuard(CapRepository(), repo, clock)  # staff bookings count toward the cap

    # --- configuration ---
    def catalog(self, actor: Actor) -> Catalog:
        return self._catalogs.load(actor.require_staff())

    def practitioners(self, actor: Actor) -> list[Staff]:
        return self._directory.staff_of(actor.require_staff())

    def put_practitioner(self, actor: Actor, staff_id: str, name: str, role: str, active: bool) -> list[Staff]:
        """Practitioners are the clinic's staff members; one may own several timebøker."""
        clinic_id = actor.require_staff()
        self._directory.put_staff(Staff(clinic_id, staff_id, name, role, active))
        self._changed(clinic_id)
        return self._directory.staff_of(clinic_id)

    def put_timebok(self, actor: Actor, timebok_id: str, practitioner_id: str, name: str,
                    notices: bool = True) -> Catalog:
        clinic_id = actor.require_staff()
        if self._directory.staff(clinic_id, practitioner_id) is None:
            raise NotFound(field="practitioner_id")
        self._catalogs.put_timebok(Timebok(timebok_id, clinic_id, practitioner_id, name, notices))
        self._changed(clinic_id)
        return self._catalogs.load(clinic_id)

    def put_type(self, actor: Actor, kind: model.AppointmentType) -> Catalog:
        clinic_id = actor.require_staff()
        self._catalogs.put_type(clinic_id, kind)
        self._changed(clinic_id)
        return self._catalogs.load(clinic_id)

    def put_settings(self, actor: Actor, settings: model.BookingSettings) -> Catalog:
        clinic_id = actor.require_staff()
        self._catalogs.put_settings(clinic_id, settings)
        self._changed(clinic_id)
        return self._catalogs.load(clinic_id)

    # --- free times ---
    def publish(self, actor: Actor, timebok_id: str, type_id: str, first: date, last: date,
                blocks: tuple[model.TemplateBlock, ...]) -> int:
        catalog, timebok = self._timebok(actor, timebok_id)
        kind = catalog.types.get(type_id)
        if kind is None:
            raise NotFound(field="type_id")
        starts = model.expand_template(blocks, first, last, kind.minutes, self._clock.now())
        lo, hi = model.day_bounds(first)[0], model.day_bounds(last)[1]
        existing = self._repo.of_timebok(timebok_id, lo, hi)
        fresh = [s for s in starts if not model.overlaps(s, kind.minutes, existing)]
        template = self._slot(timebok, kind, None)
        return self._repo.publish([{**template, "start": s} for s in fresh])

    def withdraw(self, actor: Actor, raw_slot_id: str) -> None:
        timebok_id, key = parse_slot_id(raw_slot_id)
        catalog, _ = self._timebok(actor, timebok_id)
        if self._repo.slot(timebok_id, key).clinic_id != catalog.clinic_id:  # 404 for none, or not ours
            raise NotFound(field="slot_id")
        self._repo.withdraw(timebok_id, key)

    # --- lists ---
    def day(self, actor: Actor, day: date, timebok_id: str | None, practitioner_id: str | None) -> list[Appointment]:
        clinic_id = actor.require_staff()
        items = [a for a in self._repo.of_clinic_day(clinic_id, day)
                 if (timebok_id is None or a.timebok_id == timebok_id)
                 and (practitioner_id is None or a.practitioner_id == practitioner_id)]
        for patient_id in {a.patient_id for a in items if a.patient_id}:
            self._log.record(actor, patient_id, "what_appointments", "why_clinic_schedule")
        return sorted(items, key=lambda a: a.start)

    # --- requests ---
    def accept(self, actor: Actor, request_id: str, raw_slot_id: str | None, start: datetime | None) -> Appointment:
        request = self._request(actor, request_id)
        if request.status != REQUESTED:
            raise Conflict("already_answered")
        catalog, timebok = self._timebok(actor, request.timebok_id)
        kind = catalog.types.get(request.type_id or "")
        entry = cap_model.entry_of(request)  # the booked time keeps the request's place under the cap
        booked = self._place(actor, timebok, kind, request.patient_id, request.id, request.remark, raw_slot_id,
                             start, overbook=False, entry=entry)
        try:
            self._repo.answer_request(request, "accepted", "", self._clock.now(), keep_in_patient_list=False)
        except Conflict:  # rejected or expired while the time was being booked: give the time back
            self._repo.undo(booked, self._clock.now())
            self._cap.give_back(request.patient_id, request.clinic_id, entry)
            raise
        self._log.record(actor, request.patient_id, "what_appointments", "why_answer_request")
        return booked

    def reject(self, actor: Actor, request_id: str, reason: str) -> Appointment:
        request = self._request(actor, request_id)
        self._log.record(actor, request.patient_id, "what_appointments", "why_answer_request")
        rejected = self._repo.answer_request(request, REJECTED, reason, self._clock.now(), keep_in_patient_list=True)
        self._cap.give_back(request.patient_id, request.clinic_id, cap_model.entry_of(request))
        return rejected

    def expire_requests(self) -> int:
        """Job: requests unanswered after the clinic's number of days, or whose wished time has
        passed, become "Utløpt" (one Query of the sparse open-requests index; conditional updates)."""
        now, settings, expired = self._clock.now(), {}, 0
        for request, requested_at in self._repo.open_requests():
            if request.clinic_id not in settings:
                settings[request.clinic_id] = self._catalogs.load(request.clinic_id).settings
            if model.request_expired(request, requested_at, settings[request.clinic_id], now):
                try:
                    self._repo.answer_request(request, EXPIRED, "", now, keep_in_patient_list=True)
                except Conflict:
                    continue  # answered by the clinic meanwhile
                self._cap.give_back(request.patient_id, request.clinic_id, cap_model.entry_of(request))
                expired += 1
        return expired

    # --- appointments ---
    def book(self, actor: Actor, patient_id: str, raw_slot_id: str | None, timebok_id: str | None,
             start: datetime | None, type_id: str | None, remark: str, overbook: bool) -> Appointment:
        clinic_id = actor.require_staff()
        if not self._directory.is_member(patient_id, clinic_id):
            raise NotFound(field="patient_id")
        if raw_slot_id:
            timebok_id = parse_slot_id(raw_slot_id)[0]
        catalog, timebok = self._timebok(actor, timebok_id or "")
        kind = catalog.types.get(type_id or "") if type_id else None
        appointment_id = "a" + secrets.token_hex(10)
        entry = cap_model.entry(appointment_id, self._clock.now())
        self._cap.add(patient_id, clinic_id, entry)  # staff may exceed the cap, but the booking counts
        try:
            booked = self._place(actor, timebok, kind, patient_id, appointment_id, model.remark(remark),
                                 raw_slot_id, start, overbook, entry)
        except Exception:
            self._cap.give_back(patient_id, clinic_id, entry)
            raise
        self._log.record(actor, patient_id, "what_appointments", "why_book_for_patient")
        return booked

    def cancel(self, actor: Actor, raw_slot_id: str, reason: str) -> Appointment:
        catalog, appointment = self._booked(actor, raw_slot_id)
        final = model.cancelled(appointment, by_staff=True, reason=reason)
        self._repo.release(appointment, final, self._clock.now())
        self._cap.give_back(appointment.patient_id, appointment.clinic_id, cap_model.entry_of(appointment))
        return final

    def move(self, actor: Actor, raw_slot_id: str, target_slot_id: str) -> Appointment:
        catalog, appointment = self._booked(actor, raw_slot_id)
        timebok_id, key = parse_slot_id(target_slot_id)
        self._timebok(actor, timebok_id)
        target = self._repo.slot(timebok_id, key)
        if target.clinic_id != appointment.clinic_id:
            raise NotFound(field="slot_id")
        model.check_bookable(target, self._clock.now())
        now = self._clock.now()
        moved = self._repo.book(target, appointment.patient_id, appointment.id, appointment.remark,
                                actor.actor_id, now, sequence=appointment.sequence + 1,
                                cap_entry=cap_model.entry_of(appointment))  # the same place under the cap
        self._repo.release(appointment, replace(appointment, status="moved", sequence=moved.sequence), now)
        return moved

    def mark(self, actor: Actor, raw_slot_id: str, status: str) -> Appointment:
        if status not in (model.NO_SHOW, model.COMPLETED):
            raise Invalid("invalid", field="status")
        _, appointment = self._booked(actor, raw_slot_id)
        return self._repo.set_status(appointment, status, self._clock.now())

    # --- helpers ---
    def _place(self, actor: Actor, timebok: Timebok, kind, patient_id: str, appointment_id: str, remark: str,
               raw_slot_id: str | None, start: datetime | None, overbook: bool, entry: str) -> Appointment:
        now = self._clock.now()
        if raw_slot_id:
            slot = self._repo.slot(*parse_slot_id(raw_slot_id))
            if slot.timebok_id != timebok.id or slot.clinic_id != timebok.clinic_id:
                raise NotFound(field="slot_id")
            model.check_bookable(slot, now)
            return self._repo.book(slot, patient_id, appointment_id, remark, actor.actor_id, now, cap_entry=entry)
        if start is None or kind is None:
            raise Invalid("required", field="slot_id")
        if start <= now:
            raise Invalid("past_time", field="start")
        lo, hi = model.day_bounds(model.local_day(start))
        taken = [a for a in self._repo.of_timebok(timebok.id, lo, hi) if a.status in ("free", BOOKED)]
        if not overbook and model.overlaps(start, kind.minutes, [a for a in taken if a.start != start
                                                                  or a.status == BOOKED]):
            raise Conflict("overlap", field="start")
        same = [a for a in taken if a.start == start and a.status == "free" and a.overbooking is None]
        if same and not overbook:
            return self._repo.book(same[0], patient_id, appointment_id, remark, actor.actor_id, now, cap_entry=entry)
        # A time the clinic never published: once cancelled it is free for staff, never offered to patients.
        unpublished = {**self._slot(timebok, kind, start), "web_bookable": False}
        return self._repo.put_booked(unpublished, patient_id, appointment_id, remark, actor.actor_id, now,
                                     overbook=overbook and bool(taken), cap_entry=entry)

    def _slot(self, timebok: Timebok, kind, start: datetime | None) -> dict:
        clinic = self._directory.clinic(timebok.clinic_id)
        return {"timebok_id": timebok.id, "clinic_id": timebok.clinic_id, "practitioner_id": timebok.practitioner_id,
                "type_id": kind.id, "minutes": kind.minutes, "video": kind.video, "hidden": kind.hidden,
                "web_bookable": model.patient_bookable(kind, clinic.booking_mode if clinic else "",
                                                       bool(clinic and clinic.features.get("video"))),
                "start": start}

    def _timebok(self, actor: Actor, timebok_id: str) -> tuple[Catalog, Timebok]:
        catalog = self._catalogs.load(actor.require_staff())
        timebok = catalog.timebooks.get(timebok_id)
        if timebok is None:
            raise NotFound(field="timebok_id")
        return catalog, timebok

    def _booked(self, actor: Actor, raw_slot_id: str) -> tuple[Catalog, Appointment]:
        timebok_id, key = parse_slot_id(raw_slot_id)
        catalog, _ = self._timebok(actor, timebok_id)
        appointment = self._repo.slot(timebok_id, key)
        if appointment.status != BOOKED or appointment.clinic_id != catalog.clinic_id:
            raise NotFound(field="slot_id")
        self._log.record(actor, appointment.patient_id, "what_appointments", "why_change_appointment")
        return catalog, appointment

    def _request(self, actor: Actor, request_id: str) -> Appointment:
        request = self._repo.request(request_id)
        if request.clinic_id != actor.require_staff():
            raise NotFound()
        return request
