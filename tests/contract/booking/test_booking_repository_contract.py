"""The booking repository's contract (functions/booking/ports.py `Bookings`), on the fake and on
moto: one-write booking, refusals, release and its retries, moves, a patient's list, the windows of
free times, requests, staff bookings and overbookings, withdrawal, ownership conditions."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from functions.booking import model
from functions.booking.items import stamp
from functions.booking.model import BOOKED, CANCELLED_BY_PATIENT, REJECTED, REQUESTED, Appointment
from functions.core.errors import Conflict, NotFound
from functions.core.records import Refused
from tests.contract.booking.conftest import CLINIC, NOW, OTHER_CLINIC, TIMEBOK, TYPE, at


def book(world, slot: Appointment, patient_id: str = "p-kari", appointment_id: str = "a1", **kw) -> Appointment:
    return world.repo.book_key(TIMEBOK, slot.key, patient_id, appointment_id, kw.pop("remark", ""), patient_id, NOW,
                               **kw)


def free(world, start=None, end=None) -> list[str]:
    return world.repo.free_starts(TIMEBOK, TYPE, start or at(), end or at(days=7))


# --- book (R18) ---

def test_R18_a_free_time_is_booked_by_one_write_and_leaves_the_free_times(world):
    slot, = world.publish(at(days=2))
    assert (slot.status, slot.key, slot.web_bookable, slot.patient_id) == ("free", "SLOT#2026-11-25T08:00:00Z",
                                                                          True, None)
    assert free(world) == ["2026-11-25T08:00:00Z"]
    booked = book(world, slot, remark="Vondt i halsen", cap_entry="a1#1795000000#x")
    assert (booked.id, booked.status, booked.patient_id, booked.remark, booked.sequence, booked.cap_entry) == (
        "a1", BOOKED, "p-kari", "Vondt i halsen", 0, "a1#1795000000#x")
    assert world.repo.slot(TIMEBOK, slot.key) == booked
    assert free(world) == [] and world.repo.free_slots(TIMEBOK, TYPE, at(), at(days=7)) == []


def test_R18_the_same_time_booked_twice_is_refused_as_slot_taken_and_keeps_the_first(world):
    slot, = world.publish(at(days=2))
    first = book(world, slot)
    with pytest.raises(Conflict) as second:
        book(world, slot, "p-nora", "a2")
    assert (second.value.code, second.value.field) == ("slot_taken", "slot_id")
    with pytest.raises(Conflict) as staff:   # the staff write obeys the same condition
        world.repo.book(slot, "p-nora", "a3", "", "s-lise", NOW)
    assert (staff.value.code, staff.value.field) == ("slot_taken", "slot_id")
    assert world.repo.slot(TIMEBOK, slot.key) == first
    assert world.repo.of_patient("p-nora") == []


def test_R18_past_unknown_and_not_web_bookable_times_are_refused_as_taken(world):
    past, now = world.publish(at(hours=-1), at())
    hidden, = world.publish(at(days=3), web_bookable=False)
    for key in (past.key, now.key, "SLOT#2026-12-01T08:00:00Z"):
        with pytest.raises(Conflict) as refused:
            world.repo.book_key(TIMEBOK, key, "p-kari", "a1", "", "p-kari", NOW)
        assert refused.value.code == "slot_taken"
    with pytest.raises(Conflict):
        book(world, hidden)                                         # online: patients may not book it
    assert world.repo.book(hidden, "p-kari", "a1", "", "s-lise", NOW).status == BOOKED   # staff may
    # the store offers what was published; the service clamps the window to now. The hidden one, never
    assert free(world, at(hours=-2)) == [stamp(past.start), stamp(now.start)]


# --- cancel / free again ---

def test_R14_a_released_time_is_free_and_offered_again_and_a_retried_release_converges(world):
    slot, = world.publish(at(days=2))
    booked = book(world, slot, cap_entry="a1#1#x")
    final = model.cancelled(booked, by_staff=False)
    world.repo.release(booked, final, NOW)
    world.repo.release(booked, final, NOW)                           # retried: nothing more happens
    again = world.repo.slot(TIMEBOK, slot.key)
    assert (again.status, again.patient_id, again.cap_entry, again.remark, again.sequence) == (
        "free", None, None, "", 0)
    assert free(world) == ["2026-11-25T08:00:00Z"]
    kept = world.repo.of_patient("p-kari")
    assert [(a.kind, a.status, a.id, a.sequence, a.start) for a in kept] == [
        ("history", CANCELLED_BY_PATIENT, "a1", 1, slot.start)]
    assert book(world, again, "p-nora", "a2").patient_id == "p-nora"  # the next patient may have it


def test_R18_a_time_released_after_its_start_or_undone_is_offered_only_while_bookable(world):
    soon, later = world.publish(at(days=1), at(days=2))
    held = book(world, soon)
    world.repo.release(held, model.cancelled(held, by_staff=True, reason="syk"), at(days=1, hours=1))
    assert world.repo.slot(TIMEBOK, soon.key).status == "free" and free(world) == [stamp(later.start)]
    undone = book(world, later, "p-nora", "a2")
    world.repo.undo(undone, NOW)
    assert world.repo.slot(TIMEBOK, later.key).status == "free" and free(world) == [stamp(later.start)]
    assert [a.reason for a in world.repo.of_patient("p-kari")] == ["syk"]


# --- move ---

def test_a_move_wins_the_new_time_then_frees_the_old_keeping_the_id_and_the_place(world):
    old, new = world.publish(at(days=2), at(days=2, hours=1))
    booked = book(world, old, cap_entry="a1#1#x")
    moved = world.repo.book_key(TIMEBOK, new.key, "p-kari", "a1", booked.remark, "p-kari", NOW, sequence=1,
                                cap_entry=booked.cap_entry)
    world.repo.release(booked, replace(booked, status="moved", sequence=1), NOW)
    assert [(a.key, a.id, a.status, a.sequence, a.cap_entry) for a in world.repo.of_patient("p-kari")] == [
        (new.key, "a1", BOOKED, 1, "a1#1#x")] and moved.sequence == 1
    assert world.repo.slot(TIMEBOK, old.key).status == "free" and free(world) == [stamp(old.start)]
    day = world.repo.of_clinic_day(CLINIC, date(2026, 11, 25))
    # the day sorts by "<start>#<item id>": the moved copy ("#a1") before the old time ("#slot")
    assert [(a.kind, a.status) for a in day] == [("history", "moved"), ("slot", "free"), ("slot", BOOKED)]


# --- a patient's list and the windows of free times ---

def test_R11_a_patients_list_is_theirs_only_in_start_order_and_from_a_time_on(world):
    first, second, third = world.publish(at(days=1), at(days=2), at(days=3))
    book(world, third, appointment_id="a3")
    book(world, first, appointment_id="a1")
    book(world, second, "p-nora", "a2")
    assert [a.id for a in world.repo.of_patient("p-kari")] == ["a1", "a3"]
    assert [a.id for a in world.repo.of_patient("p-kari", after=at(days=2))] == ["a3"]
    # `after` compares "<start>#<id>" with "<after>": a time starting exactly then is included
    assert [a.id for a in world.repo.of_patient("p-kari", after=at(days=1))] == ["a1", "a3"]
    assert world.repo.of_patient("p-nobody") == []


def test_R17_free_times_come_per_type_in_start_order_end_excluded_nearest_n_first(world):
    starts = [at(days=2, minutes=20 * n) for n in range(6)]
    world.publish(*reversed(starts))
    world.publish(at(days=2, hours=5), type_id="video")
    world.publish(at(days=2, hours=6), timebok="tb-per")
    assert free(world, starts[0], starts[5]) == [stamp(s) for s in starts[:5]]
    assert [s.start for s in world.repo.free_slots(TIMEBOK, TYPE, starts[1], at(days=3), limit=4)] == starts[1:5]
    assert [s.start for s in world.repo.free_slots(TIMEBOK, TYPE, starts[0], starts[3], limit=4)] == starts[:3]
    assert [s.start for s in world.repo.free_slots(TIMEBOK, TYPE, at(), at(days=3))] == starts
    assert world.repo.free_starts(TIMEBOK, "video", at(), at(days=3)) == [stamp(at(days=2, hours=5))]


def test_a_timeboks_items_in_a_range_include_its_overbookings_and_not_its_history(world):
    slot, = world.publish(at(days=2))
    booked = book(world, slot)
    world.repo.release(booked, model.cancelled(booked, by_staff=False), NOW)
    extra = _staff_slot(at(days=2))
    world.repo.put_booked(extra, "p-nora", "a2", "", "s-lise", NOW, overbook=True)
    assert [(a.key, a.status) for a in world.repo.of_timebok(TIMEBOK, at(days=2), at(days=2, minutes=1))] == [
        (slot.key, "free"), (slot.key + "#OB#a2", BOOKED)]


# --- requests (R19) ---

def wish(request_id: str = "r1") -> Appointment:
    return Appointment(id=request_id, key="REQ", kind="request", clinic_id=OTHER_CLINIC, timebok_id="tb-anne",
                       practitioner_id="s-anne", type_id=TYPE, start=at(days=2), minutes=20, status=REQUESTED,
                       patient_id="p-ola", remark="Kontroll", interval_end=at(days=2, hours=2), cap_entry="r1#1#")


def test_R19_a_request_is_put_once_stays_open_and_is_answered_once(world):
    put = world.repo.put_request(wish(), NOW)
    assert (put.status, put.end, put.cap_entry, put.remark) == (REQUESTED, at(days=2, hours=2), "r1#1#", "Kontroll")
    with pytest.raises(Conflict):
        world.repo.put_request(wish(), NOW)
    assert world.repo.request("r1") == put
    assert [(a.id, requested_at) for a, requested_at in world.repo.open_requests()] == [("r1", NOW)]
    assert [a.id for a in world.repo.of_patient("p-ola")] == ["r1"]
    accepted = world.repo.answer_request(put, "accepted", "", NOW, keep_in_patient_list=False)
    assert accepted.status == "accepted"
    with pytest.raises(Conflict) as again:
        world.repo.answer_request(put, REJECTED, "for sent", NOW, keep_in_patient_list=True)
    assert again.value.code == "already_answered"
    assert list(world.repo.open_requests()) == [] and world.repo.of_patient("p-ola") == []
    assert world.repo.of_clinic_day(OTHER_CLINIC, date(2026, 11, 25)) == []
    with pytest.raises(NotFound):
        world.repo.request("r-none")
    with pytest.raises(Conflict) as none:
        world.repo.answer_request(wish("r-none"), REJECTED, "", NOW, keep_in_patient_list=True)
    assert none.value.code == "already_answered"


def test_R13_a_rejected_request_stays_in_the_patients_list_with_its_reason(world):
    put = world.repo.put_request(wish(), NOW)
    world.repo.answer_request(put, REJECTED, "Ring legekontoret", NOW, keep_in_patient_list=True)
    assert [(a.status, a.reason) for a in world.repo.of_patient("p-ola")] == [(REJECTED, "Ring legekontoret")]
    assert [a.id for a in world.repo.of_clinic_day(OTHER_CLINIC, date(2026, 11, 25))] == ["r1"]


# --- staff bookings at unpublished times and overbooking (R18) ---

def _staff_slot(start) -> dict:
    return {"timebok_id": TIMEBOK, "clinic_id": CLINIC, "practitioner_id": "s-lise", "type_id": TYPE,
            "minutes": 20, "video": False, "hidden": False, "web_bookable": False, "start": start}


def test_R18_staff_book_an_unpublished_time_once_and_double_book_only_explicitly(world):
    first = world.repo.put_booked(_staff_slot(at(days=4)), "p-kari", "a1", "", "s-lise", NOW, overbook=False,
                                  cap_entry="a1#1#")
    assert (first.key, first.status, first.web_bookable, first.cap_entry) == (
        "SLOT#2026-11-27T08:00:00Z", BOOKED, False, "a1#1#")
    with pytest.raises(Conflict) as taken:
        world.repo.put_booked(_staff_slot(at(days=4)), "p-nora", "a2", "", "s-lise", NOW, overbook=False)
    assert (taken.value.code, taken.value.field) == ("slot_taken", "start")
    extra = world.repo.put_booked(_staff_slot(at(days=4)), "p-nora", "a2", "", "s-lise", NOW, overbook=True)
    assert extra.key == first.key + "#OB#a2" and world.repo.slot(TIMEBOK, extra.key) == extra
    world.repo.release(extra, model.cancelled(extra, by_staff=True), NOW)
    with pytest.raises(NotFound):
        world.repo.slot(TIMEBOK, extra.key)                          # a cancelled overbooking is gone
    world.repo.release(first, model.cancelled(first, by_staff=True), NOW)
    assert world.repo.slot(TIMEBOK, first.key).status == "free" and free(world) == []   # free for staff only


# --- withdraw, status, ownership conditions, lookups ---

def test_only_a_free_time_can_be_withdrawn(world):
    loose, taken = world.publish(at(days=2), at(days=3))
    book(world, taken)
    world.repo.withdraw(TIMEBOK, loose.key)
    with pytest.raises(NotFound):
        world.repo.slot(TIMEBOK, loose.key)
    for key in (taken.key, loose.key):
        with pytest.raises(Conflict) as refused:
            world.repo.withdraw(TIMEBOK, key)
        assert (refused.value.code, refused.value.field) == ("slot_not_free", "slot_id")
    assert world.repo.slot(TIMEBOK, taken.key).status == BOOKED


def test_status_and_waiting_change_only_for_the_appointment_the_time_holds(world):
    slot, = world.publish(at(days=2))
    booked = book(world, slot)
    stranger = replace(booked, id="a-other")
    assert world.repo.set_status(booked, model.NO_SHOW, NOW).status == model.NO_SHOW
    with pytest.raises(Conflict):
        world.repo.set_status(stranger, model.COMPLETED, NOW)
    world.repo.mark_waiting(booked, NOW)
    with pytest.raises(Refused):
        world.repo.mark_waiting(stranger, NOW)
    world.repo.release(booked, model.cancelled(booked, by_staff=False), NOW)
    with pytest.raises(Conflict):
        world.repo.set_status(booked, model.COMPLETED, NOW)          # no longer holds it


def test_slot_lookups_and_the_owner_of_a_timebok(world):
    with pytest.raises(NotFound) as not_a_slot:
        world.repo.slot(TIMEBOK, "HIST#2026-11-25T08:00:00Z#a1#1")
    assert not_a_slot.value.field == "slot_id"
    with pytest.raises(NotFound):
        world.repo.slot(TIMEBOK, "SLOT#2026-12-01T08:00:00Z")
    assert world.repo.timebok_clinic(TIMEBOK) is None
    world.own()
    assert world.repo.timebok_clinic(TIMEBOK) == CLINIC
