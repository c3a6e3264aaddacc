"""The pharmacy services on hand-written fakes (tests/support/pharmacy_fakes.py): level high (R1),
the prescriptions scope for a representative (R36) with the child's access log (R55), one order per
key, the confirmation to whoever ordered, the vendor's fetch logged, processed once with its notice."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from functions.core.actor import HIGH, PATIENT, REPRESENTATIVE, SUBSTANTIAL, Actor
from functions.core.clock import SettableClock
from functions.core.contacts import ContactFields
from functions.core.errors import Forbidden, NotFound, StepUpRequired
from functions.core.profile_facts import RegisteredAddress
from functions.core.representation import ALL_SCOPES, APPOINTMENTS, TEEN_SCOPES
from functions.pharmacy.model import Draft, Vendor
from functions.pharmacy.patient_service import PatientPharmacy
from functions.pharmacy.vendor_auth import VendorCaller
from functions.pharmacy.vendor_service import VendorPharmacy
from tests.support.pharmacy_fakes import FakeAccessLog, FakePharmacy, FakeProfile

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
VENDOR = Vendor("v-n", "Nordlys Apotek", "vilkår", "t1", {"post_i_butikk": 4_900, "pa_doren": 9_900})
KARI = Actor(kind=PATIENT, actor_id="p-kari", on_behalf_of="p-kari", level=HIGH)
DRAFT = Draft("v-n", "+4791234567", "kari@example.no", False, "reg-a1", "post_i_butikk", ("Paracet",))


class Cursors:
    def encode(self, owner, last):
        return None

    def decode(self, owner, cursor):
        return None


@pytest.fixture
def world():
    repo, profile, log = FakePharmacy(), FakeProfile(), FakeAccessLog()
    repo.put_vendor(VENDOR)
    for p in ("p-kari", "p-emma", "p-jonas"):
        profile.addresses_[p] = [RegisteredAddress("a1", "Demoveien 1", "0150", "Oslo")]
    profile.contacts["p-ola"] = ContactFields("ola@example.no", {"t1": "+4792345678"}, "email", "t1")
    profile.national_ids["p-kari"] = "01818012345"
    clock = SettableClock(NOW, frozen=True)
    return (PatientPharmacy(repo, profile, profile, log, clock), VendorPharmacy(repo, profile, log, Cursors(), clock),
            repo, log)


def parent(child: str, scopes) -> Actor:
    return Actor(kind=REPRESENTATIVE, actor_id="p-ola", on_behalf_of=child, level=HIGH, actor_name="Ola Hansen",
                 scopes=frozenset(scopes))


def test_R1_substantial_is_asked_to_step_up(world):
    patient = world[0]
    with pytest.raises(StepUpRequired):
        patient.orders(Actor(kind=PATIENT, actor_id="p-kari", on_behalf_of="p-kari", level=SUBSTANTIAL))


def test_R40_one_order_per_key_and_the_confirmation_to_the_patient(world):
    patient, _, repo, log = world
    patient.accept(KARI, "v-n")
    first = patient.place(KARI, DRAFT, "key-00001")
    assert patient.place(KARI, DRAFT, "key-00001") == first
    assert [o.order_id for o in patient.orders(KARI)] == [first]
    [(dedupe, notice)] = repo.notices
    assert (notice.patient_id, notice.code, notice.only, notice.params) == ("p-kari", "pharmacy_order_received",
                                                                            "email", {})
    assert log.entries == []                                     # her own data: nothing to log


@pytest.mark.parametrize("child, scopes", [("p-emma", ALL_SCOPES), ("p-jonas", TEEN_SCOPES)])
def test_R36_R55_a_parent_orders_for_a_child_under_16_logged_in_the_childs_log(world, child, scopes):
    patient, _, repo, log = world
    ola = parent(child, scopes)
    patient.accept(ola, "v-n")
    assert patient.contact(ola).email == "ola@example.no"
    order_id = patient.place(ola, DRAFT, "key-00002")
    order = repo.order(order_id)
    assert (order.patient_id, order.ordered_by) == (child, "p-ola")
    assert repo.notices[-1][1].patient_id == "p-ola"
    assert {(a, p, w) for a, p, w, _ in log.entries} == {("p-ola", child, "what_pharmacy_orders")}


def test_R36_a_relation_without_the_prescriptions_scope_reaches_nothing(world):
    with pytest.raises(Forbidden):
        world[0].orders(parent("p-emma", {APPOINTMENTS}))


def test_R40_R55_vendor_fetch_is_its_own_orders_only_and_logged(world):
    patient, vendor, repo, log = world
    patient.accept(KARI, "v-n")
    order_id = patient.place(KARI, DRAFT, "key-00003")
    caller = VendorCaller(Actor(kind="integration", actor_id="v-n", on_behalf_of=None, actor_name="Nordlys"), VENDOR)
    other = VendorCaller(Actor(kind="integration", actor_id="v-x", on_behalf_of=None), Vendor(
        "v-x", "X", "t", "t1", VENDOR.prices))
    with pytest.raises(NotFound):
        vendor.fetch(other, order_id)
    fetched = vendor.fetch(caller, order_id)
    assert fetched.national_id == "01818012345"
    assert log.entries == [("v-n", "p-kari", "what_pharmacy_order", "why_pharmacy_delivery")]
    done = vendor.mark_processed(caller, order_id)
    assert vendor.mark_processed(caller, order_id) == done and done.status == "behandlet"
    assert [n.code for _, n in repo.notices] == ["pharmacy_order_received", "pharmacy_order_processed"]
