"""Booking journeys in Chromium against `make run` (docs/booking.md, R11-R21, R52): book a Timebok time,
lose a time to someone else, ask a Timeforespørsel clinic for a time and get an answer, move and
cancel, the calendar file, the video window, and axe on the booking pages mid-flow.

Who books what (the demo persons are shared with the other e2e files; every test leaves its
persons without open appointments, so no test depends on another's order):
Jonas (R17; R18 as the one who takes the time; R19; the calendar file), Emma (R18; R14; move and
cancel; the axe scans), Nora (the video consultation; at Storgata legesenter, where she is attached).
Kari and Ny Bruker are left alone (their journeys start with the first consent), and so is Ola
(the accessibility scans). The Storgata clinic API is never called here: it would add "Lise Lege"
rows to access logs other tests count.

Days are counted in weekdays from the portal's today (PORTAL_NOW is a Monday), one day per test,
so that even a test that failed half-way leaves the others their free times."""
from __future__ import annotations

import base64
import re
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import requests
from icalendar import Calendar
from playwright.sync_api import BrowserContext, Locator, Page, expect

from tests.e2e.axe import assert_accessible
from tests.e2e.portal import Stack, ensure_consent, follow_login_link, login, session_of, settle, wait_ready

pytestmark = pytest.mark.e2e

OSLO = ZoneInfo("Europe/Oslo")
MONTHS = ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober",
          "november", "desember")
WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")

STORGATA = "Storgata legesenter"
FJORDHEIM_KEY = ("ck_demo_fjordheim", "demo-fjordheim-secret-not-for-production")
FJORDHEIM_STAFF = "s-anne"
FJORDHEIM_PHONE = "+47 55 00 22 00"  # shown in Norwegian groups (core/phones.py)
INTERVALS = ("08:00–10:00", "10:00–12:00", "12:00–14:00", "14:00–16:00")  # Fjordheim's request intervals
SLOT_TAKEN = "Noen andre har nettopp bestilt denne timen. Velg en av de neste ledige timene."


# --------------------------------------------------------------------------------------- helpers

def day_month(day: date) -> str:
    """'26. november' (the site's dayMonth in bokmål)."""
    return f"{day.day}. {MONTHS[day.month - 1]}"


def long_date(day: date) -> str:
    """'torsdag 26. november 2026' (the site's longDate in bokmål)."""
    return f"{WEEKDAYS[day.weekday()]} {day_month(day)} {day.year}"


def at_oslo(day: date, clock: str) -> datetime:
    return datetime.combine(day, datetime.strptime(clock, "%H:%M").time(), tzinfo=OSLO)


def utc_stamp(instant: datetime) -> str:
    return instant.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%M:%SZ")


def today_in_oslo(stack: Stack) -> date:
    return stack.now().astimezone(OSLO).date()


def weekday_ahead(today: date, n: int) -> date:
    """The n-th weekday (Monday-Friday) after today: the demo timebøker have times on weekdays only."""
    day = today
    while n:
        day += timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


def log_in(page: Page, base: str, person: str) -> None:
    """BankID (booking needs level high), and the terms on a person's first visit."""
    login(page, base, person, "BankID")
    ensure_consent(page)


def nav(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name=name, exact=True).click()
    settle(page)


def api(page: Page, base: str, method: str, path: str, body: dict | None = None):
    """The patient API with this page's session (and its CSRF token), for set-up and clean-up."""
    headers = {"X-CSRF-Token": session_of(page, base)["csrf_token"]} if method != "GET" else {}
    return page.request.fetch(f"{base}{path}", method=method, data=body, headers=headers)


def clinic_api(base: str, method: str, path: str, body: dict | None = None) -> dict:
    """Fjordheim legekontor's clinic API (Basic credential + X-Staff-Id)."""
    token = base64.b64encode(":".join(FJORDHEIM_KEY).encode()).decode()
    answer = requests.request(method, f"{base}/api/booking/clinic{path}", json=body, timeout=10,
                              headers={"Authorization": f"Basic {token}", "X-Staff-Id": FJORDHEIM_STAFF})
    assert answer.ok, f"{method} {path}: {answer.status_code} {answer.text}"
    return answer.json()


def book_by_api(page: Page, base: str, day: date, clock: str, remark: str = "") -> dict:
    """Set-up: the patient books Lise Lege – dagtid, Ordinær konsultasjon at `clock` on `day`."""
    answer = api(page, base, "GET", f"/api/booking/timebooks/tb-lise/day?date={day}&type=ordinar&all=1")
    assert answer.ok, answer.text()
    wanted = utc_stamp(at_oslo(day, clock))
    slot = next(s for s in answer.json()["slots"] if s["start"] == wanted)
    booked = api(page, base, "POST", "/api/booking/appointments", {"slot_id": slot["id"], "remark": remark})
    assert booked.status == 201, booked.text()
    return booked.json()


@pytest.fixture
def tidy(new_context) -> Iterator[Callable[[Page, str], None]]:
    """`tidy(page, base)`: after the test, cancel whatever the page's person still has open at
    Storgata legesenter (the patient API), so the next test finds the free times and the person
    below the clinic's limit of future bookings."""
    pages: list[tuple[Page, str]] = []
    yield lambda page, base: pages.append((page, base))
    for page, base in pages:
        if page.is_closed() or not session_of(page, base).get("authenticated"):
            continue
        listed = api(page, base, "GET", "/api/booking/appointments?tab=booked")
        for item in listed.json()["items"]:
            if item["can_cancel"] and item["clinic"]["booking_mode"] == "timebok":
                api(page, base, "POST", f"/api/booking/appointments/{item['id']}/cancel")


@pytest.fixture
def fjordheim_tidy(base_url: str) -> Iterator[list[str]]:
    """Slot ids of appointments at Fjordheim (where a patient cannot cancel, R14): the clinic
    cancels them after the test."""
    slots: list[str] = []
    yield slots
    for slot in slots:
        clinic_api(base_url, "POST", f"/slots/{slot}/cancel", {"reason": "Testen er ferdig."})


# ------------------------------------------------------------------------------ Bestill konsultasjon

def search_storgata(page: Page) -> None:
    """A person not attached to Storgata legesenter finds it by its place."""
    page.get_by_role("searchbox", name="Søk etter klinikk (navn eller sted)").fill("Oslo")
    page.get_by_role("button", name="Søk", exact=True).click()
    expect(page.locator("#clinic-search-status")).to_have_text("Fant 1 klinikk.")
    results = page.get_by_role("group", name="Søkeresultat")
    results.get_by_role("radio", name=STORGATA).check()


def choose_lise(page: Page, kind: str = "Ordinær konsultasjon") -> None:
    """Behandler Lise Lege → Timebok "Lise Lege – dagtid" → the type; the month calendar loads."""
    expect(page.locator("#clinic-mode")).to_have_text(
        f"{STORGATA} bruker timebok: du bestiller en ledig time direkte.")
    page.get_by_role("combobox", name="Behandler").select_option(label="Lise Lege")
    page.get_by_role("combobox", name="Timebok").select_option(label="Lise Lege – dagtid")
    page.get_by_role("radio", name=kind).check()
    expect(page.get_by_role("heading", name="4. Dag og tid")).to_be_visible()
    expect(page.locator("#calendar table")).to_have_attribute("aria-busy", "false")


def pick_day(calendar: Locator, day: date, today: date) -> None:
    """In a month calendar (counts or not): "Neste måned"/"Forrige måned" to the day's month, then the day."""
    title = calendar.locator(".calendar-title")
    expect(title).not_to_be_empty()
    name, year = (title.text_content() or "").split()
    shown = int(year) * 12 + MONTHS.index(name)
    wanted = day.year * 12 + day.month - 1
    for _ in range(abs(wanted - shown)):
        calendar.get_by_role("button", name="Neste måned" if wanted > shown else "Forrige måned").click()
    expect(title).to_have_text(f"{MONTHS[day.month - 1]} {day.year}")
    calendar.get_by_role("button", name=re.compile(rf"^{re.escape(day_month(day))}(,|$)")).click()


def slot_radios(page: Page) -> Locator:
    return page.locator("#slot-options").get_by_role("radio")


def open_day(page: Page, day: date, today: date) -> None:
    """Bestill konsultasjon at Storgata (searched), Lise Lege – dagtid, Ordinær: the day's nearest times."""
    nav(page, "Bestill konsultasjon")
    search_storgata(page)
    choose_lise(page)
    pick_day(page.locator("#calendar"), day, today)
    expect(page.locator("#slot-legend")).to_have_text(f"Nærmeste ledige timer {long_date(day)}")
    expect(page.locator("#slot-group")).to_have_attribute("aria-busy", "false")


def appointment_row(page: Page, when: str) -> Locator:
    return page.locator("#appointments-rows tr").filter(has_text=when)


def expect_row(row: Locator, when: str, clinic: str, practitioner: str, remark: str, status: str) -> None:
    cells = row.get_by_role("cell")
    expect(cells.nth(0)).to_contain_text(when)
    expect(cells.nth(1)).to_have_text(f"{clinic}{practitioner}")
    expect(cells.nth(2)).to_have_text(remark)
    expect(cells.nth(3)).to_contain_text(status)


# ------------------------------------------------------------------------------------------- R17

def test_R16_R17_book_a_timebok_time_from_the_month_calendar_and_find_it_under_bestilte(
        page: Page, base_url: str, stack: Stack, tidy):
    today = today_in_oslo(stack)
    day = weekday_ahead(today, 3)  # at least two days ahead
    log_in(page, base_url, "Jonas Hansen")
    tidy(page, base_url)
    nav(page, "Bestill konsultasjon")

    # Jonas is attached to Fjordheim only (preselected); he finds Storgata legesenter by its place.
    attached = page.get_by_role("group", name="Dine klinikker")
    expect(attached.get_by_role("radio", name="Fjordheim legekontor")).to_be_checked()
    search_storgata(page)
    expect(page.get_by_role("radio", name=STORGATA)).to_be_checked()
    choose_lise(page)

    # The month calendar: days with free times are green and say how many, as visible text.
    calendar = page.locator("#calendar")
    free_days = calendar.locator("button.day:not([disabled])")
    expect(free_days.first).to_be_visible()
    assert free_days.count() >= 3
    for button in free_days.all():
        count = button.locator(".day-count")
        expect(count).to_be_visible()
        expect(count).to_have_text(re.compile(r"^\d+ ledige?$"))
        expect(button).to_have_class(re.compile(r"\bday-free\b"))
        expect(button).to_have_accessible_name(re.compile(r", \d+ ledige? timer?$"))  # its content (WCAG 2.5.3)
        red, green, blue = map(int, re.findall(r"\d+", button.evaluate("b => getComputedStyle(b).backgroundColor"))[:3])
        assert green > red and green > blue, f"not green: {red, green, blue}"
    chosen = calendar.get_by_role("button", name=f"{day_month(day)}, 9 ledige timer", exact=True)
    expect(chosen).to_contain_text("9 ledige")
    expect(calendar.get_by_role("button", name=re.compile(rf"^{re.escape(day_month(today - timedelta(days=1)))}$"))
           ).to_be_disabled()

    # A day: the nearest four times; "Vis alle" shows the whole day.
    pick_day(calendar, day, today)
    expect(slot_radios(page)).to_have_count(4)
    page.get_by_role("button", name="Vis alle").click()
    expect(page.locator("#slot-legend")).to_have_text(f"Alle ledige timer {long_date(day)}")
    expect(slot_radios(page)).to_have_count(9)
    expect(page.get_by_role("button", name="Vis alle")).to_be_hidden()
    page.get_by_role("radio", name="10:20", exact=True).check()

    page.get_by_role("textbox", name="Bemerkning").fill("Vondt i kneet etter fotballtrening.")
    summary = page.locator("#summary")
    expect(summary).to_contain_text(f"{STORGATA}")
    expect(summary.locator("#summary-when")).to_have_text(f"{long_date(day)} kl. 10:20")
    page.get_by_role("button", name="Bekreft").click()

    page.wait_for_url(re.compile(r"/nb/konsultasjoner\.html\?booked="))
    settle(page)
    expect(page.locator("#booking-notice")).to_have_text("Timen er bestilt.")
    expect(page.get_by_role("tab", name="Bestilte", exact=True)).to_have_attribute("aria-selected", "true")
    row = appointment_row(page, long_date(day))
    expect(row).to_have_count(1)
    expect_row(row, f"{long_date(day)} kl. 10:20", STORGATA, "Lise Lege", "Vondt i kneet etter fotballtrening.",
               "Bestilt")
    # Shown in Oslo time, stored in UTC.
    expect(row.locator("time")).to_have_attribute("datetime", utc_stamp(at_oslo(day, "10:20")))


# ------------------------------------------------------------------------------------------- R18

def test_R18_a_time_taken_meanwhile_shows_the_servers_message_and_the_next_free_times(
        page: Page, base_url: str, stack: Stack, new_context: Callable[..., BrowserContext], browser_problems, tidy):
    browser_problems.allow_status(409)  # the lost race, answered with the next free times
    today = today_in_oslo(stack)
    day = weekday_ahead(today, 4)
    log_in(page, base_url, "Emma Hansen")
    tidy(page, base_url)
    open_day(page, day, today)
    page.get_by_role("radio", name="08:00", exact=True).check()
    page.get_by_role("textbox", name="Bemerkning").fill("Hoste i tre uker.")

    # Meanwhile, in another browser, Jonas books the same time.
    other = new_context().new_page()
    log_in(other, base_url, "Jonas Hansen")
    tidy(other, base_url)
    open_day(other, day, today)
    other.get_by_role("radio", name="08:00", exact=True).check()
    other.get_by_role("button", name="Bekreft").click()
    other.wait_for_url(re.compile(r"/konsultasjoner\.html\?booked="))
    settle(other)
    expect(appointment_row(other, f"{long_date(day)} kl. 08:00")).to_have_count(1)

    # Emma confirms: the server says the time is gone and offers the next free ones.
    with page.expect_response(lambda r: r.url.endswith("/api/booking/appointments") and r.request.method == "POST"
                              ) as answered:
        page.get_by_role("button", name="Bekreft").click()
    problem = answered.value.json()
    assert answered.value.status == 409 and problem["error"] == "slot_taken", problem
    slot_group = page.locator("#slot-group")
    expect(slot_group.locator(".field-error")).to_have_text(problem["message"])
    expect(slot_group.locator(".field-error")).to_have_text(SLOT_TAKEN)
    expect(page.locator("#slot-legend")).to_have_text("Andre ledige timer")
    offered = [utc_stamp(at_oslo(day, c)) for c in ("08:20", "08:40", "09:00", "09:20")]
    assert [s["start"] for s in problem["next"]] == offered, problem["next"]
    expect(slot_radios(page)).to_have_count(4)
    expect(page.get_by_role("radio", name="08:00", exact=True)).to_have_count(0)
    expect(page.get_by_role("textbox", name="Bemerkning")).to_have_value("Hoste i tre uker.")

    # Picking one of them books it.
    page.get_by_role("radio", name="08:20", exact=True).check()
    expect(page.locator("#summary-when")).to_have_text(f"{long_date(day)} kl. 08:20")
    page.get_by_role("button", name="Bekreft").click()
    page.wait_for_url(re.compile(r"/konsultasjoner\.html\?booked="))
    settle(page)
    expect(page.locator("#booking-notice")).to_have_text("Timen er bestilt.")
    rows = page.locator("#appointments-rows tr")
    expect(rows).to_have_count(1)
    expect_row(rows, f"{long_date(day)} kl. 08:20", STORGATA, "Lise Lege", "Hoste i tre uker.", "Bestilt")


# ------------------------------------------------------------------------------------------- R19

def request_time(page: Page, day: date, today: date, interval: str, remark: str) -> None:
    """At Fjordheim (attached, preselected): the day, the interval, Bemerkning, Bekreft."""
    nav(page, "Bestill konsultasjon")
    expect(page.get_by_role("radio", name="Fjordheim legekontor")).to_be_checked()
    expect(page.get_by_role("heading", name="4. Ønsket dag og tidsintervall")).to_be_visible()
    pick_day(page.locator("#request-calendar"), day, today)
    page.get_by_role("radio", name=interval, exact=True).check()
    page.get_by_role("textbox", name="Bemerkning").fill(remark)
    page.get_by_role("button", name="Bekreft").click()
    page.wait_for_url(re.compile(r"/nb/konsultasjoner\.html\?requested="))
    settle(page)
    expect(page.locator("#booking-notice")).to_have_text(
        "Timeforespørselen er sendt. Klinikken svarer deg så snart de kan.")


def request_of(base: str, day: date, patient_id: str) -> dict:
    """The clinic finds the open request in its list of the day."""
    listed = clinic_api(base, "GET", f"/appointments?date={day}")["items"]
    found = [i for i in listed if i["kind"] == "request" and i["patient_id"] == patient_id
             and i["status"] == "requested"]
    assert len(found) == 1, listed
    return found[0]


def test_R19_R12_R13_a_request_is_under_arbeid_until_the_clinic_accepts_it_with_a_time_or_rejects_it(
        page: Page, base_url: str, stack: Stack, fjordheim_tidy):
    today = today_in_oslo(stack)
    now = stack.now()
    begun = [i for i in INTERVALS if at_oslo(today, i[:5]) <= now]
    assert 0 < len(begun) < len(INTERVALS), f"at {now} (PORTAL_NOW is 09:00) some of today's intervals have begun"
    accepted_day, rejected_day = weekday_ahead(today, 2), weekday_ahead(today, 3)
    log_in(page, base_url, "Jonas Hansen")
    nav(page, "Bestill konsultasjon")

    # Fjordheim uses requests: a day and an interval; today's intervals that have begun are greyed out.
    expect(page.locator("#clinic-mode")).to_have_text(
        "Fjordheim legekontor bruker timeforespørsel: du ønsker dag og tidsintervall, og klinikken svarer.")
    expect(page.get_by_role("heading", name="4. Dag og tid")).to_be_hidden()
    calendar = page.locator("#request-calendar")
    expect(calendar.get_by_role("button", name=day_month(today), exact=True)).to_be_enabled()
    calendar.get_by_role("button", name=day_month(today), exact=True).click()
    expect(page.locator("#interval-legend")).to_have_text(f"Tidsintervall {long_date(today)}")
    for interval in INTERVALS:
        if interval in begun:
            expect(page.get_by_role("radio", name=f"{interval} (passert)", exact=True)).to_be_disabled()
        else:
            expect(page.get_by_role("radio", name=interval, exact=True)).to_be_enabled()
    greyed = page.locator(".choice-chip.is-past")
    expect(greyed).to_have_count(len(begun))
    assert greyed.first.locator("label").evaluate("l => getComputedStyle(l).color") != \
        page.locator(".choice-chip:not(.is-past) label").first.evaluate("l => getComputedStyle(l).color")

    # A later day and interval; "Under arbeid" until the clinic answers.
    pick_day(calendar, accepted_day, today)
    expect(page.get_by_role("radio", name="08:00–10:00", exact=True)).to_be_enabled()
    page.get_by_role("radio", name="10:00–12:00", exact=True).check()
    expect(page.locator("#summary-when")).to_have_text(f"{long_date(accepted_day)}, 10:00–12:00")
    page.get_by_role("textbox", name="Bemerkning").fill("Fornyelse av resept.")
    page.get_by_role("button", name="Bekreft").click()
    page.wait_for_url(re.compile(r"/nb/konsultasjoner\.html\?requested="))
    settle(page)
    expect(page.locator("#booking-notice")).to_have_text(
        "Timeforespørselen er sendt. Klinikken svarer deg så snart de kan.")
    wish = appointment_row(page, long_date(accepted_day))
    expect_row(wish, f"{long_date(accepted_day)}, 10:00–12:00", "Fjordheim legekontor", "Anne Andersen",
               "Fornyelse av resept.", "Under arbeid")

    # The clinic accepts it with a concrete time; after a reload the patient sees it booked.
    request = request_of(base_url, accepted_day, "p-jonas")
    booked = clinic_api(base_url, "POST", f"/requests/{request['id']}/accept",
                        {"start": at_oslo(accepted_day, "10:40").isoformat()})
    fjordheim_tidy.append(booked["slot_id"])
    assert booked["status"] == "booked" and booked["start"] == utc_stamp(at_oslo(accepted_day, "10:40")), booked
    page.reload()
    settle(page)
    row = appointment_row(page, long_date(accepted_day))
    expect(row).to_have_count(1)
    expect_row(row, f"{long_date(accepted_day)} kl. 10:40", "Fjordheim legekontor", "Anne Andersen",
               "Fornyelse av resept.", "Bestilt")

    # Another request, rejected with a reason: "Avvist" under Avbestilte, with the reason.
    request_time(page, rejected_day, today, "14:00–16:00", "Kontroll av blodtrykk.")
    expect_row(appointment_row(page, long_date(rejected_day)), f"{long_date(rejected_day)}, 14:00–16:00",
               "Fjordheim legekontor", "Anne Andersen", "Kontroll av blodtrykk.", "Under arbeid")
    reason = "Legen er på kurs den dagen. Ring oss for en annen dag."
    request = request_of(base_url, rejected_day, "p-jonas")
    rejected = clinic_api(base_url, "POST", f"/requests/{request['id']}/reject", {"reason": reason})
    assert rejected["status"] == "rejected", rejected
    page.reload()
    settle(page)
    expect(appointment_row(page, long_date(rejected_day))).to_have_count(0)
    page.get_by_role("tab", name="Avbestilte", exact=True).click()
    expect(page.locator("#appointments-caption")).to_have_text("Avbestilte konsultasjoner")
    row = appointment_row(page, f"{long_date(rejected_day)}, 14:00–16:00")
    expect(row).to_have_count(1)
    expect_row(row, f"{long_date(rejected_day)}, 14:00–16:00", "Fjordheim legekontor", "Anne Andersen",
               "Kontroll av blodtrykk.", "Avvist")
    expect(row.get_by_role("cell").nth(3)).to_have_text(f"AvvistBegrunnelse: {reason}")


# ------------------------------------------------------------------------------------------- R14

def test_R14_at_a_request_clinic_a_booked_time_has_no_cancel_button_but_the_clinics_phone(
        page: Page, base_url: str, stack: Stack, fjordheim_tidy):
    day = weekday_ahead(today_in_oslo(stack), 4)
    booked = clinic_api(base_url, "POST", "/appointments", {
        "patient_id": "p-emma", "timebok_id": "tb-anne", "start": at_oslo(day, "09:00").isoformat(),
        "type_id": "ordinar", "remark": ""})
    fjordheim_tidy.append(booked["slot_id"])

    log_in(page, base_url, "Emma Hansen")
    nav(page, "Mine konsultasjoner")
    row = appointment_row(page, long_date(day))
    expect_row(row, f"{long_date(day)} kl. 09:00", "Fjordheim legekontor", "Anne Andersen", "", "Bestilt")
    actions = row.get_by_role("cell").nth(4)
    expect(actions.get_by_text(
        f"Denne klinikken bruker timeforespørsler. Ring klinikken for å avbestille: {FJORDHEIM_PHONE}",
        exact=True)).to_be_visible()
    expect(actions.get_by_role("button", name=re.compile("^Avbestill"))).to_have_count(0)
    expect(actions.get_by_role("button", name=re.compile("^Flytt"))).to_have_count(0)
    expect(actions.get_by_role("link", name=f"Legg til i kalender {day_month(day)} 09:00", exact=True)).to_be_visible()

    # The API refuses it too, with the same words.
    refused = api(page, base_url, "POST", f"/api/booking/appointments/{booked['id']}/cancel")
    assert refused.status == 409 and refused.json()["error"] == "call_clinic_to_cancel", refused.text()
    assert FJORDHEIM_PHONE in refused.json()["message"]


# --------------------------------------------------------------------------------- move and cancel

def test_R11_R13_move_a_time_then_cancel_it_and_the_freed_time_is_offered_again(
        page: Page, base_url: str, stack: Stack, tidy):
    today = today_in_oslo(stack)
    first, second = weekday_ahead(today, 5), weekday_ahead(today, 6)
    log_in(page, base_url, "Emma Hansen")
    tidy(page, base_url)
    book_by_api(page, base_url, first, "08:00", "Utslett på armen.")
    nav(page, "Mine konsultasjoner")
    expect_row(appointment_row(page, long_date(first)), f"{long_date(first)} kl. 08:00", STORGATA, "Lise Lege",
               "Utslett på armen.", "Bestilt")

    # Flytt: the timebok's calendar in a dialog; another day and time; Bekreft.
    page.get_by_role("button", name=f"Flytt timen {day_month(first)} 08:00", exact=True).click()
    dialog = page.get_by_role("dialog", name="Flytt timen")
    expect(dialog).to_be_visible()
    expect(dialog.locator("#move-text")).to_have_text(
        f"Timen din nå: {long_date(first)} kl. 08:00. Velg en ny dag og et nytt tidspunkt.")
    pick_day(dialog.locator("#move-calendar"), second, today)
    expect(dialog.locator("#move-slot-legend")).to_have_text(f"Nærmeste ledige timer {long_date(second)}")
    dialog.get_by_role("radio", name="09:00", exact=True).check()
    dialog.get_by_role("button", name="Bekreft").click()
    expect(dialog).to_be_hidden()
    expect(page.locator("#booking-notice")).to_have_text(f"Timen er flyttet til {day_month(second)} 09:00.")
    expect(appointment_row(page, long_date(first))).to_have_count(0)
    moved = appointment_row(page, long_date(second))
    expect_row(moved, f"{long_date(second)} kl. 09:00", STORGATA, "Lise Lege", "Utslett på armen.", "Bestilt")

    # Avbestill: the dialog says which time; Bekreft moves it to Avbestilte.
    page.get_by_role("button", name=f"Avbestill timen {day_month(second)} 09:00", exact=True).click()
    dialog = page.get_by_role("dialog", name="Vil du avbestille timen?")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(f"{long_date(second)} kl. 09:00 hos {STORGATA}, Lise Lege.")
    dialog.get_by_role("button", name="Bekreft").click()
    expect(dialog).to_be_hidden()
    expect(page.locator("#booking-notice")).to_have_text(f"Timen {day_month(second)} 09:00 er avbestilt.")
    expect(page.locator("#appointments-rows tr")).to_have_count(0)
    expect(page.locator("#appointments-empty")).to_have_text("Du har ingen bestilte konsultasjoner.")
    page.get_by_role("tab", name="Avbestilte", exact=True).click()
    cancelled = appointment_row(page, long_date(second))
    expect(cancelled).to_have_count(1)
    expect_row(cancelled, f"{long_date(second)} kl. 09:00", STORGATA, "Lise Lege", "Utslett på armen.",
               "Avbestilt av pasient")

    # The freed times are offered again (the old one of the move and the cancelled one).
    open_day(page, second, today)
    expect(page.get_by_role("radio", name="09:00", exact=True)).to_be_visible()
    expect(page.locator("#calendar").get_by_role("button", name=f"{day_month(second)}, 9 ledige timer", exact=True)
           ).to_be_visible()
    pick_day(page.locator("#calendar"), first, today)
    expect(page.get_by_role("radio", name="08:00", exact=True)).to_be_visible()


# ----------------------------------------------------------------------------------- R15 / R52

def download_ics(page: Page, name: str, tmp_path, filename: str) -> Calendar:
    with page.expect_download() as downloading:
        page.get_by_role("link", name=name, exact=True).click()
    download = downloading.value
    assert download.suggested_filename.endswith(".ics"), download.suggested_filename
    path = tmp_path / filename
    download.save_as(path)
    return Calendar.from_ical(path.read_bytes())


def the_event(calendar: Calendar):
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1, calendar.to_ical()
    return events[0]


def test_R15_R52_the_calendar_file_keeps_its_uid_and_raises_the_sequence_when_moved_or_cancelled(
        page: Page, base_url: str, stack: Stack, tidy, tmp_path):
    today = today_in_oslo(stack)
    first, second = weekday_ahead(today, 7), weekday_ahead(today, 8)
    log_in(page, base_url, "Jonas Hansen")
    tidy(page, base_url)
    booked = book_by_api(page, base_url, first, "08:40")
    nav(page, "Mine konsultasjoner")

    event = the_event(download_ics(page, f"Legg til i kalender {day_month(first)} 08:40", tmp_path, "first.ics"))
    uid = str(event["UID"])
    assert uid.startswith(f"{booked['id']}@"), uid
    start = event["DTSTART"]
    assert start.params["TZID"] == "Europe/Oslo", start.to_ical()
    assert start.dt.replace(tzinfo=None) == at_oslo(first, "08:40").replace(tzinfo=None), start.dt
    assert start.dt == at_oslo(first, "08:40")
    assert str(event["STATUS"]) == "CONFIRMED"
    sequence = int(event.get("SEQUENCE", 0))

    page.get_by_role("button", name=f"Flytt timen {day_month(first)} 08:40", exact=True).click()
    dialog = page.get_by_role("dialog", name="Flytt timen")
    pick_day(dialog.locator("#move-calendar"), second, today)
    dialog.get_by_role("radio", name="08:20", exact=True).check()
    dialog.get_by_role("button", name="Bekreft").click()
    expect(page.locator("#booking-notice")).to_have_text(f"Timen er flyttet til {day_month(second)} 08:20.")

    moved = the_event(download_ics(page, f"Legg til i kalender {day_month(second)} 08:20", tmp_path, "moved.ics"))
    assert str(moved["UID"]) == uid
    assert int(moved["SEQUENCE"]) > sequence, (moved.get("SEQUENCE"), sequence)
    assert moved["DTSTART"].params["TZID"] == "Europe/Oslo"
    assert moved["DTSTART"].dt == at_oslo(second, "08:20")
    assert str(moved["STATUS"]) == "CONFIRMED"

    # Cancelled: the file that takes it out of the calendar (same UID, a higher SEQUENCE).
    page.get_by_role("button", name=f"Avbestill timen {day_month(second)} 08:20", exact=True).click()
    page.get_by_role("dialog", name="Vil du avbestille timen?").get_by_role("button", name="Bekreft").click()
    expect(page.locator("#booking-notice")).to_have_text(f"Timen {day_month(second)} 08:20 er avbestilt.")
    page.get_by_role("tab", name="Avbestilte", exact=True).click()
    gone = the_event(download_ics(page, f"Fjern fra kalender {day_month(second)} 08:20", tmp_path, "gone.ics"))
    assert str(gone["UID"]) == uid
    assert int(gone["SEQUENCE"]) > int(moved["SEQUENCE"])
    assert str(gone["STATUS"]) == "CANCELLED"


# ------------------------------------------------------------------------------------------- R21

def log_in_again(page: Page, base: str, person: str) -> None:
    """The session ended while the clock moved on: the page offers the log-in, the patient takes it
    and comes back to the same page."""
    page.reload()
    wait_ready(page)
    prompt = page.locator("#login-prompt")
    expect(prompt).to_be_visible()
    follow_login_link(page, base, prompt.get_by_role("link", name="Logg inn med BankID"), person, "BankID")
    settle(page)
    expect(page).to_have_url(re.compile(r"/nb/konsultasjoner\.html"))


def test_R20_R21_a_video_consultation_opens_15_minutes_before_and_closes_2_hours_after_the_start(
        page: Page, base_url: str, stack: Stack, browser_problems, tidy):
    browser_problems.allow_status(409)  # video_not_open: the page shows the server's message
    today = today_in_oslo(stack)
    day = weekday_ahead(today, 1)
    log_in(page, base_url, "Nora Berg")
    tidy(page, base_url)
    nav(page, "Mine konsultasjoner")
    page.get_by_role("link", name="Bestill videokonsultasjon").click()
    settle(page)
    expect(page.locator("#video-intro")).to_be_visible()

    # Nora is attached to Storgata legesenter (preselected); the video type is preselected.
    expect(page.get_by_role("radio", name=STORGATA)).to_be_checked()
    page.get_by_role("combobox", name="Behandler").select_option(label="Lise Lege")
    page.get_by_role("combobox", name="Timebok").select_option(label="Lise Lege – dagtid")
    types = page.get_by_role("group", name="Velg type time")
    expect(types.get_by_role("radio")).to_have_count(2)
    expect(types.get_by_role("radio", name="Ordinær konsultasjon")).not_to_be_checked()
    expect(types.get_by_role("radio", name="Videokonsultasjon")).to_be_checked()
    expect(page.locator("#calendar table")).to_have_attribute("aria-busy", "false")
    pick_day(page.locator("#calendar"), day, today)
    expect(slot_radios(page)).to_have_count(4)  # 13:00–14:00, 15 minutes each
    for clock in ("13:00", "13:15", "13:30", "13:45"):
        expect(page.get_by_role("radio", name=clock, exact=True)).to_be_visible()
    page.get_by_role("radio", name="13:00", exact=True).check()
    expect(page.locator("#summary-type")).to_have_text("Videokonsultasjon")
    page.get_by_role("button", name="Bekreft").click()
    page.wait_for_url(re.compile(r"/nb/konsultasjoner\.html\?booked="))
    settle(page)
    row = appointment_row(page, long_date(day))
    expect_row(row, f"{long_date(day)} kl. 13:00", STORGATA, "Lise Lege", "", "Bestilt")
    expect(row.get_by_role("cell").nth(0)).to_contain_text("Videokonsultasjon")

    start = at_oslo(day, "13:00")
    start_video = f"Start videokonsultasjon {day_month(day)} 13:00"
    not_open = f"Videokonsultasjonen kan startes fra {start - timedelta(minutes=15):%d.%m.%Y %H:%M} til " \
               f"{start + timedelta(hours=2):%H:%M}."
    alert = page.locator("#room-alert")  # on the video room page (videorom.html, tests/e2e/test_videorom_journeys.py)

    def open_room() -> None:
        page.get_by_role("link", name=start_video, exact=True).click()
        page.wait_for_url(re.compile(r"/nb/videorom\.html\?time="))
        expect(page.locator("#room-loading")).to_be_hidden()

    with stack.clock_travel():
        # 20 minutes before: not yet, and the room page says when (the jump ended the idle session).
        stack.set_now(start - timedelta(minutes=20))
        log_in_again(page, base_url, "Nora Berg")
        open_room()
        expect(alert).to_have_text(not_open)
        expect(page.get_by_role("heading", name="Sjekk kamera og mikrofon")).to_be_hidden()

        # 10 minutes before: the room opens (the device check before the waiting room).
        stack.set_now(start - timedelta(minutes=10))
        page.go_back()
        settle(page)
        open_room()
        expect(page.get_by_role("heading", name="Sjekk kamera og mikrofon")).to_be_visible()
        expect(alert).to_be_empty()
        page.go_back()
        settle(page)

        # 2 hours 5 minutes after the start: closed again. (The 15-minute time is held by now, so
        # it is no longer under Bestilte but under Alle.)
        stack.set_now(start + timedelta(hours=2, minutes=5))
        log_in_again(page, base_url, "Nora Berg")
        expect(page.locator("#appointments-empty")).to_have_text("Du har ingen bestilte konsultasjoner.")
        page.get_by_role("tab", name="Alle", exact=True).click()
        open_room()
        expect(alert).to_have_text(not_open)
        expect(page.get_by_role("heading", name="Sjekk kamera og mikrofon")).to_be_hidden()
        page.go_back()

    # The clock is back: the session still works, and the time is still ahead.
    assert session_of(page, base_url)["authenticated"] is True
    page.reload()
    settle(page)
    expect(appointment_row(page, long_date(day))).to_have_count(1)
    expect(page.get_by_role("button", name=f"Avbestill timen {day_month(day)} 13:00", exact=True)).to_be_visible()


# ----------------------------------------------------------------------------------------- WCAG

def test_WCAG21AA_bestill_with_times_listed_and_konsultasjoner_with_the_cancel_dialog_open(
        page: Page, base_url: str, stack: Stack, tidy):
    today = today_in_oslo(stack)
    day = weekday_ahead(today, 9)
    log_in(page, base_url, "Emma Hansen")
    tidy(page, base_url)
    open_day(page, day, today)
    page.get_by_role("radio", name="08:40", exact=True).check()
    expect(page.locator("#summary")).to_be_visible()
    assert_accessible(page, "/nb/bestill.html with a day chosen and its times listed")

    page.get_by_role("button", name="Bekreft").click()
    page.wait_for_url(re.compile(r"/nb/konsultasjoner\.html\?booked="))
    settle(page)
    page.get_by_role("button", name=f"Avbestill timen {day_month(day)} 08:40", exact=True).click()
    dialog = page.get_by_role("dialog", name="Vil du avbestille timen?")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Avbryt")).to_be_focused()
    assert_accessible(page, "/nb/konsultasjoner.html with the cancel dialog open")
    dialog.get_by_role("button", name="Bekreft").click()
    expect(page.locator("#booking-notice")).to_have_text(f"Timen {day_month(day)} 08:40 er avbestilt.")
