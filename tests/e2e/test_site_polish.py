"""What a new user found (issue 8 §5), in Chromium against `make run`: Mine konsultasjoner on a
phone (390 × 844) without sideways scrolling, each appointment a card with its Status and actions
in view; a compact header there; the warning on the confirm step of Bestill konsultasjon when the
chosen time starts inside the clinic's cancel deadline (Storgata legesenter: 24 hours), and none
for a time outside it; axe (tests/e2e/axe.py) on each of these states.

Who is used: Nora Berg (attached to Storgata legesenter). The phone test books one time by the API
on a day no other test uses (the tenth weekday ahead) and cancels it afterwards (`tidy`); the
deadline test only chooses times and never presses Bekreft, so it leaves nothing behind; the Flytt
dialog's deadline test books one time on the 16th weekday ahead by the API and cancels it (`tidy`)."""
from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.e2e.axe import assert_accessible
from tests.e2e.portal import Stack, settle
from tests.e2e.test_booking_journeys import (  # noqa: F401 - tidy is a fixture
    STORGATA,
    api,
    appointment_row,
    book_by_api,
    choose_lise,
    day_month,
    log_in,
    long_date,
    nav,
    pick_day,
    slot_radios,
    tidy,
    today_in_oslo,
    weekday_ahead,
)

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
HEADER_MAX = 160  # px of the 844: the header (brand, language, switch, Logg ut, Meny) with the menu folded
PERSON = "Nora Berg"
STORGATA_ID = "c-storgata"
STORGATA_DEADLINE_HOURS = 24  # devstack/demo_booking.py
STORGATA_PHONE = "+47 22 00 11 00"
WARNING_TITLE = "Du kan ikke avbestille eller flytte denne timen på nett"


def within_width(locator: Locator, width: int) -> None:
    """Shown, and wholly inside the viewport's width (not cut off or scrolled away sideways)."""
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, box


def no_sideways_scroll(page: Page) -> None:
    sizes = page.evaluate("[document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]")
    assert sizes[0] <= sizes[1], f"the page scrolls sideways: scrollWidth {sizes[0]} > clientWidth {sizes[1]}"


def header_is_compact(page: Page) -> None:
    expect(page.get_by_role("button", name=re.compile("^(Meny|Menu)$"))).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#main-nav")).to_be_hidden()
    height = page.locator("#site-header").bounding_box()["height"]
    assert height <= HEADER_MAX, f"the header takes {height} px of {PHONE['height']} on a phone"


# ------------------------------------------------------------------------------ Mine konsultasjoner

def test_on_a_phone_mine_konsultasjoner_shows_each_time_as_a_card_with_status_and_actions_in_view(
        new_context, base_url: str, stack: Stack, tidy):  # noqa: F811 - the fixture imported above
    page = new_context(viewport=PHONE).new_page()
    day = weekday_ahead(today_in_oslo(stack), 10)
    log_in(page, base_url, PERSON)
    tidy(page, base_url)
    remark = "Vondt i kneet etter fotballtrening, og litt hevelse rundt leddet siden i går kveld."
    book_by_api(page, base_url, day, "08:00", remark)

    page.goto(f"{base_url}/nb/oversikt.html")
    settle(page)
    header_is_compact(page)
    page.get_by_role("button", name="Meny").click()
    nav(page, "Mine konsultasjoner")
    header_is_compact(page)
    no_sideways_scroll(page)

    # Still a table for screen readers (five columns); on the screen a card, nothing scrolled sideways.
    table = page.get_by_role("table", name="Bestilte konsultasjoner")
    expect(table.get_by_role("columnheader")).to_have_count(5)
    row = appointment_row(page, long_date(day))
    expect(row).to_have_count(1)
    cells = row.get_by_role("cell")
    expect(cells).to_have_count(5)
    expect(cells.nth(0)).to_contain_text(f"{long_date(day)} kl. 08:00")
    expect(cells.nth(1)).to_have_text(f"{STORGATA}Lise Lege")
    expect(cells.nth(2)).to_have_text(remark)
    expect(cells.nth(3)).to_have_text("Bestilt")
    wrap = page.locator("#appointments-table").locator("..")
    assert wrap.evaluate("w => w.scrollWidth <= w.clientWidth"), "the table scrolls sideways inside its box"
    within_width(cells.nth(3), PHONE["width"])
    actions = cells.nth(4)
    when = f"{day_month(day)} 08:00"
    for control in (actions.get_by_role("button", name=f"Avbestill timen {when}", exact=True),
                    actions.get_by_role("button", name=f"Flytt timen {when}", exact=True),
                    actions.get_by_role("link", name=f"Legg til i kalender {when}", exact=True)):
        within_width(control, PHONE["width"])
    # The column names are drawn beside the values (Klinikk, Bemerkning, Status), not read twice.
    assert cells.nth(3).evaluate("c => getComputedStyle(c, '::before').content").startswith('"Status"')
    assert_accessible(page, "/nb/konsultasjoner.html on a phone (390 × 844), a time listed")

    page.get_by_role("button", name=f"Avbestill timen {when}", exact=True).click()
    dialog = page.get_by_role("dialog", name="Vil du avbestille timen?")
    expect(dialog).to_be_visible()
    within_width(dialog.get_by_role("button", name="Bekreft"), PHONE["width"])
    dialog.get_by_role("button", name="Avbryt").click()  # tidy cancels it after the test


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_on_a_phone_the_header_and_menu_take_at_most_160_px(new_context, base_url: str, lang: str):
    page = new_context(viewport=PHONE).new_page()
    page.goto(f"{base_url}/{lang}/index.html")
    settle(page)
    header_is_compact(page)  # logged out
    no_sideways_scroll(page)
    log_in(page, base_url, PERSON)
    page.goto(f"{base_url}/{lang}/konsultasjoner.html")
    settle(page)
    header_is_compact(page)  # logged in: the "Du ser nå" switch, Logg ut and Meny on one row
    no_sideways_scroll(page)


# ----------------------------------------------------------------------------- the cancel deadline

def slot_starts(page: Page) -> list[datetime]:
    stamps = page.locator("#slot-options time").evaluate_all("ts => ts.map((t) => t.getAttribute('datetime'))")
    return [datetime.fromisoformat(s.replace("Z", "+00:00")) for s in stamps]


def test_a_time_inside_the_cancel_deadline_is_warned_about_before_bekreft_and_one_outside_is_not(
        page: Page, base_url: str, stack: Stack):
    today = today_in_oslo(stack)
    soon, later = weekday_ahead(today, 1), weekday_ahead(today, 3)
    log_in(page, base_url, PERSON)
    clinic = api(page, base_url, "GET", f"/api/booking/clinics/{STORGATA_ID}").json()
    assert clinic.get("cancel_deadline_hours") == STORGATA_DEADLINE_HOURS, (
        "the booking page needs the clinic's cancel deadline: GET /api/booking/clinics/<clinic_id> must answer "
        f"\"cancel_deadline_hours\" (the clinic's BookingSettings.cancel_deadline_hours), got {sorted(clinic)}")
    nav(page, "Bestill konsultasjon")
    expect(page.get_by_role("radio", name=STORGATA)).to_be_checked()
    choose_lise(page)
    warning = page.locator("#deadline-warning")
    confirm = page.get_by_role("button", name="Bekreft")

    # Tomorrow before 09:00 is less than 24 hours away (PORTAL_NOW is Monday 09:00).
    pick_day(page.locator("#calendar"), soon, today)
    expect(page.locator("#slot-group")).to_have_attribute("aria-busy", "false")
    now = stack.now()
    inside = [i for i, start in enumerate(slot_starts(page))
              if start - now < timedelta(hours=STORGATA_DEADLINE_HOURS, minutes=-10)]
    assert inside, f"no time on {soon} starts within {STORGATA_DEADLINE_HOURS} hours of {now}"
    expect(warning).to_be_hidden()
    slot_radios(page).nth(inside[0]).check()
    expect(page.locator("#summary")).to_be_visible()
    expect(warning).to_be_visible()
    expect(warning).to_contain_text(WARNING_TITLE)
    expect(warning).to_contain_text("Timen begynner om mindre enn 24 timer.")
    expect(warning).to_contain_text(f"ringe klinikken for å avbestille eller flytte den: {STORGATA_PHONE}.")
    expect(confirm).to_have_accessible_description(re.compile(rf"^{re.escape(WARNING_TITLE)}"))
    assert warning.bounding_box()["y"] < confirm.bounding_box()["y"], "the warning comes before Bekreft"
    assert_accessible(page, "/nb/bestill.html with a time inside the cancel deadline chosen")

    # Two days later every time is outside the deadline: no warning, and Bekreft describes nothing.
    pick_day(page.locator("#calendar"), later, today)
    expect(page.locator("#slot-group")).to_have_attribute("aria-busy", "false")
    assert all(start - stack.now() > timedelta(hours=STORGATA_DEADLINE_HOURS) for start in slot_starts(page))
    slot_radios(page).first.check()
    expect(page.locator("#summary")).to_be_visible()
    expect(warning).to_be_hidden()
    expect(confirm).not_to_have_attribute("aria-describedby", re.compile("deadline-warning"))
    assert_accessible(page, "/nb/bestill.html with a time outside the cancel deadline chosen")


def test_moving_to_a_time_inside_the_cancel_deadline_is_warned_about_in_the_flytt_dialog(
        page: Page, base_url: str, stack: Stack, tidy):  # noqa: F811
    today = today_in_oslo(stack)
    booked_day, soon, later = weekday_ahead(today, 16), weekday_ahead(today, 1), weekday_ahead(today, 3)
    log_in(page, base_url, PERSON)
    tidy(page, base_url)
    book_by_api(page, base_url, booked_day, "09:00")
    nav(page, "Mine konsultasjoner")
    page.get_by_role("button", name=f"Flytt timen {day_month(booked_day)} 09:00", exact=True).click()
    dialog = page.get_by_role("dialog", name="Flytt timen")
    warning = dialog.locator("#move-deadline-warning")
    confirm = dialog.get_by_role("button", name="Bekreft")
    expect(warning).to_be_hidden()

    pick_day(dialog.locator("#move-calendar"), soon, today)
    expect(dialog.locator("#move-slot-legend")).to_have_text(f"Nærmeste ledige timer {long_date(soon)}")
    dialog.locator("#move-slot-options").get_by_role("radio").first.check()   # tomorrow 08:00: < 24 hours
    expect(warning).to_be_visible()
    expect(warning).to_contain_text(WARNING_TITLE)
    expect(warning).to_contain_text(f"ringe klinikken for å avbestille eller flytte den: {STORGATA_PHONE}.")
    expect(confirm).to_have_accessible_description(re.compile(rf"^{re.escape(WARNING_TITLE)}"))
    assert_accessible(page, "Flytt timen with a time inside the cancel deadline chosen")

    pick_day(dialog.locator("#move-calendar"), later, today)
    expect(dialog.locator("#move-slot-legend")).to_have_text(f"Nærmeste ledige timer {long_date(later)}")
    expect(warning).to_be_hidden()
    dialog.locator("#move-slot-options").get_by_role("radio").first.check()
    expect(warning).to_be_hidden()
    expect(confirm).not_to_have_attribute("aria-describedby", re.compile("deadline"))
    dialog.get_by_role("button", name="Avbryt").click()
