"""What the signalling service needs (fakes: tests/support/video_fakes.py; the contract test
tests/contract/video runs the same cases against the fakes and moto)."""
from __future__ import annotations

from datetime import datetime
from typing import Protocol

from functions.core.rooms import RoomPass, RoomState


class RoomStore(Protocol):
    """functions/core/room_store.py Rooms."""

    def find(self, token: str) -> RoomPass | None: ...

    def state(self, appointment_id: str) -> RoomState: ...

    def seen(self, room: RoomPass, now: datetime, entering: bool = False) -> RoomState:
        """Conflict("video_ended") once the practitioner ended the consultation."""
        ...

    def leave(self, room: RoomPass, now: datetime, end: bool) -> RoomState: ...


class Signals(Protocol):
    """functions/video/repository.py SignalRepository."""

    def post(self, appointment_id: str, to_role: str, kind: str, body: dict, now: datetime) -> None: ...

    def take(self, appointment_id: str, role: str) -> list[dict]: ...
