"""E-apotek while a parent acts for a child (R36, R55): ordering prescribed medicine is a prescription
matter, so Ola may order for Emma (under 12) and for Jonas (12-15); the consent, addresses and
orders are the child's; every call is written to the child's access log by the parent's name."""
from __future__ import annotations

from tests.api.conftest import PatientClient
from tests.api.pharmacy.conftest import BASE, accept, on_pharmacy, order_body, orders, place


def logged_by_ola(app, runtime, child: str) -> list[str]:
    log = PatientClient(app, runtime, child).get("/api/accounts/access-log").get_json()["items"]
    return [e["what"] for e in log if e["actor_name"] == "Ola Hansen" and e["actor_kind"] == "representative"]


def test_R36_R55_ola_orders_for_emma_and_jonas_in_their_names_each_call_logged(pharmacy_app, app, runtime):
    for child in ("p-emma", "p-jonas"):
        ola = on_pharmacy(pharmacy_app, app, runtime, "p-ola", acting_for=child)
        accept(ola)
        [address] = ola.get(f"{BASE}/addresses").get_json()["addresses"]
        assert ola.get(f"{BASE}/contact").get_json()["email"] == "ola.hansen@example.no"   # the parent's own
        made = place(ola, order_body(address_id=address["id"], email="ola.hansen@example.no")).get_json()
        assert [o["id"] for o in orders(ola)] == [made["id"]]
        assert logged_by_ola(app, runtime, child).count("Medisinbestillinger (E-apotek)") >= 4
        own = on_pharmacy(pharmacy_app, app, runtime, "p-ola")
        assert orders(own) == []                                      # the child's order, not Ola's
