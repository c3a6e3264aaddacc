"""The pure billing rules (functions/core/billing.py): the tariff period (1 July-30 June), the
patient fee by age on the day (R27: free under 16; 29 February birthdays), the Oslo date of an
instant, and Norwegian kroner (non-breaking spaces, a comma before the øre)."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from functions.core.billing import Tariff, kroner, oslo_date, patient_fee, period_start

NBSP = "\u00a0"
EKONSULTASJON = Tariff("2ae", "E-konsultasjon", 18_700)


# --- the tariff period (R27: a yearly table, never a constant) -----------------------------------------

@pytest.mark.parametrize(("day", "start"), [
    (date(2026, 6, 30), date(2025, 7, 1)),
    (date(2026, 7, 1), date(2026, 7, 1)),
    (date(2026, 7, 2), date(2026, 7, 1)),
    (date(2026, 12, 31), date(2026, 7, 1)),
    (date(2027, 1, 1), date(2026, 7, 1)),
    (date(2028, 2, 29), date(2027, 7, 1)),
    (date(2025, 7, 1), date(2025, 7, 1)),
])
def test_R27_the_tariff_period_runs_from_1_july_to_30_june(day, start):
    assert period_start(day) == start


def test_R27_a_period_starts_on_its_own_first_day():
    for year in (2024, 2025, 2026):
        assert period_start(period_start(date(year, 3, 15))) == date(year - 1, 7, 1)


def test_R27_the_oslo_date_of_an_instant_decides_the_period_at_midnight_in_summer():
    # 30 June 2026 23:59:59 in Oslo (CEST, UTC+2) is 21:59:59 UTC; a second later it is 1 July in Oslo
    assert period_start(oslo_date(datetime(2026, 6, 30, 21, 59, 59, tzinfo=UTC))) == date(2025, 7, 1)
    assert period_start(oslo_date(datetime(2026, 6, 30, 22, 0, 0, tzinfo=UTC))) == date(2026, 7, 1)
    assert oslo_date(datetime(2026, 12, 31, 23, 0, tzinfo=UTC)) == date(2027, 1, 1)   # CET, UTC+1
    assert oslo_date(datetime(2026, 12, 31, 22, 59, tzinfo=UTC)) == date(2026, 12, 31)


# --- the patient fee (R27: children under 16 pay none) ---------------------------------------------------

def test_R27_the_fee_is_free_until_the_day_before_the_16th_birthday_and_due_on_it():
    birth = date(2010, 7, 1)
    assert patient_fee(EKONSULTASJON, birth, date(2026, 6, 30)) == (0, "under_16")
    assert patient_fee(EKONSULTASJON, birth, date(2026, 7, 1)) == (18_700, None)
    assert patient_fee(EKONSULTASJON, birth, date(2026, 7, 2)) == (18_700, None)


def test_R27_children_pay_nothing_and_adults_the_tariffs_fee():
    day = date(2026, 11, 23)
    assert patient_fee(EKONSULTASJON, date(2026, 11, 23), day) == (0, "under_16")      # born today
    assert patient_fee(EKONSULTASJON, date(2014, 5, 4), day) == (0, "under_16")        # 12
    assert patient_fee(EKONSULTASJON, date(1980, 1, 1), day) == (18_700, None)
    assert patient_fee(Tariff("2ae", "E-konsultasjon", 17_900), date(1980, 1, 1), day) == (17_900, None)
    assert patient_fee(Tariff("2ae", "E-konsultasjon", 0), date(1980, 1, 1), day) == (0, None)   # not "free"


def test_R27_someone_born_on_29_february_turns_16_on_that_day_in_a_leap_year():
    birth = date(2008, 2, 29)
    assert patient_fee(EKONSULTASJON, birth, date(2024, 2, 28)) == (0, "under_16")
    assert patient_fee(EKONSULTASJON, birth, date(2024, 2, 29)) == (18_700, None)


def test_R27_someone_born_on_29_february_turns_16_on_1_march_when_that_year_has_no_29_february():
    birth = date(2084, 2, 29)          # the 16th birthday falls in 2100, not a leap year
    assert patient_fee(EKONSULTASJON, birth, date(2100, 2, 28)) == (0, "under_16")
    assert patient_fee(EKONSULTASJON, birth, date(2100, 3, 1)) == (18_700, None)


# --- kroner --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("ore", "shown"), [
    (18_700, f"187,00{NBSP}kr"),
    (123_450, f"1{NBSP}234,50{NBSP}kr"),
    (123_456_789, f"1{NBSP}234{NBSP}567,89{NBSP}kr"),
    (100_000, f"1{NBSP}000,00{NBSP}kr"),
    (99_999, f"999,99{NBSP}kr"),
    (0, f"0,00{NBSP}kr"),
    (5, f"0,05{NBSP}kr"),
    (-18_700, f"-187,00{NBSP}kr"),
    (-123_450, f"-1{NBSP}234,50{NBSP}kr"),
    (-5, f"-0,05{NBSP}kr"),
])
def test_R27_kroner_are_shown_with_nonbreaking_spaces_and_a_decimal_comma(ore, shown):
    assert kroner(ore) == shown


def test_R27_kroner_never_break_a_line_inside_an_amount():
    assert " " not in kroner(123_456_789) and "," in kroner(1)
