"""The clinic API against its own OpenAPI document (/api/booking/clinic/openapi.json), with schemathesis
on the Flask app in-process (WSGI): every operation, positive and negative examples, the demo clinic
credential and X-Staff-Id on every call (given to schemathesis, which also tries calls without them and
then expects 401/403). No answer may be a 5xx, every answer must be a documented
status with the documented content type and shape, and invalid input must be refused with a 4xx
(the checks and settings are shared with the accounts document: tests/support/openapi_fuzz.py).

The document is loaded from the module (schemathesis' lazy fixture loader does not run on pytest 9);
tests/api/test_clinic_openapi.py proves that the served document is that same one and names exactly
the app's routes. Structured ids carry a `pattern` (slot ids `<timebok>~<start UTC>`, patient and
request ids), so generated values reach the lookups rather than a 422 at the door. A second run
narrows the ids to the demo's real timebøker, slots, types, patients and requests, so that generated
calls also reach the happy paths (publishing, booking, accepting, cancelling, moving).
One in-process stack serves all operations (15 fuzzed examples each, plus schemathesis' coverage cases),
so the module runs in about 25-30 s on two cores; FUZZ_EXAMPLES=150 for a deeper run by hand."""
from __future__ import annotations

from datetime import date, time

import pytest
import schemathesis
from schemathesis import GenerationMode

from devstack import demo, demo_booking
from functions.booking.app import make_app
from functions.booking.model import TemplateBlock
from functions.booking.openapi import SPEC
from functions.booking.services import build
from functions.core.actor import HIGH, PATIENT, Actor
from tests.conftest import basic
from tests.support.aws_stack import PEPPER, make_settings, moto_runtime
from tests.support.openapi_fuzz import CHECKS, SETTINGS, WITH_REJECTION, narrowed

STORGATA = {"Authorization": basic(demo.DEMO_KEY_ID, demo.DEMO_SECRET), "X-Staff-Id": "s-lise"}
FJORDHEIM = {"Authorization": basic(demo.OTHER_KEY_ID, demo.OTHER_SECRET), "X-Staff-Id": "s-anne"}

schema = schemathesis.openapi.from_dict(SPEC)
schema.config.update(headers=STORGATA)  # schemathesis' own: a case it sends without them is seen as such

# --- the narrowed run: the demo's real things (Tuesday 24 and Wednesday 25 November 2026) ---
FREE = ["tb-lise~2026-11-24T07:40:00Z", "tb-lise~2026-11-24T08:00:00Z", "tb-per~2026-11-24T07:00:00Z",
        "tb-lise~2026-11-24T12:00:00Z"]
BOOKED = ["tb-lise~2026-11-24T07:00:00Z", "tb-lise~2026-11-24T07:20:00Z", "tb-per~2026-11-24T07:20:00Z"]
WITHDRAWABLE = ["tb-lise-kveld~2026-11-24T16:00:00Z", "tb-lise-kveld~2026-11-24T16:20:00Z"]
ANNE_FREE = ["tb-anne~2026-11-25T09:00:00Z", "tb-anne~2026-11-25T09:20:00Z", "tb-anne~2026-11-25T09:40:00Z"]
MOVE_TO = ["tb-lise~2026-11-25T07:00:00Z", "tb-lise~2026-11-25T07:20:00Z"]
MISSING = "tb-lise~2026-11-24T07:05:00Z"
REQUESTS = ["r-demo-1", "r-demo-2", "r-demo-3"]
REQUEST_IDS: dict[str, str] = {}  # demo name -> the request's real (random) id, filled by the fixture
NARROW = {
    "timebok_id": ["tb-lise", "tb-per", "tb-lise-kveld", "tb-anne", "tb-ny"],
    "type_id": ["ordinar", "video", "skjult", "ny"],
    "slot_id": FREE + [BOOKED[0], MISSING],
    "request_id": REQUESTS + ["r-nope"],
    "patient_id": ["p-kari", "p-nora"],
    "practitioner_id": ["s-lise", "s-per", "s-anne"],
    "staff_id": ["s-per", "s-ny"],
    "date": ["2026-11-24", "2026-11-25"],
    "from": ["2026-11-30", "2026-12-03"],
    "to": ["2026-12-04", "2026-12-11"],
    "start": ["2026-11-24T15:00:00+01:00", "2026-11-24T08:00:00+01:00", "2026-11-25T10:10:00+01:00",
              "2026-11-25T13:00:00+01:00", "2026-11-23T08:00:00+01:00"],
}
PER_OPERATION = {  # each operation gets its own things, or the ones run first would use them all up
    ("delete", "/api/booking/clinic/slots/{slot_id}"): {"slot_id": WITHDRAWABLE + [BOOKED[2], MISSING]},
    ("post", "/api/booking/clinic/appointments"): {"body.slot_id": FREE + [BOOKED[0], MISSING]},
    ("post", "/api/booking/clinic/requests/{request_id}/accept"): {"body.slot_id": ANNE_FREE + [FREE[0]]},
    ("post", "/api/booking/clinic/slots/{slot_id}/cancel"): {"slot_id": [BOOKED[0], FREE[0], MISSING]},
    ("post", "/api/booking/clinic/slots/{slot_id}/move"): {"slot_id": [BOOKED[1], MISSING],
                                                           "body.slot_id": MOVE_TO + [BOOKED[2], MISSING]},
    ("post", "/api/booking/clinic/slots/{slot_id}/status"): {"slot_id": [BOOKED[2], FREE[1]]},
}


def _narrowed(spec: dict) -> dict:
    """The same document with the ids (path, query and body) drawn from the demo's real things."""
    result = narrowed(spec, NARROW, PER_OPERATION)
    booking = result["paths"]["/api/booking/clinic/appointments"]["post"]["requestBody"]["content"]
    booking["application/json"]["schema"]["required"] = ["patient_id", "slot_id"]  # mostly real bookings
    return result


demo_schema = schemathesis.openapi.from_dict(_narrowed(SPEC))
demo_schema.config.generation.update(modes=[GenerationMode.POSITIVE])


@pytest.fixture(scope="module")
def served_app():
    """The demo stack (as the `runtime` fixture builds it) plus three booked times, three requests at
    Fjordheim and free times for Anne, once for the whole module; the per-key rate limit is lifted, or
    the later operations would only ever see 429."""
    with moto_runtime(make_settings(clinic_rate_per_minute=1_000_000)) as runtime:
        now = runtime.clock.now()
        demo.load_clinics(PEPPER.encode(), now)
        runtime.persons = demo.load_people(PEPPER.encode(), now)
        demo_booking.load(runtime)
        booking = build(runtime)
        for slot_id, patient in zip(BOOKED, ("p-kari", "p-nora", "p-kari"), strict=True):
            booking.clinic.book(demo_booking.STORGATA, patient, slot_id, None, None, None, "", False)
        wednesday = date(2026, 11, 25)
        booking.clinic.publish(demo_booking.FJORDHEIM, "tb-anne", "ordinar", wednesday, wednesday,
                               (TemplateBlock(2, time(10), time(12)),))
        ola = Actor(kind=PATIENT, actor_id="p-ola", on_behalf_of="p-ola", level=HIGH)
        for n, name in enumerate(REQUESTS):
            wish = booking.patient.request(ola, "c-fjordheim", "s-anne", "2026-11-25", f"i{8 + 2 * n:02d}",
                                           "ordinar", "")
            REQUEST_IDS[name] = wish.appointment.id
        yield make_app(runtime)


def _headers(case) -> dict:
    return FJORDHEIM if "/requests/" in case.operation.path else STORGATA


@schema.parametrize()
@SETTINGS
def test_clinic_api_conforms_to_its_openapi_document(case, served_app):
    case.call_and_validate(app=served_app, checks=WITH_REJECTION)


@demo_schema.parametrize()
@SETTINGS
def test_clinic_api_on_the_demos_real_things_never_fails_and_keeps_to_the_document(case, served_app):
    if "request_id" in (case.path_parameters or {}):
        name = case.path_parameters["request_id"]
        case.path_parameters = {**case.path_parameters, "request_id": REQUEST_IDS.get(name, name)}
    case.call_and_validate(app=served_app, headers=_headers(case), checks=CHECKS)
