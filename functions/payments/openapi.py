"""OpenAPI 3.0 document of the clinic endpoints (served at /api/payments/clinic/openapi.json)."""
from __future__ import annotations

from functions.core.openapi import (
    ID,
    INSTANT,
    MAYBE_TEXT,
    PATIENT_ID,
    READ,
    TEXT,
    array,
    document,
    obj,
    op,
    path_param,
    record,
)

PREFIX = "/api/payments/clinic"
INT = {"type": "integer"}
ORE = {"type": "integer", "minimum": 1, "maximum": 10_000_000, "description": "whole øre (NOK), positive"}
PAYMENT_ID = {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$", "description": "the portal's payment id"}
TRANSACTION_ID = {"type": "string", "pattern": "^[A-Za-z0-9._:-]{4,64}$",
                  "description": "the clinic's own id of the transaction: a retry with it makes no second payment"}
NUMBER = {"type": "string", "pattern": "^20[0-9]{2}-[0-9]{4,8}$", "description": "invoice number, e.g. 2026-0141"}
MAYBE_NUMBER = {**NUMBER, "nullable": True}
CODE = {"type": "string", "pattern": "^[A-Za-z0-9]{1,8}$", "description": "a code of the clinic's tariff table"}
DAY = {"type": "string", "format": "date"}
MAYBE_DAY = {**DAY, "nullable": True}
PERIOD = {"type": "string", "pattern": "^20[0-9]{2}-07-01$", "description": "a tariff period's first day (1 July)"}
KID = {"type": "string", "pattern": "^[0-9]{1,24}[0-9-]$", "description": "KID with a MOD10 or MOD11 check digit"}
METHOD = {"type": "string", "enum": ["kort", "vipps", "faktura", "kontant"]}
TERMINAL = {"type": "string", "enum": ["kort", "vipps", "kontant"]}
STATUS = {"type": "string", "enum": ["open", "paid", "credited"]}
LINE_IN = obj({"code": CODE, "amount_ore": ORE}, ("code",))
LINES_IN = array(LINE_IN, minItems=1, maxItems=20)
LINE = record({"code": TEXT, "text": TEXT, "amount_ore": INT})
PAYMENT = record({"id": TEXT, "transaction_id": MAYBE_TEXT, "patient_id": TEXT, "patient_name": TEXT,
                  "practitioner_name": TEXT, "number": MAYBE_TEXT, "issued": DAY, "due": MAYBE_DAY,
                  "kid": MAYBE_TEXT, "status": STATUS, "method": METHOD, "total_ore": INT, "paid_ore": INT,
                  "paid_at": {**INSTANT, "nullable": True}, "credit_id": MAYBE_TEXT, "source": MAYBE_TEXT,
                  "lines": array(LINE)})
CREDIT = record({"id": TEXT, "invoice_id": TEXT, "amount_ore": INT, "reason": TEXT, "created_at": INSTANT})
TARIFF = record({"text": TEXT, "fee_ore": INT})
TARIFFS = record({"period": DAY, "codes": {"type": "object", "additionalProperties": TARIFF}})
PAYEE = record({"name": TEXT, "org_number": TEXT})
CONVERTED = {"type": "object", "required": ["invoiced", "free", "already"],
             "properties": {"invoiced": INT, "free": INT, "already": INT, "skipped": TEXT}}


def _created(summary: str, body: dict) -> dict:
    operation = op(summary, PAYMENT, body, ok=201)
    operation["responses"]["200"] = {"description": "a retry of the same transaction id and content: the first",
                                     "content": {"application/json": {"schema": PAYMENT}}}
    return operation


SPEC = document("Pasientportal payments clinic API", {
    f"{PREFIX}/transactions": {"post": _created(
        "A payment at the clinic's terminal (paid at once), once per transaction_id", obj(
            {"transaction_id": TRANSACTION_ID, "patient_id": PATIENT_ID, "practitioner_id": ID, "lines": LINES_IN,
             "method": TERMINAL, "number": NUMBER, "paid_at": INSTANT},
            ("transaction_id", "patient_id", "lines", "method")))},
    f"{PREFIX}/invoices": {"post": _created(
        "An open invoice (due date and KID), once per transaction_id", obj(
            {"transaction_id": TRANSACTION_ID, "patient_id": PATIENT_ID, "practitioner_id": ID, "lines": LINES_IN,
             "number": NUMBER, "issued": DAY, "due": DAY, "kid": KID},
            ("transaction_id", "patient_id", "lines", "number")))},
    f"{PREFIX}/payments/{{invoice_id}}": {"get": op(
        "One of this clinic's payments", PAYMENT, params=(path_param("invoice_id", PAYMENT_ID),))},
    f"{PREFIX}/payments/{{invoice_id}}/paid": {"post": op(
        "Mark an open invoice paid (a retry with the same method answers it as it is)", PAYMENT,
        obj({"method": METHOD, "paid_at": INSTANT}, ("method",)), params=(path_param("invoice_id", PAYMENT_ID),))},
    f"{PREFIX}/payments/{{invoice_id}}/credit": {"post": op(
        "Credit a payment: a credit note of its own; the payment keeps its lines", record(
            {"payment": PAYMENT, "credit_note": CREDIT}), obj({"reason": {"type": "string", "minLength": 1,
                                                                         "maxLength": 200}}, ("reason",)),
        params=(path_param("invoice_id", PAYMENT_ID),), ok=201)},
    f"{PREFIX}/tariffs/{{period}}": {
        "get": op("The clinic's tariff table for a period (1 July-30 June)", TARIFFS,
                  params=(path_param("period", PERIOD),)),
        "put": op("Load the tariff table for a period (replaced whole)", TARIFFS, obj(
            {"codes": {"type": "object", "minProperties": 1, "maxProperties": 200,
                       "additionalProperties": obj({"text": {"type": "string", "minLength": 1, "maxLength": 120},
                                                    "fee_ore": {"type": "integer", "minimum": 0,
                                                                "maximum": 10_000_000}},
                                                   ("text", "fee_ore"))}}, ("codes",)),
            params=(path_param("period", PERIOD),))},
    f"{PREFIX}/payee": {
        "get": op("Who is paid: the name and organisation number on the clinic's invoices", PAYEE),
        "put": op("Set the payee", PAYEE, obj({"name": {"type": "string", "minLength": 1, "maxLength": 120},
                                              "org_number": {"type": "string", "pattern": "^[0-9]{9}$"}},
                                             ("name", "org_number")))},
    f"{PREFIX}/charges/invoice": {"post": op(
        "Turn the charges of closed e-consultations into open invoices (exactly once each)", CONVERTED,
        errors=(*READ, 409))},
})


