"""Shared fixtures: an in-process moto stack with demo data, and Flask clients per role."""
from __future__ import annotations

import base64

import pytest

import functions.accounts.app  # noqa: F401 - its import-time binding must come before the fixtures'
import functions.booking.app  # noqa: F401
import functions.dialogs.app  # noqa: F401
import functions.payments.app  # noqa: F401
import functions.pharmacy.app  # noqa: F401
import functions.video.app  # noqa: F401
from devstack import demo
from tests.support.aws_stack import moto_runtime, share_botocore_data

share_botocore_data()


@pytest.fixture
def runtime():
    with moto_runtime(demo=True) as rt:
        yield rt


def basic(key_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{key_id}:{secret}".encode()).decode()


@pytest.fixture
def clinic_headers():
    return {"Authorization": basic(demo.DEMO_KEY_ID, demo.DEMO_SECRET), "X-Staff-Id": "s-lise"}


@pytest.fixture
def other_clinic_headers():
    return {"Authorization": basic(demo.OTHER_KEY_ID, demo.OTHER_SECRET), "X-Staff-Id": "s-anne"}
