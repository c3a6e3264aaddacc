"""OpenAPI 3.0 document of the vendor endpoints (served at /api/pharmacy/vendor/openapi.json)."""
from __future__ import annotations

from functions.core.openapi import ERROR, ERRORS, INSTANT, MAYBE_TEXT, TEXT, array, obj, path_param, query_param, record

PREFIX = "/api/pharmacy/vendor"
BOOL, INT = {"type": "boolean"}, {"type": "integer"}
ORDER_ID = {"type": "string", "pattern": "^o[0-9a-f]{16}$", "description": "opaque order id: `o` + 16 hex"}
STATUS = {"type": "string", "enum": ["sendt", "behandlet"]}
DELIVERY = {"type": "string", "enum": ["post_i_butikk", "pa_doren"]}
ORE = {"type": "integer", "minimum": 1, "maximum": 100000}
MAYBE_INSTANT = {"type": "string", "format": "date-time", "nullable": True}

SUMMARY_PROPS = {"id": TEXT, "status": STATUS, "created_at": INSTANT, "processed_at": MAYBE_INSTANT}
SUMMARY = record(SUMMARY_PROPS)
ORDER = record({**SUMMARY_PROPS, "national_id": {**MAYBE_TEXT, "description": "the patient's fødselsnummer or "
                                                 "D-nummer, only here (never in a URL, a log or a notice)"},
                "phone": TEXT, "email": TEXT, "substitution": BOOL, "delivery": DELIVERY, "price_ore": INT,
                "address": record({"street": TEXT, "postal_code": TEXT, "city": TEXT}), "medicines": array(TEXT)})
PAGE = record({"orders": array(SUMMARY), "next": MAYBE_TEXT})
PRICES = record({"vendor_id": TEXT, "prices": array(record({"delivery": DELIVERY, "label": TEXT, "price_ore": INT,
                                                             "price_display": TEXT}))})
PRICES_IN = obj({"prices": obj({"post_i_butikk": ORE, "pa_doren": ORE}, ("post_i_butikk", "pa_doren"))},
                ("prices",))

READ = (401, 404, 422, 429, 503)
WRITE = (400, 401, 404, 409, 413, 415, 422, 429, 503)
_ERRORS = {**ERRORS, 401: "missing or bad vendor credential", 404: "not found, or not this vendor's"}


def op(summary: str, answer: dict, body: dict | None = None, params: tuple = (), codes: tuple = READ) -> dict:
    operation = {"summary": summary, "security": [{"vendorKey": []}], "parameters": [dict(p) for p in params],
                 "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": answer}}},
                               **{str(c): {"description": _ERRORS[c],
                                           "content": {"application/json": {"schema": ERROR}}} for c in codes}}}
    if body:
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    return operation


SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "Pasientportal E-apotek: pharmacy vendor API", "version": "1.0",
             "description": "Every call names the vendor's credential (HTTP Basic: key id and secret). A "
                            "credential reaches only the orders sent to its vendor. Errors are "
                            "`{\"error\", \"message\", \"field\"}`."},
    "components": {"securitySchemes": {"vendorKey": {"type": "http", "scheme": "basic"}}},
    "paths": {
        f"{PREFIX}/orders": {"get": op("The vendor's orders, newest first", PAGE, params=(
            query_param("status", STATUS), query_param("cursor", TEXT)), codes=(400, *READ))},
        f"{PREFIX}/orders/{{order_id}}": {"get": op(
            "One order with the patient's national id (written to the patient's access log); 409 "
            "consent_withdrawn once the patient has withdrawn the consent to this vendor", ORDER,
            params=(path_param("order_id", ORDER_ID),), codes=(*READ, 409))},
        f"{PREFIX}/orders/{{order_id}}/processed": {"post": op(
            "Mark the order processed (idempotent: a processed order stays processed)", SUMMARY,
            params=(path_param("order_id", ORDER_ID),), codes=(401, 404, 409, 429, 503))},
        f"{PREFIX}/prices": {"put": op("The vendor's delivery prices in whole øre (door delivery costs more)",
                                       PRICES, body=PRICES_IN, codes=WRITE)},
    },
}
