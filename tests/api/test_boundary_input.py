"""Issue 7, §2: boundary input to the accounts function gets a clear 4xx naming the field, never a 5xx.

Each case here answered 500 (OverflowError, RecursionError) or was accepted (bidi and zero-width
characters) before the shared date parser, the JSON bounds and the printable-text rule."""
from __future__ import annotations

import pytest

from tests.api.booking.test_clinic_booking_api import error


@pytest.mark.parametrize(("body", "status", "code"), [
    ("[" * 100_000 + "]" * 100_000, 400, "too_deep"),              # 200 kB: within the size bound
    ('{"a":' * 50_000 + "1" + "}" * 50_000, 413, "request_too_large"),  # 300 kB: over it
    ('{"a":' * 33 + "1" + "}" * 33, 400, "too_deep"),
])
def test_json_nested_beyond_the_bounds_is_a_json_error_not_a_recursion_error(kari, body, status, code):
    answer = kari.send("PATCH", "/api/accounts/profile", data=body, headers={"Content-Type": "application/json"})
    body = error(answer, status, code)
    assert "{" not in body["message"]
    assert kari.get("/api/accounts/profile").get_json()["first_name"] == "Kari"   # nothing written


def test_too_deep_says_how_deep_json_may_go(kari):
    answer = kari.send("PATCH", "/api/accounts/profile", data="[" * 40 + "]" * 40,
                       headers={"Content-Type": "application/json"})
    assert error(answer, 400, "too_deep")["message"] == "Forespørselen er nestet for dypt (maks 32 nivåer)."


def test_json_nested_within_the_bound_reaches_the_validation(kari):
    answer = kari.send("PATCH", "/api/accounts/profile", data='{"first_name": ' + "[" * 20 + "]" * 20 + "}",
                       headers={"Content-Type": "application/json"})
    error(answer, 400, "wrong_type", "first_name")


def test_a_json_body_over_the_size_bound_is_413_with_the_limit_in_the_message(kari):
    answer = kari.send("PATCH", "/api/accounts/profile", json={"first_name": "x" * 300_000})
    body = error(answer, 413, "request_too_large")
    assert body["message"] == "Forespørselen er for stor (maks 256 kB)."


def test_R8_a_picture_over_the_request_limit_says_how_large_it_may_be(kari):
    answer = kari.send("PUT", "/api/accounts/profile/picture", data=b"\x89PNG" + b"0" * (6 * 1024 * 1024),
                       headers={"Content-Type": "image/png"})
    body = error(answer, 413, "too_large")
    assert body["message"] == "Filen er for stor (maks 5 MB)."


SPOOFING = {"right-to-left override": "Kari\u202eenmdroN", "zero-width space": "Ka\u200bri",
            "zero-width joiner": "Ka\u200dri", "DEL": "Kari\x7f", "C1 control": "Ka\x85ri",
            "left-to-right isolate": "\u2066Kari", "line separator": "Ka\u2028ri", "byte order mark": "\ufeffKari"}


@pytest.mark.parametrize("text", SPOOFING.values(), ids=SPOOFING.keys())
def test_names_refuse_bidi_and_control_characters_at_the_field(kari, text):
    error(kari.send("PATCH", "/api/accounts/profile", json={"first_name": text}), 422, "invalid_characters",
          "first_name")
    assert kari.get("/api/accounts/profile").get_json()["first_name"] == "Kari"


@pytest.mark.parametrize("text", SPOOFING.values(), ids=SPOOFING.keys())
def test_addresses_refuse_bidi_and_control_characters_at_the_field(kari, text):
    answer = kari.send("POST", "/api/accounts/profile/addresses", json={"street": text, "postal_code": "0150",
                                                                        "city": "Oslo"})
    error(answer, 422, "invalid_characters", "street")


def test_norwegian_and_sami_letters_are_kept(kari):
    names = {"first_name": "Áile Máret", "middle_name": "Čáhppes-Đuommá", "last_name": "Ŋuolla Šiŧŧe Žæøå"}
    answer = kari.send("PATCH", "/api/accounts/profile", json=names)
    assert answer.status_code == 200, answer.get_json()
    assert {k: answer.get_json()[k] for k in names} == names
