"""E-apotek's pure rules (functions/pharmacy/model.py, R40): vendor price data, the medicine list,
the order's contact data, consent per vendor and its terms version, addresses that must be the
patient's own, the price taken from the vendor, and processed once."""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from functions.core.errors import Conflict, ConsentRequired, Invalid
from functions.pharmacy import model
from functions.pharmacy.model import Address, Consent, Draft, Vendor

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
VENDOR = Vendor("v-n", "Nordlys Apotek", "vilkår", "t2", {"post_i_butikk": 4_900, "pa_doren": 9_900})
HOME = Address("reg-a1", "Demoveien 1", "0150", "Oslo", registered=True)
DRAFT = Draft("v-n", "+4791234567", "kari@example.no", True, "reg-a1", "pa_doren", ("Paracet",))


def field_of(call) -> str:
    with pytest.raises(Invalid) as refused:
        call()
    return refused.value.field


def test_R40_price_data_is_whole_positive_ore_and_door_costs_more():
    assert model.check_prices({"post_i_butikk": 1, "pa_doren": 2}) == {"post_i_butikk": 1, "pa_doren": 2}
    for prices, field in (({"post_i_butikk": 100, "pa_doren": 100}, "prices.pa_doren"),
                          ({"post_i_butikk": 0, "pa_doren": 100}, "prices.post_i_butikk"),
                          ({"post_i_butikk": True, "pa_doren": 100}, "prices.post_i_butikk"),
                          ({"post_i_butikk": 1.5, "pa_doren": 100}, "prices.post_i_butikk"),
                          ({"post_i_butikk": 1, "pa_doren": 100_001}, "prices.pa_doren"),
                          ({"post_i_butikk": 1, "pa_doren": 2, "drone": 3}, "prices"), ([1, 2], "prices")):
        assert field_of(lambda p=prices: model.check_prices(p)) == field


def test_R40_medicine_list_is_not_empty_and_bounded():
    assert model.medicines([" Paracet ", "", "Ibux"]) == ("Paracet", "Ibux")
    assert field_of(lambda: model.medicines([])) == "medicines"
    assert field_of(lambda: model.medicines(None)) == "medicines"
    assert field_of(lambda: model.medicines(["x"] * 21)) == "medicines"
    assert field_of(lambda: model.medicines(["ok", "x" * 201])) == "medicines.1"
    assert field_of(lambda: model.medicines(["Para\u202ecet"])) == "medicines.0"
    assert len(model.medicines(["x" * 200] * 20)) == 20


def test_R40_contact_is_a_valid_phone_and_email():
    assert model.contact("912 34 567", "Kari@Example.no") == ("+4791234567", "kari@example.no")
    assert model.contact("+46701234567", "a@b.se")[0] == "+46701234567"
    assert field_of(lambda: model.contact("12", "a@b.no")) == "phone"
    assert field_of(lambda: model.contact("", "a@b.no")) == "phone"
    assert field_of(lambda: model.contact("91234567", "a@")) == "email"


def test_R40_an_order_needs_consent_to_the_vendors_current_terms():
    with pytest.raises(ConsentRequired):
        model.place("o1", "p", "p", VENDOR, None, [HOME], DRAFT, NOW)
    with pytest.raises(ConsentRequired):       # accepted older terms: asked again
        model.place("o1", "p", "p", VENDOR, Consent("v-n", "t1", NOW), [HOME], DRAFT, NOW)
    made = model.place("o1", "p", "parent", VENDOR, Consent("v-n", "t2", NOW), [HOME], DRAFT, NOW)
    assert (made.status, made.price_ore, made.address, made.ordered_by) == ("sendt", 9_900, HOME, "parent")


def test_R40_the_address_must_be_the_patients_and_the_delivery_known():
    ok = Consent("v-n", "t2", NOW)
    other = Draft(**{**DRAFT.__dict__, "address_id": "d-someone-else"})
    assert field_of(lambda: model.place("o", "p", "p", VENDOR, ok, [HOME], other, NOW)) == "address_id"
    drone = Draft(**{**DRAFT.__dict__, "delivery": "drone"})
    assert field_of(lambda: model.place("o", "p", "p", VENDOR, ok, [HOME], drone, NOW)) == "delivery"
    shop = Draft(**{**DRAFT.__dict__, "delivery": "post_i_butikk"})
    assert model.place("o", "p", "p", VENDOR, ok, [HOME], shop, NOW).price_ore == 4_900


def test_R40_processed_once_the_first_time_stands():
    made = model.place("o1", "p", "p", VENDOR, Consent("v-n", "t2", NOW), [HOME], DRAFT, NOW)
    done = model.processed(made, NOW + timedelta(hours=1))
    assert (done.status, done.processed_at) == ("behandlet", NOW + timedelta(hours=1))
    assert model.processed(done, NOW + timedelta(hours=5)) == done
    with pytest.raises(Conflict):
        model.processed(replace(made, status="ukjent"), NOW)


def test_R40_added_addresses_are_bounded():
    model.may_add_address([Address(str(n), "s", "0150", "Oslo") for n in range(19)])
    assert field_of(lambda: model.may_add_address([Address(str(n), "s", "0150", "Oslo") for n in range(20)])) == \
        "street"
    assert model.postal_code("0150") == "0150" and field_of(lambda: model.postal_code("015")) == "postal_code"
