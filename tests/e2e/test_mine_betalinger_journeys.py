"""Mine betalinger in Chromium against `make run` (issue 10 items 1–4): the tabs Utestående / Betalt
i år / Alt betalt (R33), a PDF invoice downloaded and read with pypdf (R33: clinic name and
organisation number, the patient's name and no national id, invoice number, KID, lines, total),
Spørsmål om faktura opening the invoice question with that invoice chosen (R29), and a parent
paging through a young child's payments with "Vis flere" (R36), never a 12–15-year-old's. axe-core
in every state: 0 violations.

Named to run after test_journeys (whose foundation journey needs Kari's first visit) and
test_kommunikasjon_journeys (which counts Kari's invoices at Storgata). It only reads: the demo's
payments (devstack/demo_payments.py) stay as they are, and Ola is switched back to himself."""
from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.e2e.axe import assert_accessible
from tests.e2e.portal import ensure_consent, login, open_page, settle
from tests.e2e.test_relations import choose_in_switch

pytestmark = pytest.mark.e2e

COLUMNS = ["Dato", "Klinikk", "Betaling", "Status", "Fakturanummer", "Betalt", "Handlinger"]
KRONER = re.compile(r"^\d{1,3}(\u00a0\d{3})*,\d{2}\u00a0kr$")   # 1 234,50 kr (non-breaking spaces)


def log_in(page: Page, base: str, person: str) -> None:
    login(page, base, person, "BankID")
    ensure_consent(page)
    settle(page)


def menu(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name=name, exact=True).click()
    settle(page)


def tab(page: Page, name: str) -> None:
    page.get_by_role("tab", name=name, exact=True).click()
    expect(page.get_by_role("tab", name=name, exact=True)).to_have_attribute("aria-selected", "true")
    settle(page)


def row_of(page: Page, number: str):
    return page.locator("#payments-rows tr").filter(has=page.get_by_role("cell", name=number, exact=False))


def cells(row) -> dict[str, str]:
    return {c.get_attribute("data-label"): c.inner_text().strip() for c in row.locator("td").all()}


def test_R33_R29_kari_sees_her_tabs_downloads_an_invoice_pdf_and_asks_about_it(page: Page, base_url: str):
    log_in(page, base_url, "Kari Nordmann")
    menu(page, "Mine betalinger")
    expect(page).to_have_url(f"{base_url}/nb/betalinger.html")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mine betalinger")
    expect(page.get_by_role("tab")).to_have_text(["Utestående", "Betalt i år", "Alt betalt"])
    headers = page.locator("#payments-table thead th")
    expect(headers).to_have_text(COLUMNS)

    # Utestående: her open invoice 2026-0141 (E-konsultasjon 187,00 + Tillegg 68,00 = 255,00 kr).
    expect(page.get_by_role("tab", name="Utestående")).to_have_attribute("aria-selected", "true")
    open_row = row_of(page, "2026-0141")
    expect(open_row).to_have_count(1)
    shown = cells(open_row)
    assert shown["Klinikk"] == "Lise Lege, Storgata legesenter AS", shown
    assert shown["Betaling"] == "Faktura" and shown["Status"] == "Utestående", shown
    assert shown["Fakturanummer"].startswith("2026-0141") and "KID 202601415" in shown["Fakturanummer"], shown
    assert "255,00\u00a0kr" in shown["Betalt"], shown
    assert re.fullmatch(r"\d{2}\.\d{2}\.2026", shown["Dato"]), shown
    expect(open_row.get_by_role("link", name="Last ned faktura 2026-0141")).to_be_visible()
    expect(open_row.get_by_role("link", name="Spørsmål om faktura 2026-0141")).to_be_visible()
    expect(page.locator("#payments-rows")).not_to_contain_text("2026-0140")   # the paid one is not open
    assert_accessible(page, "Mine betalinger, Utestående")

    # Betalt i år and Alt betalt: the paid one (card), 350,00 kr, with a receipt and no question link.
    for name in ("Betalt i år", "Alt betalt"):
        tab(page, name)
        paid_row = row_of(page, "2026-0140")
        expect(paid_row).to_have_count(1)
        shown = cells(paid_row)
        assert KRONER.match(shown["Betalt"]) and shown["Betalt"] == "350,00\u00a0kr", shown
        assert shown["Betaling"] == "Kort" and shown["Status"] == "Betalt", shown
        expect(paid_row.get_by_role("link", name="Last ned kvittering 2026-0140")).to_be_visible()
        expect(paid_row.get_by_role("link", name=re.compile("Spørsmål om faktura"))).to_have_count(0)
        expect(row_of(page, "2026-0141")).to_have_count(0)
        assert_accessible(page, f"Mine betalinger, {name}")

    # Arrow keys move between the tabs (and load the tab).
    page.get_by_role("tab", name="Alt betalt").focus()
    page.keyboard.press("Home")
    expect(page.get_by_role("tab", name="Utestående")).to_be_focused()
    expect(page.get_by_role("tab", name="Utestående")).to_have_attribute("aria-selected", "true")
    settle(page)
    expect(row_of(page, "2026-0141")).to_have_count(1)
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("tab", name="Betalt i år")).to_be_focused()
    settle(page)
    expect(row_of(page, "2026-0140")).to_have_count(1)
    page.keyboard.press("ArrowLeft")
    settle(page)

    # Last ned faktura: a PDF with what an invoice must say, and no national id.
    with page.expect_download() as downloading:
        row_of(page, "2026-0141").get_by_role("link", name="Last ned faktura 2026-0141").click()
    download = downloading.value
    assert download.suggested_filename == "faktura-2026-0141.pdf"
    with open(download.path(), "rb") as f:
        reader = PdfReader(io.BytesIO(f.read()))
    text = "\n".join(p.extract_text() for p in reader.pages).replace("\u00a0", " ")
    for wanted in ("Storgata legesenter AS", "987654325", "Kari", "Nordmann", "2026-0141", "202601415",
                   "2ae", "E-konsultasjon", "187,00 kr", "2cd", "Tillegg for prosedyre", "68,00 kr", "255,00 kr"):
        assert wanted in text, (wanted, text)
    assert not re.search(r"(?<!\d)\d{11}(?!\d)", text), text   # no national id (11 digits) anywhere
    assert reader.metadata.title == "Faktura 2026-0141"

    # Spørsmål om faktura: the invoice question, that invoice chosen.
    row_of(page, "2026-0141").get_by_role("link", name="Spørsmål om faktura 2026-0141").click()
    page.wait_for_url(re.compile(r"/nb/skriv\.html\?type=faktura&clinic=c-storgata&invoice=inv-demo-2$"))
    settle(page)
    invoices = page.get_by_label("Faktura", exact=True)
    expect(invoices).to_have_value("inv-demo-2")
    expect(invoices.locator("option:checked")).to_contain_text("2026-0141")
    assert_accessible(page, "Spørsmål om faktura from Mine betalinger")


def test_R36_ola_pages_through_emmas_payments_never_jonas_and_has_none_himself(page: Page, base_url: str):
    log_in(page, base_url, "Ola Hansen")
    try:
        # His own: nothing to pay, nothing paid (the empty state of each tab).
        menu(page, "Mine betalinger")
        expect(page.locator("#payments-empty")).to_have_text("Du har ingen utestående fakturaer.")
        expect(page.locator("#payments-table")).to_be_hidden()
        assert_accessible(page, "Mine betalinger, empty")
        tab(page, "Alt betalt")
        expect(page.locator("#payments-empty")).to_have_text("Du har ingen betalinger ennå.")

        # Emma (under 12): her three open invoices, her paid ones this year, and 24 paid in all.
        choose_in_switch(page, "Emma Hansen")
        expect(page.locator("#acting-name")).to_have_text("Emma Hansen")
        settle(page)
        expect(page.locator("#acting-line-text")).to_have_text("Du ser nå opplysningene til Emma Hansen.")
        expect(page.get_by_role("tab", name="Alt betalt")).to_have_attribute("aria-selected", "true")  # ?tab= kept
        rows = page.locator("#payments-rows tr")
        expect(rows).to_have_count(20)
        more = page.get_by_role("button", name="Vis flere")
        expect(more).to_be_visible()
        assert_accessible(page, "Emma's Alt betalt, first page")
        more.click()
        expect(rows).to_have_count(24)
        expect(more).to_be_hidden()
        numbers = [cells(r)["Fakturanummer"] for r in rows.all()]
        assert len(set(numbers)) == 24 and all("Emma" not in n for n in numbers), numbers
        assert any(n.startswith("2025-") for n in numbers) and any(n.startswith("2026-") for n in numbers), numbers
        assert all(KRONER.match(cells(r)["Betalt"]) for r in rows.all())
        assert_accessible(page, "Emma's Alt betalt after Vis flere")

        tab(page, "Betalt i år")
        expect(rows).to_have_count(14)   # every 23 days back from 5 days ago, within 2026 (Oslo)
        expect(more).to_be_hidden()
        this_year = [cells(r)["Fakturanummer"] for r in rows.all()]
        assert this_year and all(n.startswith("2026-") for n in this_year), this_year
        assert all(cells(r)["Dato"].endswith(".2026") for r in rows.all())
        assert_accessible(page, "Emma's Betalt i år")

        tab(page, "Utestående")
        expect(rows).to_have_count(3)
        for r in rows.all():
            shown = cells(r)
            assert shown["Status"] == "Utestående" and shown["Klinikk"] == "Per Persen, Storgata legesenter AS", shown
            expect(r.get_by_role("link", name=re.compile(r"^Spørsmål om faktura 2026-30\d\d$"))).to_have_count(1)
        assert_accessible(page, "Emma's Utestående")
        with page.expect_download() as downloading:
            rows.first.get_by_role("link", name=re.compile(r"^Last ned faktura ")).click()
        text = "\n".join(p.extract_text() for p in PdfReader(downloading.value.path()).pages)
        assert "Emma Hansen" in text and "Ola" not in text, text

        # Jonas (14): not on a parent's behalf (R36) — said in the page, no rows.
        choose_in_switch(page, "Jonas Hansen")
        expect(page.locator("#acting-name")).to_have_text("Jonas Hansen")
        open_page(page, base_url, "nb", "betalinger")
        expect(page.locator("#page-error")).to_have_text("Dette kan du ikke se eller gjøre på vegne av en annen.")
        expect(page.locator("#payments-table")).to_be_hidden()
        assert_accessible(page, "Mine betalinger refused for Jonas")
    finally:
        open_page(page, base_url, "nb", "oversikt")
        choose_in_switch(page, re.compile(r"^Meg selv \("))
