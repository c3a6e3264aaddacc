"""Hand-written in-memory fakes of the video room's ports: core's room store
(functions/core/room_store.py Rooms) and the signalling messages (functions/video/ports.py Signals).
tests/contract/video runs the same cases against these and against moto."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from functions.core.errors import Conflict
from functions.core.rooms import PATIENT, RoomPass, RoomState, new_token, token_hash


class FakeRooms:
    def __init__(self) -> None:
        self.tokens: dict[str, RoomPass] = {}      # by the token's hash, as the table keeps them
        self.rooms: dict[str, RoomState] = {}

    def issue(self, room: RoomPass) -> str:
        state = self.rooms.get(room.appointment_id, RoomState(room.appointment_id))
        if state.ended_at is not None:
            raise Conflict("video_ended")
        self.rooms[room.appointment_id] = state
        token = new_token()
        self.tokens[token_hash(token)] = room
        return token

    def find(self, token: str) -> RoomPass | None:
        return self.tokens.get(token_hash(token))

    def state(self, appointment_id: str) -> RoomState:
        return self.rooms.get(appointment_id, RoomState(appointment_id))

    def states(self, appointment_ids: list[str]) -> dict[str, RoomState]:
        return {a: self.state(a) for a in appointment_ids}

    def seen(self, room: RoomPass, now: datetime, entering: bool = False) -> RoomState:
        state = self._open(room)
        if room.role == PATIENT:
            state = replace(state, patient_seen=now, patient_since=now if entering else state.patient_since)
        else:
            state = replace(state, practitioner_seen=now)
        self.rooms[room.appointment_id] = state
        return state

    def leave(self, room: RoomPass, now: datetime, end: bool) -> RoomState:
        state = self._open(room)
        state = replace(state, **{f"{room.role}_seen": None}, ended_at=now if end else None)
        self.rooms[room.appointment_id] = state
        return state

    def _open(self, room: RoomPass) -> RoomState:
        state = self.rooms.get(room.appointment_id)
        if state is None or state.ended_at is not None:
            raise Conflict("video_ended")
        return state


class FakeSignals:
    def __init__(self) -> None:
        self.queues: dict[tuple[str, str], list[dict]] = {}
        self.posted: list[tuple[str, str, dict]] = []

    def post(self, appointment_id: str, to_role: str, kind: str, body: dict, now: datetime) -> None:
        self.queues.setdefault((appointment_id, to_role), []).append({"kind": kind, **body})
        self.posted.append((appointment_id, to_role, {"kind": kind, **body}))

    def take(self, appointment_id: str, role: str) -> list[dict]:
        return self.queues.pop((appointment_id, role), [])
