"""Relasjoner (R35-R37) with hand-written fakes: the register sync, Fjern, fullmakt."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from functions.accounts.model import Profile
from functions.accounts.relations import RegisteredChild
from functions.accounts.relations_service import RelationsService
from functions.core import national_id
from functions.core import representation as rep
from functions.core.actor import PATIENT, REPRESENTATIVE, Actor
from functions.core.clock import SettableClock
from functions.core.errors import Forbidden, Invalid, NotFound
from tests.support.aws_stack import FIXED_NOW
from tests.support.fakes import FakeProfileRepository, FakeRelations

PEPPER = b"pepper"


def nid(born: date, individual: int) -> str:
    for n in range(individual, individual + 40):
        try:
            return national_id.synthetic(born, n)
        except ValueError:
            continue
    raise AssertionError


OLA_NID, EMMA_NID, JONAS_NID = nid(date(1982, 10, 24), 202), nid(date(2017, 5, 7), 503), nid(date(2012, 9, 24), 604)
GROWN_NID = nid(date(2008, 1, 2), 700)   # 18 at FIXED_NOW


class Register:
    def __init__(self) -> None:
        self.families = {OLA_NID: [RegisteredChild(EMMA_NID, "Emma", "Hansen", date(2017, 5, 7)),
                                   RegisteredChild(JONAS_NID, "Jonas", "Hansen", date(2012, 9, 24)),
                                   RegisteredChild(GROWN_NID, "Voksen", "Hansen", date(2008, 1, 2))]}

    def children_of(self, national_id_text: str) -> list[RegisteredChild]:
        return self.families.get(national_id_text, [])


class Sessions:
    def __init__(self) -> None:
        self.acting_for: dict[str, str | None] = {}

    def act_for(self, token: str, subject_id: str | None) -> None:
        self.acting_for[token] = subject_id


@pytest.fixture
def parts():
    profiles, relations, clock = FakeProfileRepository(), FakeRelations(), SettableClock(FIXED_NOW, frozen=True)
    ola = Profile("p-ola", OLA_NID, date(1982, 10, 24), first_name="Ola", last_name="Hansen", consent_version="2026-01")
    profiles.create(national_id.lookup_key(national_id.parse(OLA_NID, True), PEPPER), ola)
    service = RelationsService(relations, relations, profiles, Register(), Sessions(), clock, lambda: PEPPER, True)
    return service, profiles, relations, clock


OLA = Actor(kind=PATIENT, actor_id="p-ola", on_behalf_of="p-ola", level="high")


def test_R36_login_sync_makes_parent_relations_for_children_under_16_only(parts):
    service, profiles, relations, _ = parts
    assert service.sync_children(profiles.get("p-ola")) == 2
    rows = service.list(OLA)
    assert [(r.name, r.relation, r.i_act_for_them) for r in rows] == [("Emma Hansen", "barn", True),
                                                                       ("Jonas Hansen", "barn", True)]
    assert rows[1].until == date(2028, 9, 23)   # the day before Jonas turns 16
    emma = next(r for r in rows if r.name == "Emma Hansen").patient_id
    assert profiles.get(emma).birth_date == date(2017, 5, 7)   # a child who never logged in gets a profile


def test_R35_fjern_ends_access_and_a_later_sync_does_not_bring_it_back(parts):
    service, profiles, relations, _ = parts
    service.sync_children(profiles.get("p-ola"))
    jonas = next(r.patient_id for r in service.list(OLA) if r.name == "Jonas Hansen")
    service.remove(OLA, jonas)
    assert relations.between("p-ola", jonas) is None
    service.sync_children(profiles.get("p-ola"))
    assert [r.name for r in service.list(OLA)] == ["Emma Hansen"]
    with pytest.raises(NotFound):
        service.remove(OLA, jonas)


def test_R36_the_list_shows_access_ending_when_the_clock_passes_the_16th_birthday(parts):
    service, profiles, _, clock = parts
    service.sync_children(profiles.get("p-ola"))
    clock.set(datetime.fromisoformat("2028-09-23T23:59:59+02:00"))   # the last second Jonas is 15
    assert [r.i_act_for_them for r in service.list(OLA)] == [True, True]
    clock.set(datetime.fromisoformat("2028-09-24T00:00:00+02:00"))   # Oslo midnight, his 16th birthday
    assert [(r.name, r.i_act_for_them, r.until) for r in service.list(OLA)] == [("Emma Hansen", True,
                                                                                 date(2033, 5, 6)),
                                                                                ("Jonas Hansen", False, None)]


def test_a_fullmakt_shows_on_both_sides_and_the_giver_can_revoke_it(parts):
    service, profiles, _, _ = parts
    grown = Profile("p-voksen", GROWN_NID, date(2008, 1, 2), first_name="Voksen", last_name="Hansen")
    profiles.create(national_id.lookup_key(national_id.parse(GROWN_NID, True), PEPPER), grown)
    view = service.give_fullmakt(OLA, GROWN_NID, date(2026, 11, 23), date(2026, 12, 31))
    assert (view.name, view.relation, view.they_act_for_me) == ("Voksen Hansen", "fullmakt_gitt", True)
    holder = Actor(kind=PATIENT, actor_id=view.patient_id, on_behalf_of=view.patient_id, level="high")
    [seen] = service.list(holder)
    assert (seen.patient_id, seen.relation, seen.i_act_for_them, seen.until) == ("p-ola", "fullmakt_mottatt", True,
                                                                                 date(2026, 12, 31))
    service.remove(OLA, view.patient_id)
    assert service.list(holder) == [] and service.list(OLA) == []


@pytest.mark.parametrize(("holder", "first", "last", "code", "field"), [
    (JONAS_NID, date(2026, 11, 23), date(2026, 12, 1), "fullmakt_holder_too_young", "national_id"),
    (OLA_NID, date(2026, 11, 23), date(2026, 12, 1), "fullmakt_to_self", "national_id"),
    (GROWN_NID, date(2026, 12, 1), date(2026, 11, 23), "invalid_fullmakt_period", "valid_until"),
    (GROWN_NID, date(2026, 1, 1), date(2026, 11, 22), "date_in_past", "valid_until"),
    ("12345678901", date(2026, 11, 23), date(2026, 12, 1), "invalid_national_id", "national_id"),
])
def test_a_fullmakt_is_refused_clearly(parts, holder, first, last, code, field):
    service = parts[0]
    with pytest.raises(Invalid) as refused:
        service.give_fullmakt(OLA, holder, first, last)
    assert (refused.value.code, refused.value.field) == (code, field)


def test_a_child_under_16_cannot_give_a_fullmakt(parts):
    service, profiles, _, _ = parts
    service.sync_children(profiles.get("p-ola"))
    jonas = next(r.patient_id for r in service.list(OLA) if r.name == "Jonas Hansen")
    with pytest.raises(Invalid) as refused:
        service.give_fullmakt(Actor(kind=PATIENT, actor_id=jonas, on_behalf_of=jonas, level="high"), GROWN_NID,
                              date(2026, 11, 23), date(2026, 12, 1))
    assert refused.value.code == "fullmakt_giver_too_young"


def test_relations_are_the_logged_in_persons_own_never_a_representatives(parts):
    service = parts[0]
    acting = Actor(kind=REPRESENTATIVE, actor_id="p-ola", on_behalf_of="p-emma", level="high",
                   scopes=rep.ALL_SCOPES)
    with pytest.raises(Forbidden):
        service.list(acting)
