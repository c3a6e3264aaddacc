"""The patient side of E-apotek's delivery through the Flask test client (docs/pharmacy.md, R40):
vendors with both prices, the consent per vendor (given, shown, withdrawn), the contact data to
check, addresses (registered + added), placing an order once per Idempotency-Key, the list with
status; level high only (R1), ownership (another patient's order is not found), and every bad
input a clear 4xx at its field with nothing saved."""
from __future__ import annotations

import pytest

from tests.api.pharmacy.conftest import BASE, FJORD, NORDLYS, accept, error, key, order_body, orders, place


def test_R40_vendors_show_both_delivery_prices_from_their_data_and_door_costs_more(p_kari):
    answer = p_kari.get(f"{BASE}/vendors")
    assert answer.status_code == 200
    vendors = {v["id"]: v for v in answer.get_json()["vendors"]}
    assert set(vendors) == {NORDLYS, FJORD}
    for v in vendors.values():
        shop, door = v["prices"]
        assert (shop["delivery"], shop["label"], door["delivery"], door["label"]) == (
            "post_i_butikk", "Post i butikk", "pa_doren", "På døren")
        assert door["price_ore"] > shop["price_ore"] and v["accepted"] is False
        assert "fødselsnummer" in v["terms"]
    assert [p["price_display"] for p in vendors[NORDLYS]["prices"]] == ["49,00\u00a0kr", "99,00\u00a0kr"]
    assert vendors[FJORD]["prices"][1]["price_ore"] == 12_900
    one = p_kari.get(f"{BASE}/vendors/{FJORD}/prices").get_json()
    assert [p["price_ore"] for p in one["prices"]] == [3_900, 12_900]
    error(p_kari.get(f"{BASE}/vendors/v-nobody/prices"), 404, "unknown_vendor", "vendor_id")


def test_R40_consent_per_vendor_is_recorded_shown_and_withdrawable(p_kari):
    accept(p_kari, NORDLYS)
    shown = {v["id"]: v["accepted"] for v in p_kari.get(f"{BASE}/vendors").get_json()["vendors"]}
    assert shown == {NORDLYS: True, FJORD: False}
    place(p_kari)
    assert p_kari.send("DELETE", f"{BASE}/vendors/{NORDLYS}/consent").status_code == 200
    assert {v["id"]: v["accepted"] for v in p_kari.get(f"{BASE}/vendors").get_json()["vendors"]}[NORDLYS] is False
    error(place(p_kari, status=None), 403, "vendor_consent_required", "vendor_id")
    assert len(orders(p_kari)) == 1                       # the earlier order stays


def test_R40_order_is_refused_without_that_vendors_consent(p_kari):
    accept(p_kari, FJORD)
    error(place(p_kari, status=None), 403, "vendor_consent_required", "vendor_id")
    assert orders(p_kari) == []


def test_R40_contact_data_to_check_comes_from_the_profile(p_kari):
    assert p_kari.get(f"{BASE}/contact").get_json() == {"phone": "+4791234567", "email": "kari.nordmann@example.no"}


def test_R40_addresses_are_the_registered_one_and_those_added_only_for_that_patient(p_kari, p_nora):
    [registered] = p_kari.get(f"{BASE}/addresses").get_json()["addresses"]
    assert registered == {"id": "reg-a1", "street": "Demoveien 1", "postal_code": "0150", "city": "Oslo",
                          "registered": True}
    added = p_kari.send("POST", f"{BASE}/addresses", json={"street": "Hyttevegen 3", "postal_code": "3580",
                                                           "city": "Geilo"})
    assert added.status_code == 201
    new = added.get_json()
    assert new["registered"] is False and new["street"] == "Hyttevegen 3"
    assert [a["id"] for a in p_kari.get(f"{BASE}/addresses").get_json()["addresses"]] == ["reg-a1", new["id"]]
    assert [a["street"] for a in p_nora.get(f"{BASE}/addresses").get_json()["addresses"]] == ["Demoveien 5"]
    accept(p_nora)
    error(place(p_nora, order_body(address_id=new["id"], email="nora.berg@example.no"), status=None),
          422, "unknown_address", "address_id")
    accept(p_kari)
    made = place(p_kari, order_body(address_id=new["id"], delivery="post_i_butikk")).get_json()
    assert made["address"]["city"] == "Geilo" and made["price_ore"] == 4_900


@pytest.mark.parametrize("body, field", [
    ({"street": "", "postal_code": "0150", "city": "Oslo"}, "street"),
    ({"street": "x" * 101, "postal_code": "0150", "city": "Oslo"}, "street"),
    ({"street": "Gata 1", "postal_code": "150", "city": "Oslo"}, "postal_code"),
    ({"street": "Gata 1", "postal_code": "0150", "city": "O" * 61}, "city"),
    ({"street": "Gata 1", "postal_code": "0150", "city": "Oslo", "country": "NO"}, "country"),
])
def test_R40_a_bad_address_is_refused_at_its_field_and_nothing_is_added(p_kari, body, field):
    answer = p_kari.send("POST", f"{BASE}/addresses", json=body)
    assert answer.status_code == 422 and answer.get_json()["field"] == field
    assert len(p_kari.get(f"{BASE}/addresses").get_json()["addresses"]) == 1


def test_R40_send_bestilling_makes_one_order_with_its_status_and_the_vendors_price(p_kari):
    accept(p_kari)
    made = place(p_kari, order_body(medicines=["Paracet 500 mg", "  ", "Ibux 200 mg"], substitution=False)).get_json()
    assert (made["status"], made["status_label"], made["vendor_name"]) == ("sendt", "Sendt til apoteket",
                                                                           "Nordlys Apotek")
    assert (made["delivery_label"], made["price_ore"], made["price_display"]) == ("På døren", 9_900, "99,00\u00a0kr")
    assert made["medicines"] == ["Paracet 500 mg", "Ibux 200 mg"] and made["substitution"] is False
    assert (made["phone"], made["phone_display"]) == ("+4791234567", "+47 91 23 45 67")
    assert made["created_display"] == "23.11.2026 kl. 09:01"
    assert [o["id"] for o in orders(p_kari)] == [made["id"]]
    assert p_kari.get(f"{BASE}/orders/{made['id']}").get_json() == made


def test_R40_a_double_click_makes_one_order(p_kari):
    accept(p_kari)
    idem = key()
    first = place(p_kari, idem=idem).get_json()
    again = place(p_kari, idem=idem)
    assert again.status_code == 201 and again.get_json()["id"] == first["id"]
    assert len(orders(p_kari)) == 1
    error(place(p_kari, order_body(delivery="post_i_butikk"), idem=idem, status=None), 409,
          "idempotency_key_reused", "Idempotency-Key")
    error(place(p_kari, idem="short", status=None), 422, "invalid_idempotency_key", "Idempotency-Key")


def test_R40_newest_order_first(p_kari, runtime):
    accept(p_kari)
    first = place(p_kari).get_json()["id"]
    runtime.clock.advance(minutes=5)
    second = place(p_kari, order_body(delivery="post_i_butikk")).get_json()["id"]
    assert [o["id"] for o in orders(p_kari)] == [second, first]


def test_ownership_another_patients_order_is_not_found(p_kari, p_nora):
    accept(p_kari)
    made = place(p_kari).get_json()["id"]
    error(p_nora.get(f"{BASE}/orders/{made}"), 404)
    assert orders(p_nora) == []
    error(p_nora.get(f"{BASE}/orders/o0000000000000000"), 404)


def test_R1_level_substantial_is_refused_everywhere(pharmacy_app, app, runtime):
    from tests.api.pharmacy.conftest import on_pharmacy

    minid = on_pharmacy(pharmacy_app, app, runtime, "p-kari", level="substantial")
    for method, path in (("GET", "/vendors"), ("GET", "/contact"), ("GET", "/addresses"), ("GET", "/orders"),
                         ("GET", f"/vendors/{NORDLYS}/prices"), ("PUT", f"/vendors/{NORDLYS}/consent")):
        error(minid.send(method, BASE + path), 403, "step_up_required")
    error(place(minid, status=None), 403, "step_up_required")
    error(pharmacy_app.test_client().get(f"{BASE}/orders"), 401)


LONG = "x" * 201


@pytest.mark.parametrize("changes, status, code, field", [
    ({"vendor_id": "v-nobody"}, 404, "unknown_vendor", "vendor_id"),
    ({"vendor_id": "../etc"}, 422, "invalid", "vendor_id"),
    ({"medicines": []}, 422, "no_medicines", "medicines"),
    ({"medicines": ["  "]}, 422, "no_medicines", "medicines"),
    ({"medicines": "Paracet"}, 422, "invalid", "medicines"),
    ({"medicines": ["Paracet", LONG]}, 422, "too_long", "medicines.1"),
    ({"medicines": ["Paracet"] * 21}, 422, "too_many_medicines", "medicines"),
    ({"medicines": [3]}, 400, "wrong_type", "medicines.0"),
    ({"address_id": "a-somewhere"}, 422, "unknown_address", "address_id"),
    ({"delivery": "drone"}, 422, "invalid_delivery", "delivery"),
    ({"phone": "12"}, 422, "invalid_phone", "phone"),
    ({"phone": "1" * 33}, 422, "too_long", "phone"),
    ({"email": "kari@"}, 422, "invalid_email", "email"),
    ({"email": ""}, 422, "required", "email"),
    ({"substitution": "ja"}, 400, "wrong_type", "substitution"),
    ({"note": "hei"}, 422, "unknown_field", "note"),
])
def test_R40_bad_order_input_is_a_clear_4xx_at_the_field_and_nothing_is_saved(p_kari, changes, status, code, field):
    accept(p_kari)
    error(place(p_kari, order_body(**changes), status=None), status, code, field)
    assert orders(p_kari) == []
