"""Norwegian national identity numbers (R51): fødselsnummer and D-nummer.

python-stdnum covers the classic rule; this wraps it for Skatteetaten's synthetic (Tenor, month
+80) numbers and the 2032 rule (first check remainder 0-3 accepted). Production refuses synthetic
numbers. The number is never a key, a URL part or a log field: callers hash it (see `lookup_key`)."""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import date

from stdnum.exceptions import ValidationError
from stdnum.no import fodselsnummer

from functions.core.errors import Invalid

W1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
W2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


@dataclass(frozen=True)
class NationalId:
    value: str
    kind: str          # fnr | dnr
    synthetic: bool
    birth_date: date

    def masked(self) -> str:
        return self.value[:6] + "*****"


def _checks_pass(digits: str) -> bool:
    d = [int(c) for c in digits]
    first = sum(w * x for w, x in zip(W1, d[:9], strict=True)) + d[9]
    second = sum(w * x for w, x in zip(W2, d[:10], strict=True)) + d[10]
    return first % 11 in (0, 1, 2, 3) and second % 11 == 0


def _century(year2: int, individual: int) -> int | None:
    if individual <= 499:
        return 1900
    if individual >= 900 and year2 >= 40:
        return 1900
    if 500 <= individual <= 749 and year2 >= 54:
        return 1800
    if individual >= 500 and year2 <= 39:
        return 2000
    return None


def _birth_date(digits: str) -> tuple[date, str, bool]:
    day, month, year2 = int(digits[0:2]), int(digits[2:4]), int(digits[4:6])
    kind = "fnr"
    if day > 40:
        day, kind = day - 40, "dnr"
    synthetic = month > 80
    if synthetic:
        month -= 80
    century = _century(year2, int(digits[6:9]))
    if century is None:
        raise Invalid("invalid_national_id", field="national_id")
    try:
        return date(century + year2, month, day), kind, synthetic
    except ValueError as exc:
        raise Invalid("invalid_national_id", field="national_id") from exc


def parse(text: object, allow_synthetic: bool) -> NationalId:
    if not isinstance(text, str):
        raise Invalid("invalid_national_id", field="national_id")
    digits = fodselsnummer.compact(text)
    if len(digits) != 11 or not digits.isdigit():
        raise Invalid("invalid_national_id", field="national_id")
    try:
        fodselsnummer.validate(digits)
        classic = True
    except ValidationError:
        classic = False
    if not classic and not _checks_pass(digits):
        raise Invalid("invalid_national_id", field="national_id")
    born, kind, synthetic = _birth_date(digits)
    if synthetic and not allow_synthetic:
        raise Invalid("invalid_national_id", field="national_id")
    return NationalId(digits, kind, synthetic, born)


def lookup_key(national_id: NationalId, pepper: bytes) -> str:
    """The only form in which a national id appears in a key: a peppered HMAC."""
    return hmac.new(pepper, national_id.value.encode(), hashlib.sha256).hexdigest()


def synthetic(born: date, individual: int) -> str:
    """A valid synthetic (Tenor, month +80) fødselsnummer, classic check digits. Demo and tests only."""
    base = f"{born.day:02d}{born.month + 80:02d}{born.year % 100:02d}{individual:03d}"
    d = [int(c) for c in base]
    k1 = (11 - sum(w * x for w, x in zip(W1, d, strict=True)) % 11) % 11
    if k1 == 10:
        raise ValueError("no valid number for this individual number")
    d.append(k1)
    k2 = (11 - sum(w * x for w, x in zip(W2, d, strict=True)) % 11) % 11
    if k2 == 10:
        raise ValueError("no valid number for this individual number")
    return base + str(k1) + str(k2)


def age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
