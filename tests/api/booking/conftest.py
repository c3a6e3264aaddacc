from __future__ import annotations

import pytest

from functions.booking.app import make_app
from tests.api.conftest import PatientClient


@pytest.fixture
def booking_app(runtime):
    return make_app(runtime)


@pytest.fixture
def b_kari(booking_app, app, runtime):
    """Kari, consent given through the accounts app, using the booking app with the same session."""
    kari = PatientClient(app, runtime, "p-kari")
    kari.client = _same_cookie(booking_app, kari)
    return kari


@pytest.fixture
def b_nora(booking_app, app, runtime):
    nora = PatientClient(app, runtime, "p-nora")
    nora.client = _same_cookie(booking_app, nora)
    return nora


@pytest.fixture
def b_ola(booking_app, app, runtime):
    ola = PatientClient(app, runtime, "p-ola")
    ola.client = _same_cookie(booking_app, ola)
    return ola


def _same_cookie(booking_app, patient):
    from functions.core.web import COOKIE

    client = booking_app.test_client()
    client.set_cookie(COOKIE, patient.token)
    return client


def first_free(client, timebok="tb-lise", date="2026-11-25", type_id="ordinar"):
    slots = client.get(f"/api/booking/timebooks/{timebok}/day?date={date}&type={type_id}&all=1").get_json()["slots"]
    return slots
