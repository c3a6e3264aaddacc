"""The vendor API's OpenAPI document (/api/pharmacy/vendor/openapi.json) is served, names exactly the
vendor routes, and the API keeps to it under schemathesis (tests/support/openapi_fuzz.py): no 5xx,
only documented statuses and shapes, generated input outside the document refused with a 4xx. A
second run draws order ids from the demo (an order sent to Nordlys, one sent to Fjordapoteket, none)."""
from __future__ import annotations

import pytest
import schemathesis
from schemathesis import GenerationMode

from devstack import demo_pharmacy
from functions.core.actor import HIGH, PATIENT, Actor
from functions.pharmacy.app import make_app
from functions.pharmacy.model import Draft
from functions.pharmacy.openapi import SPEC
from functions.pharmacy.services import build
from tests.conftest import basic
from tests.support.aws_stack import make_settings, moto_runtime
from tests.support.openapi_fuzz import CHECKS, SETTINGS, WITH_REJECTION, documented_routes, narrowed, served_routes

PREFIX = "/api/pharmacy/vendor/"
NORDLYS = {"Authorization": basic(demo_pharmacy.NORDLYS_KEY_ID, demo_pharmacy.NORDLYS_SECRET)}
ORDER_NAMES = ["nordlys-order", "fjord-order", "nobody"]
ORDER_IDS: dict[str, str] = {}

schema = schemathesis.openapi.from_dict(SPEC)
demo_schema = schemathesis.openapi.from_dict(narrowed(SPEC, {"order_id": ORDER_NAMES}))
demo_schema.config.generation.update(modes=[GenerationMode.POSITIVE])
for each in (schema, demo_schema):
    each.config.update(headers=NORDLYS)


@pytest.fixture(scope="module")
def stack():
    with moto_runtime(make_settings(clinic_rate_per_minute=1_000_000), demo=True) as runtime:
        yield runtime


@pytest.fixture(scope="module")
def served(stack):
    """The pharmacy app with one order at each demo vendor (Kari's, through the service)."""
    services = build(stack)
    kari = Actor(kind=PATIENT, actor_id="p-kari", on_behalf_of="p-kari", level=HIGH)
    for name, vendor in (("nordlys-order", "v-nordlys"), ("fjord-order", "v-fjordapoteket")):
        services.patient.accept(kari, vendor)
        draft = Draft(vendor, "+4791234567", "kari.nordmann@example.no", True, "reg-a1", "pa_doren", ("Paracet",))
        ORDER_IDS[name] = services.patient.place(kari, draft, f"schema-{name}")
    ORDER_IDS["nobody"] = "o0000000000000000"
    return make_app(stack)


def test_vendor_openapi_document_is_served_and_names_every_vendor_route(served):
    answer = served.test_client().get(PREFIX + "openapi.json")
    assert answer.status_code == 200 and answer.get_json() == SPEC
    assert served_routes(served, PREFIX, PREFIX + "openapi.json") == documented_routes(SPEC)


@schema.parametrize()
@SETTINGS
def test_vendor_api_conforms_to_its_openapi_document(case, served):
    case.call_and_validate(app=served, checks=WITH_REJECTION)


@demo_schema.parametrize()
@SETTINGS
def test_vendor_api_on_the_demos_orders_keeps_to_the_document(case, served):
    if "order_id" in (case.path_parameters or {}):
        case.path_parameters = {**case.path_parameters, "order_id": ORDER_IDS[case.path_parameters["order_id"]]}
    case.call_and_validate(app=served, checks=CHECKS)
