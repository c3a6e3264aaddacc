"""Appointment notices in the local mailbox against `make run` (R47, R48, R28): a booking is
confirmed by e-mail with the clinic, the time and a link and nothing else; after moving the portal
clock to two days before, `send_reminders` (run on demand, twice) leaves exactly one reminder. And
the waitlist ("Gi meg beskjed om en tidligere time"): another patient cancels, and the waiting
patient's notice leads to a one-click move.

Nora Berg (Storgata legesenter, e-mail nora.berg@example.no) books on the 13th and the 15th weekday
ahead, days no other e2e test uses; Jonas Hansen frees a time on the 14th. Every booking is
cancelled afterwards (tidy)."""
from __future__ import annotations

import time
from datetime import timedelta

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.e2e.axe import assert_accessible
from tests.e2e.portal import Stack, settle
from tests.e2e.test_booking_journeys import (  # noqa: F401 - tidy is a fixture
    STORGATA,
    api,
    at_oslo,
    book_by_api,
    day_month,
    log_in,
    long_date,
    nav,
    tidy,
    today_in_oslo,
    weekday_ahead,
)

pytestmark = pytest.mark.e2e

NORA = "nora.berg@example.no"


def mails(base: str, subject: str, recipient: str = NORA) -> list[dict]:
    answer = requests.get(f"{base}/__dev/mailbox?format=json", timeout=10)
    assert answer.ok, answer.text
    return [m for m in answer.json()["messages"] if m["subject"] == subject and m["recipient"] == recipient]


def wait_for_mail(base: str, subject: str, body_has: str, seconds: float = 20) -> dict:
    """The local stack's timer runs appointment_notices and the drain every 3 seconds."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = [m for m in mails(base, subject) if body_has in m["body"] and m["sent"]]
        if found:
            return found[0]
        time.sleep(0.5)
    raise AssertionError(f"no sent mail {subject!r} with {body_has!r}: {mails(base, subject)}")


def run_job(base: str, name: str) -> dict:
    answer = requests.post(f"{base}/__dev/jobs/{name}", timeout=30)
    assert answer.ok, answer.text
    return answer.json()["result"]


def test_R47_R28_the_mailbox_shows_the_confirmation_and_after_moving_the_clock_exactly_one_reminder(
        page: Page, base_url: str, stack: Stack, tidy):  # noqa: F811
    today = today_in_oslo(stack)
    day = weekday_ahead(today, 13)
    when = f"{long_date(day)} kl. 08:20"
    log_in(page, base_url, "Nora Berg")
    tidy(page, base_url)
    book_by_api(page, base_url, day, "08:20", "Hodepine og svimmelhet")

    confirmation = wait_for_mail(base_url, "Timen din er bestilt", when)
    assert STORGATA in confirmation["body"] and f"{base_url}/nb/konsultasjoner.html" in confirmation["body"]
    for secret in ("Hodepine", "svimmelhet", "Lise", "Ordinær"):
        assert secret not in confirmation["body"]

    with stack.clock_travel():
        stack.set_now(at_oslo(day, "08:20") - timedelta(hours=47))
        first, second = run_job(base_url, "send_reminders"), run_job(base_url, "send_reminders")
        assert first["enqueued"] >= 1 and second["enqueued"] == 0, (first, second)
        run_job(base_url, "drain_outbox")
        page.goto(f"{base_url}/__dev/mailbox")
        reminders = page.locator("ul.mailbox > li").filter(has_text=f"Til: {NORA}").filter(
            has_text="Påminnelse om time").filter(has_text=when)
        expect(reminders).to_have_count(1)
        expect(reminders.locator("pre")).to_contain_text(f"Påminnelse: du har time hos {STORGATA} {when}.")
        expect(reminders).not_to_contain_text("Hodepine")


WEEKDAY_NAMES = ("Mandag", "Tirsdag", "Onsdag", "Torsdag", "Fredag")


def test_waitlist_another_patient_cancels_and_the_notice_leads_to_a_one_click_move(
        page: Page, base_url: str, stack: Stack, new_context, tidy):  # noqa: F811
    today = today_in_oslo(stack)
    early, mine = weekday_ahead(today, 14), weekday_ahead(today, 15)

    # Jonas has the earlier time; Nora has a later one and asks to hear of an earlier one.
    jonas: Page = new_context().new_page()
    log_in(jonas, base_url, "Jonas Hansen")
    tidy(jonas, base_url)
    freed = book_by_api(jonas, base_url, early, "10:40")
    log_in(page, base_url, "Nora Berg")
    tidy(page, base_url)
    book_by_api(page, base_url, mine, "10:40")
    nav(page, "Mine konsultasjoner")
    when = f"{day_month(mine)} 10:40"
    page.get_by_role("button", name=f"Gi meg beskjed om en tidligere time enn {when}", exact=True).click()
    dialog = page.get_by_role("dialog", name="Gi meg beskjed om en tidligere time")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(f"Timen din nå: {long_date(mine)} kl. 10:40 hos {STORGATA}.")
    dialog.get_by_role("checkbox", name=WEEKDAY_NAMES[early.weekday()], exact=True).check()
    assert_accessible(page, "Mine konsultasjoner, Gi meg beskjed om en tidligere time")
    dialog.get_by_role("button", name="Lagre").click()
    expect(dialog).to_be_hidden()
    expect(page.locator("#booking-notice")).to_have_text(
        f"Du står på venteliste for en tidligere time enn {when}.")
    expect(page.get_by_role("button", name=f"Avslutt venteliste for timen {when}", exact=True)).to_be_visible()

    # Jonas cancels: the local timer runs the notices job and the drain; Nora's mailbox has the offer.
    answer = api(jonas, base_url, "POST", f"/api/booking/appointments/{freed['id']}/cancel")
    assert answer.ok, answer.text()
    jonas.context.close()
    offer = wait_for_mail(base_url, "En tidligere time er ledig", f"{long_date(early)} kl. 10:40")
    assert STORGATA in offer["body"]
    link = next(word for word in offer["body"].split() if word.startswith(f"{base_url}/nb/konsultasjoner.html?"))

    # One click: the link opens "Flytt til denne tiden" for Nora's own appointment.
    page.goto(link)
    settle(page)
    dialog = page.get_by_role("dialog", name="En tidligere time er ledig")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(f"Ledig time: {long_date(early)} kl. 10:40 hos {STORGATA}.")
    assert_accessible(page, "Mine konsultasjoner, En tidligere time er ledig")
    dialog.get_by_role("button", name="Flytt til denne tiden").click()
    expect(dialog).to_be_hidden()
    expect(page.locator("#booking-notice")).to_have_text(f"Timen er flyttet til {day_month(early)} 10:40.")
    expect(page.locator("#appointments-rows").get_by_text(f"{long_date(early)} kl. 10:40")).to_be_visible()
    expect(page.locator("#appointments-rows").get_by_text(f"{long_date(mine)} kl. 10:40")).to_have_count(0)
    # the wish ended with the old time: no "Avslutt venteliste" any more
    expect(page.get_by_role("button", name=f"Avslutt venteliste for timen {day_month(early)} 10:40")).to_have_count(0)
