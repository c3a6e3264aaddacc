"""Vendor endpoints of the pharmacy function: the vendor's own credential (HTTP Basic), never in a
URL; OpenAPI at /api/pharmacy/vendor/openapi.json. Thin edges (docs/pharmacy.md)."""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from functions.core import validate
from functions.core.errors import Invalid
from functions.core.web import ctx, json_body
from functions.pharmacy.model import STATUSES
from functions.pharmacy.openapi import SPEC
from functions.pharmacy.views import price_options, vendor_order_json, vendor_summary

bp = Blueprint("pharmacy_vendor", __name__, url_prefix="/api/pharmacy/vendor")


def svc():
    return ctx().services.vendor


def caller():
    return ctx().services.vendor_auth.authenticate(request.headers.get("Authorization"))


def _id(value: str) -> str:
    return value[:64]


@bp.get("/openapi.json")
def openapi():
    return jsonify(SPEC)


@bp.get("/orders")
def orders():
    who = caller()
    status = request.args.get("status")
    if status is not None and status not in STATUSES:
        raise Invalid("invalid", field="status")
    page, cursor = svc().orders(who, status, request.args.get("cursor"))
    return jsonify({"orders": [vendor_summary(o) for o in page], "next": cursor})


@bp.get("/orders/<order_id>")
def fetch(order_id: str):
    found = svc().fetch(caller(), _id(order_id))
    response = jsonify(vendor_order_json(found.order, found.national_id))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/orders/<order_id>/processed")
def processed(order_id: str):
    order = svc().mark_processed(caller(), _id(order_id))
    return jsonify(vendor_summary(order))


@bp.put("/prices")
def prices():
    who = caller()
    body = validate.json_object(json_body(), {"prices"})
    vendor = svc().put_prices(who, body.get("prices"))
    return jsonify({"vendor_id": vendor.vendor_id, "prices": price_options(vendor, "nb")})
