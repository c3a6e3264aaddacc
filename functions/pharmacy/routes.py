"""Patient endpoints of the pharmacy function: thin edges (docs/pharmacy.md)."""
from __future__ import annotations

from flask import Blueprint, g, jsonify, request

from functions.core import idempotency, validate
from functions.core.errors import BadRequest
from functions.core.web import ctx, json_body, patient_actor
from functions.pharmacy import (
    model,
    texts,  # noqa: F401 - registers the package's messages
)
from functions.pharmacy.model import CITY_MAX, STREET_MAX, Draft
from functions.pharmacy.views import address_json, order_json, price_options, vendor_json

bp = Blueprint("pharmacy", __name__, url_prefix="/api/pharmacy")
ORDER = {"vendor_id", "phone", "email", "substitution", "address_id", "delivery", "medicines"}


def svc():
    return ctx().services.patient


def _id(value: str) -> str:
    return value[:64]


@bp.get("/vendors")
def vendors():
    choices = svc().vendors(patient_actor())
    return jsonify({"vendors": [vendor_json(v, choices.consents.get(v.vendor_id), g.lang)
                                for v in choices.vendors]})


@bp.get("/vendors/<vendor_id>/prices")
def prices(vendor_id: str):
    vendor = svc().prices(patient_actor(), _id(vendor_id))
    return jsonify({"vendor_id": vendor.vendor_id, "prices": price_options(vendor, g.lang)})


@bp.put("/vendors/<vendor_id>/consent")
def accept(vendor_id: str):
    consent = svc().accept(patient_actor(), _id(vendor_id))
    return jsonify({"vendor_id": consent.vendor_id, "accepted": True, "terms_version": consent.terms_version})


@bp.delete("/vendors/<vendor_id>/consent")
def withdraw(vendor_id: str):
    svc().withdraw(patient_actor(), _id(vendor_id))
    return jsonify({"vendor_id": _id(vendor_id), "accepted": False})


@bp.get("/contact")
def contact():
    found = svc().contact(patient_actor())
    return jsonify({"phone": found.phone, "email": found.email})


@bp.get("/addresses")
def addresses():
    return jsonify({"addresses": [address_json(a) for a in svc().addresses(patient_actor())]})


@bp.post("/addresses")
def add_address():
    body = validate.json_object(json_body(), {"street", "postal_code", "city"})
    address = svc().add_address(patient_actor(), validate.text(body, "street", STREET_MAX),
                                validate.text(body, "postal_code", 4), validate.text(body, "city", CITY_MAX))
    return jsonify(address_json(address)), 201


@bp.post("/orders")
def place():
    key = idempotency.check_key(request.headers.get("Idempotency-Key"))
    body = validate.json_object(json_body(), ORDER)
    substitution = body.get("substitution")
    if not isinstance(substitution, bool):
        raise BadRequest("wrong_type", field="substitution")
    phone, email = model.contact(validate.text(body, "phone", 32), validate.text(body, "email", 254))
    draft = Draft(vendor_id=validate.optional_id(body, "vendor_id") or _required("vendor_id"), phone=phone,
                  email=email, substitution=substitution,
                  address_id=validate.optional_id(body, "address_id") or _required("address_id"),
                  delivery=validate.text(body, "delivery", 32), medicines=model.medicines(body.get("medicines")))
    order_id = svc().place(patient_actor(), draft, key)
    return jsonify(order_json(svc().order(patient_actor(), order_id), g.lang)), 201


@bp.get("/orders")
def orders():
    return jsonify({"orders": [order_json(o, g.lang) for o in svc().orders(patient_actor())]})


@bp.get("/orders/<order_id>")
def one(order_id: str):
    return jsonify(order_json(svc().order(patient_actor(), _id(order_id)), g.lang))


def _required(name: str):
    from functions.core.errors import Invalid

    raise Invalid("required", field=name)
