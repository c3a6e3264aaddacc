"""JSON shapes of E-apotek's delivery (docs/pharmacy.md): text goes out as data, never as markup.
The national id appears in exactly one shape: `vendor_order_json(..., national_id)`, the
vendor's authenticated fetch of one order."""
from __future__ import annotations

from datetime import datetime

from functions.core import phones
from functions.core.billing import kroner
from functions.core.clock import OSLO, iso
from functions.core.messages import text as message
from functions.pharmacy.model import DELIVERY_METHODS, Address, Consent, Order, Vendor


def shown_time(instant: datetime) -> str:
    local = instant.astimezone(OSLO)
    return f"{local.day}.{local.month}.{local.year} kl. {local:%H:%M}"


def price_options(v: Vendor, lang: str) -> list[dict]:
    return [{"delivery": m, "label": message(f"pharmacy_delivery_{m}", lang), "price_ore": v.prices[m],
             "price_display": kroner(v.prices[m])} for m in DELIVERY_METHODS]


def vendor_json(v: Vendor, consent: Consent | None, lang: str) -> dict:
    return {"id": v.vendor_id, "name": v.name, "terms": v.terms, "terms_version": v.terms_version,
            "accepted": consent is not None, "accepted_at": iso(consent.given_at) if consent else None,
            "prices": price_options(v, lang)}


def address_json(a: Address) -> dict:
    return {"id": a.address_id, "street": a.street, "postal_code": a.postal_code, "city": a.city,
            "registered": a.registered}


def order_json(o: Order, lang: str) -> dict:
    return {"id": o.order_id, "vendor_id": o.vendor_id, "vendor_name": o.vendor_name, "status": o.status,
            "status_label": message(f"pharmacy_status_{o.status}", lang), "created_at": iso(o.created_at),
            "created_display": shown_time(o.created_at),
            "processed_at": iso(o.processed_at) if o.processed_at else None,
            "delivery": o.delivery, "delivery_label": message(f"pharmacy_delivery_{o.delivery}", lang),
            "price_ore": o.price_ore, "price_display": kroner(o.price_ore), "substitution": o.substitution,
            "address": address_json(o.address), "medicines": list(o.medicines), "phone": o.phone,
            "phone_display": phones.display(o.phone), "email": o.email}


def vendor_summary(o: Order) -> dict:
    """A row of the vendor's list: no national id, no patient name."""
    return {"id": o.order_id, "status": o.status, "created_at": iso(o.created_at),
            "processed_at": iso(o.processed_at) if o.processed_at else None}


def vendor_order_json(o: Order, national_id: str | None) -> dict:
    a = o.address
    return {**vendor_summary(o), "national_id": national_id, "phone": o.phone, "email": o.email,
            "substitution": o.substitution, "delivery": o.delivery, "price_ore": o.price_ore,
            "address": {"street": a.street, "postal_code": a.postal_code, "city": a.city},
            "medicines": list(o.medicines)}
