"""The pharmacy store's contract (functions/pharmacy/ports.py `Pharmacy`), on the hand-written fake
and on the real PharmacyRepository on moto: vendors and credentials read back, a patient's consents
and added addresses in one read, orders newest first per patient and per vendor (only that vendor's),
placing an order once per key (SentBefore; the first result answers), and processed exactly once."""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, timedelta

import pytest

from functions.core.clock import SettableClock
from functions.core.errors import Conflict
from functions.core.idempotency import Idempotency
from functions.core.outbox import Notice
from functions.core.records import Refused
from functions.pharmacy.model import BEHANDLET, SENDT, Address, Consent, Order, Vendor
from functions.pharmacy.repository import Claim, Credential, PharmacyRepository, SentBefore
from tests.support.aws_stack import FIXED_NOW, moto_runtime
from tests.support.pharmacy_fakes import FakePharmacy

NOW = FIXED_NOW.astimezone(UTC)
NORDLYS = Vendor("v-nordlys", "Nordlys Apotek", "vilkår", "t1", {"post_i_butikk": 4_900, "pa_doren": 9_900})
FJORD = Vendor("v-fjord", "Fjordapoteket", "vilkår", "t1", {"post_i_butikk": 3_900, "pa_doren": 12_900})
HOME = Address("reg-a1", "Demoveien 1", "0150", "Oslo", registered=True)
NOTICE = Notice("p-kari", "pharmacy_order_received", "/nb/levering.html")


def order(order_id: str, minutes: int = 0, patient: str = "p-kari", vendor: Vendor = NORDLYS) -> Order:
    return Order(order_id, patient, vendor.vendor_id, vendor.name, "+4791234567", "kari@example.no", True, HOME,
                 "pa_doren", 9_900, ("Paracet",), SENDT, NOW + timedelta(minutes=minutes), patient)


def claim(key: str, payload: object = "x", result: dict | None = None) -> Claim:
    return Claim("pharmacy:p-kari:p-kari", key, payload, result or {})


@pytest.fixture(params=["fake", "moto"])
def repo(request):
    if request.param == "fake":
        yield FakePharmacy()
        return
    with moto_runtime(frozen=True) as runtime:
        yield PharmacyRepository(Idempotency(SettableClock(FIXED_NOW, frozen=True)), runtime.outbox)


def test_vendors_and_credentials_read_back(repo):
    repo.put_vendor(FJORD)
    repo.put_vendor(NORDLYS)
    assert {v.vendor_id for v in repo.vendors()} == {"v-nordlys", "v-fjord"}
    assert repo.vendor("v-nordlys") == NORDLYS and repo.vendor("v-none") is None
    repo.put_credential(Credential("vk_1", "v-nordlys", "h" * 64, True))
    assert repo.credential("vk_1") == Credential("vk_1", "v-nordlys", "h" * 64, True)
    assert repo.credential("vk_2") is None


def test_consents_and_added_addresses_are_per_patient_and_withdrawable(repo):
    repo.give_consent("p-kari", Consent("v-nordlys", "t1", NOW))
    repo.add_address("p-kari", Address("d2", "B-gata 2", "0151", "Oslo"), NOW + timedelta(minutes=1))
    repo.add_address("p-kari", Address("d1", "A-gata 1", "0150", "Oslo"), NOW)
    with pytest.raises(Refused):
        repo.add_address("p-kari", Address("d1", "Other", "0150", "Oslo"), NOW)
    consents, added = repo.patient_items("p-kari")
    assert consents == {"v-nordlys": Consent("v-nordlys", "t1", NOW)}
    assert [a.address_id for a in added] == ["d1", "d2"]            # oldest first
    assert repo.patient_items("p-nora") == ({}, [])
    repo.withdraw_consent("p-kari", "v-nordlys")
    assert repo.patient_items("p-kari")[0] == {}


def test_orders_newest_first_per_patient_and_only_the_vendors_own(repo):
    repo.place(order("o1", 0), claim("k1", result={"order_id": "o1"}), NOTICE)
    repo.place(order("o2", 5, vendor=FJORD), claim("k2"), NOTICE)
    repo.place(order("o3", 9), claim("k3"), NOTICE)
    repo.place(order("o4", 7, patient="p-nora"), Claim("pharmacy:p-nora:p-nora", "k1", "x", {}), NOTICE)
    assert [o.order_id for o in repo.patient_orders("p-kari")] == ["o3", "o2", "o1"]
    assert [o.order_id for o in repo.vendor_orders("v-nordlys", None)[0]] == ["o3", "o4", "o1"]
    assert [o.order_id for o in repo.vendor_orders("v-fjord", None)[0]] == ["o2"]
    assert repo.order("o1") == order("o1", 0) and repo.order("o9") is None


def test_a_key_places_one_order_and_answers_the_first_result(repo):
    repo.place(order("o1"), claim("k1", result={"order_id": "o1"}), NOTICE)
    with pytest.raises(SentBefore):
        repo.place(order("o2"), claim("k1", result={"order_id": "o2"}), NOTICE)
    assert repo.earlier(claim("k1")) == {"order_id": "o1"}
    assert repo.earlier(claim("k9")) is None
    with pytest.raises(Conflict):
        repo.earlier(claim("k1", payload="another"))
    assert [o.order_id for o in repo.patient_orders("p-kari")] == ["o1"]


def test_processed_once(repo):
    repo.place(order("o1"), claim("k1"), NOTICE)
    done = replace(order("o1"), status=BEHANDLET, processed_at=NOW + timedelta(hours=1))
    assert repo.mark_processed(done, NOTICE) is True
    assert repo.mark_processed(replace(done, processed_at=NOW + timedelta(hours=2)), NOTICE) is False
    stored = repo.order("o1")
    assert (stored.status, stored.processed_at) == (BEHANDLET, NOW + timedelta(hours=1))
    assert [o.order_id for o in repo.vendor_orders("v-nordlys", None, status=BEHANDLET)[0]] == ["o1"]
    assert repo.vendor_orders("v-nordlys", None, status=SENDT)[0] == []
