"""Mine betalinger for a patient (R32, R33, R1): the three tabs, paged; the R33 columns; a PDF of her
own only (404 for another's, never 403); level high only; every error status."""
from __future__ import annotations

from tests.api.payments.conftest import BASE, error, on_payments, pdf_metadata, pdf_text, tab

NBSP = "\u00a0"


def test_R32_R33_kari_sees_her_open_invoice_and_what_she_paid_this_year_with_every_column(p_kari):
    [open_one] = tab(p_kari, "utestaende").get_json()["payments"]
    assert {k: open_one[k] for k in ("id", "number", "status", "status_label", "method_label", "total_display",
                                     "paid_display", "clinic_display", "pdf_label", "kid")} == {
        "id": "inv-demo-2", "number": "2026-0141", "status": "open", "status_label": "Utestående",
        "method_label": "Faktura", "total_display": f"255,00{NBSP}kr", "paid_display": f"0,00{NBSP}kr",
        "clinic_display": "Lise Lege, Storgata legesenter AS", "pdf_label": "Last ned faktura", "kid": "202601415"}
    assert open_one["question_url"] == "skriv.html?type=faktura&clinic=c-storgata&invoice=inv-demo-2"
    answer = tab(p_kari, "betalt-i-aar").get_json()
    assert answer["year"] == 2026 and answer["next"] is None
    [paid] = answer["payments"]
    assert (paid["id"], paid["date"], paid["method_label"], paid["paid_display"], paid["status_label"],
            paid["pdf_label"], paid["question_url"], paid["kid"]) == (
        "inv-demo-1", "2026-10-06", "Kort", f"350,00{NBSP}kr", "Betalt", "Last ned kvittering", None, None)
    assert [p["id"] for p in tab(p_kari, "alt-betalt").get_json()["payments"]] == ["inv-demo-1"]


def test_R32_tabs_page_with_a_cursor_one_query_each(payments_app, app, runtime):
    ola = on_payments(payments_app, app, runtime, "p-ola", acting_for="p-emma")
    first = tab(ola, "alt-betalt").get_json()
    second = tab(ola, "alt-betalt", first["next"]).get_json()
    ids = [p["id"] for p in first["payments"] + second["payments"]]
    assert len(first["payments"]) == 20 and second["next"] is None and len(ids) == len(set(ids)) == 24
    this_year = tab(ola, "betalt-i-aar").get_json()["payments"]
    assert len(this_year) == 14 and all(p["date"].startswith("2026-") for p in this_year)
    assert {p["date"][:4] for p in second["payments"]} == {"2025"}
    assert len(tab(ola, "utestaende").get_json()["payments"]) == 3
    error(tab(ola, "betalt-i-aar", first["next"]), 400, "bad_cursor", "cursor")   # a cursor is for its tab only


def test_R33_kari_downloads_her_invoice_and_receipt_as_pdf_with_norwegian_letters(p_kari):
    answer = p_kari.get(f"{BASE}/payments/inv-demo-2/pdf")
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    assert answer.headers["Content-Disposition"] == 'attachment; filename="faktura-2026-0141.pdf"'
    assert answer.headers["Cache-Control"] == "no-store"
    text = pdf_text(answer.data)
    for expected in ("Faktura 2026-0141", "Storgata legesenter AS", "987654325", "Kari Nordmann", "2ae",
                     "E-konsultasjon", "Tillegg for prosedyre", "255,00", "Forfallsdato", "25.11.2026",
                     "202601415", "Beløp"):
        assert expected in text, (expected, text)
    assert "fødselsnummer" not in text.lower()
    meta, lang = pdf_metadata(answer.data)
    assert (meta.title, lang) == ("Faktura 2026-0141", "nb-NO")
    receipt = pdf_text(p_kari.get(f"{BASE}/payments/inv-demo-1/pdf").data)
    for expected in ("Kvittering 2026-0140", "Laboratorieundersøkelse", "350,00", "Betalt", "Kort", "06.10.2026"):
        assert expected in receipt, (expected, receipt)
    assert "KID" not in receipt


def test_ownership_another_patients_invoice_is_not_found_not_forbidden(p_kari):
    error(p_kari.get(f"{BASE}/payments/inv-demo-3/pdf"), 404, "not_found")      # Nora's
    error(p_kari.get(f"{BASE}/payments/inv-emma-01/pdf"), 404, "not_found")     # Emma's
    error(p_kari.get(f"{BASE}/payments/nothing/pdf"), 404, "not_found")


def test_R1_level_substantial_is_refused_and_anonymous_is_401(payments_app, app, runtime):
    low = on_payments(payments_app, app, runtime, "p-kari", level="substantial")
    error(tab(low, "utestaende"), 403, "step_up_required")
    error(low.get(f"{BASE}/payments/inv-demo-2/pdf"), 403, "step_up_required")
    anon = payments_app.test_client()
    error(anon.get(f"{BASE}/list?tab=utestaende"), 401, "unauthenticated")
    error(anon.get(f"{BASE}/payments/inv-demo-2/pdf"), 401, "unauthenticated")


def test_bad_input_is_a_clear_4xx(p_kari):
    error(tab(p_kari, "alt"), 422, "invalid_tab", "tab")
    error(tab(p_kari, "utestaende", "forged-cursor"), 400, "bad_cursor", "cursor")
    error(p_kari.send("POST", f"{BASE}/list"), 405)
    assert p_kari.get(f"{BASE}/list?tab=utestaende", headers={"Accept-Language": "en"}).get_json()[
        "payments"][0]["status_label"] == "Outstanding"


def test_R33_the_pdf_link_carries_the_pages_language_over_the_browsers_accept_language(p_kari):
    """A link's download is a navigation: the browser sends its own Accept-Language (often en-US on a
    Norwegian page). The row's pdf_url names the language the list was asked in; ?lang= wins."""
    [open_one] = tab(p_kari, "utestaende").get_json()["payments"]
    assert open_one["pdf_url"] == f"{BASE}/payments/inv-demo-2/pdf?lang=nb"
    english_browser = {"Accept-Language": "en-US,en;q=0.9"}
    meta, lang = pdf_metadata(p_kari.get(open_one["pdf_url"], headers=english_browser).data)
    assert (meta.title, lang) == ("Faktura 2026-0141", "nb-NO")
    meta, lang = pdf_metadata(p_kari.get(f"{BASE}/payments/inv-demo-2/pdf", headers=english_browser).data)
    assert (meta.title, lang) == ("Invoice 2026-0141", "en")
    meta, _ = pdf_metadata(p_kari.get(f"{BASE}/payments/inv-demo-2/pdf?lang=xx").data)   # unknown: the header's
    assert meta.title == "Faktura 2026-0141"
    rows = p_kari.get(f"{BASE}/list?tab=utestaende", headers={"Accept-Language": "en"}).get_json()["payments"]
    assert rows[0]["pdf_url"].endswith("/pdf?lang=en")
