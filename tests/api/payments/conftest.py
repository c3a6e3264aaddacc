"""Fixtures of the payments API tests: patients on the payments app (consent given on the accounts
app, the same cookie), a parent acting for a child, and clinic systems with their credential."""
from __future__ import annotations

import io
from datetime import timedelta

import pytest

from functions.payments.app import make_app
from tests.api.conftest import on_feature
from tests.support.aws_stack import FIXED_NOW

BASE = "/api/payments"
CLINIC_BASE = "/api/payments/clinic"


@pytest.fixture(autouse=True)
def after_the_demo(runtime):
    runtime.clock.set(FIXED_NOW + timedelta(minutes=1))


@pytest.fixture
def payments_app(runtime):
    return make_app(runtime)


on_payments = on_feature   # the payments app with the patient's cookie (tests/api/conftest.py)


@pytest.fixture
def p_kari(payments_app, app, runtime):
    return on_payments(payments_app, app, runtime, "p-kari")


class StaffClient:
    def __init__(self, app, headers: dict) -> None:
        self.client, self.headers = app.test_client(), headers

    def get(self, path: str, headers: dict | None = None):
        return self.client.get(CLINIC_BASE + path, headers={**self.headers, **(headers or {})})

    def send(self, method: str, path: str, json=None, headers: dict | None = None, **kw):
        return self.client.open(CLINIC_BASE + path, method=method, json=json,
                                headers={**self.headers, **(headers or {})}, **kw)

    def post(self, path: str, json=None, **kw):
        return self.send("POST", path, json=json, **kw)


@pytest.fixture
def lise(payments_app, clinic_headers):
    return StaffClient(payments_app, clinic_headers)


@pytest.fixture
def anne(payments_app, other_clinic_headers):
    return StaffClient(payments_app, other_clinic_headers)


def error(answer, status: int, code: str | None = None, field: str | None = None) -> dict:
    body = answer.get_json()
    assert answer.status_code == status, (answer.status_code, body)
    assert set(body) >= {"error", "message", "field"} and body["message"], body
    if code is not None:
        assert body["error"] == code, body
    if field is not None:
        assert body["field"] == field, body
    return body


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def pdf_metadata(data: bytes):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return reader.metadata, reader.trailer["/Root"].get("/Lang")


def tab(patient, name: str, cursor: str | None = None):
    return patient.get(f"{BASE}/list?tab={name}" + (f"&cursor={cursor}" if cursor else ""))
