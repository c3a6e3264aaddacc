"""The video room's stores, on the hand-written fakes and on the real repositories on moto:
core's room tokens and states (functions/core/room_store.py) and the signalling messages
(functions/video/repository.py). Tokens are found by the token only; presence is per role; an
ended room stays ended (no token, no entering); a message is taken once, oldest first."""
from __future__ import annotations

from datetime import UTC, timedelta

import pytest

from functions.core.errors import Conflict
from functions.core.room_store import Rooms
from functions.core.rooms import PATIENT, PRACTITIONER, issue_pass
from functions.video.repository import SignalRepository
from tests.support.aws_stack import FIXED_NOW, moto_runtime
from tests.support.video_fakes import FakeRooms, FakeSignals

NOW = FIXED_NOW.astimezone(UTC)


def a_pass(role: str = PATIENT, appointment: str = "a-1", person: str = "p-kari"):
    return issue_pass(appointment, role, person, "c-storgata", NOW - timedelta(minutes=5), NOW + timedelta(hours=2),
                      NOW)


@pytest.fixture(params=["fake", "moto"])
def stores(request):
    if request.param == "fake":
        yield FakeRooms(), FakeSignals()
        return
    with moto_runtime(frozen=True):
        yield Rooms(), SignalRepository()


def test_a_token_finds_its_pass_and_nothing_else(stores):
    rooms, _ = stores
    room = a_pass()
    token = rooms.issue(room)
    assert rooms.find(token) == room
    assert rooms.find(token + "x") is None and rooms.find("A" * 43) is None
    assert rooms.issue(room) != token


def test_presence_is_per_role_and_leaving_removes_it(stores):
    rooms, _ = stores
    patient, practitioner = a_pass(), a_pass(PRACTITIONER, person="s-lise")
    rooms.issue(patient)
    rooms.issue(practitioner)
    assert rooms.state("a-1").patient_seen is None
    entered = rooms.seen(patient, NOW, entering=True)
    assert (entered.patient_seen, entered.patient_since, entered.practitioner_seen) == (NOW, NOW, None)
    assert entered.waiting(NOW) and not entered.in_call(NOW)
    later = NOW + timedelta(seconds=10)
    both = rooms.seen(practitioner, later)
    assert both.in_call(later) and both.patient_since == NOW
    rooms.seen(patient, later + timedelta(seconds=5))
    assert rooms.state("a-1").patient_since == NOW  # a poll is not a new entry
    left = rooms.leave(patient, later, end=False)
    assert left.patient_seen is None and left.practitioner_seen == later and left.ended_at is None
    assert rooms.states(["a-1", "a-none"]) == {"a-1": rooms.state("a-1"), "a-none": rooms.state("a-none")}
    assert rooms.states([]) == {}


def test_an_ended_room_gives_no_token_and_no_entry(stores):
    rooms, _ = stores
    patient, practitioner = a_pass(), a_pass(PRACTITIONER, person="s-lise")
    rooms.issue(patient)
    rooms.issue(practitioner)
    ended = rooms.leave(practitioner, NOW, end=True)
    assert ended.ended_at == NOW
    for attempt in (lambda: rooms.issue(patient), lambda: rooms.seen(patient, NOW),
                    lambda: rooms.leave(patient, NOW, end=False)):
        with pytest.raises(Conflict) as refused:
            attempt()
        assert refused.value.code == "video_ended"
    assert rooms.state("a-1").ended_at == NOW


def test_a_room_never_issued_cannot_be_entered(stores):
    rooms, _ = stores
    with pytest.raises(Conflict):
        rooms.seen(a_pass(appointment="a-never"), NOW)


def test_messages_are_taken_once_oldest_first_and_only_by_their_side(stores):
    _, signals = stores
    signals.post("a-1", PRACTITIONER, "offer", {"offer_id": "o1", "sdp": "v=0\r\n"}, NOW)
    signals.post("a-1", PRACTITIONER, "candidates", {"offer_id": "o1", "candidates": [{"candidate": ""}]},
                 NOW + timedelta(milliseconds=1))
    signals.post("a-1", PATIENT, "joined", {}, NOW)
    signals.post("a-2", PRACTITIONER, "joined", {}, NOW)
    assert signals.take("a-1", PRACTITIONER) == [
        {"kind": "offer", "offer_id": "o1", "sdp": "v=0\r\n"},
        {"kind": "candidates", "offer_id": "o1", "candidates": [{"candidate": ""}]}]
    assert signals.take("a-1", PRACTITIONER) == []
    assert signals.take("a-1", PATIENT) == [{"kind": "joined"}]
    assert signals.take("a-2", PRACTITIONER) == [{"kind": "joined"}]
