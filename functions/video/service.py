"""The signalling use cases: join, send, poll (long-poll), leave. Every call first checks the
room token against the person presenting it (core/rooms.py check_pass): unknown, expired, outside
R21's window, someone else's, or the room ended -> refused."""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from functions.core.clock import Clock
from functions.core.errors import Conflict
from functions.core.rooms import PRACTITIONER, RoomPass, check_pass, peer_of
from functions.video import model
from functions.video.ice import IceServers
from functions.video.ports import RoomStore, Signals


@dataclass(frozen=True)
class Person:
    """Who presents the token: the logged-in patient (or parent), or the clinic's staff member."""
    role: str
    person_id: str
    clinic_id: str | None = None


@dataclass(frozen=True)
class Joined:
    role: str
    peer_present: bool
    ice_servers: list[dict]


@dataclass(frozen=True)
class Polled:
    messages: list[dict]
    peer_present: bool
    ended: bool


class Signalling:
    def __init__(self, rooms: RoomStore, signals: Signals, ice: IceServers, clock: Clock,
                 sleep: Callable[[float], None] = time.sleep,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self._rooms, self._signals, self._ice, self._clock = rooms, signals, ice, clock
        self._sleep, self._monotonic = sleep, monotonic

    def join(self, person: Person, token: str) -> Joined:
        """Enter the room (R22): what was queued for an earlier visit is dropped, the peer is told."""
        room, now = self._pass(person, token), self._clock.now()
        self._signals.take(room.appointment_id, room.role)
        state = self._rooms.seen(room, now, entering=True)
        self._signals.post(room.appointment_id, peer_of(room.role), model.JOINED, {}, now)
        return Joined(room.role, state.present(peer_of(room.role), now), self._ice.for_join(room.role, now))

    def send(self, person: Person, token: str, payload: object) -> None:
        room = self._pass(person, token)
        signal = model.parse_signal(payload, room.role)
        now = self._clock.now()
        if self._rooms.state(room.appointment_id).ended_at is not None:
            raise Conflict("video_ended")
        self._signals.post(room.appointment_id, peer_of(room.role), signal.kind, signal.body, now)

    def poll(self, person: Person, token: str, wait: float) -> Polled:
        """What the peer sent, as soon as there is something or after `wait` seconds; polling is
        also the sign of life that keeps this side present."""
        room = self._pass(person, token)
        state = self._rooms.seen(room, self._clock.now())
        started = self._monotonic()
        while True:
            messages = self._signals.take(room.appointment_id, room.role)
            elapsed = self._monotonic() - started
            if messages or elapsed >= wait:
                break
            self._sleep(min(model.pause(elapsed), wait - elapsed))
        present = state.present(peer_of(room.role), self._clock.now())
        for message in messages:  # presence news since the poll began, in order
            if message["kind"] in (model.JOINED, model.LEFT, model.ENDED):
                present = message["kind"] == model.JOINED
        ended = any(m["kind"] == model.ENDED for m in messages)
        return Polled(messages, present, ended)

    def leave(self, person: Person, token: str, end: bool) -> bool:
        """The patient leaves (and may come back inside the window); the practitioner's red button
        ends the consultation for good (R23). Returns whether the room is ended."""
        room, now = self._pass(person, token), self._clock.now()
        ending = end and room.role == PRACTITIONER
        self._rooms.leave(room, now, ending)
        self._signals.post(room.appointment_id, peer_of(room.role), model.ENDED if ending else model.LEFT, {}, now)
        return ending

    def _pass(self, person: Person, token: str) -> RoomPass:
        return check_pass(self._rooms.find(token), self._clock.now(), person.role, person.person_id, person.clinic_id)
