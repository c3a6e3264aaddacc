"""The vendor side of E-apotek's delivery (R40, R28, R55, R56): a vendor with its own credential sees
only the orders sent to it; the patient's national id comes only in the JSON body of its
authenticated order fetch (never in a URL, a log line or a notice); marking an order processed is
idempotent, changes the status the patient sees and sends one notice; the confirmation e-mail names
no medicine; price data is loaded through the vendor API and checked."""
from __future__ import annotations

import logging

import pytest

from functions.core.contacts import ProfileContacts
from functions.core.profile_facts import ProfileReader
from tests.api.conftest import PatientClient
from tests.api.pharmacy.conftest import BASE, FJORD, VENDOR_BASE, accept, error, order_body, orders, place
from tests.conftest import basic

MEDICINE = "Paracet 500 mg, 20 tabletter"


class Mailbox:
    def __init__(self) -> None:
        self.sent = []

    def send(self, message) -> None:
        self.sent.append(message)


def drain(runtime) -> list:
    box = Mailbox()
    runtime.outbox.drain(box, ProfileContacts(), runtime.settings.base_url)
    return box.sent


def test_R40_R28_confirmation_email_names_no_medicine_and_no_vendor(p_kari, runtime):
    accept(p_kari)
    made = place(p_kari).get_json()
    [mail] = drain(runtime)
    assert (mail.channel, mail.recipient) == ("email", "kari.nordmann@example.no")
    assert mail.subject == "Vi har mottatt bestillingen din"
    assert "/nb/levering.html" in mail.body
    text = mail.subject + mail.body
    for secret in (MEDICINE, "Paracet", "Nordlys", ProfileReader().national_id("p-kari"), made["id"]):
        assert secret not in text
    assert drain(runtime) == []                     # sent once


def test_R40_vendor_sees_only_its_orders_and_the_national_id_only_in_the_fetch(p_kari, nordlys, fjord):
    accept(p_kari)
    made = place(p_kari).get_json()["id"]
    listed = nordlys.get("/orders")
    assert listed.status_code == 200
    [row] = listed.get_json()["orders"]
    assert row["id"] == made and row["status"] == "sendt" and "national_id" not in row
    assert fjord.get("/orders").get_json()["orders"] == []
    error(fjord.get(f"/orders/{made}"), 404)
    error(fjord.send("POST", f"/orders/{made}/processed"), 404)
    fetched = nordlys.get(f"/orders/{made}")
    assert fetched.status_code == 200 and fetched.headers["Cache-Control"] == "no-store"
    body = fetched.get_json()
    assert body["national_id"] == ProfileReader().national_id("p-kari") and len(body["national_id"]) == 11
    assert body["medicines"] == [MEDICINE] and body["address"]["street"] == "Demoveien 1"
    assert (body["delivery"], body["price_ore"], body["substitution"]) == ("pa_doren", 9_900, True)


def test_R40_after_the_patient_withdraws_the_consent_the_vendor_gets_no_national_id(p_kari, nordlys):
    accept(p_kari)
    made = place(p_kari).get_json()["id"]
    assert p_kari.send("DELETE", "/api/pharmacy/vendors/v-nordlys/consent").status_code == 200
    refused = nordlys.get(f"/orders/{made}")
    assert refused.status_code == 409 and refused.get_json()["error"] == "consent_withdrawn"
    assert "national_id" not in refused.get_data(as_text=True)
    assert [o["id"] for o in nordlys.get("/orders").get_json()["orders"]] == [made]   # still listed, without it


def test_R55_the_vendors_fetch_is_in_the_patients_access_log_by_the_vendors_name(p_kari, nordlys, app, runtime):
    accept(p_kari)
    made = place(p_kari).get_json()["id"]
    assert nordlys.get(f"/orders/{made}").status_code == 200
    log = PatientClient(app, runtime, "p-kari").get("/api/accounts/access-log").get_json()["items"]
    assert [(e["actor_name"], e["what"]) for e in log] == [("Nordlys Apotek", "En medisinbestilling med fødselsnummer")]


def test_R40_processed_changes_the_status_once_and_tells_the_patient(p_kari, nordlys, runtime):
    accept(p_kari)
    made = place(p_kari).get_json()["id"]
    drain(runtime)
    runtime.clock.advance(minutes=10)
    first = nordlys.send("POST", f"/orders/{made}/processed")
    assert first.status_code == 200 and first.get_json()["status"] == "behandlet"
    again = nordlys.send("POST", f"/orders/{made}/processed")
    assert again.get_json() == first.get_json()                  # idempotent: the first time stands
    [mine] = orders(p_kari)
    assert (mine["status"], mine["status_label"]) == ("behandlet", "Behandlet av apoteket")
    [notice] = drain(runtime)
    assert notice.subject == "Bestillingen din er behandlet" and "Paracet" not in notice.body
    assert nordlys.get("/orders?status=behandlet").get_json()["orders"][0]["id"] == made
    assert nordlys.get("/orders?status=sendt").get_json()["orders"] == []


def test_R56_the_national_id_is_never_logged_nor_in_a_url(p_kari, nordlys, runtime, caplog):
    caplog.set_level(logging.INFO)   # as deployed (zappa log_level INFO); every logger
    accept(p_kari)
    made = place(p_kari).get_json()["id"]
    nordlys.get(f"/orders/{made}")
    nordlys.send("POST", f"/orders/{made}/processed")
    nordlys.get("/orders")
    drain(runtime)
    pid = ProfileReader().national_id("p-kari")
    assert pid and pid not in caplog.text
    assert all(pid not in m.body and pid not in m.subject for m in runtime.outbox.recent())


@pytest.mark.parametrize("authorization", [None, "Bearer x", basic("vk_demo_nordlys", "wrong"),
                                           basic("vk_nobody", "secret"), basic("ck_demo_storgata",
                                                                               "demo-storgata-secret-not-for-production")])
def test_a_vendor_call_without_its_own_credential_is_refused(pharmacy_app, authorization):
    headers = {"Authorization": authorization} if authorization else {}
    answer = pharmacy_app.test_client().get(f"{VENDOR_BASE}/orders", headers=headers)
    error(answer, 401, "bad_vendor_credentials")


def test_a_patient_session_does_not_reach_the_vendor_api(p_kari):
    error(p_kari.get(f"{VENDOR_BASE}/orders"), 401)


def test_R40_prices_are_vendor_data_loaded_through_its_api_and_checked(nordlys, fjord, p_kari):
    answer = nordlys.send("PUT", "/prices", json={"prices": {"post_i_butikk": 5_500, "pa_doren": 11_000}})
    assert answer.status_code == 200
    shown = p_kari.get(f"{BASE}/vendors/v-nordlys/prices").get_json()["prices"]
    assert [p["price_ore"] for p in shown] == [5_500, 11_000]
    for prices, field in (({"post_i_butikk": 5_500, "pa_doren": 5_500}, "prices.pa_doren"),
                          ({"post_i_butikk": -1, "pa_doren": 11_000}, "prices.post_i_butikk"),
                          ({"post_i_butikk": 12.5, "pa_doren": 11_000}, "prices.post_i_butikk"),
                          ({"post_i_butikk": 100, "pa_doren": 10**9}, "prices.pa_doren"),
                          ({"post_i_butikk": 100}, "prices.pa_doren")):
        error(nordlys.send("PUT", "/prices", json={"prices": prices}), 422, field=field)
    assert [p["price_ore"] for p in p_kari.get(f"{BASE}/vendors/v-nordlys/prices").get_json()["prices"]] == [
        5_500, 11_000]                                                # nothing lost
    assert [p["price_ore"] for p in p_kari.get(f"{BASE}/vendors/{FJORD}/prices").get_json()["prices"]] == [
        3_900, 12_900]                                                # a vendor changes only its own


def test_R40_a_placed_order_keeps_its_price_when_the_vendor_changes_prices(p_kari, nordlys):
    accept(p_kari)
    made = place(p_kari, order_body(delivery="post_i_butikk")).get_json()["id"]
    nordlys.send("PUT", "/prices", json={"prices": {"post_i_butikk": 6_000, "pa_doren": 12_000}})
    assert p_kari.get(f"{BASE}/orders/{made}").get_json()["price_ore"] == 4_900
