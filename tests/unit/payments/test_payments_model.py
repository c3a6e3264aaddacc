"""The pure payment rules (functions/payments/model.py): whole øre (R33: no negative payments), the
invoice number, KID check digits (MOD10 and MOD11), the organisation number, and the calendar year in
Oslo time for "Betalt i år" (R32)."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from functions.core.billing import kroner
from functions.core.errors import Conflict, Invalid
from functions.payments import model
from functions.payments.model import Bill, Line

NBSP = "\u00a0"


@pytest.mark.parametrize("value", [1, 18_700, 10_000_000])
def test_R33_an_amount_is_whole_positive_ore_up_to_the_maximum(value):
    assert model.amount(value) == value


@pytest.mark.parametrize(("value", "code"), [
    (0, "amount_not_positive"), (-100, "amount_not_positive"), (10_000_001, "amount_too_large"),
    (10**30, "amount_too_large"), (187.5, "invalid_amount"), (100.0, "invalid_amount"), ("18700", "invalid_amount"),
    (None, "invalid_amount"), (True, "invalid_amount"), ([100], "invalid_amount"), (float("nan"), "invalid_amount"),
])
def test_R33_negative_fractional_absurd_and_malformed_amounts_are_refused_at_the_field(value, code):
    with pytest.raises(Invalid) as refused:
        model.amount(value, "lines")
    assert (refused.value.code, refused.value.field) == (code, "lines")


def test_R33_amounts_show_in_norwegian_format():
    assert kroner(123_450) == f"1{NBSP}234,50{NBSP}kr"
    assert kroner(18_700) == f"187,00{NBSP}kr"
    assert kroner(10_000_000) == f"100{NBSP}000,00{NBSP}kr"


@pytest.mark.parametrize("number", ["2026-0141", "2025-12345678", "2099-0000"])
def test_an_invoice_number_is_a_year_and_a_serial(number):
    assert model.invoice_number(number) == number


@pytest.mark.parametrize("number", ["2026-141", "1999-0141", "2026-123456789", "2026_0141", " 2026-0141",
                                    "2026-0141\n", "２０２６-0141", "", None, 20260141])
def test_a_malformed_invoice_number_is_refused(number):
    with pytest.raises(Invalid) as refused:
        model.invoice_number(number)
    assert (refused.value.code, refused.value.field) == ("invalid_invoice_number", "number")


@pytest.mark.parametrize(("body", "check"), [("7992739871", "3"), ("20260141", "5"), ("0", "0"), ("1234567", "4")])
def test_mod10_is_luhn(body, check):
    assert model.mod10(body) == check


@pytest.mark.parametrize(("body", "check"), [("1234567890", "3"), ("123456", "0"), ("13", "2"), ("6", "-")])
def test_mod11_weights_two_to_seven_from_the_right(body, check):
    assert model.mod11(body) == check


def test_a_kid_is_valid_with_either_check_digit_and_refused_with_a_wrong_one():
    kid = model.make_kid("2026-0141")
    assert kid == "202601415" and model.kid_valid(kid)
    assert model.mod11("8801234") != model.mod10("8801234") and model.kid_valid("88012348")   # MOD11 only
    assert model.kid_valid("6-")                          # MOD11 check 10 is written as a dash
    for wrong in ("202601414", "12345678904", "1", "", "12a4", "-", "1" * 26):
        assert not model.kid_valid(wrong), wrong


def test_an_organisation_number_has_its_mod11_check_digit():
    assert model.org_number_valid("974760673")          # Brønnøysundregistrene
    assert model.org_number_valid("923609016")
    assert not model.org_number_valid("974760674")
    assert not model.org_number_valid("97476067")
    assert not model.org_number_valid("97476067a")


@pytest.mark.parametrize(("instant", "year"), [
    (datetime(2025, 12, 31, 23, 30, tzinfo=UTC), 2026),     # 00:30 on New Year's Day in Oslo
    (datetime(2025, 12, 31, 22, 59, 59, tzinfo=UTC), 2025),  # 23:59:59 on New Year's Eve in Oslo
    (datetime(2025, 12, 31, 23, 0, tzinfo=UTC), 2026),
    (datetime(2026, 12, 31, 22, 30, tzinfo=UTC), 2026),
    (datetime(2026, 6, 30, 22, 30, tzinfo=UTC), 2026),       # summer time: 00:30 on 1 July
])
def test_R32_betalt_i_aar_is_the_calendar_year_in_oslo(instant, year):
    assert model.oslo_year(instant) == year
    assert model.in_year(instant, year)
    assert not model.in_year(instant, year - 1) and not model.in_year(instant, year + 1)


def test_R32_the_year_is_a_key_range_of_the_paid_index():
    low, high = model.year_bounds(2026)
    first = model.paid_key(datetime(2025, 12, 31, 23, 0, tzinfo=UTC), "b1")
    last = model.paid_key(datetime(2026, 12, 31, 22, 59, 59, 999999, tzinfo=UTC), "bffffffffffffffff")
    before = model.paid_key(datetime(2025, 12, 31, 22, 59, 59, 999999, tzinfo=UTC), "bffff")
    after = model.paid_key(datetime(2026, 12, 31, 23, 0, tzinfo=UTC), "b0")
    assert low <= first <= high and low <= last <= high
    assert not low <= before <= high and not low <= after <= high


def bill(**fields) -> Bill:
    values = dict(invoice_id="b1", clinic_id="c-storgata", clinic_name="Storgata legesenter", org_number="974760673",
                  patient_id="p-kari", patient_name="Kari Nordmann", practitioner_name="Lise Lege", number="2026-0141",
                  issued=date(2026, 11, 11), lines=(Line("2ae", "E-konsultasjon", 18_700), Line("1bd", "Lab", 6_800)),
                  status=model.OPEN, method=model.FAKTURA)
    values.update(fields)
    return Bill(**values)


def test_a_bill_totals_its_lines_and_is_paid_once():
    open_one = bill()
    assert (open_one.total_ore, open_one.paid_ore, open_one.is_receipt) == (25_500, 0, False)
    at = datetime(2026, 11, 20, 10, tzinfo=UTC)
    paid = model.mark_paid(open_one, model.VIPPS, at)
    assert (paid.status, paid.method, paid.paid_ore, paid.is_receipt) == ("paid", "vipps", 25_500, True)
    assert model.mark_paid(paid, model.VIPPS, datetime(2026, 11, 21, tzinfo=UTC)) == paid    # a retry
    with pytest.raises(Conflict, match="already_paid"):
        model.mark_paid(paid, model.KORT, at)


def test_a_credit_note_is_its_own_record_and_the_invoice_keeps_its_lines():
    original = bill()
    credited, note = model.credit(original, "Feil takst", "cr1", datetime(2026, 11, 20, tzinfo=UTC))
    assert (credited.status, credited.credit_id, credited.lines) == ("credited", "cr1", original.lines)
    assert (note.invoice_id, note.amount_ore, note.reason) == ("b1", 25_500, "Feil takst")
    with pytest.raises(Conflict, match="invoice_credited"):
        model.credit(credited, "igjen", "cr2", datetime(2026, 11, 20, tzinfo=UTC))
    with pytest.raises(Conflict, match="invoice_credited"):
        model.mark_paid(credited, model.KORT, datetime(2026, 11, 20, tzinfo=UTC))


def test_a_payments_id_follows_from_the_clinic_and_its_transaction_id():
    assert model.bill_id("c-storgata", "T-1") == model.bill_id("c-storgata", "T-1")
    assert model.bill_id("c-storgata", "T-1") != model.bill_id("c-fjordheim", "T-1")
    assert model.fingerprint({"a": 1, "b": [2]}) == model.fingerprint({"b": [2], "a": 1})


@pytest.mark.parametrize("bad", ["T", "x" * 65, "T 1", "T/1", "", None, 12])
def test_a_transaction_id_is_refused_when_malformed(bad):
    with pytest.raises(Invalid):
        model.transaction_id(bad)


def test_methods_and_days():
    assert model.method("vipps") == "vipps"
    with pytest.raises(Invalid):
        model.method("faktura", model.TERMINAL_METHODS)
    assert model.parse_day("2026-11-23", "issued") == date(2026, 11, 23)
    for bad in ("2026-13-01", "23.11.2026", "1999-01-01", "2026-1-1"):
        with pytest.raises(Invalid):
            model.parse_day(bad, "issued")
