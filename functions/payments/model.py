"""The rules of Mine betalinger (R32, R33): pure, no I/O, the clock passed in.

Money is whole øre (int), positive, NOK; a payment is one `Bill` (an invoice or a terminal
transaction) with its lines; "Betalt i år" is the calendar year in Europe/Oslo."""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from functions.core.billing import kroner
from functions.core.clock import OSLO
from functions.core.errors import BadRequest, Conflict, Invalid

OPEN, PAID, CREDITED = "open", "paid", "credited"
STATUSES = (OPEN, PAID, CREDITED)
KORT, VIPPS, FAKTURA, KONTANT = "kort", "vipps", "faktura", "kontant"
METHODS = (KORT, VIPPS, FAKTURA, KONTANT)
TERMINAL_METHODS = (KORT, VIPPS, KONTANT)     # what a payment terminal records at the desk
UTESTAENDE, BETALT_I_AAR, ALT_BETALT = "utestaende", "betalt-i-aar", "alt-betalt"
TABS = (UTESTAENDE, BETALT_I_AAR, ALT_BETALT)

MAX_ORE = 10_000_000          # 100 000,00 kr: far above any patient fee; more is a typo or an attack
LINES_MAX = 20
LINE_TEXT_MAX = 120
DUE_DAYS = 14
INVOICE_NUMBER = re.compile(r"^(20[0-9]{2})-([0-9]{4,8})$")     # <year>-<serial>, e.g. 2026-0141
TRANSACTION_ID = re.compile(r"^[A-Za-z0-9._:-]{4,64}$")          # the clinic's own id of a transaction
TARIFF_CODE = re.compile(r"^[A-Za-z0-9]{1,8}$")


def amount(value: object, field_name: str = "amount_ore") -> int:
    """Whole øre: a positive integer no larger than MAX_ORE. A bool, float (even 10.0), string or
    anything else is refused at the field."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid("invalid_amount", field=field_name)
    if value <= 0:
        raise Invalid("amount_not_positive", field=field_name)
    if value > MAX_ORE:
        raise Invalid("amount_too_large", field=field_name, max=kroner(MAX_ORE))
    return value


def invoice_number(value: object, field_name: str = "number") -> str:
    if not isinstance(value, str) or not INVOICE_NUMBER.fullmatch(value):
        raise Invalid("invalid_invoice_number", field=field_name)
    return value


def transaction_id(value: object, field_name: str = "transaction_id") -> str:
    if not isinstance(value, str) or not TRANSACTION_ID.fullmatch(value):
        raise Invalid("invalid_transaction_id", field=field_name)
    return value


def method(value: object, allowed: tuple[str, ...] = METHODS, field_name: str = "method") -> str:
    if value not in allowed:
        raise Invalid("invalid_method", field=field_name)
    return str(value)


# --- KID (kundeidentifikasjon) -------------------------------------------------------------------------

def mod10(digits: str) -> str:
    """The Luhn (MOD10) check digit of a digit string."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


def mod11(digits: str) -> str:
    """The MOD11 check digit (weights 2..7 from the right); '-' when it would be 10 (a KID writes a dash)."""
    total = sum(int(ch) * (2 + i % 6) for i, ch in enumerate(reversed(digits)))
    rest = 11 - total % 11
    return "0" if rest == 11 else "-" if rest == 10 else str(rest)


def kid_valid(kid: str) -> bool:
    """A KID of 2-25 characters whose last is a valid MOD10 or MOD11 check digit."""
    if not isinstance(kid, str) or not re.fullmatch(r"[0-9]{1,24}[0-9-]", kid):
        return False
    body, check = kid[:-1], kid[-1]
    return check == mod10(body) or check == mod11(body)


def make_kid(number: str) -> str:
    """The KID of an invoice: its number's digits and a MOD10 check digit (2026-0141 -> 202601415)."""
    body = re.sub(r"[^0-9]", "", number)
    return body + mod10(body)


def org_number_valid(value: str) -> bool:
    """A Norwegian organisation number: nine digits, the last a MOD11 check (weights 3,2,7,6,5,4,3,2)."""
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{9}", value):
        return False
    total = sum(int(d) * w for d, w in zip(value[:8], (3, 2, 7, 6, 5, 4, 3, 2), strict=True))
    check = 11 - total % 11
    return check != 10 and int(value[8]) == (0 if check == 11 else check)


# --- time -------------------------------------------------------------------------------------------

def oslo_year(instant: datetime) -> int:
    return instant.astimezone(OSLO).year


def year_bounds(year: int) -> tuple[str, str]:
    """The paid-date key range of a calendar year in Oslo: both ends included, as sort-key prefixes."""
    return f"{year:04d}-01-01", f"{year:04d}-12-31~"


def paid_key(paid_at: datetime, invoice_id: str) -> str:
    """The paid index's sort key: the Oslo date and time first, so a year is a key range."""
    local = paid_at.astimezone(OSLO)
    return f"{local.strftime('%Y-%m-%dT%H:%M:%S.%f')}#{invoice_id}"


def in_year(paid_at: datetime, year: int) -> bool:
    low, high = year_bounds(year)
    return low <= paid_key(paid_at, "") <= high


def oslo_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=OSLO)


# --- a payment -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Line:
    code: str
    text: str
    amount_ore: int


@dataclass(frozen=True)
class Payee:
    """Who is paid: the clinic's name and organisation number as its invoices show them."""
    clinic_id: str
    name: str
    org_number: str


@dataclass(frozen=True)
class Bill:
    """An invoice (open until paid) or a terminal transaction (paid at once), with its lines.
    Names are copied in when it is made, so a list page and a PDF need no other read."""
    invoice_id: str
    clinic_id: str
    clinic_name: str
    org_number: str
    patient_id: str
    patient_name: str
    practitioner_name: str
    number: str | None
    issued: date
    lines: tuple[Line, ...]
    status: str
    method: str
    due: date | None = None
    kid: str | None = None
    paid_at: datetime | None = None
    transaction_id: str | None = None
    fingerprint: str = ""
    credit_id: str | None = None
    source: str | None = None          # charge:<source> when made from a recorded charge
    created_at: datetime | None = None
    extra: dict = field(default_factory=dict)

    @property
    def total_ore(self) -> int:
        return sum(line.amount_ore for line in self.lines)

    @property
    def paid_ore(self) -> int:
        return self.total_ore if self.paid_at is not None else 0

    @property
    def is_receipt(self) -> bool:
        """A paid one downloads as a receipt (kvittering); an open one as the invoice (faktura)."""
        return self.paid_at is not None


@dataclass(frozen=True)
class CreditNote:
    credit_id: str
    invoice_id: str
    clinic_id: str
    amount_ore: int
    reason: str
    created_at: datetime


def total(lines: tuple[Line, ...]) -> int:
    value = sum(line.amount_ore for line in lines)
    if value > MAX_ORE:
        raise Invalid("amount_too_large", field="lines", max=kroner(MAX_ORE))
    return value


def fingerprint(content: dict) -> str:
    """What a retry must repeat exactly: the request's content, canonical."""
    return hashlib.sha256(json.dumps(content, sort_keys=True, separators=(",", ":"), default=str).encode()
                          ).hexdigest()[:32]


def bill_id(clinic_id: str, key: str) -> str:
    """A payment's id follows from the clinic and its own transaction id (or the charge's source), so
    a retry or a second run writes the same item, which a conditional write refuses the second time."""
    return "b" + hashlib.sha256(f"{clinic_id}\x00{key}".encode()).hexdigest()[:16]


def due_date(issued: date) -> date:
    return issued + timedelta(days=DUE_DAYS)


def mark_paid(bill: Bill, how: str, at: datetime) -> Bill:
    if bill.status == CREDITED:
        raise Conflict("invoice_credited")
    if bill.status == PAID:
        if bill.method == how:
            return bill                           # a retry: already so
        raise Conflict("already_paid")
    return replace(bill, status=PAID, method=how, paid_at=at)


def credit(bill: Bill, reason: str, credit_id: str, at: datetime) -> tuple[Bill, CreditNote]:
    """A credit note for the whole amount as a record of its own; the invoice keeps its lines and
    amounts and only changes status (no edit of history)."""
    if bill.status == CREDITED:
        raise Conflict("invoice_credited")
    note = CreditNote(credit_id, bill.invoice_id, bill.clinic_id, bill.total_ore, reason, at)
    return replace(bill, status=CREDITED, credit_id=credit_id), note


def parse_day(value: object, field_name: str) -> date:
    if not isinstance(value, str):
        raise BadRequest("wrong_type", field=field_name)
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise Invalid("invalid_date", field=field_name) from None
    if not (2000 <= day.year <= 2099) or len(value) != 10:
        raise Invalid("invalid_date", field=field_name)
    return day
