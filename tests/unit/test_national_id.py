"""R51: fødselsnummer, D-nummer, synthetic (Tenor) numbers and the 2032 rule."""
from __future__ import annotations

from datetime import date

import pytest

from functions.core import national_id
from functions.core.errors import Invalid


def test_R51_synthetic_numbers_are_valid_only_outside_production():
    pid = national_id.synthetic(date(1985, 5, 12), 101)
    parsed = national_id.parse(pid, allow_synthetic=True)
    assert parsed.synthetic and parsed.birth_date == date(1985, 5, 12) and parsed.kind == "fnr"
    with pytest.raises(Invalid):
        national_id.parse(pid, allow_synthetic=False)


def test_R51_children_born_after_2000_use_individual_numbers_500_and_up():
    pid = national_id.synthetic(date(2015, 3, 4), 503)
    assert national_id.parse(pid, allow_synthetic=True).birth_date == date(2015, 3, 4)


def test_R51_d_number_adds_four_to_the_first_digit():
    base = national_id.synthetic(date(1990, 1, 15), 123)
    digits = [int(c) for c in str(int(base[0]) + 4) + base[1:9]]
    k1 = (11 - sum(w * d for w, d in zip(national_id.W1, digits, strict=True)) % 11) % 11
    k2 = (11 - sum(w * d for w, d in zip(national_id.W2, [*digits, k1], strict=True)) % 11) % 11
    if 10 in (k1, k2):
        pytest.skip("no valid D-number for this base")
    parsed = national_id.parse("".join(map(str, digits)) + f"{k1}{k2}", allow_synthetic=True)
    assert parsed.kind == "dnr" and parsed.birth_date == date(1990, 1, 15)


def test_R51_2032_rule_accepts_first_check_remainder_one_to_three():
    base = "15819012"  # day 15, month 01+80, year 90, individual 12x
    for individual_last in range(10):
        digits = [int(c) for c in base + str(individual_last)]
        for remainder in (1, 2, 3):
            total = sum(w * d for w, d in zip(national_id.W1, digits, strict=True))
            k1 = (remainder - total) % 11
            if k1 == 10:
                continue
            k2 = (11 - sum(w * d for w, d in zip(national_id.W2, [*digits, k1], strict=True)) % 11) % 11
            if k2 == 10:
                continue
            pid = "".join(map(str, digits)) + f"{k1}{k2}"
            assert national_id.parse(pid, allow_synthetic=True).birth_date == date(1990, 1, 15)
            return
    pytest.fail("no 2032-rule number constructed")


@pytest.mark.parametrize("bad", ["", "123", "abcdefghijk", "12345678901", 12345678901, None, "3" * 11])
def test_R51_malformed_numbers_are_refused(bad):
    with pytest.raises(Invalid):
        national_id.parse(bad, allow_synthetic=True)


def test_R51_lookup_key_hides_the_number():
    parsed = national_id.parse(national_id.synthetic(date(1985, 5, 12), 101), allow_synthetic=True)
    key = national_id.lookup_key(parsed, b"pepper")
    assert parsed.value not in key and len(key) == 64
    assert key != national_id.lookup_key(parsed, b"other pepper")
