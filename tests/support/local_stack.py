"""The local stack started exactly as the README's `make run` starts it, in its own process
group, for the browser tests and the HTTP race tests: its URL, output, clock and login budget."""
from __future__ import annotations

import contextlib
import os
import queue
import re
import signal
import socket
import subprocess
import threading
import time
from collections import deque
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
PORTAL_NOW = "2026-11-23T09:00:00+01:00"
STARTED = "kjører på http"
START_TIMEOUT = 120

# The portal allows this many requests to /api/accounts/login + /callback per client address and
# portal minute (Settings.login_rate_per_minute); each login costs two. The tests stay below it.
LOGIN_RATE = 20
LOGIN_MARGIN = 4


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stack_environment(port: int, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The developer's environment plus PORT and PORTAL_NOW, minus what would change the stack
    `make run` sets up (settings it takes from PORTAL_*/AWS_*, an enclosing make's flags).
    `extra` is what a test changes on purpose (e.g. PORTAL_OIDC_ISSUER for another provider)."""
    drop = ("PORTAL_", "AWS_", "MAKE", "MFLAGS")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    env.update({"PORT": str(port), "PORTAL_NOW": PORTAL_NOW, "PYTHONUNBUFFERED": "1", **(extra or {})})
    return env


def make_command() -> list[str]:
    """`make run`. When the install stamp is missing or stale make would first (re)install the
    virtualenv; the tests never do that to a shared venv (`-o` takes the stamp as up to date)."""
    probe = subprocess.run(["make", "-q", ".venv/.installed"], cwd=ROOT, capture_output=True)
    return ["make", "run"] if probe.returncode == 0 else ["make", "-o", ".venv/.installed", "run"]


class Stack:
    """A running `make run` in its own process group: its output and the URL it announced."""

    def __init__(self, extra_env: dict[str, str] | None = None) -> None:
        self.command = make_command()
        self.process = subprocess.Popen(self.command, cwd=ROOT, env=stack_environment(free_port(), extra_env),
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                        bufsize=1, start_new_session=True)
        self._lines: deque[str] = deque(maxlen=500)
        self._fresh: queue.Queue[str | None] = queue.Queue()
        self.login_hits: dict[int, int] = {}
        self._pump_done = threading.Event()
        threading.Thread(target=self._pump, name="stack-output", daemon=True).start()
        self.base_url = self._wait_started()

    def _pump(self) -> None:
        # Reads for the whole session: an unread pipe would block the server once it fills.
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._lines.append(line.rstrip("\n"))
            self._fresh.put(line)
        self._fresh.put(None)
        self._pump_done.set()

    def output(self, last: int = 60) -> str:
        return "\n".join(list(self._lines)[-last:])

    def _fail(self, why: str) -> None:
        self.stop()
        pytest.fail(f"`{' '.join(self.command)}` {why}:\n{self.output(300)}", pytrace=False)

    def _wait_started(self) -> str:
        deadline = time.monotonic() + START_TIMEOUT
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self._fresh.get(timeout=left)
            except queue.Empty:
                break
            if line is None:
                self._fail(f"ended before it started (exit {self.process.wait()})")
            if STARTED in line:
                found = re.search(r"https?://\S+", line)
                if not found:
                    self._fail(f"announced no URL: {line!r}")
                return found.group(0).rstrip("/")
        self._fail(f"did not print {STARTED!r} within {START_TIMEOUT} s")
        raise AssertionError("unreachable")

    def stop(self) -> None:
        """SIGTERM to the whole process group (make, devstack, moto), SIGKILL after 10 s."""
        if self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        except ProcessLookupError:
            pass

    # --- the portal clock (GET/POST /__dev/clock) and the login rate limit

    def now(self) -> datetime:
        answer = requests.get(f"{self.base_url}/__dev/clock", timeout=10)
        answer.raise_for_status()
        return datetime.fromisoformat(answer.json()["now"].replace("Z", "+00:00"))

    def set_now(self, instant: datetime) -> None:
        answer = requests.post(f"{self.base_url}/__dev/clock", json={"now": instant.isoformat()}, timeout=10)
        answer.raise_for_status()

    @contextlib.contextmanager
    def clock_travel(self) -> Iterator[None]:
        """Moves of the portal clock inside the block are undone on the way out: the clock goes back
        to where it was, plus the time that passed meanwhile (so it never runs backwards for the
        rest of the session)."""
        before, started = self.now(), time.monotonic()
        try:
            yield
        finally:
            self.set_now(before + timedelta(seconds=time.monotonic() - started))

    def spend_login_hits(self, hits: int) -> None:
        """Before `hits` requests to /login or /callback: if this portal minute has no room left for
        them under the rate limit, move the portal clock on to the next minute."""
        now = self.now()
        window, second = divmod(int(now.timestamp()), 60)
        if self.login_hits.get(window, 0) + hits > LOGIN_RATE - LOGIN_MARGIN or second >= 55:
            window += 1
            self.set_now(datetime.fromtimestamp(window * 60 + 1, now.tzinfo))
        self.login_hits[window] = self.login_hits.get(window, 0) + hits

    def url(self, path: str) -> str:
        return self.base_url + path


