"""Patient endpoints of the payments function: thin edges (docs/payments.md)."""
from __future__ import annotations

from flask import Blueprint, Response, g, jsonify, request

from functions.core.web import ctx, patient_actor
from functions.payments import pdf, texts  # noqa: F401 - texts registers the package's messages
from functions.payments.views import row_json

bp = Blueprint("payments", __name__, url_prefix="/api/payments")


def svc():
    return ctx().services.patient


@bp.get("/list")
def page():
    tab = request.args.get("tab", "utestaende")[:32]
    found, cursor, year = svc().page(patient_actor(), tab, request.args.get("cursor"))
    return jsonify({"tab": tab, "year": year, "payments": [row_json(b, g.lang) for b in found], "next": cursor})


@bp.get("/payments/<invoice_id>/pdf")
def document(invoice_id: str):
    # ?lang= (nb|en) is the page's language: a link's download sends the browser's Accept-Language, not the page's
    lang = request.args.get("lang") if request.args.get("lang") in ("nb", "en") else g.lang
    bill, body = svc().document(patient_actor(), invoice_id[:64], lang)
    response = Response(body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{pdf.filename(bill)}"'
    response.headers["Cache-Control"] = "no-store"
    return response
