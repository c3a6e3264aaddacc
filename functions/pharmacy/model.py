"""Pure rules of E-apotek's medicine delivery (R40, seed 000 "Levering av medisin fra apotek").

A patient chooses a pharmacy vendor and accepts that it looks up prescriptions and address by the
patient's fødselsnummer (a consent per vendor, withdrawable); checks phone and e-mail; says whether
the cheapest equivalent ("billigste alternativ") may be substituted; chooses one of their own
delivery addresses; chooses "Post i butikk" or "På døren" at the vendor's price (whole øre, from
the vendor's price data: door delivery costs more); lists the medicines; sends the order. The
vendor marks it processed ("behandlet"); a processed order stays processed.

No I/O here: no Flask, PynamoDB, boto3, environment or clock (instants are passed in)."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime

from functions.core import phones, validate
from functions.core.errors import Conflict, ConsentRequired, Invalid

# Delivery methods (seed 000) and their labels are in texts.py.
POST_I_BUTIKK, PA_DOREN = "post_i_butikk", "pa_doren"
DELIVERY_METHODS = (POST_I_BUTIKK, PA_DOREN)

# Order statuses: sent to the pharmacy, processed by it.
SENDT, BEHANDLET = "sendt", "behandlet"
STATUSES = (SENDT, BEHANDLET)

MEDICINE_MAX = 200          # one line of the medicine list
MEDICINES_MAX = 20          # lines in one order
STREET_MAX, CITY_MAX = 100, 60
VENDOR_NAME_MAX, TERMS_MAX = 100, 2000
ADDRESSES_MAX = 20          # added addresses per patient
PRICE_MAX_ORE = 100_000     # 1 000 kr: a price above that is a typo, not a delivery price


@dataclass(frozen=True)
class Vendor:
    vendor_id: str
    name: str
    terms: str                      # what the patient accepts (the lookup by fødselsnummer)
    terms_version: str
    prices: dict[str, int]          # delivery method -> whole øre


@dataclass(frozen=True)
class Address:
    address_id: str
    street: str
    postal_code: str
    city: str
    registered: bool = False        # from the profile (folkeregistrert), not added here


@dataclass(frozen=True)
class Consent:
    vendor_id: str
    terms_version: str
    given_at: datetime


@dataclass(frozen=True)
class Draft:
    """What the patient sends (already parsed at the edge, not yet checked against the data)."""
    vendor_id: str
    phone: str
    email: str
    substitution: bool
    address_id: str
    delivery: str
    medicines: tuple[str, ...]


@dataclass(frozen=True)
class Order:
    order_id: str
    patient_id: str
    vendor_id: str
    vendor_name: str
    phone: str
    email: str
    substitution: bool
    address: Address
    delivery: str
    price_ore: int
    medicines: tuple[str, ...]
    status: str
    created_at: datetime
    ordered_by: str                  # who sent it: the patient, or the parent acting for a child
    processed_at: datetime | None = None


def check_prices(prices: object) -> dict[str, int]:
    """A vendor's price data: both methods, whole positive øre, door delivery dearer than the shop."""
    if not isinstance(prices, dict):
        raise Invalid("invalid", field="prices")
    checked: dict[str, int] = {}
    for method in DELIVERY_METHODS:
        value = prices.get(method)
        if isinstance(value, bool) or not isinstance(value, int):
            raise Invalid("invalid_price", field=f"prices.{method}")
        if not 0 < value <= PRICE_MAX_ORE:
            raise Invalid("invalid_price", field=f"prices.{method}")
        checked[method] = value
    if set(prices) - set(DELIVERY_METHODS):
        raise Invalid("unknown_field", field="prices")
    if checked[PA_DOREN] <= checked[POST_I_BUTIKK]:
        raise Invalid("door_must_cost_more", field=f"prices.{PA_DOREN}")
    return checked


def medicines(value: object) -> tuple[str, ...]:
    """The medicine list: 1..MEDICINES_MAX lines of at most MEDICINE_MAX printable characters."""
    if not isinstance(value, list):
        raise Invalid("required" if value is None else "invalid", field="medicines")
    if len(value) > MEDICINES_MAX:
        raise Invalid("too_many_medicines", field="medicines", max=MEDICINES_MAX)
    lines = []
    for n, item in enumerate(value):
        name = f"medicines.{n}"
        line = validate.text({name: item}, name, MEDICINE_MAX, required=False, allow_empty=True)
        if line:
            lines.append(line)
    if not lines:
        raise Invalid("no_medicines", field="medicines")
    return tuple(lines)


def contact(phone: str, email: str) -> tuple[str, str]:
    """The order's contact data, as the patient checked or edited it: E.164 phone, e-mail."""
    number = phones.normalize(phone, "phone") if phone else ""
    if not number:
        raise Invalid("required", field="phone")
    if not email:
        raise Invalid("required", field="email")
    return number, validate.email(email, "email")


def postal_code(text: str) -> str:
    if not re.fullmatch(r"\d{4}", text):
        raise Invalid("invalid_postal_code", field="postal_code")
    return text


def may_add_address(added: list[Address]) -> None:
    if len([a for a in added if not a.registered]) >= ADDRESSES_MAX:
        raise Invalid("too_many_addresses", field="street", max=ADDRESSES_MAX)


def consent_holds(consent: Consent | None, vendor: Vendor) -> bool:
    """Accepted, and for the vendor's current terms (new terms ask again)."""
    return consent is not None and consent.terms_version == vendor.terms_version


def place(order_id: str, patient_id: str, ordered_by: str, vendor: Vendor, consent: Consent | None,
          addresses: list[Address], draft: Draft, now: datetime) -> Order:
    """R40: an order to a vendor the patient accepted, to one of the patient's own addresses, at
    the vendor's price for the chosen delivery method."""
    if not consent_holds(consent, vendor):
        raise ConsentRequired("vendor_consent_required", field="vendor_id")
    if draft.delivery not in DELIVERY_METHODS:
        raise Invalid("invalid_delivery", field="delivery")
    address = next((a for a in addresses if a.address_id == draft.address_id), None)
    if address is None:
        raise Invalid("unknown_address", field="address_id")
    price = vendor.prices.get(draft.delivery)
    if price is None:
        raise Invalid("invalid_delivery", field="delivery")
    return Order(order_id, patient_id, vendor.vendor_id, vendor.name, draft.phone, draft.email,
                 draft.substitution, address, draft.delivery, price, draft.medicines, SENDT, now, ordered_by)


def processed(order: Order, now: datetime) -> Order:
    """The vendor processed the order; doing it again changes nothing (the first time stands)."""
    if order.status == BEHANDLET:
        return order
    if order.status != SENDT:
        raise Conflict("order_not_open", field="status")
    return replace(order, status=BEHANDLET, processed_at=now)
