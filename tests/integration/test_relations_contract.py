"""One set of cases against the fake and against moto, so the fake relations stay honest."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from functions.accounts.relations import RelationWriter
from functions.core import representation as rep
from functions.core.errors import NotFound
from functions.core.relations import Relations
from tests.support.aws_stack import FIXED_NOW, moto_runtime
from tests.support.fakes import FakeRelations

EMMA = rep.Relation("p-ola", "p-emma", rep.PARENT, "Ola Hansen", "Emma Hansen", date(2017, 5, 1), "2026-01")
JONAS = rep.Relation("p-ola", "p-jonas", rep.PARENT, "Ola Hansen", "Jonas Hansen", date(2012, 9, 9), None)
PROXY = rep.Relation("p-nora", "p-ola", rep.FULLMAKT, "Nora Berg", "Ola Hansen", date(1982, 1, 1), "2026-01",
                     date(2026, 12, 1), date(2027, 1, 31))


class Moto:
    def __init__(self) -> None:
        self.reader, self.writer = Relations(), RelationWriter()

    def __getattr__(self, name):
        return getattr(self.reader if name in ("between", "of") else self.writer, name)


@pytest.fixture(params=["fake", "moto"])
def relations(request):
    if request.param == "fake":
        yield FakeRelations()
        return
    with moto_runtime():
        yield Moto()


def test_a_relation_is_seen_from_both_sides_in_one_list(relations):
    for r in (EMMA, JONAS, PROXY):
        relations.put(r, "test", FIXED_NOW)
    assert relations.between("p-ola", "p-emma") == EMMA
    assert relations.between("p-emma", "p-ola") is None            # a relation has a direction
    assert sorted(r.subject_id for r in relations.of("p-ola")) == ["p-emma", "p-jonas", "p-ola"]
    assert relations.of("p-emma") == [EMMA]
    assert relations.between("p-nora", "p-ola") == PROXY


def test_removed_relations_are_gone_for_reading_and_remembered_for_the_sync(relations):
    relations.put(EMMA, "test", FIXED_NOW)
    relations.put(JONAS, "test", FIXED_NOW)
    relations.remove("p-ola", "p-jonas", FIXED_NOW)
    assert relations.between("p-ola", "p-jonas") is None
    assert [r.subject_id for r in relations.of("p-ola")] == ["p-emma"] and relations.of("p-jonas") == []
    assert relations.removed_subjects("p-ola") == {"p-jonas"}
    with pytest.raises(NotFound):
        relations.remove("p-ola", "p-nobody", FIXED_NOW)
    relations.put(JONAS, "clinic", FIXED_NOW)                          # an explicit put brings it back
    assert relations.between("p-ola", "p-jonas") == JONAS


def test_the_subjects_consent_travels_to_every_relation_where_they_are_the_subject(relations):
    relations.put(EMMA, "test", FIXED_NOW)
    relations.put(PROXY, "test", FIXED_NOW)
    relations.set_subject_consent("p-emma", None)
    assert relations.between("p-ola", "p-emma") == replace(EMMA, subject_consent=None)
    assert relations.between("p-nora", "p-ola") == PROXY             # Ola's own consent is another matter


def test_registering_twice_is_one_relation_and_a_removed_one_can_be_registered_again(relations):
    """The clinic's "register parental responsibility" (R35): a conditional put on the holder's item."""
    assert relations.put_if_absent(EMMA, "clinic", FIXED_NOW) is True
    assert relations.put_if_absent(replace(EMMA, holder_name="Someone Else"), "clinic", FIXED_NOW) is False
    assert relations.between("p-ola", "p-emma") == EMMA             # the first one stays as it was
    assert relations.of("p-emma") == [EMMA]
    relations.remove("p-ola", "p-emma", FIXED_NOW)
    assert relations.put_if_absent(EMMA, "clinic", FIXED_NOW) is True  # after Fjern: registered again
    assert relations.between("p-ola", "p-emma") == EMMA
