"""Whole journeys in Chromium against `make run`: log in through the stand-in ID-porten, consent,
Min profil, what the clinic sees, the access log, withdrawal, log out, failures and languages.

Each test uses its own demo person, so the tests do not depend on each other's order:
Kari (the foundation journey), Ola (bad input, also the accessibility scans), Nora (step-up),
Jonas (failed logins), Emma (English), Ny Bruker (first login and the mailbox)."""
from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
import requests
from PIL import Image
from playwright.sync_api import Page, Request, expect

from tests.e2e.portal import (
    CLINIC_KEY,
    CLINIC_STAFF,
    accept_consent,
    ensure_consent,
    follow_login_link,
    login,
    open_page,
    session_of,
    settle,
    spend_login_hits,
    wait_ready,
)

pytestmark = pytest.mark.e2e

NATIONAL_ID = re.compile(r"\b\d{11}\b")


def clinic_headers() -> dict[str, str]:
    token = base64.b64encode(":".join(CLINIC_KEY).encode()).decode()
    return {"Authorization": f"Basic {token}", "X-Staff-Id": CLINIC_STAFF}


def clinic_reads_contact(base: str, patient_id: str) -> dict:
    answer = requests.get(f"{base}/api/accounts/clinic/patients/{patient_id}/contact",
                          headers=clinic_headers(), timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()


def nav(page: Page, name: str) -> None:
    """Follow a link of the main menu (Hovedmeny / Main menu) and wait for the page to settle."""
    menu = page.get_by_role("navigation", name=re.compile("^(Hovedmeny|Main menu)$"))
    menu.get_by_role("link", name=name, exact=True).click()
    settle(page)


@pytest.fixture
def idporten_mode(base_url: str) -> Iterator:
    """Switch the stand-in ID-porten to issue broken tokens; back to normal afterwards."""

    def switch(mode: str) -> None:
        answer = requests.post(f"{base_url}/idporten/__switch", json={"mode": mode}, timeout=10)
        assert answer.status_code == 200 and answer.json() == {"mode": mode}, answer.text

    yield switch
    switch("normal")


# ------------------------------------------------------------------------------------- foundation

def test_R10_R5_R55_foundation_journey_consent_profile_clinic_access_log_withdraw_and_logout(
        page: Page, base_url: str, tmp_path):
    # R1/R10: log in with BankID; the first visit asks for consent before anything else.
    login(page, base_url, "Kari Nordmann", "BankID")
    expect(page).to_have_url(re.compile(r"/nb/samtykke\.html\?next=%2Fnb%2Foversikt\.html$"))
    expect(page.locator("#consent-status")).to_have_text("Du har ikke samtykket ennå.")
    accept_consent(page)
    expect(page).to_have_url(f"{base_url}/nb/oversikt.html")
    expect(page.locator("#greeting")).to_have_text("Hei, Kari Nordmann!")
    expect(page.get_by_role("button", name="Logg ut")).to_be_visible()

    # R5: edit the first name.
    nav(page, "Min profil")
    expect(page.locator("#pv-first-name")).to_have_text("Kari")
    page.get_by_role("button", name="Rediger").click()
    page.get_by_role("textbox", name="Fornavn").fill("Kari Anne")
    page.locator("#personal-form").get_by_role("button", name="Lagre").click()
    expect(page.locator("#status")).to_have_text("Lagret")
    expect(page.locator("#pv-first-name")).to_have_text("Kari Anne")
    expect(page.locator("#personal-form")).to_be_hidden()

    # R7: add a Norwegian mobile number, written the way people write it.
    phones = page.locator("#phones")
    phones.get_by_role("button", name="Legg til").click()
    phones.get_by_role("textbox", name="Telefonnummer").fill("412 34 567")
    phones.get_by_role("button", name="Lagre").click()
    expect(page.locator("#phone-list")).to_contain_text("+47 41 23 45 67")   # shown in Norwegian groups
    expect(page.locator("#phone-form")).to_be_hidden()

    # R6: add an address.
    addresses = page.locator("#addresses")
    addresses.get_by_role("button", name="Legg til").click()
    addresses.get_by_role("textbox", name="Gateadresse").fill("Storgata 5")
    addresses.get_by_role("textbox", name="Postnummer").fill("0155")
    addresses.get_by_role("textbox", name="Poststed").fill("Oslo")
    addresses.get_by_role("button", name="Lagre").click()
    expect(page.locator("#address-list")).to_contain_text("Storgata 5, 0155 Oslo")

    # R8: upload a picture with the file picker; it is shown from a presigned URL on (moto's) S3.
    picture = tmp_path / "kari.png"
    Image.new("RGB", (96, 96), (20, 110, 70)).save(picture, "PNG")
    page.set_input_files("#picture-input", str(picture))
    img = page.locator("#picture-img")
    expect(img).to_be_visible()
    expect(page.locator("#picture-empty")).to_be_hidden()
    page.wait_for_function("() => { const i = document.getElementById('picture-img');"
                           " return i.complete && i.naturalWidth > 0; }")
    src = urlsplit(img.get_attribute("src") or "")
    assert src.scheme == "http" and src.netloc != urlsplit(base_url).netloc, src
    assert "/pictures/p-kari/" in src.path and "X-Amz-Signature=" in src.query, src

    # The clinic reads the contact details through its API and sees the new number (R8: and picture).
    contact = clinic_reads_contact(base_url, "p-kari")
    assert "+4741234567" in [p["number"] for p in contact["phones"]], contact
    assert contact["name"] == "Kari Anne Nordmann"
    assert "Storgata 5" in [a["street"] for a in contact["addresses"]]
    assert contact["picture_url"]

    # R55: the patient sees who read it, by person and clinic.
    nav(page, "Hvem har sett mine opplysninger")
    rows = page.locator("#log-rows tr")
    expect(rows.filter(has_text="Lise Lege").filter(has_text="Storgata legesenter")).to_have_count(1)

    # R10: withdraw consent (as easy as giving it) through the confirmation dialog.
    nav(page, "Samtykke")
    page.get_by_role("button", name="Trekk tilbake samtykke").click()
    dialog = page.get_by_role("dialog", name="Trekke tilbake samtykket?")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Bekreft").click()
    expect(dialog).to_be_hidden()
    expect(page.locator("#consent-status")).to_have_text(
        "Du har trukket tilbake samtykket. Du kan ikke bruke portalen før du samtykker på nytt.")
    expect(page.locator("#history-rows tr").first).to_contain_text("Trukket tilbake")
    expect(page.get_by_role("button", name="Jeg samtykker")).to_be_visible()

    # Min profil is blocked now: the page sends the patient to the consent page, the API refuses
    # changes. (docs/api.md says GET /profile is refused too; the API answers it; see the report.)
    nav(page, "Min profil")
    expect(page).to_have_url(re.compile(r"/nb/samtykke\.html\?next=%2Fnb%2Fprofil\.html$"))
    expect(page.get_by_role("button", name="Jeg samtykker")).to_be_visible()
    csrf = session_of(page, base_url)["csrf_token"]
    refused = page.request.post(f"{base_url}/api/accounts/profile/phones", data={"number": "41234568"},
                                headers={"X-CSRF-Token": csrf})
    assert refused.status == 403 and refused.json()["error"] == "consent_required", refused.text()

    # ... while the access log stays reachable.
    nav(page, "Hvem har sett mine opplysninger")
    expect(page).to_have_url(f"{base_url}/nb/tilgangslogg.html")
    expect(rows.filter(has_text="Lise Lege")).to_have_count(1)

    # Consent again: the portal is usable again.
    nav(page, "Samtykke")
    page.get_by_role("button", name="Jeg samtykker").click()
    expect(page.locator("#consent-status")).to_contain_text("Du har samtykket")
    nav(page, "Min profil")
    expect(page).to_have_url(f"{base_url}/nb/profil.html")
    expect(page.locator("#pv-first-name")).to_have_text("Kari Anne")

    # R3: log out ends the session server-side and lands on the logged-out page.
    page.get_by_role("button", name="Logg ut").click()
    page.wait_for_url(f"{base_url}/nb/logget-ut.html")
    wait_ready(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Du er logget ut")
    assert session_of(page, base_url) == {"authenticated": False}


# ------------------------------------------------------------------------------------- bad input

def test_R5_R7_R8_bad_input_shows_the_servers_message_at_the_field_and_loses_nothing(
        page: Page, base_url: str, browser_problems):
    browser_problems.allow_status(415, 422)  # provoked on purpose below; the page shows them
    login(page, base_url, "Ola Hansen", "BankID")
    ensure_consent(page)
    open_page(page, base_url, "nb", "profil")
    expect(page.locator("#pv-email")).to_have_text("ola.hansen@example.no")

    # Something valid first, so there is something saved that must not be lost.
    page.get_by_role("button", name="Rediger").click()
    page.get_by_role("textbox", name="Mellomnavn").fill("Olav")
    page.locator("#personal-form").get_by_role("button", name="Lagre").click()
    expect(page.locator("#pv-middle-name")).to_have_text("Olav")

    # An invalid e-mail address: the server's message next to the field; the form keeps the input.
    page.get_by_role("button", name="Rediger").click()
    email = page.get_by_role("textbox", name="E-post")
    email.fill("ola.hansen-at-example.no")
    with page.expect_response(lambda r: r.url.endswith("/api/accounts/profile") and r.request.method == "PATCH"
                              ) as answered:
        page.locator("#personal-form").get_by_role("button", name="Lagre").click()
    problem = answered.value.json()
    assert answered.value.status == 422 and problem["field"] == "email", problem
    error = page.locator("#personal-form .field:has(#email) .field-error")  # in the field's own box
    expect(error).to_have_text(problem["message"])
    expect(error).to_have_text("Ugyldig e-postadresse.")
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(email).to_have_attribute("aria-describedby", re.compile(r"\bemail-error\b"))
    expect(email).to_have_value("ola.hansen-at-example.no")
    expect(email).to_be_focused()
    expect(page.locator("#personal-form")).to_be_visible()

    # An invalid phone number: the same.
    phones = page.locator("#phones")
    phones.get_by_role("button", name="Legg til").click()
    number = phones.get_by_role("textbox", name="Telefonnummer")
    number.fill("123")
    with page.expect_response(lambda r: r.url.endswith("/api/accounts/profile/phones")) as answered:
        phones.get_by_role("button", name="Lagre").click()
    problem = answered.value.json()
    assert answered.value.status == 422 and problem["field"] == "number", problem
    error = page.locator("#phone-form .field:has(#phone-new) .field-error")
    expect(error).to_have_text(problem["message"])
    expect(error).to_have_text("Ugyldig telefonnummer.")
    expect(number).to_have_attribute("aria-invalid", "true")
    expect(number).to_have_attribute("aria-describedby", re.compile(r"\bphone-new-error\b"))
    expect(number).to_have_value("123")
    expect(page.locator("#phone-form")).to_be_visible()

    # R8: a renamed non-image is refused by content, with a readable message at the picker.
    with page.expect_response(lambda r: r.url.endswith("/api/accounts/profile/picture")) as answered:
        page.set_input_files("#picture-input", files=[
            {"name": "x.png", "mimeType": "image/png", "buffer": b"not an image"}])
    problem = answered.value.json()
    assert answered.value.status == 415, problem
    picture_error = page.locator("#picture .field-error")
    expect(picture_error).to_have_text(problem["message"])
    expect(picture_error).to_have_text("Filen er ikke et bilde. Bruk JPEG, PNG eller WebP.")
    expect(page.locator("#picture-img")).to_be_hidden()
    assert "Traceback" not in page.content()

    # After a reload nothing that was saved is lost, and nothing invalid was saved.
    page.reload()
    settle(page)
    expect(page.locator("#pv-middle-name")).to_have_text("Olav")
    expect(page.locator("#pv-email")).to_have_text("ola.hansen@example.no")
    expect(page.locator("#phone-list li")).to_have_count(1)
    expect(page.locator("#phone-list")).to_contain_text("+47 92 34 56 78")
    expect(page.locator("#picture-empty")).to_be_visible()


# --------------------------------------------------------------------------------------- step-up

def test_R1_minid_reaches_min_profil_and_steps_up_to_bankid_for_the_access_log(page: Page, base_url: str):
    clinic_reads_contact(base_url, "p-nora")  # so that the access log has something to show

    login(page, base_url, "Nora Berg", "MinID")
    ensure_consent(page)
    assert session_of(page, base_url)["level"] == "substantial"
    expect(page.get_by_role("heading", name="Du er logget inn med MinID")).to_be_visible()

    nav(page, "Min profil")
    expect(page.locator("#profile")).to_be_visible()
    expect(page.locator("#pv-first-name")).to_have_text("Nora")

    nav(page, "Hvem har sett mine opplysninger")
    step_up = page.locator("#step-up")
    expect(step_up.get_by_role("heading", name="Denne siden krever innlogging med BankID")).to_be_visible()
    expect(page.locator("#content")).to_be_hidden()
    expect(page.get_by_text("Lise Lege")).to_have_count(0)
    refused = page.request.get(f"{base_url}/api/accounts/access-log")
    assert refused.status == 403 and refused.json()["error"] == "step_up_required"

    follow_login_link(page, base_url, step_up.get_by_role("link", name="Logg inn med BankID"), "Nora Berg", "BankID")
    expect(page).to_have_url(f"{base_url}/nb/tilgangslogg.html")
    settle(page)
    expect(step_up).to_be_hidden()
    expect(page.locator("#log-rows tr").filter(has_text="Lise Lege").filter(has_text="Storgata legesenter")
           ).to_have_count(1)
    assert session_of(page, base_url)["level"] == "high"


# --------------------------------------------------------------------------------- login failures

OIDC_FAILURES = [
    ("bad_signature", "bad_signature", "Vi kunne ikke bekrefte svaret fra ID-porten."),
    ("wrong_iss", "wrong_issuer", "Svaret kom ikke fra ID-porten slik vi forventet."),
    ("wrong_aud", "wrong_audience", "Svaret fra ID-porten var ikke ment for denne portalen."),
    ("bad_nonce", "bad_nonce", "Svaret fra ID-porten hørte ikke til denne innloggingen."),
    ("expired", "expired", "Svaret fra ID-porten var utløpt."),
]


def assert_clear_failure_page(page: Page, base: str, reason: str, message: str) -> None:
    expect(page).to_have_url(f"{base}/nb/innlogging-feilet.html?reason={reason}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Innloggingen feilet")
    expect(page.get_by_text(message, exact=True)).to_be_visible()
    expect(page.locator("#reason-generic")).to_be_hidden()
    expect(page.locator("#reason-code")).to_have_text(reason)
    expect(page.get_by_role("link", name="Prøv igjen")).to_be_visible()
    assert "Traceback" not in page.content()
    assert session_of(page, base) == {"authenticated": False}
    assert not [c for c in page.context.cookies() if c["name"] == "portal_session"]


@pytest.mark.parametrize("mode,reason,message", OIDC_FAILURES, ids=[m for m, _, _ in OIDC_FAILURES])
def test_R1_a_broken_id_token_shows_a_clear_failure_page_and_creates_no_session(
        page: Page, base_url: str, idporten_mode, mode: str, reason: str, message: str):
    idporten_mode(mode)
    login(page, base_url, "Jonas Hansen", "BankID")
    assert_clear_failure_page(page, base_url, reason, message)


def test_R1_a_replayed_callback_shows_a_clear_failure_page_and_creates_no_session(
        page: Page, base_url: str, new_context):
    callbacks: list[str] = []

    def remember(request: Request) -> None:
        if urlsplit(request.url).path == "/api/accounts/callback":
            callbacks.append(request.url)

    page.on("request", remember)
    login(page, base_url, "Jonas Hansen", "BankID")
    assert session_of(page, base_url)["authenticated"] is True
    assert len(callbacks) == 1 and "code=" in callbacks[0]

    other = new_context().new_page()
    spend_login_hits(base_url, 1)
    other.goto(callbacks[0])
    wait_ready(other)
    assert_clear_failure_page(other, base_url, "state_mismatch",
                              "Innloggingen kunne ikke bekreftes. Dette kan skje hvis du startet innloggingen i en "
                              "annen fane eller nettleser, eller brukte tilbakeknappen.")


# -------------------------------------------------------------------------------------- languages

def test_R5_english_pages_show_english_texts_and_the_api_answers_in_english(
        page: Page, base_url: str, browser_problems):
    browser_problems.allow_status(422)
    page.goto(f"{base_url}/en/")
    wait_ready(page)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome to the patient portal")
    menu = page.get_by_role("navigation", name="Main menu")
    for text in ("Overview", "My profile", "Consent", "Who has seen my information"):
        expect(menu.get_by_role("link", name=text, exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Logg inn med BankID")).to_have_count(0)

    login(page, base_url, "Emma Hansen", "BankID", lang="en")
    expect(page).to_have_url(re.compile(r"/en/(samtykke|oversikt)\.html"))
    ensure_consent(page, "en")
    expect(page).to_have_url(f"{base_url}/en/oversikt.html")
    expect(page.locator("#greeting")).to_have_text("Hello, Emma Hansen!")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    nav(page, "My profile")
    expect(page.get_by_role("heading", level=1)).to_have_text("My profile")
    expect(page.get_by_role("heading", name="Personal details")).to_be_visible()

    page.get_by_role("button", name="Edit").click()
    page.get_by_role("textbox", name="E-mail").fill("emma@")
    page.locator("#personal-form").get_by_role("button", name="Save").click()
    expect(page.locator("#email-error")).to_have_text("Invalid e-mail address.")

    phones = page.locator("#phones")
    phones.get_by_role("button", name="Add").click()
    phones.get_by_role("textbox", name="Phone number").fill("12")
    phones.get_by_role("button", name="Save").click()
    expect(page.locator("#phone-new-error")).to_have_text("Invalid phone number.")

    page.get_by_role("link", name="Norsk (bokmål)").click()
    settle(page)
    expect(page).to_have_url(f"{base_url}/nb/profil.html")
    expect(page.get_by_role("heading", level=1)).to_have_text("Min profil")


# ---------------------------------------------------------------------------------------- mailbox

def test_R28_R56_changing_the_email_sends_a_notice_to_the_new_address_without_the_national_id(
        page: Page, base_url: str):
    login(page, base_url, "Ny Bruker", "BankID")  # the first login creates the patient
    expect(page).to_have_url(re.compile(r"/nb/samtykke\.html"))
    accept_consent(page)
    open_page(page, base_url, "nb", "profil")
    national_id = page.locator("#pv-national-id").inner_text()
    assert NATIONAL_ID.fullmatch(national_id), national_id

    address = "ny.bruker@example.org"
    page.get_by_role("button", name="Rediger").click()
    page.get_by_role("textbox", name="E-post").fill(address)
    page.locator("#personal-form").get_by_role("button", name="Lagre").click()
    expect(page.locator("#status")).to_have_text("Lagret")
    expect(page.locator("#pv-email")).to_have_text(address)

    drained = requests.post(f"{base_url}/__dev/jobs/drain_outbox", timeout=30)
    assert drained.status_code == 200 and drained.json()["job"] == "drain_outbox", drained.text

    page.goto(f"{base_url}/__dev/mailbox")
    notice = page.locator("ul.mailbox > li").filter(has_text=f"Til: {address}")
    expect(notice).to_have_count(1)
    expect(notice.get_by_role("heading")).to_have_text("Din e-postadresse er endret")
    expect(notice).to_contain_text("sendt")
    body = notice.locator("pre").inner_text()
    assert f"{base_url}/nb/profil.html" in body
    assert national_id not in body and not NATIONAL_ID.search(body), body
    assert national_id not in page.content()
