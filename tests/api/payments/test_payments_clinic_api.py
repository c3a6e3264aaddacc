"""The payments clinic API: terminal transactions and invoices once per the clinic's transaction id
(a retry answers the first, other content is a 409), mark paid, credit (a credit note), the tariff
table per period, charges of closed e-consultations invoiced exactly once; a clinic sees only its own
(404, no leak); bad amounts and numbers a clear 4xx at the field."""
from __future__ import annotations

from datetime import date

import pytest

from functions.core.billing import Billing, Charge
from tests.api.payments.conftest import BASE, error, on_payments, tab

SALE = {"transaction_id": "T-1001", "patient_id": "p-kari", "method": "vipps",
        "lines": [{"code": "2ad"}, {"code": "701a", "amount_ore": 6_000}]}
INVOICE = {"transaction_id": "I-2001", "patient_id": "p-kari", "number": "2026-0500", "lines": [{"code": "2ae"}]}


def test_a_terminal_transaction_is_paid_once_per_transaction_id_and_kari_sees_it(lise, payments_app, app, runtime):
    made = lise.post("/transactions", json=SALE)
    assert made.status_code == 201, made.get_json()
    body = made.get_json()
    assert (body["status"], body["method"], body["total_ore"], body["paid_ore"], body["practitioner_name"]) == (
        "paid", "vipps", 35_400, 35_400, "Lise Lege")
    assert [x["text"] for x in body["lines"]] == ["Konsultasjon, allmennlege", "Laboratorieundersøkelse"]
    again = lise.post("/transactions", json=SALE)
    assert again.status_code == 200 and again.get_json() == body                 # a retry: the same payment
    error(lise.post("/transactions", json={**SALE, "method": "kort"}), 409, "transaction_reused", "transaction_id")
    kari = on_payments(payments_app, app, runtime, "p-kari")
    assert [p["id"] for p in tab(kari, "betalt-i-aar").get_json()["payments"]].count(body["id"]) == 1


def test_an_invoice_is_open_with_a_kid_then_marked_paid_and_credited_as_a_credit_note(lise):
    made = lise.post("/invoices", json=INVOICE).get_json()
    assert (made["status"], made["kid"], made["due"], made["total_ore"]) == ("open", "202605002", "2026-12-07",
                                                                             18_700)
    error(lise.post("/invoices", json={**INVOICE, "transaction_id": "I-2002"}), 409, "number_taken", "number")
    paid = lise.post(f"/payments/{made['id']}/paid", json={"method": "kort"})
    assert paid.status_code == 200 and paid.get_json()["status"] == "paid"
    assert lise.post(f"/payments/{made['id']}/paid", json={"method": "kort"}).status_code == 200    # a retry
    error(lise.post(f"/payments/{made['id']}/paid", json={"method": "vipps"}), 409, "already_paid")
    credited = lise.post(f"/payments/{made['id']}/credit", json={"reason": "Feil takst"})
    assert credited.status_code == 201
    note = credited.get_json()
    assert (note["payment"]["status"], note["payment"]["lines"], note["credit_note"]["amount_ore"]) == (
        "credited", made["lines"], 18_700)
    error(lise.post(f"/payments/{made['id']}/credit", json={"reason": "Igjen"}), 409, "invoice_credited")
    assert lise.get(f"/payments/{made['id']}").get_json()["credit_id"] == note["credit_note"]["id"]


@pytest.mark.parametrize(("amount", "code"), [(-100, "amount_not_positive"), (0, "amount_not_positive"),
                                              (12.5, "invalid_amount"), ("100", "invalid_amount"),
                                              (10**12, "amount_too_large"), (True, "invalid_amount")])
def test_R33_bad_amounts_are_refused_at_the_field_and_nothing_is_saved(lise, amount, code):
    sale = {**SALE, "transaction_id": "T-bad", "lines": [{"code": "2ad", "amount_ore": amount}]}
    error(lise.post("/transactions", json=sale), 422, code, "lines[0].amount_ore")
    error(lise.get(f"/payments/{_id('T-bad')}"), 404, "not_found")


def _id(transaction_id: str) -> str:
    from functions.payments.model import bill_id

    return bill_id("c-storgata", transaction_id)


def test_every_error_status(lise, anne, payments_app):
    error(lise.post("/invoices", json={**INVOICE, "number": "26-1"}), 422, "invalid_invoice_number", "number")
    error(lise.post("/invoices", json={**INVOICE, "kid": "202605009"}), 422, "invalid_kid", "kid")
    error(lise.post("/invoices", json={**INVOICE, "lines": [{"code": "9zz"}]}), 422, "unknown_tariff", "lines[0].code")
    error(lise.post("/invoices", json={**INVOICE, "lines": []}), 422, "invalid_lines", "lines")
    error(lise.post("/invoices", json={**INVOICE, "patient_id": "p-ola"}), 422, "unknown_patient", "patient_id")
    error(lise.post("/transactions", json={**SALE, "method": "faktura"}), 422, "invalid_method", "method")
    error(lise.post("/transactions", json={**SALE, "extra": 1}), 422, "unknown_field", "extra")
    error(lise.post("/transactions", json=[1]), 400)
    error(lise.send("POST", "/transactions", data="x", headers={"Content-Type": "text/plain"}), 415)
    error(lise.send("PUT", "/tariffs/2026-08-01", json={"codes": {"2ae": {"text": "E", "fee_ore": 1}}}), 422,
          "invalid_period", "period")
    error(payments_app.test_client().post("/api/payments/clinic/transactions", json=SALE), 401, "bad_credentials")
    error(anne.post("/transactions", json=SALE), 403, "payments_not_offered")      # no terminal at Fjordheim
    error(anne.get("/payments/inv-demo-2"), 404, "not_found")                      # Storgata's: not found
    error(lise.get("/payments/nothing"), 404, "not_found")


def test_the_tariff_table_is_loaded_per_period_and_used_for_the_lines(lise):
    table = {"codes": {"2ad": {"text": "Konsultasjon", "fee_ore": 30_000}}}
    assert lise.send("PUT", "/tariffs/2027-07-01", json=table).get_json() == {"period": "2027-07-01", **table}
    assert lise.get("/tariffs/2027-07-01").get_json()["codes"]["2ad"]["fee_ore"] == 30_000
    assert lise.get("/tariffs/2026-07-01").get_json()["codes"]["2ae"]["fee_ore"] == 18_700
    made = lise.post("/invoices", json={**INVOICE, "issued": "2027-08-01", "lines": [{"code": "2ad"}]}).get_json()
    assert made["total_ore"] == 30_000
    assert lise.get("/payee").get_json() == {"name": "Storgata legesenter AS", "org_number": "987654325"}
    error(lise.send("PUT", "/payee", json={"name": "X", "org_number": "987654326"}), 422, "invalid_org_number")


def test_charges_of_closed_econsultations_become_open_invoices_exactly_once(lise, runtime, payments_app, app):
    billing = Billing()
    for n, fee in enumerate((18_700, 0)):
        billing.record_charge(Charge(f"dialog:test{n}", "c-storgata", "p-kari", "2ae", "E-konsultasjon", fee,
                                     date(2026, 11, 22)), runtime.clock.now())
    assert lise.post("/charges/invoice").get_json() == {"invoiced": 1, "free": 1, "already": 0}
    assert lise.post("/charges/invoice").get_json() == {"invoiced": 0, "free": 0, "already": 0}   # a rerun
    from functions.payments.jobs import JOBS

    assert JOBS[0].run(runtime) == {"invoiced": 0, "free": 0, "already": 0}
    kari = on_payments(payments_app, app, runtime, "p-kari")
    opened = tab(kari, "utestaende").get_json()["payments"]
    assert [p["total_ore"] for p in opened].count(18_700) == 1 and len(opened) == 2
    assert kari.get(f"{BASE}/payments/{opened[0]['id']}/pdf").status_code == 200
