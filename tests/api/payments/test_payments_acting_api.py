"""Mine betalinger while a parent acts for a child (R36, R55): under 12 the parent sees the child's
invoices and downloads them, each read in the child's access log by the parent's name; from 12 to 16
never."""
from __future__ import annotations

from collections import Counter

from tests.api.conftest import PatientClient
from tests.api.payments.conftest import BASE, error, on_payments, pdf_text, tab


def logged_by_ola(app, runtime, child: str) -> Counter:
    log = PatientClient(app, runtime, child).get("/api/accounts/access-log").get_json()["items"]
    return Counter(e["what"] for e in log if e["actor_name"] == "Ola Hansen" and e["actor_kind"] == "representative")


def test_R36_R55_acting_for_emma_under_12_ola_sees_and_downloads_her_invoices_each_read_logged(
        payments_app, app, runtime):
    ola = on_payments(payments_app, app, runtime, "p-ola", acting_for="p-emma")
    opened = tab(ola, "utestaende").get_json()["payments"]
    assert [p["id"] for p in opened] == ["inv-emma-open-1", "inv-emma-open-2", "inv-emma-open-3"]
    assert len(tab(ola, "betalt-i-aar").get_json()["payments"]) == 14
    document = ola.get(f"{BASE}/payments/inv-emma-open-1/pdf")
    assert document.status_code == 200 and "Emma Hansen" in pdf_text(document.data)
    error(ola.get(f"{BASE}/payments/inv-demo-2/pdf"), 404, "not_found")        # Kari's, not Emma's
    logged = logged_by_ola(app, runtime, "p-emma")
    assert (logged["Mine betalinger"], logged["Kvittering eller faktura (PDF)"]) == (2, 1)
    own = on_payments(payments_app, app, runtime, "p-ola")                     # his own: nothing, not Emma's
    assert tab(own, "alt-betalt").get_json()["payments"] == []


def test_R36_acting_for_jonas_12_to_15_the_parent_never_sees_his_payments(payments_app, app, runtime):
    ola = on_payments(payments_app, app, runtime, "p-ola", acting_for="p-jonas")
    for name in ("utestaende", "betalt-i-aar", "alt-betalt"):
        error(tab(ola, name), 403, "not_for_representative")
    error(ola.get(f"{BASE}/payments/inv-emma-01/pdf"), 403, "not_for_representative")
    assert logged_by_ola(app, runtime, "p-jonas")["Mine betalinger"] == 0
