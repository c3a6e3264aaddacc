"""Booking's services (PatientBooking, ClinicBooking, with the real CapGuard and ClinicLookups) on the
hand-written fakes of their ports (tests/support/booking_fakes.py, kept honest by
tests/contract/booking), at a frozen clock: Monday 23 November 2026, 09:00 in Oslo.

Storgata (Timebok, video, cancel deadline 24 h, cap 3) publishes 08:00-11:00 on weekdays, 20-minute
times; Fjordheim takes requests (Timeforespørsel). Rules without an R-number are named by the clinic
setting they prove (max_future_bookings, cancel_deadline_hours), as the API tests do."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

import pytest

from functions.booking import cap_model, model
from functions.booking.cap_guard import CapGuard
from functions.booking.clinic_service import ClinicBooking
from functions.booking.lookups import ClinicLookups
from functions.booking.model import BOOKED, CANCELLED_BY_PATIENT, CANCELLED_BY_STAFF, REQUESTED
from functions.booking.patient_service import PatientBooking
from functions.booking.slot_ids import slot_id
from functions.core.actor import HIGH, PATIENT, REPRESENTATIVE, STAFF, Actor
from functions.core.clock import OSLO, SettableClock
from functions.core.directory import Clinic, Staff
from functions.core.errors import Conflict, Invalid, NotFound
from functions.core.representation import APPOINTMENTS
from tests.support.aws_stack import FIXED_NOW
from tests.support.booking_fakes import BookingFakes

STORGATA = Clinic("c-storgata", "Storgata legesenter", "Oslo", "+4722000000", None, "timebok", {"video": True})
FJORDHEIM = Clinic("c-fjordheim", "Fjordheim legekontor", "Bergen", "+4755000000", None, "request", {})
LISE = Actor(kind=STAFF, actor_id="s-lise", on_behalf_of=None, clinic_id="c-storgata")
ANNE = Actor(kind=STAFF, actor_id="s-anne", on_behalf_of=None, clinic_id="c-fjordheim")
OLA_FOR_EMMA = Actor(kind=REPRESENTATIVE, actor_id="p-ola", on_behalf_of="p-emma", level=HIGH,
                     actor_name="Ola Hansen", scopes=frozenset({APPOINTMENTS}))


def patient(patient_id: str) -> Actor:
    return Actor(kind=PATIENT, actor_id=patient_id, on_behalf_of=patient_id, level=HIGH)


KARI, NORA, OLA = patient("p-kari"), patient("p-nora"), patient("p-ola")


def oslo(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=OSLO).astimezone(UTC)


def sid(day: int, hour: int, minute: int = 0) -> str:
    """A Storgata time of Lise's timebok, November 2026, Oslo wall clock."""
    return slot_id("tb-lise", oslo(day, hour, minute))


@dataclass
class Portal:
    fakes: BookingFakes
    clock: SettableClock
    patient: PatientBooking
    clinic: ClinicBooking

    def places(self, patient_id: str, clinic_id: str = "c-storgata") -> frozenset[str]:
        return self.fakes.places.held(patient_id, clinic_id)[0]

    def free_on(self, day: int) -> list[str]:
        return [slot_id(s.timebok_id, s.start) for s in self.patient.day(KARI, "tb-lise", f"2026-11-{day}",
                                                                          "ordinar", show_all=True)]


@pytest.fixture
def portal() -> Portal:
    clock = SettableClock(FIXED_NOW, frozen=True)
    fakes = BookingFakes(clock)
    for clinic in (STORGATA, FJORDHEIM):
        fakes.directory.put_clinic(clinic)
    for staff in (Staff("c-storgata", "s-lise", "Lise Lege", "lege", True),
                  Staff("c-fjordheim", "s-anne", "Anne Andersen", "lege", True)):
        fakes.directory.put_staff(staff)
    for patient_id, clinic_id in (("p-kari", "c-storgata"), ("p-nora", "c-storgata"), ("p-emma", "c-storgata"),
                                  ("p-ola", "c-fjordheim")):
        fakes.directory.add_member(patient_id, clinic_id, None, FIXED_NOW)
    lookups = ClinicLookups(fakes.directory, fakes.catalogs, clock)
    cap = CapGuard(fakes.places, fakes.repo, clock)
    portal = Portal(fakes, clock,
                    PatientBooking(fakes.repo, lookups, fakes.directory, clock, cap=cap, access_log=fakes.access_log),
                    ClinicBooking(fakes.repo, fakes.catalogs, fakes.directory, fakes.access_log, clock,
                                  on_change=lookups.forget, cap=cap))
    _storgata(portal.clinic)
    _fjordheim(portal.clinic)
    return portal


def _storgata(clinic: ClinicBooking) -> None:
    clinic.put_timebok(LISE, "tb-lise", "s-lise", "Lise Lege")
    clinic.put_type(LISE, model.AppointmentType("ordinar", "Ordinær konsultasjon", 20))
    clinic.put_type(LISE, model.AppointmentType("skjult", "Skjult time", 30, hidden=True, web_bookable=False))
    clinic.put_settings(LISE, model.BookingSettings((), cancel_deadline_hours=24, max_future_bookings=3))
    weekdays = tuple(model.TemplateBlock(d, time(8), time(11)) for d in range(5))
    assert clinic.publish(LISE, "tb-lise", "ordinar", date(2026, 11, 23), date(2026, 11, 27), weekdays) == 41


def _fjordheim(clinic: ClinicBooking) -> None:
    clinic.put_timebok(ANNE, "tb-anne", "s-anne", "Anne Andersen")
    clinic.put_type(ANNE, model.AppointmentType("ordinar", "Ordinær konsultasjon", 20))
    clinic.put_settings(ANNE, model.BookingSettings((model.Interval("i08", time(8), time(10)),)))


def refusal(call) -> Conflict | Invalid | NotFound:
    with pytest.raises((Conflict, Invalid, NotFound)) as refused:
        call()
    return refused.value


# --- booking (R17, R18) ---

def test_R17_a_booked_time_is_the_patients_and_leaves_the_calendar(portal):
    assert portal.patient.month(KARI, "tb-lise", "2026-11", "ordinar")[date(2026, 11, 25)] == 9
    booked = portal.patient.book(KARI, sid(25, 8), "Vondt i halsen", None).appointment
    assert (booked.status, booked.patient_id, booked.remark, booked.start) == (BOOKED, "p-kari", "Vondt i halsen",
                                                                                oslo(25, 8))
    assert portal.patient.month(KARI, "tb-lise", "2026-11", "ordinar")[date(2026, 11, 25)] == 8
    assert sid(25, 8) not in portal.free_on(25)
    assert [(a.id, a.status) for a in portal.patient.appointments(KARI)] == [(booked.id, BOOKED)]
    assert portal.places("p-kari") == {booked.cap_entry}                # its one place under the cap


def test_R17_today_offers_only_the_times_still_ahead(portal):
    assert portal.free_on(23) == [sid(23, h, m) for h, m in ((9, 20), (9, 40), (10, 0), (10, 20), (10, 40))]
    assert portal.patient.month(KARI, "tb-lise", "2026-11", "ordinar")[date(2026, 11, 23)] == 5


def test_R18_two_patients_never_get_the_same_time_and_the_loser_hears_of_the_next(portal):
    kept = portal.patient.book(KARI, sid(25, 8), "", None).appointment
    taken = refusal(lambda: portal.patient.book(NORA, sid(25, 8), "", None))
    assert (taken.code, taken.field) == ("slot_taken", "slot_id")
    assert [s["id"] for s in taken.extra["next"]] == [sid(25, 8, 20), sid(25, 8, 40), sid(25, 9), sid(25, 9, 20)]
    assert portal.places("p-nora") == frozenset()                       # the loser gave its place back
    assert portal.patient.appointments(NORA) == [] and portal.fakes.repo.slot("tb-lise", kept.key) == kept


def test_R18_a_time_in_the_past_can_never_be_booked(portal):
    portal.clock.set(oslo(25, 12))
    past = refusal(lambda: portal.patient.book(KARI, sid(25, 8), "", None))
    assert (type(past), past.code) == (Invalid, "past_time")
    assert portal.places("p-kari") == frozenset() and portal.patient.appointments(KARI) == []


def test_R18_a_retried_booking_with_its_idempotency_key_books_once(portal):
    first = portal.patient.book(KARI, sid(25, 8), "", "key-1").appointment
    portal.clock.advance(seconds=3)
    again = portal.patient.book(KARI, sid(25, 8), "", "key-1").appointment
    assert again == first and [a.id for a in portal.patient.appointments(KARI)] == [first.id]
    assert portal.places("p-kari") == {first.cap_entry}


def test_max_future_bookings_a_retry_in_the_same_second_keeps_the_bookings_place(portal):
    first = portal.patient.book(KARI, sid(25, 8), "", "key-1").appointment
    portal.patient.book(KARI, sid(25, 8), "", "key-1")                  # a double click
    assert portal.places("p-kari") == {first.cap_entry}


# --- the cap (max_future_bookings) ---

def test_max_future_bookings_caps_a_patient_and_a_cancel_gives_the_place_back(portal):
    booked = [portal.patient.book(KARI, sid(25, h), "", None).appointment for h in (8, 9, 10)]
    capped = refusal(lambda: portal.patient.book(KARI, sid(26, 8), "", None))
    assert (capped.code, capped.params) == ("too_many_bookings", {"max": 3})
    assert sid(26, 8) in portal.free_on(26)                             # the refused time was never taken
    portal.patient.cancel(KARI, booked[0].id)
    assert portal.patient.book(KARI, sid(26, 8), "", None).appointment.status == BOOKED
    assert len(portal.places("p-kari")) == 3


def test_max_future_bookings_a_crashed_place_blocks_only_until_the_grace_has_passed(portal):
    for n in range(3):   # three bookings that died between their two writes
        portal.fakes.places.add("p-kari", "c-storgata", cap_model.entry(f"a-crashed{n}", portal.clock.now()))
    assert refusal(lambda: portal.patient.book(KARI, sid(25, 8), "", None)).code == "too_many_bookings"
    portal.clock.advance(seconds=cap_model.GRACE.total_seconds() + 1)
    booked = portal.patient.book(KARI, sid(25, 8), "", None).appointment
    assert portal.places("p-kari") == {booked.cap_entry}                # healed: only the real booking


# --- cancel (R14 and the clinic's deadline) and move ---

def test_R14_a_timebok_patient_cancels_and_the_time_is_free_again(portal):
    booked = portal.patient.book(KARI, sid(25, 8), "", None).appointment
    cancelled = portal.patient.cancel(KARI, booked.id).appointment
    assert (cancelled.id, cancelled.status, cancelled.sequence) == (booked.id, CANCELLED_BY_PATIENT, 1)
    assert sid(25, 8) in portal.free_on(25) and portal.places("p-kari") == frozenset()
    assert [(a.kind, a.status) for a in portal.patient.appointments(KARI)] == [("history", CANCELLED_BY_PATIENT)]


def test_cancel_deadline_hours_refuses_cancel_and_move_inside_the_deadline_naming_the_phone(portal):
    soon = portal.patient.book(KARI, sid(24, 8), "", None).appointment   # 23 hours ahead; the deadline is 24
    for call in (lambda: portal.patient.cancel(KARI, soon.id), lambda: portal.patient.move(KARI, soon.id, sid(26, 8))):
        refused = refusal(call)
        assert (refused.code, refused.params) == ("cancel_deadline_passed", {"phone": "+47 22 00 00 00"})
    assert portal.fakes.repo.slot("tb-lise", soon.key).status == BOOKED and sid(26, 8) in portal.free_on(26)


def test_R14_a_request_clinic_tells_the_patient_to_call_to_cancel(portal):
    wish = portal.patient.request(OLA, "c-fjordheim", "s-anne", "2026-11-25", "i08", "ordinar", "").appointment
    refused = refusal(lambda: portal.patient.cancel(OLA, wish.id))
    assert (refused.code, refused.params) == ("call_clinic_to_cancel", {"phone": "+47 55 00 00 00"})
    assert [a.status for a in portal.patient.appointments(OLA)] == [REQUESTED]


def test_R15_a_move_keeps_the_appointment_and_its_place_and_frees_the_old_time(portal):
    booked = portal.patient.book(KARI, sid(25, 8), "Kontroll", None).appointment
    moved = portal.patient.move(KARI, booked.id, sid(26, 9)).appointment
    assert (moved.id, moved.start, moved.sequence, moved.remark) == (booked.id, oslo(26, 9), 1, "Kontroll")
    assert [(a.id, a.start) for a in portal.patient.appointments(KARI)] == [(booked.id, oslo(26, 9))]
    assert sid(25, 8) in portal.free_on(25) and sid(26, 9) not in portal.free_on(26)
    assert portal.places("p-kari") == {booked.cap_entry}                # the same place throughout


def test_R18_moving_to_a_taken_time_changes_nothing(portal):
    mine = portal.patient.book(KARI, sid(25, 8), "", None).appointment
    portal.patient.book(NORA, sid(26, 8), "", None)
    assert refusal(lambda: portal.patient.move(KARI, mine.id, sid(26, 8))).code == "slot_taken"
    assert [(a.start, a.status) for a in portal.patient.appointments(KARI)] == [(oslo(25, 8), BOOKED)]
    assert [a.start for a in portal.patient.appointments(NORA)] == [oslo(26, 8)]


def test_another_patients_appointment_is_not_found(portal):
    karis = portal.patient.book(KARI, sid(25, 8), "", None).appointment
    for call in (lambda: portal.patient.cancel(NORA, karis.id),
                 lambda: portal.patient.move(NORA, karis.id, sid(26, 8))):
        assert isinstance(refusal(call), NotFound)
    assert portal.fakes.repo.slot("tb-lise", karis.key).status == BOOKED


# --- the clinic's side (R13, R18, R19, R55) ---

def test_R55_staff_book_a_member_and_the_patient_sees_who_in_the_access_log(portal):
    booked = portal.clinic.book(LISE, "p-kari", sid(25, 8), None, None, None, "Ring ved forsinkelse", False)
    assert (booked.patient_id, booked.status) == ("p-kari", BOOKED)
    assert [a.id for a in portal.patient.appointments(KARI)] == [booked.id]
    assert [(e.actor_name, e.clinic_name, e.why) for e in portal.fakes.access_log.entries("p-kari")] == [
        ("Lise Lege", "Storgata legesenter", "why_book_for_patient")]
    stranger = refusal(lambda: portal.clinic.book(LISE, "p-ola", sid(25, 9), None, None, None, "", False))
    assert (type(stranger), stranger.field) == (NotFound, "patient_id")   # not the clinic's patient


def test_R18_only_staff_double_book_and_only_with_the_overbook_flag(portal):
    first = portal.patient.book(KARI, sid(25, 8), "", None).appointment
    start = oslo(25, 8)
    overlap = refusal(lambda: portal.clinic.book(LISE, "p-nora", None, "tb-lise", start, "ordinar", "", False))
    assert (overlap.code, overlap.field) == ("overlap", "start")
    extra = portal.clinic.book(LISE, "p-nora", None, "tb-lise", start, "ordinar", "", True)
    assert extra.start == first.start and "#OB#" in extra.key
    assert {a.patient_id for a in portal.clinic.day(LISE, date(2026, 11, 25), None, None)
            if a.status == BOOKED} == {"p-kari", "p-nora"}


def test_max_future_bookings_staff_bookings_count_and_may_exceed_the_cap(portal):
    for h in (8, 9):
        portal.patient.book(KARI, sid(25, h), "", None)
    for h in (8, 9):
        portal.clinic.book(LISE, "p-kari", sid(26, h), None, None, None, "", False)
    assert len(portal.places("p-kari")) == 4
    assert refusal(lambda: portal.patient.book(KARI, sid(27, 8), "", None)).code == "too_many_bookings"


def test_R13_a_cancel_by_staff_shows_as_avbestilt_av_personell_and_frees_the_place(portal):
    booked = portal.patient.book(KARI, sid(25, 8), "", None).appointment
    portal.clinic.cancel(LISE, sid(25, 8), "Legen er syk")
    assert [(a.status, a.reason) for a in portal.patient.appointments(KARI)] == [(CANCELLED_BY_STAFF, "Legen er syk")]
    assert booked.cap_entry and portal.places("p-kari") == frozenset()
    assert [e.why for e in portal.fakes.access_log.entries("p-kari")] == ["why_change_appointment"]


def test_R19_an_accepted_request_becomes_a_booked_time_keeping_its_place(portal):
    wish = portal.patient.request(OLA, "c-fjordheim", "s-anne", "2026-11-25", "i08", "ordinar", "Vondt").appointment
    assert portal.places("p-ola", "c-fjordheim") == {wish.cap_entry}
    booked = portal.clinic.accept(ANNE, wish.id, None, oslo(25, 8, 30))
    assert (booked.id, booked.status, booked.start, booked.cap_entry) == (wish.id, BOOKED, oslo(25, 8, 30),
                                                                           wish.cap_entry)
    assert [(a.kind, a.status) for a in portal.patient.appointments(OLA)] == [("slot", BOOKED)]
    assert refusal(lambda: portal.clinic.reject(ANNE, wish.id, "")).code == "already_answered"
    assert portal.places("p-ola", "c-fjordheim") == {wish.cap_entry}


def test_R19_a_rejected_request_gives_its_place_back_and_shows_the_reason(portal):
    wish = portal.patient.request(OLA, "c-fjordheim", "s-anne", "2026-11-25", "i08", "ordinar", "").appointment
    portal.clinic.reject(ANNE, wish.id, "Ring legekontoret")
    assert [(a.status, a.reason) for a in portal.patient.appointments(OLA)] == [("rejected", "Ring legekontoret")]
    assert portal.places("p-ola", "c-fjordheim") == frozenset()


def test_R36_R55_a_parent_never_sees_a_hidden_time_and_the_read_is_in_the_childs_log(portal):
    seen = portal.patient.book(OLA_FOR_EMMA, sid(25, 8), "", None).appointment     # booked in Emma's name
    hidden = portal.clinic.book(LISE, "p-emma", None, "tb-lise", oslo(26, 12), "skjult", "", False)
    assert seen.patient_id == hidden.patient_id == "p-emma"
    assert [a.id for a in portal.patient.appointments(OLA_FOR_EMMA)] == [seen.id]
    assert [a.id for a in portal.patient.appointments(patient("p-emma"))] == [hidden.id, seen.id]
    assert [(e.actor_name, e.why) for e in portal.fakes.access_log.entries("p-emma")][-1] == (
        "Ola Hansen", "why_representative")
