"""The video room in two Chromium contexts against `make run` (issue 11; R21-R24): the patient's
videorom.html and the practitioner's klinikk/videorom.html talk over real WebRTC on loopback with
Chromium's fake camera and microphone, signalled through /api/video.

Nora Berg (Storgata legesenter) books Lise Lege's video times on the 17th and 18th weekday ahead,
days no other e2e test uses; the portal clock travels into (and out of) R21's window and back.
Every booking is cancelled afterwards (tidy). The practitioner is Lise Lege (s-lise) with the
demo clinic credential, held in the page's memory only.

The page code has no test hooks: an init script wraps window.RTCPeerConnection so that the test
can read each side's peer connections and their getStats()."""
from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.axe import assert_accessible
from tests.e2e.portal import CHROMIUM, CHROMIUM_ARGS, CLINIC_KEY, CLINIC_STAFF, Stack, follow_login_link, wait_ready
from tests.e2e.test_booking_journeys import (  # noqa: F401 - tidy is a fixture
    api,
    at_oslo,
    day_month,
    log_in,
    long_date,
    tidy,
    today_in_oslo,
    utc_stamp,
    weekday_ahead,
)
from tests.e2e.test_notice_journeys import run_job, wait_for_mail

pytestmark = pytest.mark.e2e

MEDIA_ARGS = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]
PATIENT = "Nora Berg"
NOT_OPEN = "Videokonsultasjonen kan startes fra {opens:%d.%m.%Y %H:%M} til {closes:%H:%M}."

# Every RTCPeerConnection the page makes, in order (the page itself exposes nothing).
WATCH_PEERS = """(() => {
  const Native = window.RTCPeerConnection;
  if (!Native) return;
  const made = [];
  Object.defineProperty(window, '__peers', { value: made });
  window.RTCPeerConnection = class extends Native {
    constructor(...args) { super(...args); made.push(this); }
  };
})();"""

STATS = """async () => {
  const peers = window.__peers || [];
  const pc = peers[peers.length - 1];
  const out = { made: peers.length, open: peers.filter((p) => p.connectionState !== 'closed').length,
                state: pc ? pc.connectionState : null, videoIn: null, audioIn: null, audioSource: null,
                micEnabled: null };
  if (!pc || pc.connectionState === 'closed') return out;
  (await pc.getStats()).forEach((s) => {
    if (s.type === 'inbound-rtp' && s.kind === 'video') {
      out.videoIn = { frames: s.framesDecoded || 0, bytes: s.bytesReceived || 0 };
    }
    if (s.type === 'inbound-rtp' && s.kind === 'audio') {
      out.audioIn = { bytes: s.bytesReceived || 0, packets: s.packetsReceived || 0, energy: s.totalAudioEnergy || 0 };
    }
    if (s.type === 'media-source' && s.kind === 'audio') {
      out.audioSource = { level: s.audioLevel || 0, energy: s.totalAudioEnergy || 0 };
    }
  });
  const sender = pc.getSenders().find((s) => s.track && s.track.kind === 'audio');
  out.micEnabled = sender ? sender.track.enabled : null;
  return out;
}"""


# --------------------------------------------------------------------------------------- set-up

@pytest.fixture(scope="module")
def browser(browser: Browser) -> Iterator[Browser]:
    """This file's Chromium: the session's, plus a fake camera and microphone that need no prompt."""
    media = browser.browser_type.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *MEDIA_ARGS])
    try:
        yield media
    finally:
        media.close()


@pytest.fixture
def room_context(new_context: Callable[..., BrowserContext]) -> Callable[[], BrowserContext]:
    """A context allowed to use the camera and the microphone, its peer connections watched."""
    def make() -> BrowserContext:
        context = new_context(permissions=["camera", "microphone"])
        context.add_init_script(WATCH_PEERS)
        return context
    return make


def book_video(page: Page, base: str, day: date, clock: str) -> dict:
    """Set-up: the patient books Lise Lege – dagtid, Videokonsultasjon at `clock` on `day`."""
    answer = api(page, base, "GET", f"/api/booking/timebooks/tb-lise/day?date={day}&type=video&all=1")
    assert answer.ok, answer.text()
    wanted = utc_stamp(at_oslo(day, clock))
    slot = next(s for s in answer.json()["slots"] if s["start"] == wanted)
    booked = api(page, base, "POST", "/api/booking/appointments", {"slot_id": slot["id"]})
    assert booked.status == 201, booked.text()
    return booked.json()


def it_is_time_mail(base: str, when: str) -> dict:
    """The notice stages run in turn: the confirmation (the stack's timer, every 3 s), the reminder
    stage (send_reminders: on demand on the local stack; too late for a reminder, so it is skipped)
    and then "it is time" (the timer again)."""
    deadline = time.monotonic() + 30
    while True:
        run_job(base, "send_reminders")
        try:
            return wait_for_mail(base, "Det er snart tid for videokonsultasjonen", when, seconds=4)
        except AssertionError:
            if time.monotonic() > deadline:
                raise


def konsultasjoner_logged_in(page: Page, base: str, url: str | None = None) -> None:
    """Mine konsultasjoner (from a link, e.g. the e-mail's), logging in again when the clock's
    jump ended the session."""
    page.goto(url or f"{base}/nb/konsultasjoner.html")
    wait_ready(page)
    prompt = page.locator("#login-prompt")
    if prompt.is_visible():
        follow_login_link(page, base, prompt.get_by_role("link", name="Logg inn med BankID"), PATIENT, "BankID")
    expect(page).to_have_url(re.compile(r"/nb/konsultasjoner\.html"))
    expect(page.locator("#appointments-loading")).to_be_hidden()


def open_room_from_list(page: Page, day: date, clock: str) -> None:
    page.get_by_role("link", name=f"Start videokonsultasjon {day_month(day)} {clock}", exact=True).click()
    page.wait_for_url(re.compile(r"/nb/videorom\.html\?time="))
    expect(page.locator("#room-loading")).to_be_hidden()


def practitioner_signs_in(page: Page, base: str) -> None:
    page.goto(f"{base}/nb/klinikk/videorom.html")
    expect(page.get_by_role("heading", level=1)).to_have_text("Videorom for behandlere")
    assert_accessible(page, "klinikk/videorom.html: the credential form")
    page.get_by_label("Nøkkel-ID").fill(CLINIC_KEY[0])
    page.get_by_label("Hemmelighet").fill(CLINIC_KEY[1])
    page.get_by_label("Ansatt-ID").fill(CLINIC_STAFF)
    page.get_by_role("button", name="Vis dagens videokonsultasjoner").click()
    expect(page.get_by_role("heading", name="Dagens videokonsultasjoner")).to_be_visible()


def stats(page: Page) -> dict:
    return page.evaluate(STATS)


def until(page: Page, check: Callable[[dict], bool], what: str, seconds: float = 15) -> dict:
    deadline = time.monotonic() + seconds
    while True:
        current = stats(page)
        if check(current):
            return current
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: {current}")
        time.sleep(0.25)


def media_flows(page: Page, who: str) -> None:
    """inbound-rtp: video frames decoded, audio packets and bytes received and growing."""
    first = until(page, lambda s: bool(s["videoIn"] and s["videoIn"]["frames"] > 0 and s["audioIn"]
                                       and s["audioIn"]["packets"] > 0), f"{who} receives no media")
    time.sleep(1.5)
    later = stats(page)
    assert later["videoIn"]["frames"] > first["videoIn"]["frames"], (who, first, later)
    assert later["audioIn"]["bytes"] > first["audioIn"]["bytes"], (who, first, later)
    assert later["audioIn"]["packets"] > first["audioIn"]["packets"], (who, first, later)


def growth(page: Page, part: str, field: str, seconds: float = 1.5) -> float:
    before = stats(page)[part][field]
    time.sleep(seconds)
    return stats(page)[part][field] - before


def all_closed(page: Page) -> bool:
    return page.evaluate("() => (window.__peers || []).every((p) => p.connectionState === 'closed')")


# ------------------------------------------------------------------------------------- the call

def test_R21_R22_R23_R24_the_patient_waits_the_practitioner_joins_they_talk_mute_leave_rejoin_and_end(
        room_context, base_url: str, stack: Stack, tidy):  # noqa: F811
    patient = room_context().new_page()
    practitioner = room_context().new_page()
    today = today_in_oslo(stack)
    day = weekday_ahead(today, 17)
    log_in(patient, base_url, PATIENT)
    tidy(patient, base_url)
    booked = book_video(patient, base_url, day, "13:00")
    start: datetime = at_oslo(day, "13:00")
    status, prac_status = patient.locator("#call-status"), practitioner.locator("#call-status")

    with stack.clock_travel():
        stack.set_now(start - timedelta(minutes=10))
        # R24: "it is time" by e-mail when the room opens, with a link to log in.
        mail = it_is_time_mail(base_url, f"{long_date(day)} kl. 13:00")
        link = re.search(r"https?://\S+/nb/konsultasjoner\.html", mail["body"])
        assert link, mail["body"]
        konsultasjoner_logged_in(patient, base_url, link.group(0))

        # The practitioner's list: the appointment, nobody waiting yet.
        practitioner_signs_in(practitioner, base_url)
        item = practitioner.locator("#today-list li").filter(has_text=PATIENT)
        expect(item).to_have_count(1)
        expect(item).to_contain_text("13:00–13:15")
        expect(item.get_by_text("Venter", exact=True)).to_have_count(0)
        assert_accessible(practitioner, "klinikk/videorom.html: today's list")

        # The device check: browser support, the camera's picture, the microphone's level.
        open_room_from_list(patient, day, "13:00")
        assert booked["id"] in patient.url
        expect(patient.get_by_role("heading", name="Sjekk kamera og mikrofon")).to_be_visible()
        expect(patient.locator("#check-browser")).to_have_text("Nettleseren: støtter videosamtaler")
        expect(patient.locator("#check-camera")).to_have_text("Kamera: virker")
        expect(patient.locator("#check-microphone")).to_have_text("Mikrofon: virker")
        patient.wait_for_function("() => document.getElementById('preview-video').videoWidth > 0")
        patient.locator("body").click(position={"x": 1, "y": 1})  # a click lets the AudioContext run
        patient.wait_for_function("() => document.getElementById('mic-level').value > 0", timeout=10_000)
        assert_accessible(patient, "videorom.html: the device check")

        # R22: the waiting room until the practitioner is there; the practitioner is told.
        patient.get_by_role("button", name="Gå inn i venterommet").click()
        expect(status).to_have_text("Venter på behandler")
        expect(patient.locator("#remote-placeholder")).to_have_text("Venter på behandler")
        expect(patient.locator("#self-video")).to_have_class(re.compile(r"\bmirrored\b"))
        assert patient.evaluate("() => document.getElementById('self-video').muted") is True
        assert stats(patient)["made"] == 0  # no peer connection while alone
        assert_accessible(patient, "videorom.html: waiting for the practitioner")
        expect(item.get_by_text("Venter", exact=True)).to_be_visible(timeout=15_000)  # the 10 s poll
        expect(practitioner.locator("#waiting-announcer")).to_have_text(f"{PATIENT} venter")
        expect(practitioner).to_have_title(re.compile(r"^\(1\) Videorom for behandlere"))
        assert_accessible(practitioner, "klinikk/videorom.html: a patient waiting")

        # R23: the practitioner joins; both see and hear the other.
        item.get_by_role("button", name=re.compile(r"^Bli med")).click()
        expect(status).to_have_text("Tilkoblet")
        expect(prac_status).to_have_text("Tilkoblet")
        media_flows(patient, "the patient")
        media_flows(practitioner, "the practitioner")
        for page, who in ((patient, "patient"), (practitioner, "practitioner")):
            page.wait_for_function("() => document.getElementById('remote-video').videoWidth > 0")
            marks = page.evaluate("() => performance.getEntriesByType('mark').map((m) => m.name)")
            assert {"video-joined", "video-first-remote-frame"} <= set(marks), (who, marks)
        assert_accessible(patient, "videorom.html: in the call")
        assert_accessible(practitioner, "klinikk/videorom.html: in the call")

        # The patient's microphone off: the track is disabled, the practitioner hears silence.
        mic = patient.get_by_role("button", name="Slå av mikrofonen")
        expect(mic).to_have_attribute("aria-pressed", "false")
        assert growth(practitioner, "audioIn", "energy") > 0, "the practitioner hears nothing with the mic on"
        mic.click()
        expect(mic).to_have_attribute("aria-pressed", "true")
        time.sleep(1)  # the levels are smoothed, and the jitter buffer plays out what it holds
        muted = stats(patient)
        assert muted["micEnabled"] is False and muted["audioSource"]["level"] < 0.01, muted
        assert growth(patient, "audioSource", "energy") < 1e-4
        assert growth(practitioner, "audioIn", "energy") < 1e-4
        mic.click()
        expect(mic).to_have_attribute("aria-pressed", "false")
        assert stats(patient)["micEnabled"] is True
        assert growth(practitioner, "audioIn", "energy", 2.5) > 0

        # The practitioner's camera off: no more frames reach the patient; on again: they do.
        camera = practitioner.get_by_role("button", name="Slå av kameraet")
        camera.click()
        expect(camera).to_have_attribute("aria-pressed", "true")
        time.sleep(1)
        assert growth(patient, "videoIn", "frames", 2) == 0
        assert practitioner.evaluate("() => document.getElementById('self-video').srcObject"
                                     ".getVideoTracks().every((t) => t.enabled === false)")
        camera.click()
        expect(camera).to_have_attribute("aria-pressed", "false")
        assert growth(patient, "videoIn", "frames", 2) > 0

        # The patient leaves: both peer connections close; the practitioner waits in the room.
        patient.get_by_role("button", name="Avslutt samtalen").click()
        expect(patient.get_by_role("heading", name="Du har forlatt samtalen")).to_be_visible()
        assert all_closed(patient) and stats(patient)["state"] == "closed"
        expect(prac_status).to_have_text("Pasienten har forlatt samtalen. Venter på pasienten.")
        practitioner.wait_for_function("() => window.__peers.every((p) => p.connectionState === 'closed')")
        assert_accessible(patient, "videorom.html: left the call")

        # R22: rejoining inside the window goes straight into the call (the practitioner is there).
        patient.get_by_role("button", name="Bli med igjen").click()
        expect(status).to_have_text("Tilkoblet")
        expect(prac_status).to_have_text("Tilkoblet")
        media_flows(patient, "the patient, again")
        media_flows(practitioner, "the practitioner, again")
        assert stats(patient)["made"] == 2

        # The practitioner's red button ends the consultation: both close, the patient is told.
        practitioner.get_by_role("button", name="Avslutt samtalen").click()
        expect(practitioner.get_by_role("heading", name="Samtalen er avsluttet")).to_be_visible()
        expect(patient.get_by_role("heading", name="Samtalen er avsluttet")).to_be_visible()
        expect(status).to_have_text("Samtalen er avsluttet")
        expect(patient.locator("#ended")).to_contain_text("Behandleren har avsluttet videokonsultasjonen.")
        patient.wait_for_function("() => window.__peers.every((p) => p.connectionState === 'closed')")
        assert all_closed(practitioner)
        assert_accessible(patient, "videorom.html: ended by the practitioner")
        assert_accessible(practitioner, "klinikk/videorom.html: ended")
        practitioner.get_by_role("button", name="Tilbake til listen").click()
        expect(item.get_by_text("Avsluttet", exact=True)).to_be_visible()
        expect(item.get_by_role("button", name=re.compile(r"^Bli med"))).to_be_disabled()
        expect(practitioner).to_have_title(re.compile(r"^Videorom for behandlere"))
        assert_accessible(practitioner, "klinikk/videorom.html: the list after the call")


# ---------------------------------------------------------------------------------- the refusals

def test_R21_outside_the_window_the_room_refuses_with_the_message_on_the_page(
        room_context, base_url: str, stack: Stack, browser_problems, tidy):  # noqa: F811
    browser_problems.allow_status(404, 409)  # the room's refusals: the page shows the server's message
    anonymous = room_context().new_page()
    anonymous.goto(f"{base_url}/nb/videorom.html?time=whatever")
    expect(anonymous.get_by_role("heading", name="Logg inn")).to_be_visible()
    expect(anonymous.get_by_role("link", name="Logg inn med BankID")).to_have_attribute(
        "href", re.compile(r"^/api/accounts/login\?level=high&next=/nb/konsultasjoner\.html$"))
    assert_accessible(anonymous, "videorom.html: not logged in")

    patient = room_context().new_page()
    today = today_in_oslo(stack)
    day = weekday_ahead(today, 18)
    log_in(patient, base_url, PATIENT)
    tidy(patient, base_url)
    book_video(patient, base_url, day, "13:00")
    start = at_oslo(day, "13:00")
    not_open = NOT_OPEN.format(opens=start - timedelta(minutes=15), closes=start + timedelta(hours=2))
    alert = patient.locator("#room-alert")

    patient.goto(f"{base_url}/nb/videorom.html?time=no-such-appointment")
    expect(alert).not_to_be_empty()
    expect(patient.locator("#device-check")).to_be_hidden()

    with stack.clock_travel():
        for moment in (start - timedelta(minutes=20), start + timedelta(hours=2, minutes=5)):
            stack.set_now(moment)
            konsultasjoner_logged_in(patient, base_url)
            if moment > start:
                patient.get_by_role("tab", name="Alle", exact=True).click()
            open_room_from_list(patient, day, "13:00")
            expect(alert).to_have_text(not_open)
            expect(patient.locator("#device-check")).to_be_hidden()
            expect(patient.locator("#call")).to_be_hidden()
            assert stats(patient)["made"] == 0
            assert patient.evaluate("() => document.getElementById('preview-video').srcObject") is None
            assert_accessible(patient, f"videorom.html: refused at {moment:%H:%M}")
