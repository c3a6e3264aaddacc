"""Start videokonsultasjon (R21, R22): a room token for the patient (or the parent acting for a
child) and for the appointment's practitioner, only from 15 minutes before until 2 hours after
the start; and the clinic's list of today's video appointments with who waits in the room.

The room itself (tokens, presence) is core's (functions/core/rooms.py): the video function
checks the tokens without importing booking."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from functions.booking import model
from functions.booking.model import BOOKED, Appointment
from functions.booking.patient_service import PatientBooking
from functions.booking.ports import Bookings
from functions.core.access_log import AccessLog
from functions.core.actor import Actor
from functions.core.clock import OSLO, Clock
from functions.core.errors import Forbidden, Invalid, NotFound
from functions.core.people import People
from functions.core.rooms import PATIENT, PRACTITIONER, RoomPass, RoomState, issue_pass, not_open


class RoomTokens(Protocol):
    """functions/core/room_store.py Rooms (tests: tests/support/room_fakes.py)."""
    def issue(self, room: RoomPass) -> str: ...

    def states(self, appointment_ids: list[str]) -> dict[str, RoomState]: ...


@dataclass(frozen=True)
class VideoAppointment:
    appointment: Appointment
    patient_name: str
    state: RoomState


class VideoRooms:
    def __init__(self, patient: PatientBooking, repo: Bookings, rooms: RoomTokens, people: People,
                 access_log: AccessLog, clock: Clock) -> None:
        self._patient, self._repo, self._rooms = patient, repo, rooms
        self._people, self._log, self._clock = people, access_log, clock

    def start_for_patient(self, actor: Actor, appointment_id: str) -> tuple[str, RoomPass]:
        appointment = self._patient.find(actor, appointment_id)
        token, room = self._open(appointment, PATIENT, actor.actor_id)
        self._repo.mark_waiting(appointment, self._clock.now())
        return token, room

    def start_for_practitioner(self, actor: Actor, appointment_id: str) -> tuple[str, RoomPass]:
        clinic_id = actor.require_staff()
        appointment = next((a for a in self._around_now(clinic_id) if a.id == appointment_id), None)
        if appointment is None:
            raise NotFound()
        if appointment.practitioner_id != actor.actor_id:
            raise Forbidden("not_your_appointment")
        self._log.record(actor, appointment.patient_id or "", "what_video", "why_video_consultation")
        return self._open(appointment, PRACTITIONER, actor.actor_id)

    def today(self, actor: Actor, practitioner_id: str | None) -> list[VideoAppointment]:
        """Today's (Europe/Oslo) video appointments of the clinic, and who is in each room."""
        clinic_id = actor.require_staff()
        today = self._clock.now().astimezone(OSLO).date()
        items = sorted((a for a in self._repo.of_clinic_day(clinic_id, today)
                        if a.video and a.status == BOOKED and a.kind == "slot"
                        and (practitioner_id is None or a.practitioner_id == practitioner_id)),
                       key=lambda a: a.start)
        states = self._rooms.states([a.id for a in items])
        found = []
        for a in items:
            person = self._people.person(a.patient_id or "")
            self._log.record(actor, a.patient_id or "", "what_appointments", "why_clinic_schedule")
            found.append(VideoAppointment(a, person.name if person else "", states[a.id]))
        return found

    def _open(self, appointment: Appointment, role: str, person_id: str) -> tuple[str, RoomPass]:
        if not appointment.video:
            raise Invalid("not_video", field="appointment_id")
        now = self._clock.now()
        opens, closes = model.video_window(appointment)
        if not model.video_open(appointment, now):
            raise not_open(opens, closes)
        room = issue_pass(appointment.id, role, person_id, appointment.clinic_id, opens, closes, now)
        return self._rooms.issue(room), room

    def _around_now(self, clinic_id: str) -> list[Appointment]:
        """The clinic's appointments whose window may hold now: today's, and yesterday's after midnight."""
        local = self._clock.now().astimezone(OSLO)
        days = [local.date()] + ([local.date() - timedelta(days=1)] if local.hour < 3 else [])
        return [a for day in days for a in self._repo.of_clinic_day(clinic_id, day)
                if a.kind == "slot" and a.status == BOOKED]

