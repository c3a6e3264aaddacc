"""Fixed-window rate limits: one atomic counter update per hit (login, clinic calls)."""
from __future__ import annotations

from datetime import timedelta

from functions.core.clock import Clock
from functions.core.core_records import RateRecord
from functions.core.errors import TooManyRequests


class RateLimiter:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    def hit(self, key: str, limit: int, window_seconds: int = 60) -> None:
        now = self._clock.now()
        window = int(now.timestamp()) // window_seconds
        record = RateRecord(f"RATE#{key}#{window}")
        record.update(actions=[RateRecord.hits.add(1),
                               RateRecord.expires_at.set(now + timedelta(seconds=2 * window_seconds))])
        if record.hits > limit:
            raise TooManyRequests()
