"""Booking's ports, each case run twice: against the hand-written fakes (tests/support/booking_fakes.py)
and against the real PynamoDB implementations on moto (tests/support/aws_stack.py), so the fakes the
unit tests lean on stay honest. A fixture yields a `World`: one set of stores on one clock."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from functions.booking.cap_repository import CapRepository
from functions.booking.catalog import CatalogRepository
from functions.booking.model import AppointmentType, Timebok
from functions.booking.repository import BookingRepository
from functions.core.clock import SettableClock
from functions.core.core_records import ClinicRecord, MembershipRecord
from functions.core.directory import Clinic, Directory
from tests.support.aws_stack import FIXED_NOW, moto_runtime
from tests.support.booking_fakes import BookingFakes

NOW = FIXED_NOW                      # 2026-11-23 09:00 Oslo, a Monday
CLINIC, OTHER_CLINIC = "c-storgata", "c-fjordheim"
TIMEBOK, TYPE = "tb-lise", "ordinar"


class MotoDirectory:
    """The real Directory, plus the two writes its contract needs that live elsewhere (the clinic
    profile comes from onboarding, memberships from accounts): written as devstack/demo.py does."""

    def __init__(self, directory: Directory) -> None:
        self._directory = directory

    def put_clinic(self, c: Clinic) -> None:
        ClinicRecord(f"CLINIC#{c.clinic_id}", "PROFILE", name_key=f"{c.name.lower()}#{c.clinic_id}", name=c.name,
                     place=c.place, phone=c.phone, website=c.website, booking_mode=c.booking_mode,
                     features=dict(c.features)).save()

    def add_member(self, patient_id: str, clinic_id: str, gp_practitioner_id: str | None = None,
                   since: datetime | None = None) -> None:
        MembershipRecord(f"PAT#{patient_id}", f"CLINIC#{clinic_id}", clinic_id=clinic_id,
                         gp_practitioner_id=gp_practitioner_id, since=since or NOW).save()

    def __getattr__(self, name: str):
        return getattr(self._directory, name)


@dataclass
class World:
    kind: str                # fake | moto
    clock: SettableClock     # frozen at NOW; tests move it with set()/advance()
    repo: object             # Bookings
    catalogs: object         # Catalogs
    places: object           # CapPlaces
    directory: object        # ClinicDirectory + put_clinic / add_member
    access_log: object       # AccessRecorder + page

    def publish(self, *starts: datetime, timebok: str = TIMEBOK, type_id: str = TYPE, web_bookable: bool = True,
                minutes: int = 20, clinic: str = CLINIC) -> list:
        """Free times as ClinicBooking.publish writes them; returns the slots as the store reads them."""
        self.repo.publish([{"timebok_id": timebok, "clinic_id": clinic, "practitioner_id": "s-lise",
                            "type_id": type_id, "minutes": minutes, "video": False, "hidden": False,
                            "web_bookable": web_bookable, "start": s} for s in starts])
        lo, hi = min(starts), max(starts)
        return [s for s in self.repo.of_timebok(timebok, lo, hi) if s.start in starts and "#OB#" not in s.key]

    def own(self, timebok: str = TIMEBOK, clinic: str = CLINIC) -> None:
        self.catalogs.put_timebok(Timebok(timebok, clinic, "s-lise", "Lise Lege"))
        self.catalogs.put_type(clinic, AppointmentType(TYPE, "Ordinær konsultasjon", 20))


def at(days: float = 0, hours: float = 0, minutes: float = 0) -> datetime:
    """An instant relative to NOW, in UTC."""
    return (NOW + timedelta(days=days, hours=hours, minutes=minutes)).astimezone(UTC)


def fake_world() -> World:
    clock = SettableClock(NOW, frozen=True)
    fakes = BookingFakes(clock)
    return World("fake", clock, fakes.repo, fakes.catalogs, fakes.places, fakes.directory, fakes.access_log)


@pytest.fixture(params=["fake", "moto"])
def world(request):
    if request.param == "fake":
        yield fake_world()
        return
    with moto_runtime(frozen=True) as runtime:
        yield World("moto", runtime.clock, BookingRepository(), CatalogRepository(), CapRepository(),
                    MotoDirectory(runtime.directory), runtime.access_log)
