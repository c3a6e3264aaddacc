"""One contract, two implementations: the fake must behave like the PynamoDB repository."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from functions.accounts.model import Address, Phone, Profile
from functions.accounts.repository import ProfileRepository
from functions.core.errors import Conflict, NotFound
from tests.support.aws_stack import moto_runtime
from tests.support.fakes import FakeProfileRepository


@pytest.fixture(params=["fake", "dynamodb"])
def repo(request):
    if request.param == "fake":
        yield FakeProfileRepository()
        return
    with moto_runtime():
        yield ProfileRepository()


def fresh(patient_id="p1") -> Profile:
    return Profile(patient_id=patient_id, national_id="x", birth_date=date(1985, 5, 12), first_name="Kari",
                   addresses=(Address("a1", "S", "0150", "Oslo"),), phones=(Phone("t1", "+4791234567"),))


def test_create_get_and_save_round_trip(repo):
    assert repo.create("key1", fresh()) == "p1"
    loaded = repo.get("p1")
    assert loaded.addresses[0].street == "S" and loaded.phones[0].number == "+4791234567"
    saved = repo.save(replace(loaded, first_name="K"))
    assert repo.get("p1").first_name == "K" and saved.version == loaded.version + 1


def test_stale_version_conflicts_and_keeps_the_newer_data(repo):
    repo.create("key1", fresh())
    a, b = repo.get("p1"), repo.get("p1")
    repo.save(replace(a, first_name="A"))
    with pytest.raises(Conflict):
        repo.save(replace(b, first_name="B"))
    assert repo.get("p1").first_name == "A"


def test_second_create_with_same_national_id_returns_the_first_patient(repo):
    repo.create("key1", fresh("p1"))
    assert repo.create("key1", fresh("p2")) == "p1"
    assert repo.patient_for("key1") == "p1" and repo.patient_for("nope") is None


def test_missing_profile_is_not_found(repo):
    with pytest.raises(NotFound):
        repo.get("nobody")
