"""M1: cold start of each function app against `python -c "import flask"`.

A fresh interpreter imports functions.<pkg>.app and serves its first request, with DynamoDB
answered by moto's server; the baseline is a fresh interpreter importing flask. Both children get
the same environment, including a private bytecode cache (PYTHONPYCACHEPREFIX, filled by an
untimed warm-up pair) so the tree gets no __pycache__ and neither side pays for compiling."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench import stats
from bench.report import Result

BENCH = "M1"
ROOT = Path(__file__).resolve().parent.parent
GOAL = 3.0
PATIENT = "p-kari"
BASELINE = "import flask"


@dataclass(frozen=True)
class FirstRequest:
    path: str        # a cheap GET that reads DynamoDB, sent with the patient's session cookie
    expect: str      # text the 200 answer must contain


FIRST_REQUESTS = {"accounts": FirstRequest("/api/accounts/session", '"authenticated":true'),
                  "booking": FirstRequest("/api/booking/clinics", '"id":"c-storgata"'),
                  "dialogs": FirstRequest("/api/dialogs/unread", '"count":0'),
                  "notices": FirstRequest("/api/notices/health", '"status":"ok"'),
                  "payments": FirstRequest("/api/payments/list?tab=utestaende", '"tab":"utestaende"'),
                  "pharmacy": FirstRequest("/api/pharmacy/orders", '"orders":'),
                  "video": FirstRequest("/api/video/messages?wait=0", '"messages":[]')}

CHILD = """
import os
from functions.{pkg}.app import app
client = app.test_client()
client.set_cookie("portal_session", os.environ["BENCH_SESSION_TOKEN"])
answer = client.get(os.environ["BENCH_PATH"], headers={{"X-Room-Token": os.environ["BENCH_ROOM_TOKEN"]}})
if answer.status_code != 200 or os.environ["BENCH_EXPECT"] not in answer.get_data(as_text=True):
    raise SystemExit(f"first request: HTTP {{answer.status_code}} {{answer.get_data(as_text=True)[:200]}}")
"""


def function_packages(root: Path = ROOT) -> list[str]:
    return sorted(path.parent.name for path in (root / "functions").glob("*/app.py"))


@contextmanager
def patched_environ(values: dict[str, str]) -> Iterator[None]:
    saved = dict(os.environ)
    os.environ.update(values)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


@contextmanager
def moto_server_environment() -> Iterator[dict[str, str]]:
    """moto's server with tables, secrets, demo data and a live session; yields the children's env."""
    from devstack import stack
    from functions.core import aws

    moto_port = stack.free_port()
    moto = stack.start_moto(moto_port)
    env = stack.local_environment(stack.free_port(), moto_port)
    try:
        with patched_environ(env):
            aws.client.cache_clear()
            env["BENCH_SESSION_TOKEN"], env["BENCH_ROOM_TOKEN"] = _seed(stack)
        yield env
    finally:
        aws.client.cache_clear()
        stack.stop_moto(moto)


def _seed(stack) -> str:
    from devstack import demo
    from functions.core import room_store  # noqa: F401 - its records must exist before bind()
    from functions.core.clock import SettableClock
    from functions.core.config import settings_from_env
    from functions.core.runtime import build_runtime

    settings = settings_from_env()
    pepper = stack.bootstrap(settings)["pepper"].encode()
    runtime = build_runtime(settings, SettableClock(datetime.now(UTC)))
    now = runtime.clock.now()
    demo.load_clinics(pepper, now)
    demo.load_people(pepper, now)
    token, _ = runtime.sessions.create(PATIENT, "high", settings.terms_version)
    return token, _room_token(now)


def _room_token(now: datetime) -> str:
    """A room token of Kari's, inside its window (the video function's first request polls with it)."""
    from datetime import timedelta

    from functions.core.room_store import Rooms
    from functions.core.rooms import PATIENT as IN_ROOM
    from functions.core.rooms import issue_pass

    room = issue_pass("a-bench-video", IN_ROOM, PATIENT, "c-storgata", now - timedelta(minutes=5),
                      now + timedelta(hours=2), now)
    return Rooms().issue(room)


def child_environment(env: dict[str, str], pycache: str) -> dict[str, str]:
    merged = {**os.environ, **env, "PYTHONPYCACHEPREFIX": pycache}
    merged.pop("PYTHONDONTWRITEBYTECODE", None)
    return merged


def process_seconds(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        lines = (done.stderr.strip() or done.stdout.strip() or "no output").splitlines()
        raise RuntimeError(f"child process exited {done.returncode}: {lines[-1]}")
    return seconds


def measure(pkg: str, env: dict[str, str], runs: int) -> Result:
    name = f"cold start {pkg}"
    first = FIRST_REQUESTS.get(pkg)
    if first is None:
        return Result(BENCH, name, None, "x", GOAL,
                      failure=f"no first request for {pkg}: add it to FIRST_REQUESTS in bench/cold_start.py")
    env = {**env, "BENCH_PATH": first.path, "BENCH_EXPECT": first.expect}
    app = [sys.executable, "-c", CHILD.format(pkg=pkg)]
    flask = [sys.executable, "-c", BASELINE]
    subjects, baselines = stats.alternate(lambda: process_seconds(app, env), lambda: process_seconds(flask, env),
                                          runs)
    detail = (f"GET {first.path}: median {stats.median(subjects):.3f} s vs {BASELINE!r} "
              f"{stats.median(baselines):.3f} s; {runs} pairs, ratios {stats.spread(subjects, baselines)}")
    return Result(BENCH, name, stats.median_ratio(subjects, baselines), "x", GOAL, detail)


def measure_or_report(pkg: str, env: dict[str, str], runs: int) -> Result:
    """One package whose child fails becomes a failed row; the other packages are still measured."""
    try:
        return measure(pkg, env, runs)
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        return Result(BENCH, f"cold start {pkg}", None, "x", GOAL, failure=f"error: {exc}"[:200])


def run(runs: int = stats.MIN_RUNS) -> list[Result]:
    runs = max(runs, stats.MIN_RUNS)
    packages = function_packages()
    if not packages:
        return [Result(BENCH, "cold start", None, "x", GOAL, failure="no functions/*/app.py found")]
    pycache = tempfile.mkdtemp(prefix="bench-pycache-")
    try:
        with moto_server_environment() as env:
            children = child_environment(env, pycache)
            return [measure_or_report(pkg, children, runs) for pkg in packages]
    finally:
        shutil.rmtree(pycache, ignore_errors=True)
