"""M10 the video room, in headless Chromium with fake media against the stack as `make run`
starts it (issue 11):
- time from both joined to the first remote frame on both sides, signalled through /api/video,
  ÷ the same two pages connected with in-page signalling (messages relayed by the harness, no
  server), alternated pair by pair; goal ≤ 2×;
- signalling requests per side from join to the first remote frame plus 2 s; goal ≤ 10;
- the room pages' HTML + CSS + JS bytes (goal ≤ 60 KB) and third-party requests (goal 0).

Both modes run call.js, the page's own peer-connection module; the server mode also runs
signalling.js, the page's own long-poll transport. The harness page is served by Playwright's
router on the stack's origin, so it gets the same cookies and the same static files."""
from __future__ import annotations

import base64
import time
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from bench import stats
from bench.report import Result

BENCH = "M10"
GOAL_RATIO, GOAL_REQUESTS, GOAL_KB = 2.0, 10, 60
MEDIA_ARGS = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]
HARNESS = """<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>M10</title></head>
<body data-lang="nb"><video id="remote" muted playsinline></video>
<script type="module">
import { createCall } from '/static/js/room/call.js';
import { createSignalling } from '/static/js/room/signalling.js';
const now = () => performance.timeOrigin + performance.now();
const bench = { firstFrame: null, joinedAt: null, call: null, sig: null, stream: null };
window.bench = bench;
bench.media = async () => { bench.stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true }); };
bench.setup = (role, send) => {
  const video = document.getElementById('remote');
  bench.firstFrame = null;
  bench.call = createCall({ role, localStream: bench.stream, send, onRemoteStream: (s) => {
    video.srcObject = s; video.play().catch(() => {});
    video.requestVideoFrameCallback(() => { if (bench.firstFrame === null) bench.firstFrame = now(); });
  } });
};
bench.relay = (role) => bench.setup(role, async (m) => { window.relaySend(JSON.stringify(m)); });
bench.deliver = (text) => bench.call.receive(JSON.parse(text));
bench.start = () => { bench.joinedAt = now(); return bench.call.start(); };
bench.server = async (role, token, auth, csrf) => {
  const sig = createSignalling({ token, authHeaders: (m) => auth || (m !== 'GET' ? { 'X-CSRF-Token': csrf } : {}) });
  bench.sig = sig;
  bench.setup(role, (m) => sig.send(m));
  const joined = await sig.join();
  bench.joinedAt = now();
  sig.listen((m) => bench.call.receive(m));
  if (role === 'patient' && joined.peer_present) await bench.call.start();
};
bench.stop = async () => {
  await bench.call.close();
  if (bench.sig) { await bench.sig.leave(false); bench.sig = null; }
};
window.benchReady = true;
</script></body></html>"""


def run(runs: int = stats.MIN_RUNS) -> list[Result]:
    from playwright.sync_api import sync_playwright

    from tests.e2e.portal import CHROMIUM, CHROMIUM_ARGS, CLINIC_KEY, CLINIC_STAFF, ensure_consent, login
    from tests.support.local_stack import Stack

    stack = Stack()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *MEDIA_ARGS])
            base = stack.base_url
            contexts = [browser.new_context(base_url=base, permissions=["camera", "microphone"]) for _ in range(2)]
            patient, practitioner = (c.new_page() for c in contexts)
            weight = _page_weight(patient, base)
            login(patient, base, "Nora Berg")
            ensure_consent(patient)
            appointment, start = _book(patient, base, stack)
            stack.set_now(start - timedelta(minutes=10))
            login(patient, base, "Nora Berg")
            ensure_consent(patient)
            auth = {"Authorization": "Basic " + base64.b64encode(":".join(CLINIC_KEY).encode()).decode(),
                    "X-Staff-Id": CLINIC_STAFF}
            tokens = {"patient": _fetch(patient, base, "POST", f"/api/booking/appointments/{appointment}/video")
                      ["room_token"],
                      "practitioner": practitioner.request.post(
                          f"{base}/api/booking/clinic/appointments/{appointment}/video", data={},
                          headers=auth).json()["room_token"]}
            csrf = _fetch(patient, base, "GET", "/api/accounts/session")["csrf_token"]
            for page in (patient, practitioner):
                _harness(page, base)
            _wire_relay(patient, practitioner)
            counts: dict[str, list[int]] = {"patient": [], "practitioner": []}
            subjects, baselines = [], []
            for _ in range(runs):
                baselines.append(_in_page(patient, practitioner))
                subjects.append(_through_server(patient, practitioner, tokens, auth, csrf, counts))
            browser.close()
    finally:
        stack.stop()
    detail = (f"median {stats.median(subjects) * 1000:.0f} ms vs in-page signalling "
              f"{stats.median(baselines) * 1000:.0f} ms; {runs} pairs, middle half "
              f"{stats.quartiles(subjects, baselines)}, all {stats.spread(subjects, baselines)}")
    results = [Result(BENCH, "video: first remote frame, /api/video ÷ in-page signalling",
                      stats.median_ratio(subjects, baselines), "x", GOAL_RATIO, detail)]
    for side, found in counts.items():
        results.append(Result(BENCH, f"video: signalling requests per join ({side})", max(found), "", GOAL_REQUESTS,
                              f"most of {runs} joins; each: {', '.join(map(str, found))}"))
    for page, (size, foreign) in weight.items():
        results.append(Result(BENCH, f"video: {page} HTML+CSS+JS", size / 1024, "KB", GOAL_KB,
                              f"{size} bytes over the wire, uncompressed"))
        results.append(Result(BENCH, f"video: {page} third-party requests", foreign, "", 0))
    return results


def _page_weight(page, base: str) -> dict[str, tuple[int, int]]:
    found = {}
    for path in ("/nb/videorom.html?time=a-none", "/nb/klinikk/videorom.html"):
        seen: list = []

        def keep(response, seen=seen):
            seen.append(response)
        page.on("response", keep)
        page.goto(f"{base}{path}")
        page.wait_for_load_state("networkidle")
        page.remove_listener("response", keep)
        origin = urlsplit(base).netloc
        size = sum(len(r.body()) for r in seen if urlsplit(r.url).netloc == origin
                   and r.request.resource_type in ("document", "stylesheet", "script"))
        found[path.split("?")[0]] = (size, sum(1 for r in seen if urlsplit(r.url).netloc != origin))
    return found


def _fetch(page, base: str, method: str, path: str, body: dict | None = None) -> dict:
    headers = {}
    if method != "GET":
        headers["X-CSRF-Token"] = page.request.get(f"{base}/api/accounts/session").json()["csrf_token"]
    answer = page.request.fetch(f"{base}{path}", method=method, data=body, headers=headers)
    if not answer.ok:
        raise RuntimeError(f"{method} {path}: {answer.status} {answer.text()[:200]}")
    return answer.json()


def _book(page, base: str, stack) -> tuple[str, datetime]:
    """Nora books Lise Lege's first free video time two weekdays ahead."""
    from tests.e2e.test_booking_journeys import today_in_oslo, weekday_ahead

    day = weekday_ahead(today_in_oslo(stack), 2)
    slots = _fetch(page, base, "GET", f"/api/booking/timebooks/tb-lise/day?date={day}&type=video&all=1")["slots"]
    booked = _fetch(page, base, "POST", "/api/booking/appointments", {"slot_id": slots[0]["id"]})
    return booked["id"], datetime.fromisoformat(booked["start"].replace("Z", "+00:00"))


def _harness(page, base: str) -> None:
    page.route(f"{base}/__bench/room.html", lambda route: route.fulfill(
        status=200, content_type="text/html; charset=utf-8", body=HARNESS))
    page.goto(f"{base}/__bench/room.html")
    page.wait_for_function("() => window.benchReady === true")
    page.evaluate("() => window.bench.media()")


def _wire_relay(patient, practitioner) -> None:
    for here, there in ((patient, practitioner), (practitioner, patient)):
        here.expose_function("relaySend", lambda text, to=there: to.evaluate("t => window.bench.deliver(t)", text))


def _first_frames(pages, seconds: float = 20) -> float:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        marks = [p.evaluate("() => [window.bench.joinedAt, window.bench.firstFrame]") for p in pages]
        if all(frame is not None for _, frame in marks):
            joined = max(j for j, _ in marks)
            return (max(frame for _, frame in marks) - joined) / 1000
        time.sleep(0.02)
    raise RuntimeError(f"no remote frame within {seconds} s")


def _in_page(patient, practitioner) -> float:
    practitioner.evaluate("() => window.bench.relay('practitioner')")
    patient.evaluate("() => window.bench.relay('patient')")
    practitioner.evaluate("() => { window.bench.joinedAt = performance.timeOrigin + performance.now(); }")
    patient.evaluate("() => window.bench.start()")
    took = _first_frames((patient, practitioner))
    for page in (patient, practitioner):
        page.evaluate("() => window.bench.stop()")
    return took


def _through_server(patient, practitioner, tokens, auth, csrf, counts) -> float:
    seen = {"patient": 0, "practitioner": 0}
    listeners = {}
    for side, page in (("patient", patient), ("practitioner", practitioner)):
        def count(request, side=side):
            if "/api/video/" in request.url:
                seen[side] += 1
        listeners[side] = count
        page.on("request", count)
    practitioner.evaluate("([t, a]) => window.bench.server('practitioner', t, a, null)",
                          [tokens["practitioner"], auth])
    patient.evaluate("([t, c]) => window.bench.server('patient', t, null, c)", [tokens["patient"], csrf])
    took = _first_frames((patient, practitioner))
    time.sleep(2)
    for side, page in (("patient", patient), ("practitioner", practitioner)):
        page.remove_listener("request", listeners[side])
        counts[side].append(seen[side])
    for page in (practitioner, patient):
        page.evaluate("() => window.bench.stop()")
    time.sleep(0.3)
    return took

