"""Calendar files of a patient's own appointment."""
from __future__ import annotations

from functions.booking import model
from functions.booking.calendar_file import appointment_ics
from functions.booking.patient_service import PatientBooking
from functions.booking.ports import Bookings, ClinicDirectory
from functions.core.actor import Actor
from functions.core.clock import Clock
from functions.core.errors import Conflict


class PatientExtras:
    def __init__(self, patient: PatientBooking, repo: Bookings, directory: ClinicDirectory, clock: Clock,
                 domain: str) -> None:
        self._patient, self._repo, self._directory = patient, repo, directory
        self._clock, self._domain = clock, domain

    def calendar(self, actor: Actor, appointment_id: str) -> bytes:
        appointment = self._patient.find(actor, appointment_id)
        now = self._clock.now()
        if not model.calendar_allowed(appointment, now):
            raise Conflict("no_calendar")
        clinic = self._directory.clinic(appointment.clinic_id)
        staff = self._directory.staff(appointment.clinic_id, appointment.practitioner_id or "")
        return appointment_ics(appointment, clinic.name if clinic else "", clinic.phone if clinic else "",
                               staff.name if staff else "", now, self._domain)

