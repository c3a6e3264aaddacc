"""The clinic OpenAPI documents (booking, accounts, dialogs) are served and name exactly their app's clinic
routes, read from Flask's url_map, so a new undocumented route fails here; and the accounts and dialogs
clinic APIs against their documents (/api/accounts/clinic/openapi.json, /api/dialogs/clinic/openapi.json),
with schemathesis on the Flask app
in-process (WSGI), the demo data on moto and the demo clinic credential + X-Staff-Id on every call
(given to schemathesis, which also tries calls without them and then expects 401/403).

No answer may be a 5xx, every answer must be a documented status with the documented content type
and shape (tests/support/openapi_fuzz.py), and generated input outside the document must be refused
with a 4xx. A second run draws patient and national ids from the demo (Storgata's patients, another
clinic's, nobody), so the contact and lookup answers are checked on real data too, not only 404s; the
dialogs run draws dialog ids from the demo's dialogs (Kari's at Storgata, Jonas' and Emma's at Fjordheim,
none) and patients from both clinics, so reading, answering, converting and starting reach real dialogs.
The booking document is fuzzed in tests/api/booking/test_openapi_schemathesis.py."""
from __future__ import annotations

import re
import secrets

import pytest
import schemathesis
from schemathesis import GenerationMode

from devstack import demo
from functions.accounts.app import make_app as accounts_app
from functions.accounts.openapi import SPEC
from functions.booking.app import make_app as booking_app
from functions.booking.openapi import SPEC as BOOKING_SPEC
from functions.core.clock import OSLO
from functions.core.openapi import PATIENT_ID
from functions.dialogs.app import make_app as dialogs_app
from functions.dialogs.openapi import SPEC as DIALOGS_SPEC
from functions.payments.app import make_app as payments_app
from functions.payments.openapi import SPEC as PAYMENTS_SPEC
from tests.conftest import basic
from tests.support.aws_stack import FIXED_NOW, make_settings, moto_runtime
from tests.support.openapi_fuzz import CHECKS, SETTINGS, WITH_REJECTION, documented_routes, narrowed, served_routes

DOCUMENTS = {  # name -> (app factory, document, route prefix, Flask variable -> documented parameter)
    "booking": (booking_app, BOOKING_SPEC, "/api/booking/clinic/", {"ref": "slot_id"}),
    "accounts": (accounts_app, SPEC, "/api/accounts/clinic/", {}),
    "dialogs": (dialogs_app, DIALOGS_SPEC, "/api/dialogs/clinic/", {}),
    "payments": (payments_app, PAYMENTS_SPEC, "/api/payments/clinic/", {}),
}
STORGATA = {"Authorization": basic(demo.DEMO_KEY_ID, demo.DEMO_SECRET), "X-Staff-Id": "s-lise"}
PIDS = {p.key: demo.pid_for(p, FIXED_NOW.astimezone(OSLO).date()) for p in demo.PEOPLE}

schema = schemathesis.openapi.from_dict(SPEC)
demo_schema = schemathesis.openapi.from_dict(narrowed(SPEC, {
    "patient_id": ["p-kari", "p-nora", "p-ola", "p-nobody"],  # Storgata's, Storgata's, Fjordheim's, nobody's
    "national_id": [PIDS["kari"], PIDS["nora"], PIDS["ola"], "12345678901"],
}))
demo_schema.config.generation.update(modes=[GenerationMode.POSITIVE])
# The demo's dialogs by name; their ids are random, so each case's name is swapped for the real id.
DIALOG_NAMES = ["kari-annen", "jonas-resept", "emma-edialog", "nobody"]
DIALOG_IDS: dict[str, str] = {}
dialogs_schema = schemathesis.openapi.from_dict(DIALOGS_SPEC)
dialogs_demo_schema = schemathesis.openapi.from_dict(narrowed(DIALOGS_SPEC, {
    "dialog_id": DIALOG_NAMES, "patient_id": ["p-kari", "p-nora", "p-ola", "p-nobody"],
    "inbox": ["clinic", "staff:s-lise", "group:resepsjon", "role:lege"]}))
dialogs_demo_schema.config.generation.update(modes=[GenerationMode.POSITIVE])
# schemathesis' own: a case it sends without them is seen as such
payments_schema = schemathesis.openapi.from_dict(PAYMENTS_SPEC)
payments_demo_schema = schemathesis.openapi.from_dict(narrowed(PAYMENTS_SPEC, {
    "invoice_id": ["inv-demo-1", "inv-demo-2", "inv-emma-01", "nothing"],
    "patient_id": ["p-kari", "p-nora", "p-ola", "p-nobody"], "period": ["2026-07-01", "2025-07-01", "2030-07-01"]}))
payments_demo_schema.config.generation.update(modes=[GenerationMode.POSITIVE])
for each in (schema, demo_schema, dialogs_schema, dialogs_demo_schema, payments_schema, payments_demo_schema):
    each.config.update(headers=STORGATA)


@pytest.fixture(scope="module")
def stack():
    """The demo stack once for the module; the per-key rate limit lifted, or later calls would see 429."""
    with moto_runtime(make_settings(clinic_rate_per_minute=1_000_000), demo=True) as runtime:
        yield runtime


@pytest.fixture(scope="module")
def served_app(stack):
    return accounts_app(stack)


@pytest.fixture(scope="module")
def served_dialogs(stack):
    """The dialogs app on the same stack, the demo's dialogs found by name (Kari's answered question
    at Storgata; at Fjordheim, which the Storgata credential must not reach, Jonas' prescription and
    Emma's E-dialog)."""
    from functions.dialogs.repository import DialogRepository

    repo = DialogRepository(None, None, None)
    for name, patient, kind in (("kari-annen", "p-kari", "annen"), ("jonas-resept", "p-jonas", "resept"),
                                ("emma-edialog", "p-emma", "edialog")):
        page, _ = repo.patient_page(patient, None)
        DIALOG_IDS[name] = next(d.dialog_id for d in page if d.kind == kind)
    DIALOG_IDS["nobody"] = "AAAAAAAAAAAAAAAA"
    return dialogs_app(stack)


@pytest.mark.parametrize("name", DOCUMENTS)
def test_clinic_openapi_document_is_served_and_names_every_clinic_route(name, stack):
    make, spec, prefix, rename = DOCUMENTS[name]
    app = make(stack)
    served = app.test_client().get(prefix + "openapi.json")
    assert served.status_code == 200 and served.mimetype == "application/json"
    assert served.get_json() == spec
    assert served_routes(app, prefix, prefix + "openapi.json", rename) == documented_routes(spec)


def test_an_undocumented_clinic_route_is_noticed(stack):
    app = accounts_app(stack)
    app.add_url_rule("/api/accounts/clinic/patients/<patient_id>/notes", "notes", lambda patient_id: "",
                     methods=["POST"])
    missing = served_routes(app, "/api/accounts/clinic/", "/api/accounts/clinic/openapi.json") - documented_routes(SPEC)
    assert missing == {("POST", "/api/accounts/clinic/patients/{patient_id}/notes")}


def test_the_narrowed_run_uses_real_ids_that_the_document_describes(stack):
    """The demo's national ids as computed here are the loaded ones (else lookups would only see 404),
    and both kinds of patient id fit the documented pattern (else generated ids would only see 422)."""
    assert {person["pid"] for person in stack.persons} >= {PIDS["kari"], PIDS["nora"], PIDS["ola"]}
    assert all(re.search(PATIENT_ID["pattern"], p) for p in ("p-kari", "p" + secrets.token_hex(8)))
    assert not any(re.search(PATIENT_ID["pattern"], p) for p in ("kari", "p-Kari", "p-" + "x" * 64))


@schema.parametrize()
@SETTINGS
def test_accounts_clinic_api_conforms_to_its_openapi_document(case, served_app):
    case.call_and_validate(app=served_app, checks=WITH_REJECTION)


@demo_schema.parametrize()
@SETTINGS
def test_accounts_clinic_api_on_the_demos_patients_keeps_to_the_document(case, served_app):
    case.call_and_validate(app=served_app, checks=CHECKS)


@dialogs_schema.parametrize()
@SETTINGS
def test_dialogs_clinic_api_conforms_to_its_openapi_document(case, served_dialogs):
    case.call_and_validate(app=served_dialogs, checks=WITH_REJECTION)


@dialogs_demo_schema.parametrize()
@SETTINGS
def test_dialogs_clinic_api_on_the_demos_dialogs_keeps_to_the_document(case, served_dialogs):
    if "dialog_id" in (case.path_parameters or {}):
        name = case.path_parameters["dialog_id"]
        case.path_parameters = {**case.path_parameters, "dialog_id": DIALOG_IDS[name]}
    case.call_and_validate(app=served_dialogs, checks=CHECKS)


@pytest.fixture(scope="module")
def served_payments(stack):
    return payments_app(stack)


@payments_schema.parametrize()
@SETTINGS
def test_payments_clinic_api_conforms_to_its_openapi_document(case, served_payments):
    case.call_and_validate(app=served_payments, checks=WITH_REJECTION)


@payments_demo_schema.parametrize()
@SETTINGS
def test_payments_clinic_api_on_the_demos_payments_keeps_to_the_document(case, served_payments):
    case.call_and_validate(app=served_payments, checks=CHECKS)
