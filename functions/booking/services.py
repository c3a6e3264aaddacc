"""The booking function's services, wired from a Runtime."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from functions.booking.catalog import CatalogRepository
from functions.booking.clinic_service import ClinicBooking
from functions.booking.due_repository import DueRepository
from functions.booking.extras_service import PatientExtras
from functions.booking.lookups import ClinicLookups
from functions.booking.notices_service import AppointmentNotices
from functions.booking.patient_service import PatientBooking
from functions.booking.repository import BookingRepository
from functions.booking.video import VideoRooms
from functions.booking.views import AppointmentViews
from functions.booking.waitlist_repository import WaitlistRepository
from functions.booking.waitlist_service import Waitlist
from functions.core.people import ProfilePeople
from functions.core.room_store import Rooms
from functions.core.runtime import Runtime


@dataclass
class BookingServices:
    patient: PatientBooking
    patient_extra: PatientExtras
    clinic: ClinicBooking
    views: AppointmentViews
    notices: AppointmentNotices
    waitlist: Waitlist
    video: VideoRooms


def build(runtime: Runtime) -> BookingServices:
    repo, catalogs = BookingRepository(), CatalogRepository()
    lookups = ClinicLookups(runtime.directory, catalogs, runtime.clock)
    patient = PatientBooking(repo, lookups, runtime.directory, runtime.clock, access_log=runtime.access_log)
    waitlist = Waitlist(patient, WaitlistRepository(), lookups, runtime.outbox, runtime.clock)
    domain = urlsplit(runtime.settings.base_url).hostname or "pasientportal"
    return BookingServices(
        patient=patient,
        patient_extra=PatientExtras(patient, repo, runtime.directory, runtime.clock, domain),
        clinic=ClinicBooking(repo, catalogs, runtime.directory, runtime.access_log, runtime.clock,
                             on_change=lookups.forget),
        views=AppointmentViews(lookups),
        notices=AppointmentNotices(DueRepository(), catalogs, runtime.directory, runtime.outbox, runtime.access_log,
                                   runtime.clock, on_freed=waitlist.offer),
        waitlist=waitlist,
        video=VideoRooms(patient, repo, Rooms(), ProfilePeople(), runtime.access_log, runtime.clock),
    )
