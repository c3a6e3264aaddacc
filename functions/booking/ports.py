"""The booking services' seams: what PatientBooking, PatientExtras, ClinicBooking and CapGuard call
on each of their dependencies, as typing.Protocol classes (structural: the real classes need not
name them). Signatures are the real classes'; the real classes are the PynamoDB-backed ones
(repository.py, catalog.py, cap_repository.py, core/directory.py, core/access_log.py), the fakes
live in tests/support/booking_fakes.py, and tests/contract/booking runs one set of cases on both."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Protocol

from functions.booking.catalog import Catalog
from functions.booking.model import Appointment, AppointmentType, BookingSettings, Timebok
from functions.core.actor import Actor
from functions.core.directory import Clinic, Staff


class FutureBookings(Protocol):
    """What the cap's heal reads (CapGuard): a patient's appointments and requests, from `after` on."""

    def of_patient(self, patient_id: str, after: datetime | None = None) -> list[Appointment]: ...


class Bookings(FutureBookings, Protocol):
    """Slots, appointments and requests (BookingRepository). Every write that can race is one
    conditional write; a refusal is `Conflict` (functions/core/errors.py) with the codes below."""

    # --- reads ---
    def free_starts(self, timebok_id: str, type_id: str, start: datetime, end: datetime) -> list[str]: ...

    def free_slots(self, timebok_id: str, type_id: str, start: datetime, end: datetime,
                   limit: int | None = None) -> list[Appointment]: ...

    def timebok_clinic(self, timebok_id: str) -> str | None: ...

    def slot(self, timebok_id: str, key: str) -> Appointment:
        """NotFound for no such slot (or a key that is not a slot's)."""
        ...

    def of_clinic_day(self, clinic_id: str, day: date) -> list[Appointment]: ...

    def of_timebok(self, timebok_id: str, start: datetime, end: datetime) -> list[Appointment]: ...

    # --- writes ---
    def book(self, slot: Appointment, patient_id: str, appointment_id: str, remark: str, by: str,
             now: datetime, sequence: int = 0, cap_entry: str | None = None) -> Appointment:
        """Staff and moves. Conflict("slot_taken", field="slot_id") unless free and in the future."""
        ...

    def book_key(self, timebok_id: str, key: str, patient_id: str, appointment_id: str, remark: str, by: str,
                 now: datetime, sequence: int = 0, online: bool = True, cap_entry: str | None = None) -> Appointment:
        """Conflict("slot_taken", field="slot_id") unless free, in the future and (online) web-bookable."""
        ...

    def undo(self, booked: Appointment, now: datetime) -> None: ...

    def release(self, booked: Appointment, final: Appointment, now: datetime) -> None:
        """Idempotent: a retried release converges."""
        ...

    def set_status(self, appointment: Appointment, status: str, now: datetime) -> Appointment: ...

    def mark_waiting(self, appointment: Appointment, now: datetime) -> None: ...

    def put_request(self, request: Appointment, now: datetime) -> Appointment: ...

    def open_requests(self) -> Iterable[tuple[Appointment, datetime]]: ...

    def request(self, request_id: str) -> Appointment: ...

    def answer_request(self, request: Appointment, status: str, reason: str, now: datetime,
                       keep_in_patient_list: bool) -> Appointment:
        """Once: Conflict("already_answered") unless still requested."""
        ...

    def publish(self, slots: list[dict]) -> int: ...

    def withdraw(self, timebok_id: str, key: str) -> None:
        """Conflict("slot_not_free", field="slot_id") unless free."""
        ...

    def put_booked(self, slot: dict, patient_id: str, appointment_id: str, remark: str, by: str,
                   now: datetime, overbook: bool, cap_entry: str | None = None) -> Appointment:
        """Conflict("slot_taken", field="start") if the item exists (no overbook)."""
        ...


class Catalogs(Protocol):
    """A clinic's timebøker, appointment types and settings (CatalogRepository)."""

    def load(self, clinic_id: str) -> Catalog: ...

    def put_timebok(self, timebok: Timebok) -> None:
        """Conflict("timebok_taken", field="timebok_id") if another clinic owns the id."""
        ...

    def put_type(self, clinic_id: str, t: AppointmentType) -> None: ...

    def put_settings(self, clinic_id: str, s: BookingSettings) -> None: ...


class CapPlaces(Protocol):
    """A patient's places under a clinic's cap (CapRepository; CapGuard's store)."""

    def take(self, patient_id: str, clinic_id: str, entry: str, cap: int) -> bool: ...

    def add(self, patient_id: str, clinic_id: str, entry: str) -> None: ...

    def give_back(self, patient_id: str, clinic_id: str, entry: str) -> bool: ...

    def held(self, patient_id: str, clinic_id: str) -> tuple[frozenset[str], int]: ...

    def rewrite(self, patient_id: str, clinic_id: str, entries: frozenset[str], version: int) -> bool: ...


class Membership(Protocol):
    """A patient's attachment to a clinic (the real directory returns its PynamoDB record)."""

    @property
    def clinic_id(self) -> str: ...

    @property
    def gp_practitioner_id(self) -> str | None: ...


class ClinicDirectory(Protocol):
    """Clinics, staff and memberships (core.directory.Directory), as booking uses them."""

    def clinic(self, clinic_id: str) -> Clinic | None: ...

    def clinics(self, clinic_ids: list[str]) -> dict[str, Clinic]: ...

    def search(self, text: str, limit: int = 20) -> list[Clinic]: ...

    def put_staff(self, staff: Staff) -> None: ...

    def staff_of(self, clinic_id: str) -> list[Staff]: ...

    def staff(self, clinic_id: str, staff_id: str) -> Staff | None: ...

    def is_member(self, patient_id: str, clinic_id: str) -> bool: ...

    def memberships(self, patient_id: str) -> Sequence[Membership]: ...


class AccessRecorder(Protocol):
    """The access log (R55), as the booking services write it (core.access_log.AccessLog)."""

    def record(self, actor: Actor, patient_id: str, what: str, why: str) -> None: ...
