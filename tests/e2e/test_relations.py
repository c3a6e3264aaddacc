"""Relasjoner and acting for someone (R35-R37, issue 8 §2) in Chromium against `make run`: the list,
the header's switch ("Du ser nå: …"), the line on the health pages, Gi fullmakt, Fjern, the notice
when the access has ended, the compact header on a phone, and axe on the new states.

Who is used (the demo persons are shared with the other e2e files):
Ola Hansen reads his relations and switches to Emma and back (nothing is left changed: the
choice is set back to himself). The Fjern journey removes a relation made in the same test — Nora
Berg gives Ola a fullmakt, Ola switches to her and removes it — rather than Ola's children: a
removed child stays removed (the register sync at login skips tombstones and there is no clinic API
to give the relation back), so removing Jonas would change Ola for every later test of the session
and for every run of this test after the first. Removing the fullmakt leaves Ola as he was, and
the test can run again on the same stack (Nora's next fullmakt revives the relation)."""
from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from devstack.demo import PEOPLE, pid_for
from functions.core import national_id
from tests.e2e.axe import assert_accessible
from tests.e2e.portal import PORTAL_NOW, ensure_consent, login, open_page, session_of, settle

pytestmark = pytest.mark.e2e

TODAY = datetime.fromisoformat(PORTAL_NOW).date()  # the portal's day in Oslo (PORTAL_NOW is +01:00)
MONTHS = ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober",
          "november", "desember")
OLA = re.compile(r"^Ola( \w+)? Hansen$")  # test_journeys may give Ola a middle name
PHONE = {"width": 390, "height": 844}


def person(key: str):
    return next(p for p in PEOPLE if p.key == key)


def nid(key: str) -> str:
    return pid_for(person(key), TODAY)


def until_16(key: str) -> date:
    """The last day a parent has access: the day before the child's 16th birthday (R36)."""
    born = national_id.parse(nid(key), allow_synthetic=True).birth_date
    return date(born.year + 16, born.month, born.day) - timedelta(days=1)


def norwegian(day: date) -> str:
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"


def log_in(page: Page, base: str, who: str) -> None:
    login(page, base, who, "BankID")
    ensure_consent(page)


def menu_link(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name=name, exact=True).click()
    settle(page)


def relation_row(page: Page, name: str | re.Pattern):
    return page.locator("#relations-list > li").filter(has=page.get_by_role("heading", name=name))


def switch_toggle(page: Page):
    return page.locator("#acting-toggle")


def open_switch(page: Page):
    """Open the header's switch; returns the list of people (loaded when the switch opens)."""
    toggle = switch_toggle(page)
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    options = page.locator("#acting-options")
    expect(options.get_by_role("button", name=re.compile(r"^Meg selv \("))).to_be_visible()
    return options


def choose_in_switch(page: Page, name: str | re.Pattern) -> None:
    open_switch(page).get_by_role("button", name=name).click()
    page.wait_for_load_state("load")
    settle(page)


def nothing_in_storage_or_url(page: Page, patient_id: str) -> None:
    assert patient_id not in page.url
    assert page.evaluate("[localStorage.length, sessionStorage.length]") == [0, 0]


# ------------------------------------------------------------------------------ list and switching

def test_R35_R36_ola_sees_his_children_with_tilgang_switches_to_emma_and_back(page: Page, base_url: str):
    log_in(page, base_url, "Ola Hansen")
    menu_link(page, "Relasjoner")
    expect(page.get_by_role("heading", level=1)).to_have_text("Relasjoner")

    # R35: who, what relation, Tilgang (ja, til <the day before the 16th birthday>).
    for key, name in (("emma", "Emma Hansen"), ("jonas", "Jonas Hansen")):
        row = relation_row(page, name)
        expect(row).to_have_count(1)
        expect(row.locator(".relation-fact").nth(0)).to_have_text("RelasjonBarn")
        expect(row.locator(".relation-fact").nth(1)).to_have_text(f"TilgangJa, til {norwegian(until_16(key))}")
        expect(row.get_by_role("button", name=f"Se som {name}")).to_be_visible()
        expect(row.get_by_role("button", name=f"Fjern relasjonen til {name}")).to_be_visible()

    # The header's switch: own name, and the people Ola may act for, read when it opens.
    toggle = switch_toggle(page)
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#acting-name")).to_have_text(OLA)
    options = open_switch(page)
    expect(options.get_by_role("button")).to_have_count(3)
    expect(options.get_by_role("button", name=re.compile(r"^Meg selv \("))).to_have_attribute("aria-current", "true")
    expect(options.get_by_role("button", name="Emma Hansen")).to_be_visible()
    expect(options.get_by_role("button", name="Jonas Hansen")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#acting-panel")).to_be_hidden()
    expect(toggle).to_be_focused()

    # Switch to Emma in the header: pages that show Ola's own data say so.
    choose_in_switch(page, "Emma Hansen")
    expect(page.locator("#acting-name")).to_have_text("Emma Hansen")
    expect(page.locator("#acting-line")).to_have_text(
        "Denne siden viser dine egne opplysninger, ikke opplysningene til Emma Hansen.")
    emma = session_of(page, base_url)["acting_for"]
    assert emma["name"] == "Emma Hansen" and emma["ended"] is False
    nothing_in_storage_or_url(page, emma["patient_id"])

    # The overview and the health pages say whose data they show.
    menu_link(page, "Oversikt")
    expect(page.locator("#acting-line")).to_be_visible()
    expect(page.locator("#acting-line-text")).to_have_text("Du ser nå opplysningene til Emma Hansen.")
    open_page(page, base_url, "nb", "konsultasjoner")
    expect(page.locator("#acting-line-text")).to_have_text("Du ser nå opplysningene til Emma Hansen.")
    nothing_in_storage_or_url(page, emma["patient_id"])

    # Back to himself through the header: the line is gone.
    open_page(page, base_url, "nb", "oversikt")
    choose_in_switch(page, re.compile(r"^Meg selv \("))
    expect(page.locator("#acting-name")).to_have_text(OLA)
    expect(page.locator("#acting-line")).to_be_hidden()
    assert session_of(page, base_url)["acting_for"] is None

    # "Se som Jonas Hansen" on Relasjoner goes to the overview; the line's button goes back.
    menu_link(page, "Relasjoner")
    relation_row(page, "Jonas Hansen").get_by_role("button", name="Se som Jonas Hansen").click()
    page.wait_for_url(f"{base_url}/nb/oversikt.html")
    settle(page)
    expect(page.locator("#acting-line-text")).to_have_text("Du ser nå opplysningene til Jonas Hansen.")
    page.get_by_role("button", name="Bytt til meg selv").click()
    page.wait_for_load_state("load")
    settle(page)
    expect(page.locator("#acting-line")).to_be_hidden()
    assert session_of(page, base_url)["acting_for"] is None


# ------------------------------------------------------------------------------- fullmakt and Fjern

def test_R35_R37_nora_gives_ola_a_fullmakt_ola_acts_for_her_then_removes_it(
        page: Page, base_url: str, browser_problems, new_context: Callable[..., BrowserContext]):
    browser_problems.allow_status(422)  # the invalid national id below, shown at the field
    until = TODAY + timedelta(days=30)

    # Nora gives Ola a fullmakt on Relasjoner; every mistake is shown at its field.
    log_in(page, base_url, "Nora Berg")
    open_page(page, base_url, "nb", "relasjoner")
    form = page.locator("#fullmakt-form")
    field = form.get_by_role("textbox", name="Fødselsnummer til den som skal få fullmakt")
    field.fill("123")
    form.get_by_role("button", name="Gi fullmakt").click()
    expect(page.locator("#fullmakt-national-id-error")).to_have_text("Fødselsnummeret må ha 11 siffer.")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_be_focused()

    field.fill("12345678901")  # 11 digits, but not a national id: the server's message, at the field
    expect(form.get_by_label("Fra og med")).to_have_value(TODAY.isoformat())  # today, to start with
    form.get_by_label("Til og med").fill(until.isoformat())
    form.get_by_role("button", name="Gi fullmakt").click()
    expect(page.locator("#fullmakt-national-id-error")).to_have_text("Ugyldig fødselsnummer.")
    expect(field).to_be_focused()

    field.fill(nid("ola"))
    form.get_by_label("Til og med").fill((TODAY - timedelta(days=1)).isoformat())
    form.get_by_role("button", name="Gi fullmakt").click()
    expect(page.locator("#fullmakt-until-error")).to_have_text("Til-datoen kan ikke være før fra-datoen.")
    expect(page.locator("#fullmakt-national-id-error")).to_have_count(0)
    expect(field).not_to_have_attribute("aria-invalid", "true")

    form.get_by_label("Til og med").fill(until.isoformat())
    form.get_by_role("button", name="Gi fullmakt").click()
    expect(page.locator("#status")).to_have_text(re.compile(rf"har fått fullmakt til {norwegian(until)}\.$"))
    ola_row = relation_row(page, OLA)
    expect(ola_row.locator(".relation-fact").nth(0)).to_have_text("RelasjonFullmakt (du har gitt)")
    expect(ola_row.locator(".relation-fact").nth(1)).to_have_text("TilgangNei")
    expect(ola_row).to_contain_text(f"kan se opplysningene dine til {norwegian(until)}.")
    expect(ola_row.get_by_role("button", name=re.compile("^Se som"))).to_have_count(0)

    # Ola, in his own browser, sees the fullmakt with Tilgang and switches to Nora in the header.
    ola = new_context().new_page()
    log_in(ola, base_url, "Ola Hansen")
    open_page(ola, base_url, "nb", "relasjoner")
    nora_row = relation_row(ola, "Nora Berg")
    expect(nora_row.locator(".relation-fact").nth(0)).to_have_text("RelasjonFullmakt (du har fått)")
    expect(nora_row.locator(".relation-fact").nth(1)).to_have_text(f"TilgangJa, til {norwegian(until)}")
    choose_in_switch(ola, "Nora Berg")
    expect(ola.locator("#acting-name")).to_have_text("Nora Berg")

    # Fjern, with a confirmation dialog: Avbryt keeps it, Fjern removes it and the list updates.
    remove = relation_row(ola, "Nora Berg").get_by_role("button", name="Fjern relasjonen til Nora Berg")
    remove.click()
    dialog = ola.get_by_role("dialog", name="Vil du fjerne relasjonen til Nora Berg?")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Avbryt")).to_be_focused()
    expect(dialog).to_contain_text("Du kan ikke lenger se opplysningene til Nora Berg i portalen.")
    dialog.get_by_role("button", name="Avbryt").click()
    expect(dialog).to_be_hidden()
    expect(remove).to_be_focused()
    remove.click()
    dialog.get_by_role("button", name="Fjern", exact=True).click()
    expect(dialog).to_be_hidden()
    expect(relation_row(ola, "Nora Berg")).to_have_count(0)
    expect(relation_row(ola, "Emma Hansen")).to_have_count(1)
    expect(ola.locator("#status")).to_have_text("Relasjonen til Nora Berg er fjernet.")

    # Ola was acting for Nora: the page says the access has ended, and offers the way back.
    ended = ola.locator("#acting-ended")
    expect(ended).to_be_visible()
    expect(ended).to_contain_text("Du har ikke lenger tilgang på vegne av")
    assert session_of(ola, base_url)["acting_for"]["ended"] is True
    open_page(ola, base_url, "nb", "oversikt")
    expect(ended).to_be_visible()
    expect(ola.locator("#content")).to_be_hidden()  # a health page shows nothing of Nora's
    assert_accessible(ola, "/nb/oversikt.html with the access-ended notice")
    ended.get_by_role("button", name="Tilbake til meg selv").click()
    ola.wait_for_load_state("load")
    settle(ola)
    expect(ended).to_be_hidden()
    expect(ola.locator("#content")).to_be_visible()
    expect(ola.locator("#acting-name")).to_have_text(OLA)
    assert session_of(ola, base_url)["acting_for"] is None

    # Nora cannot be chosen in the switch any more; Ola's children still can.
    options = open_switch(ola)
    expect(options.get_by_role("button", name="Emma Hansen")).to_be_visible()
    expect(options.get_by_role("button", name="Nora Berg")).to_have_count(0)
    expect(options.get_by_role("button")).to_have_count(3)

    # Fjern ends the relation from both sides: Nora no longer sees Ola.
    open_page(page, base_url, "nb", "relasjoner")
    expect(page.locator("#relations-empty")).to_be_visible()
    expect(relation_row(page, OLA)).to_have_count(0)


# -------------------------------------------------------------------------------------- on a phone

def test_phone_header_is_compact_with_the_switch_and_nothing_scrolls_sideways(
        new_context: Callable[..., BrowserContext], base_url: str):
    page = new_context(viewport=PHONE).new_page()
    log_in(page, base_url, "Ola Hansen")
    for name in ("relasjoner", "oversikt"):
        open_page(page, base_url, "nb", name)
        expect(switch_toggle(page)).to_be_visible()
        height = page.locator("#site-header").bounding_box()["height"]
        assert height <= 120, f"{name}: the header takes {height} px of 844"
        widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert widths[0] <= widths[1], f"{name}: the page scrolls sideways ({widths})"

    # The menu folds behind "Meny" (aria-expanded) and opens below the header.
    menu = page.get_by_role("navigation", name="Hovedmeny")
    toggle = page.get_by_role("button", name="Meny")
    expect(menu).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(menu.get_by_role("link", name="Relasjoner")).to_be_visible()
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    expect(toggle).to_be_focused()

    # Keyboard order = the visual order, each with a visible focus ring; the menu follows "Meny".
    page.locator("#main").focus()
    page.evaluate("window.scrollTo(0, 0)")
    page.keyboard.press("Shift+Tab")  # from main back to the header's last control
    expected = ["menu-toggle", "logout-button", "acting-toggle", "lang-switch"]
    for index, wanted in enumerate(expected):
        if index:
            page.keyboard.press("Shift+Tab")
        focused = page.evaluate("[document.activeElement.id, getComputedStyle(document.activeElement).outlineStyle]")
        assert focused == [wanted, "solid"], (wanted, focused)
    page.keyboard.press("Tab")  # from the language link to the switch
    expect(switch_toggle(page)).to_be_focused()
    page.keyboard.press("Enter")  # opens the switch from the keyboard
    options = page.locator("#acting-options")
    expect(options.get_by_role("button", name="Emma Hansen")).to_be_visible()
    box = page.locator("#acting-panel").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert_accessible(page, "/nb/oversikt.html on a phone with the switch open")
    page.keyboard.press("Escape")
    expect(switch_toggle(page)).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # Logg ut, then Meny
    expect(toggle).to_be_focused()
    page.keyboard.press("Enter")
    expect(menu).to_be_visible()
    assert_accessible(page, "/nb/oversikt.html on a phone with the menu open")


# ------------------------------------------------------------------------------------- accessibility

@pytest.mark.parametrize("lang", ["nb", "en"])
def test_WCAG21AA_relasjoner_with_the_fjern_dialog_open_and_the_switch_open(page: Page, base_url: str, lang: str):
    log_in(page, base_url, "Ola Hansen")
    open_page(page, base_url, lang, "relasjoner")
    expect(page.locator("#relations-list > li")).not_to_have_count(0)
    page.locator("#relations-list > li").first.locator("button[data-patient]").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("#remove-close")).to_be_focused()
    assert_accessible(page, f"/{lang}/relasjoner.html with the Fjern dialog open")
    dialog.locator("#remove-close").click()  # leave the relation as it was
    expect(dialog).to_be_hidden()

    open_page(page, base_url, lang, "oversikt")
    switch_toggle(page).click()
    expect(page.locator("#acting-options button")).not_to_have_count(0)
    assert_accessible(page, f"/{lang}/oversikt.html with the switch open")
