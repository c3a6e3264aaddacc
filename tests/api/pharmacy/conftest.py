"""Fixtures of the pharmacy API tests: patients on the pharmacy app (consent to the portal's terms
given through the accounts app, the same session cookie), a parent acting for a child, and the demo
vendors calling with their own credential."""
from __future__ import annotations

import secrets
from datetime import timedelta

import pytest

from devstack import demo_pharmacy
from functions.pharmacy.app import make_app
from tests.api.conftest import on_feature
from tests.conftest import basic
from tests.support.aws_stack import FIXED_NOW

BASE = "/api/pharmacy"
VENDOR_BASE = "/api/pharmacy/vendor"
NORDLYS, FJORD = "v-nordlys", "v-fjordapoteket"


@pytest.fixture(autouse=True)
def after_the_demo(runtime):
    runtime.clock.set(FIXED_NOW + timedelta(minutes=1))


@pytest.fixture
def pharmacy_app(runtime):
    return make_app(runtime)


def key() -> str:
    return "k-" + secrets.token_hex(8)


on_pharmacy = on_feature   # the pharmacy app with the patient's cookie (tests/api/conftest.py)


@pytest.fixture
def p_kari(pharmacy_app, app, runtime):
    return on_pharmacy(pharmacy_app, app, runtime, "p-kari")


@pytest.fixture
def p_nora(pharmacy_app, app, runtime):
    return on_pharmacy(pharmacy_app, app, runtime, "p-nora")


class VendorClient:
    def __init__(self, app, key_id: str, secret: str) -> None:
        self.client, self.headers = app.test_client(), {"Authorization": basic(key_id, secret)}

    def get(self, path: str, **kw):
        return self.client.get(VENDOR_BASE + path, headers=self.headers, **kw)

    def send(self, method: str, path: str, json=None, **kw):
        return self.client.open(VENDOR_BASE + path, method=method, json=json, headers=self.headers, **kw)


@pytest.fixture
def nordlys(pharmacy_app):
    return VendorClient(pharmacy_app, demo_pharmacy.NORDLYS_KEY_ID, demo_pharmacy.NORDLYS_SECRET)


@pytest.fixture
def fjord(pharmacy_app):
    return VendorClient(pharmacy_app, demo_pharmacy.FJORD_KEY_ID, demo_pharmacy.FJORD_SECRET)


def error(answer, status: int, code: str | None = None, field: str | None = None) -> dict:
    body = answer.get_json()
    assert answer.status_code == status, (answer.status_code, body)
    assert set(body) >= {"error", "message", "field"} and body["message"], body
    if code is not None:
        assert body["error"] == code, body
    if field is not None:
        assert body["field"] == field, body
    return body


def accept(patient, vendor_id: str = NORDLYS):
    answer = patient.send("PUT", f"{BASE}/vendors/{vendor_id}/consent")
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def order_body(**changes) -> dict:
    body = {"vendor_id": NORDLYS, "phone": "912 34 567", "email": "kari.nordmann@example.no", "substitution": True,
            "address_id": "reg-a1", "delivery": "pa_doren", "medicines": ["Paracet 500 mg, 20 tabletter"]}
    body.update(changes)
    return body


def place(patient, body: dict | None = None, idem: str | None = None, status: int | None = 201):
    answer = patient.send("POST", f"{BASE}/orders", json=body or order_body(),
                          headers={"Idempotency-Key": idem or key()})
    if status:
        assert answer.status_code == status, answer.get_json()
    return answer


def orders(patient) -> list[dict]:
    answer = patient.get(f"{BASE}/orders")
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()["orders"]
