"""The portal's clock. Injected everywhere; only the local stack may fix it."""
from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

OSLO = ZoneInfo("Europe/Oslo")


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class SettableClock:
    """Starts at a fixed instant and runs on from there (local stack and tests).

    `frozen=True` stops it from advancing; `set()` moves it to another instant.
    """

    def __init__(self, start: datetime, frozen: bool = False) -> None:
        self._lock = threading.Lock()
        self._frozen = frozen
        self.set(start)

    def set(self, instant: datetime) -> None:
        if instant.tzinfo is None:
            raise ValueError("clock needs an aware datetime")
        with self._lock:
            self._origin = instant.astimezone(UTC)
            self._since = time.monotonic()

    def advance(self, **delta: float) -> None:
        from datetime import timedelta

        self.set(self.now() + timedelta(**delta))

    def now(self) -> datetime:
        from datetime import timedelta

        with self._lock:
            if self._frozen:
                return self._origin
            return self._origin + timedelta(seconds=time.monotonic() - self._since)


def parse_instant(text: str) -> datetime:
    """ISO 8601 with an offset; a naive time is read as Europe/Oslo."""
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        value = value.replace(tzinfo=OSLO)
    return value.astimezone(UTC)


def iso(instant: datetime) -> str:
    return instant.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def sort_stamp(instant: datetime) -> str:
    """A sortable UTC stamp with microseconds, for sort keys of events that may share a second."""
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
