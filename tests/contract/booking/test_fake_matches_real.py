"""One booking story told twice through the real services (PatientBooking, ClinicBooking, CapGuard):
once on the fakes, once on the PynamoDB stores on moto. Every answer, every refusal and the stores'
final state must be equal, field by field: what the per-port contracts do not ask, this catches."""
from __future__ import annotations

from datetime import date, time

from functions.booking import model
from functions.booking.cap_guard import CapGuard
from functions.booking.cap_repository import CapRepository
from functions.booking.catalog import CatalogRepository
from functions.booking.clinic_service import ClinicBooking
from functions.booking.lookups import ClinicLookups
from functions.booking.patient_service import PatientBooking
from functions.booking.repository import BookingRepository
from functions.booking.slot_ids import slot_id
from functions.core.actor import HIGH, PATIENT, STAFF, Actor
from functions.core.directory import Staff
from functions.core.errors import PortalError
from tests.contract.booking.conftest import (
    CLINIC,
    NOW,
    OTHER_CLINIC,
    TIMEBOK,
    TYPE,
    MotoDirectory,
    World,
    at,
    fake_world,
)
from tests.contract.booking.test_directory_and_access_log_contract import FJORDHEIM, STORGATA
from tests.support.aws_stack import moto_runtime

LISE = Actor(kind=STAFF, actor_id="s-lise", on_behalf_of=None, clinic_id=CLINIC)
ANNE = Actor(kind=STAFF, actor_id="s-anne", on_behalf_of=None, clinic_id=OTHER_CLINIC)
PATIENTS = ("p-kari", "p-nora", "p-ola")


def patient(patient_id: str) -> Actor:
    return Actor(kind=PATIENT, actor_id=patient_id, on_behalf_of=patient_id, level=HIGH)


def services(w: World) -> tuple[PatientBooking, ClinicBooking]:
    lookups = ClinicLookups(w.directory, w.catalogs, w.clock)
    cap = CapGuard(w.places, w.repo, w.clock)
    return (PatientBooking(w.repo, lookups, w.directory, w.clock, cap=cap, access_log=w.access_log),
            ClinicBooking(w.repo, w.catalogs, w.directory, w.access_log, w.clock, on_change=lookups.forget, cap=cap))


def setup(w: World, clinic: ClinicBooking) -> None:
    for c in (STORGATA, FJORDHEIM):
        w.directory.put_clinic(c)
    w.directory.put_staff(Staff(CLINIC, "s-lise", "Lise Lege", "lege", True))
    w.directory.put_staff(Staff(OTHER_CLINIC, "s-anne", "Anne Andersen", "lege", True))
    for p, c in (("p-kari", CLINIC), ("p-nora", CLINIC), ("p-ola", OTHER_CLINIC)):
        w.directory.add_member(p, c, None, NOW)
    clinic.put_timebok(LISE, TIMEBOK, "s-lise", "Lise Lege")
    clinic.put_type(LISE, model.AppointmentType(TYPE, "Ordinær konsultasjon", 20))
    clinic.put_settings(LISE, model.BookingSettings((), cancel_deadline_hours=24, max_future_bookings=2))
    clinic.put_timebok(ANNE, "tb-anne", "s-anne", "Anne Andersen")
    clinic.put_type(ANNE, model.AppointmentType(TYPE, "Ordinær konsultasjon", 20))
    clinic.put_settings(ANNE, model.BookingSettings((model.Interval("i08", time(8), time(10)),)))
    clinic.publish(LISE, TIMEBOK, TYPE, date(2026, 11, 25), date(2026, 11, 26),
                   (model.TemplateBlock(2, time(9), time(10)), model.TemplateBlock(3, time(9), time(10))))


def story(w: World) -> list:
    """The same calls on any world; every answer (or refusal) is kept, in order."""
    kari, nora, ola = (patient(p) for p in PATIENTS)
    booking, clinic = services(w)
    setup(w, clinic)
    slots = [slot_id(TIMEBOK, at(days=d, minutes=20 * n)) for d in (2, 3) for n in range(3)]  # 09:00 Oslo on
    said: list = []

    def say(step: str, call) -> None:
        try:
            said.append((step, call()))
        except PortalError as refused:
            said.append((step, type(refused).__name__, refused.code, refused.field, refused.extra, refused.params))

    say("month", lambda: booking.month(kari, TIMEBOK, "2026-11", TYPE))
    say("book", lambda: booking.book(kari, slots[0], "Vondt i halsen", "k1").appointment)
    w.clock.advance(seconds=1)   # a retry within the same second: see tests/unit/booking/test_services_with_fakes.py
    say("retry", lambda: booking.book(kari, slots[0], "Vondt i halsen", "k1").appointment)
    say("taken", lambda: booking.book(nora, slots[0], "", "n1"))
    say("second", lambda: booking.book(kari, slots[1], "", "k2").appointment)
    say("cap", lambda: booking.book(kari, slots[2], "", "k3"))
    say("move", lambda: booking.move(kari, said[1][1].id, slots[3]).appointment)
    say("cancel", lambda: booking.cancel(kari, said[4][1].id).appointment)
    say("refused", lambda: clinic.book(LISE, "p-nora", slots[3], None, None, None, "", overbook=False))
    say("staff", lambda: clinic.book(LISE, "p-nora", None, TIMEBOK, at(days=3), TYPE, "", overbook=True))
    say("day", lambda: booking.day(nora, TIMEBOK, "2026-11-26", TYPE, show_all=True))
    say("request", lambda: booking.request(ola, OTHER_CLINIC, "s-anne", "2026-11-25", "i08", TYPE, "").appointment)
    say("reject", lambda: clinic.reject(ANNE, said[-1][1].id, "Ring oss"))
    say("schedule", lambda: clinic.day(LISE, date(2026, 11, 26), None, None))
    for p in PATIENTS:
        say(f"list {p}", lambda p=p: booking.appointments(patient(p)))
        say(f"places {p}", lambda p=p: [w.places.held(p, c) for c in (CLINIC, OTHER_CLINIC)])
        say(f"log {p}", lambda p=p: sorted(w.access_log.page(p, None, limit=100)[0], key=repr))
    say("timebok", lambda: w.repo.of_timebok(TIMEBOK, at(), at(days=7)))
    say("free", lambda: w.repo.free_starts(TIMEBOK, TYPE, at(), at(days=7)))
    return said


def unrandom(said: list) -> list[str]:
    """Each answer as text; the random ids of staff bookings and requests named by appearance."""
    ids = [entry[1].id for entry in said if entry[0] in ("staff", "request") and hasattr(entry[1], "id")]
    lines = []
    for entry in said:
        text = repr(entry)
        for n, ident in enumerate(ids):
            text = text.replace(ident, f"<id{n}>")
        lines.append(text)
    return lines


def test_R18_R19_R55_the_fakes_tell_the_same_story_as_the_real_stores():
    fake = story(fake_world())
    with moto_runtime(frozen=True) as runtime:
        real = story(World("moto", runtime.clock, BookingRepository(), CatalogRepository(), CapRepository(),
                           MotoDirectory(runtime.directory), runtime.access_log))
    assert unrandom(fake) == unrandom(real)
    outcomes = {entry[0]: entry[1:5] for entry in fake if len(entry) > 2}
    assert outcomes == {"taken": ("Conflict", "slot_taken", "slot_id", outcomes["taken"][3]),
                        "cap": ("Conflict", "too_many_bookings", "slot_id", {}),
                        "refused": ("Conflict", "slot_taken", "slot_id", {})}
    assert [s["id"] for s in outcomes["taken"][3]["next"]] == [      # the next four, never the taken one
        slot_id(TIMEBOK, at(days=d, minutes=m)) for d, m in ((2, 20), (2, 40), (3, 0), (3, 20))]
