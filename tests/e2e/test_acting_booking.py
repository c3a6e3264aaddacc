"""Acting for a child in the booking pages (R36, R55; issue 8 §2) in Chromium against `make run`:
Ola switches to Emma (under 12), books a time for her in the month calendar and sees it under her
name; he switches to Jonas (12-15) and never sees the "Skjult time" Jonas booked by phone — not in
the list, not by id, not as a calendar file.

Days: the 12th weekday ahead (no other e2e test uses it). Emma's time is cancelled and Jonas's
hidden one cancelled by the clinic at the end; Ola is switched back to himself whatever happens."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.axe import assert_accessible
from tests.e2e.portal import Stack, open_page, settle
from tests.e2e.test_booking_journeys import (  # noqa: F401 - fjordheim_tidy is a fixture
    STORGATA,
    api,
    appointment_row,
    at_oslo,
    clinic_api,
    expect_row,
    fjordheim_tidy,
    log_in,
    long_date,
    open_day,
    today_in_oslo,
    weekday_ahead,
)
from tests.e2e.test_relations import choose_in_switch

pytestmark = pytest.mark.e2e


def switch_to(page: Page, name: str) -> None:
    """The header's switch reloads the page; navigate on only once the reloaded header names `name`
    (a goto racing the reload is aborted)."""
    choose_in_switch(page, name)
    expect(page.locator("#acting-name")).to_have_text(name)
    settle(page)


def test_R36_ola_books_for_emma_in_her_name_and_never_sees_jonas_hidden_appointment(
        page: Page, base_url: str, stack: Stack, fjordheim_tidy):  # noqa: F811
    today = today_in_oslo(stack)
    day = weekday_ahead(today, 12)
    # Jonas called Fjordheim legekontor and got a time his parents shall not see ("Skjult time").
    hidden = clinic_api(base_url, "POST", "/appointments", {
        "patient_id": "p-jonas", "timebok_id": "tb-anne", "start": at_oslo(day, "13:00").isoformat(),
        "type_id": "skjult", "remark": "Samtale"})
    fjordheim_tidy.append(hidden["slot_id"])

    log_in(page, base_url, "Ola Hansen")
    try:
        switch_to(page, "Emma Hansen")
        open_day(page, day, today)
        expect(page.locator("#acting-line-text")).to_have_text("Du ser nå opplysningene til Emma Hansen.")
        page.get_by_role("radio", name="09:00", exact=True).check()
        page.get_by_role("textbox", name="Bemerkning").fill("Hoste i to uker.")
        page.get_by_role("button", name="Bekreft").click()
        page.wait_for_url(re.compile(r"/nb/konsultasjoner\.html\?booked="))
        settle(page)
        expect(page.locator("#booking-notice")).to_have_text("Timen er bestilt.")
        expect(page.locator("#acting-line-text")).to_have_text("Du ser nå opplysningene til Emma Hansen.")
        row = appointment_row(page, long_date(day))
        expect_row(row, f"{long_date(day)} kl. 09:00", STORGATA, "Lise Lege", "Hoste i to uker.", "Bestilt")
        assert_accessible(page, "Mine konsultasjoner while acting for Emma")
        # In Emma's name: Ola himself has no such appointment (his own list, after switching back).
        emma_items = api(page, base_url, "GET", "/api/booking/appointments?tab=booked").json()["items"]
        [emma_booking] = [i for i in emma_items if i["start"].startswith(day.isoformat())]
        assert api(page, base_url, "POST", f"/api/booking/appointments/{emma_booking['id']}/cancel").ok

        # Jonas (14): appointments yes, the hidden one never.
        switch_to(page, "Jonas Hansen")
        open_page(page, base_url, "nb", "konsultasjoner")
        expect(page.locator("#acting-line-text")).to_have_text("Du ser nå opplysningene til Jonas Hansen.")
        page.get_by_role("tab", name="Alle", exact=True).click()
        expect(page.locator("#appointments-table, #appointments-empty").first).to_be_visible()
        expect(page.locator("#appointments-panel")).not_to_contain_text("Samtale")
        expect(page.locator("#appointments-panel")).not_to_contain_text(f"{long_date(day)} kl. 13:00")
        listed = api(page, base_url, "GET", "/api/booking/appointments?tab=all").json()["items"]
        assert hidden["id"] not in [i["id"] for i in listed]
        assert api(page, base_url, "GET", f"/api/booking/appointments/{hidden['id']}/calendar.ics").status == 404
        assert api(page, base_url, "POST", f"/api/booking/appointments/{hidden['id']}/cancel").status == 404
    finally:
        open_page(page, base_url, "nb", "oversikt")
        choose_in_switch(page, re.compile(r"^Meg selv \("))
