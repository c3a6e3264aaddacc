"""Kommunikasjon in Chromium against `make run` (issue 9; named to run after test_journeys, whose
foundation journey needs Kari's first visit): Start helsehjelp, an e-consultation with a
photo whose price shows before Send (R27, R34), the clinic's answer through its API with an
attachment (R26), the unread count in the menu and Innboks (R25), a notice in the mailbox that says
only that a message is waiting (R28), Svar og avslutt closing the dialog for replies (R26), a
prescription renewal from E-apotek answered "Resept fornyet" (R30, R39, R45), a question about an
invoice (R29), and a parent reading a young child's dialog (R36). axe-core on every page and state.

Kari Nordmann (Storgata legesenter, GP Lise Lege) writes; the demo's tariff table makes the
e-consultation 187,00 kr today. Each test makes its own dialogs (the demo's stay as they are)."""
from __future__ import annotations

import base64
import io
import re
import time
import uuid

import pytest
import requests
from PIL import Image
from playwright.sync_api import Page, expect

from tests.e2e.axe import assert_accessible
from tests.e2e.portal import CLINIC_KEY, ensure_consent, login, settle
from tests.e2e.test_relations import choose_in_switch

pytestmark = pytest.mark.e2e

KARI = "kari.nordmann@example.no"
CLINIC = "/api/dialogs/clinic"


def clinic(base: str, method: str, path: str, body=None, *, raw: bytes | None = None, content_type: str = "",
           staff: str = "s-lise") -> requests.Response:
    """Storgata legesenter's clinic API (Basic credential + X-Staff-Id); writes carry an Idempotency-Key."""
    token = base64.b64encode(":".join(CLINIC_KEY).encode()).decode()
    headers = {"Authorization": f"Basic {token}", "X-Staff-Id": staff, "Idempotency-Key": uuid.uuid4().hex}
    if raw is not None:
        headers["Content-Type"] = content_type
        return requests.request(method, f"{base}{CLINIC}{path}", data=raw, headers=headers, timeout=15)
    return requests.request(method, f"{base}{CLINIC}{path}", json=body, headers=headers, timeout=15)


def answer(base: str, dialog_id: str, text: str, close: bool = False, answer_code: str | None = None,
           attachments: tuple[str, ...] = ()) -> dict:
    body = {"text": text, "close": close, "attachments": list(attachments)}
    if answer_code:
        body["answer_code"] = answer_code
    sent = clinic(base, "POST", f"/dialogs/{dialog_id}/messages", body)
    assert sent.status_code == 201, sent.text
    return sent.json()


def png(color: str = "teal") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(out, "PNG")
    return out.getvalue()


def pdf() -> bytes:
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")


def log_in(page: Page, base: str, person: str = "Kari Nordmann") -> None:
    login(page, base, person, "BankID")
    ensure_consent(page)
    settle(page)


def menu(page: Page, name: str | re.Pattern) -> None:
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name=name).click()
    settle(page)


def dialog_id_of(page: Page) -> str:
    expect(page).to_have_url(re.compile(r"/nb/dialog\.html\?id="))
    return re.search(r"[?&]id=([^&]+)", page.url).group(1)


def wait_for_mail(base: str, recipient: str, subject: str, count: int, seconds: float = 25) -> list[dict]:
    """The local stack's timer drains the outbox every few seconds."""
    deadline = time.monotonic() + seconds
    found: list[dict] = []
    while time.monotonic() < deadline:
        box = requests.get(f"{base}/__dev/mailbox?format=json", timeout=10).json()["messages"]
        found = [m for m in box if m["recipient"] == recipient and m["subject"] == subject and m["sent"]]
        if len(found) >= count:
            return found
        time.sleep(0.5)
    raise AssertionError(f"{count} mails {subject!r} to {recipient} expected, found {len(found)}")


def inbox_link(page: Page, name: re.Pattern = re.compile(r"^Innboks")):
    return page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name=name)


def test_R27_R26_R25_R28_an_e_consultation_with_a_photo_the_price_first_the_clinics_answer_read_and_closed(
        page: Page, base_url: str, browser_problems):
    browser_problems.allow_status(409, 415, 422)   # the fake image, and the reply after Svar og avslutt
    log_in(page, base_url)
    mails_before = len(wait_for_mail(base_url, KARI, "Du har fått en ny melding", 0))

    # Start helsehjelp (R34): Storgata is Kari's clinic, preselected, with what it has enabled
    menu(page, "Start helsehjelp")
    expect(page.get_by_role("radio", name="Storgata legesenter")).to_be_checked()
    services = page.locator("#service-list")
    for name in ("Bestill videokonsultasjon", "Bestill ny konsultasjon", "Åpne nettside", "Start en e-konsultasjon",
                 "Spørsmål om faktura", "Fornyelse av resept fra legen", "Annen henvendelse"):
        expect(services.get_by_role("link", name=name, exact=True)).to_be_visible()
    assert_accessible(page, "Start helsehjelp")
    services.get_by_role("link", name="Start en e-konsultasjon").click()
    settle(page)

    # Before Send: the price from the clinic's tariff table, five working days, acute illness → legevakt
    expect(page.get_by_role("heading", level=1)).to_have_text("Start en e-konsultasjon")
    expect(page.locator("#price-text")).to_have_text("En e-konsultasjon koster 187,00 kr (egenandel).")
    expect(page.locator("#answer-days")).to_have_text("Det kan ta inntil 5 arbeidsdager før du får svar.")
    expect(page.locator("#acute-warning")).to_contain_text("legevakten på 116 117")
    recipients = page.get_by_label("Mottaker").locator("option")
    expect(recipients).to_have_text(["Velg mottaker", "Lise Lege", "Per Persen"])
    assert_accessible(page, "Start en e-konsultasjon")

    # Send without a recipient: the page says so at the field; a fake image is refused at the file field
    page.get_by_label("Beskjed", exact=True).fill("Utslett på armen i tre dager, klør.\nIkke feber.")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_label("Mottaker")).to_have_attribute("aria-invalid", "true")
    page.get_by_label("Mottaker").select_option(label="Lise Lege")
    page.locator("#files").set_input_files({"name": "arm.jpg", "mimeType": "image/jpeg", "buffer": b"not a picture"})
    expect(page.locator("#files-field .field-error")).to_contain_text("arm.jpg")
    assert_accessible(page, "Start en e-konsultasjon, a refused file")
    page.locator("#files").set_input_files({"name": "utslett.png", "mimeType": "image/png", "buffer": png()})
    expect(page.locator("#file-list")).to_contain_text("utslett.png")
    expect(page.locator("#files-field .field-error")).to_have_count(0)
    page.get_by_role("button", name="Send").click()
    dialog_id = dialog_id_of(page)
    settle(page)
    expect(page.locator("#dialog-notice")).to_contain_text("Meldingen er sendt")
    expect(page.locator("#dialog-messages .message-text")).to_have_text(
        ["Utslett på armen i tre dager, klør.\nIkke feber."])
    expect(page.locator("#dialog-messages").get_by_role("link", name=re.compile("^utslett.png"))).to_be_visible()
    assert_accessible(page, "a sent e-consultation")

    # The clinic answers through its API (Svar), with a PDF
    uploaded = clinic(base_url, "POST", "/attachments", raw=pdf(), content_type="application/pdf")
    assert uploaded.status_code == 201, uploaded.text
    answer(base_url, dialog_id, "Dette ser ut som eksem. Bruk kremen beskrevet i vedlegget.",
           attachments=(uploaded.json()["id"],))

    # The menu counts it; Innboks marks it; the notice says only that a message is waiting (R28)
    page.goto(f"{base_url}/nb/oversikt.html")
    settle(page)
    expect(inbox_link(page, re.compile(r"^Innboks \(\d+\)$"))).to_be_visible()
    unread_before = int(re.search(r"\((\d+)", inbox_link(page).inner_text()).group(1))
    menu(page, re.compile(r"^Innboks"))
    row = page.locator(f'#inbox-rows tr[data-id="{dialog_id}"]')
    expect(row).to_have_class(re.compile("is-unread"))
    expect(row).to_contain_text("E-konsultasjon")
    expect(row).to_contain_text("Ulest")
    expect(row.locator("td").nth(3)).to_have_text("Åpen")
    assert_accessible(page, "Innboks with an unread answer")
    mail = wait_for_mail(base_url, KARI, "Du har fått en ny melding", mails_before + 1)[-1]
    assert f"/nb/dialog.html?id={dialog_id}" in mail["body"] and "Storgata legesenter" in mail["body"]
    for private in ("eksem", "Utslett", "kremen", "konsultasjon", "Lise", "Lege"):
        assert private not in mail["subject"] + mail["body"].replace(dialog_id, ""), private

    # Reading it: the answer and its attachment; the count goes down
    row.get_by_role("link", name=re.compile("^Åpne")).click()
    settle(page)
    messages = page.locator("#dialog-messages > li")
    expect(messages).to_have_count(2)
    expect(messages.nth(1)).to_contain_text("Dette ser ut som eksem.")
    link = messages.nth(1).get_by_role("link", name=re.compile(r"\.pdf"))
    download = page.request.get(base_url + link.get_attribute("href"))
    assert download.ok and download.body() == pdf()
    expect(inbox_link(page)).to_have_text(re.compile(rf"^Innboks( \({unread_before - 1}\))?$"))

    # After Svar the patient may reply
    page.get_by_label("Beskjed").fill("Takk! Skal jeg komme tilbake om det ikke blir bedre?")
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#dialog-notice")).to_have_text("Svaret ditt er sendt.")
    expect(messages).to_have_count(3)
    assert_accessible(page, "a dialog with a reply form")

    # Svar og avslutt while the page is open: the next reply is refused and the page says the dialog is closed
    answer(base_url, dialog_id, "Ja, bestill time om en uke hvis det ikke er bedre.", close=True)
    page.get_by_label("Beskjed").fill("Ok, takk.")
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#page-error")).not_to_be_empty()
    expect(page.locator("#dialog-closed")).to_be_visible()
    expect(page.locator("#reply-form")).to_be_hidden()
    page.reload()
    settle(page)
    expect(page.locator("#dialog-messages > li")).to_have_count(4)
    expect(page.locator("#dialog-closed")).to_be_visible()
    expect(page.locator("#reply-form")).to_be_hidden()
    assert_accessible(page, "a closed dialog")


def test_R30_R39_R45_R29_a_renewal_from_e_apotek_answered_resept_fornyet_and_a_question_about_an_invoice(
        page: Page, base_url: str):
    log_in(page, base_url)
    menu(page, "E-apotek")
    assert_accessible(page, "E-apotek")
    page.get_by_role("link", name="Fornyelse av resept fra legen").click()
    settle(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Fornyelse av resept fra legen")
    expect(page.locator("#price-panel")).to_be_hidden()
    page.get_by_label("Medisin").fill("Paracet")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_label("Dosering")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, "Fornyelse av resept with a field error")
    page.get_by_label("Dosering").fill("500 mg ved behov")
    page.get_by_label("Mengde").fill("1 pakning à 20 tabletter")
    page.get_by_role("button", name="Send").click()
    dialog_id = dialog_id_of(page)
    settle(page)
    facts = page.locator("#dialog-facts")
    expect(facts).to_contain_text("Paracet")
    expect(facts).to_contain_text("Reseptforespørsel")

    answer(base_url, dialog_id, "Resepten er fornyet og ligger på apoteket.", close=True, answer_code="fornyet")
    page.reload()
    settle(page)
    expect(facts).to_contain_text("Resept fornyet")
    expect(page.locator("#dialog-messages .answer-code")).to_have_text(["Resept fornyet"])
    expect(page.locator("#dialog-closed")).to_be_visible()
    assert_accessible(page, "a renewal answered Resept fornyet")

    # Spørsmål om faktura: one of Kari's invoices at Storgata
    page.goto(f"{base_url}/nb/skriv.html?type=faktura&clinic=c-storgata")
    settle(page)
    invoices = page.get_by_label("Faktura", exact=True)
    expect(invoices.locator("option")).to_have_count(3)   # "Velg faktura" and her two invoices
    invoices.select_option(index=1)
    chosen = invoices.locator("option:checked").inner_text()
    page.get_by_label("Beskjed", exact=True).fill("Hvorfor er beløpet høyere enn sist?")
    assert_accessible(page, "Spørsmål om faktura")
    page.get_by_role("button", name="Send").click()
    dialog_id_of(page)
    settle(page)
    number = re.search(r"Faktura (\S+),", chosen).group(1)
    expect(page.locator("#dialog-facts")).to_contain_text(number)


def test_R36_a_parent_reads_and_answers_a_young_childs_dialog(page: Page, base_url: str):
    log_in(page, base_url, "Ola Hansen")
    choose_in_switch(page, "Emma Hansen")
    menu(page, re.compile(r"^Innboks"))
    row = page.locator("#inbox-rows tr").filter(has_text="Time for kontroll")
    expect(row).to_contain_text("Anne Andersen, Fjordheim legekontor")
    assert_accessible(page, "Innboks for Emma")
    row.get_by_role("link", name=re.compile("^Åpne")).click()
    settle(page)
    expect(page.locator("#page-title")).to_have_text("Time for kontroll")
    expect(page.locator("#dialog-messages")).to_contain_text("Det er på tide med en ny kontroll for Emma")
    expect(page.locator("#acting-line")).to_contain_text("Emma")
    assert_accessible(page, "Emma's dialog read by Ola")
