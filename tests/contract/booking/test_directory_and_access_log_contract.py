"""The directory's contract as booking uses it (ports `ClinicDirectory`: clinics, search, staff,
memberships) and the access log's (R55: append, never for the patient's own reads, newest first,
paged with an opaque key that survives a signed cursor), on the fake and on moto."""
from __future__ import annotations

from datetime import timedelta

import pytest

from functions.core.actor import HIGH, PATIENT, REPRESENTATIVE, STAFF, Actor
from functions.core.cursor import Cursors
from functions.core.directory import Clinic, Staff
from tests.contract.booking.conftest import CLINIC, NOW, OTHER_CLINIC

STORGATA = Clinic(CLINIC, "Storgata legesenter", "Oslo", "+4722000000", "https://storgata.example", "timebok",
                  {"video": True})
FJORDHEIM = Clinic(OTHER_CLINIC, "Fjordheim legekontor", "Bergen", "+4755000000", None, "request", {})
ALNA = Clinic("c-alna", "Alna helsehus", "Oslo", "+4722111111", None, "timebok", {})
LISE = Actor(kind=STAFF, actor_id="s-lise", on_behalf_of=None, clinic_id=CLINIC)
KARI = Actor(kind=PATIENT, actor_id="p-kari", on_behalf_of="p-kari", level=HIGH)
OLA_FOR_EMMA = Actor(kind=REPRESENTATIVE, actor_id="p-ola", on_behalf_of="p-emma", level=HIGH,
                     actor_name="Ola Hansen")


@pytest.fixture
def directory(world):
    for clinic in (STORGATA, FJORDHEIM, ALNA):
        world.directory.put_clinic(clinic)
    for staff in (Staff(CLINIC, "s-per", "Per Persen", "lege", True), Staff(CLINIC, "s-lise", "Lise Lege", "lege",
                                                                            True)):
        world.directory.put_staff(staff)
    world.directory.add_member("p-nora", OTHER_CLINIC, None, NOW)
    world.directory.add_member("p-nora", CLINIC, "s-lise", NOW)
    return world.directory


def test_R16_clinics_are_found_by_id_by_several_ids_and_by_name_or_place(directory):
    assert directory.clinic(CLINIC) == STORGATA and directory.clinic("c-none") is None
    assert directory.clinics([OTHER_CLINIC, CLINIC, CLINIC, "c-none"]) == {CLINIC: STORGATA, OTHER_CLINIC: FJORDHEIM}
    assert directory.clinics([]) == {}
    assert directory.search("oslo") == [ALNA, STORGATA]                 # by place, in name order
    assert directory.search("  FJORD ") == [FJORDHEIM]                 # by name, any case
    assert directory.search("oslo", limit=1) == [ALNA] and directory.search("tromsø") == []


def test_R16_staff_are_listed_per_clinic_in_id_order_and_replaced_by_a_save(directory):
    assert [s.staff_id for s in directory.staff_of(CLINIC)] == ["s-lise", "s-per"]
    assert directory.staff_of(OTHER_CLINIC) == [] and directory.staff(CLINIC, "s-none") is None
    directory.put_staff(Staff(CLINIC, "s-per", "Per Persen", "turnuslege", False))
    assert directory.staff(CLINIC, "s-per") == Staff(CLINIC, "s-per", "Per Persen", "turnuslege", False)


def test_R16_membership_lookups(directory):
    assert directory.is_member("p-nora", CLINIC) and not directory.is_member("p-nora", "c-alna")
    assert not directory.is_member("p-kari", CLINIC)
    assert [(m.clinic_id, m.gp_practitioner_id) for m in directory.memberships("p-nora")] == [
        (OTHER_CLINIC, None), (CLINIC, "s-lise")]                      # in clinic id order
    assert list(directory.memberships("p-kari")) == []


def test_R55_the_log_names_the_staff_member_and_the_clinic_by_name(directory):
    assert directory.describe(LISE) == ("Lise Lege", "Storgata legesenter")
    assert directory.describe(Actor(kind=STAFF, actor_id="s-gone", on_behalf_of=None, clinic_id="c-none")) == (
        "s-gone", None)
    assert directory.describe(OLA_FOR_EMMA) == ("Ola Hansen", None) and directory.describe(KARI) == ("p-kari", None)


def test_R55_every_access_but_the_patients_own_is_appended_and_read_newest_first(world, directory):
    log = world.access_log
    log.record(KARI, "p-kari", "what_appointments", "why_self")        # the patient's own read: no entry
    log.record(LISE, "p-kari", "what_appointments", "why_clinic_schedule")
    world.clock.advance(seconds=1)
    log.record(OLA_FOR_EMMA, "p-emma", "what_appointments", "why_representative")
    log.record(LISE, "p-kari", "what_appointments", "why_change_appointment")
    entries, last = log.page("p-kari", None)
    assert last is None
    assert [(e.at, e.actor_kind, e.actor_id, e.actor_name, e.clinic_id, e.clinic_name, e.why) for e in entries] == [
        (NOW + timedelta(seconds=1), STAFF, "s-lise", "Lise Lege", CLINIC, "Storgata legesenter",
         "why_change_appointment"),
        (NOW, STAFF, "s-lise", "Lise Lege", CLINIC, "Storgata legesenter", "why_clinic_schedule")]
    assert [(e.actor_name, e.clinic_id) for e in log.page("p-emma", None)[0]] == [("Ola Hansen", None)]
    assert log.page("p-nobody", None) == ([], None)


def test_R55_the_log_pages_through_a_signed_cursor_to_its_end(world, directory):
    log, cursors = world.access_log, Cursors(b"pepper")
    for n in range(5):
        log.record(LISE, "p-kari", "what_appointments", f"why_{n}")
        world.clock.advance(seconds=1)
    seen, cursor, pages = [], None, []
    while True:
        entries, last = log.page("p-kari", cursors.decode("p-kari", cursor), limit=2)
        seen += [e.why for e in entries]
        pages.append(len(entries))
        cursor = cursors.encode("p-kari", last)
        if cursor is None:
            break
    assert seen == [f"why_{n}" for n in (4, 3, 2, 1, 0)] and pages == [2, 2, 1]
    # A full last page: DynamoDB answers with a key even when nothing follows (its docs: only an absent
    # key means the end), moto without one; the fake keeps DynamoDB's way. Either way the next page is empty.
    entries, last = log.page("p-kari", None, limit=5)
    assert len(entries) == 5 and (last is not None) == (world.kind == "fake")
    assert last is None or log.page("p-kari", last, limit=5) == ([], None)
