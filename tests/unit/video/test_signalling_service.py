"""The signalling use cases on fakes (functions/video/service.py): R22's waiting room and the
practitioner told, R23's offer/answer, leaving and ending, and the long-poll's wait."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from functions.core.clock import SettableClock
from functions.core.errors import Conflict, Forbidden, Invalid, Unauthenticated
from functions.core.rooms import PATIENT, PRACTITIONER, issue_pass
from functions.video.ice import IceServers
from functions.video.service import Person, Signalling
from tests.support.video_fakes import FakeRooms, FakeSignals

START = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
KARI, LISE = Person(PATIENT, "p-kari"), Person(PRACTITIONER, "s-lise", "c-storgata")
SDP = "v=0\r\ns=-\r\n"


class Ticker:
    """A monotonic clock that moves only when the service sleeps."""

    def __init__(self) -> None:
        self.now, self.sleeps = 0.0, []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def room():
    clock, rooms, signals, ticker = SettableClock(START - timedelta(minutes=5)), FakeRooms(), FakeSignals(), Ticker()
    svc = Signalling(rooms, signals, IceServers((), (), str), clock, sleep=ticker.sleep, monotonic=lambda: ticker.now)
    opens, closes = START - timedelta(minutes=15), START + timedelta(hours=2)
    now = clock.now()
    tokens = {role: rooms.issue(issue_pass("a-1", role, person, "c-storgata", opens, closes, now))
              for role, person in ((PATIENT, "p-kari"), (PRACTITIONER, "s-lise"))}
    return svc, tokens, clock, rooms, signals, ticker


def test_R22_the_patient_waits_and_the_practitioner_is_told_then_the_call_is_set_up(room):
    svc, tokens, clock, rooms, signals, ticker = room
    joined = svc.join(KARI, tokens[PATIENT])
    assert (joined.role, joined.peer_present, joined.ice_servers) == (PATIENT, False, [])
    assert rooms.state("a-1").waiting(clock.now())
    # the practitioner enters: told that Kari waits (peer present), and Kari hears that the practitioner came
    there = svc.join(LISE, tokens[PRACTITIONER])
    assert there.peer_present is True
    polled = svc.poll(KARI, tokens[PATIENT], 20)
    assert polled.messages == [{"kind": "joined"}] and polled.peer_present is True and ticker.sleeps == []
    svc.send(KARI, tokens[PATIENT], {"kind": "offer", "offer_id": "o1", "sdp": SDP})
    # Kari's "joined" from before the practitioner came was dropped when the practitioner entered
    assert svc.poll(LISE, tokens[PRACTITIONER], 20).messages == [{"kind": "offer", "offer_id": "o1", "sdp": SDP}]
    svc.send(LISE, tokens[PRACTITIONER], {"kind": "answer", "offer_id": "o1", "sdp": SDP})
    assert svc.poll(KARI, tokens[PATIENT], 0).messages == [{"kind": "answer", "offer_id": "o1", "sdp": SDP}]
    assert rooms.state("a-1").in_call(clock.now())


def test_R22_joining_drops_what_waited_from_an_earlier_visit(room):
    svc, tokens, *_ = room
    svc.join(KARI, tokens[PATIENT])
    svc.send(KARI, tokens[PATIENT], {"kind": "offer", "offer_id": "old", "sdp": SDP})
    svc.join(LISE, tokens[PRACTITIONER])
    assert svc.poll(LISE, tokens[PRACTITIONER], 0).messages == []


def test_the_long_poll_waits_with_quick_then_slower_looks_and_answers_empty(room):
    svc, tokens, *_, ticker = room
    svc.join(KARI, tokens[PATIENT])
    polled = svc.poll(KARI, tokens[PATIENT], 10)
    assert polled.messages == [] and polled.peer_present is False
    assert sum(ticker.sleeps) == pytest.approx(10)
    assert ticker.sleeps[0] == 0.05 and max(ticker.sleeps) == 1.0


def test_R23_leaving_tells_the_other_side_and_the_patient_may_come_back(room):
    svc, tokens, clock, rooms, *_ = room
    svc.join(LISE, tokens[PRACTITIONER])
    svc.join(KARI, tokens[PATIENT])
    svc.poll(LISE, tokens[PRACTITIONER], 0)
    assert svc.leave(KARI, tokens[PATIENT], end=True) is False   # a patient cannot end the consultation
    polled = svc.poll(LISE, tokens[PRACTITIONER], 0)
    assert polled.messages == [{"kind": "left"}] and polled.peer_present is False
    assert svc.join(KARI, tokens[PATIENT]).peer_present is True


def test_R23_the_practitioners_red_button_ends_the_room_for_good(room):
    svc, tokens, clock, rooms, *_ = room
    svc.join(KARI, tokens[PATIENT])
    svc.join(LISE, tokens[PRACTITIONER])
    assert svc.leave(LISE, tokens[PRACTITIONER], end=True) is True
    with pytest.raises(Conflict) as refused:
        svc.poll(KARI, tokens[PATIENT], 0)
    assert refused.value.code == "video_ended"
    for again in (lambda: svc.join(KARI, tokens[PATIENT]),
                  lambda: svc.send(KARI, tokens[PATIENT], {"kind": "offer", "offer_id": "o2", "sdp": SDP}),
                  lambda: rooms.issue(issue_pass("a-1", PATIENT, "p-kari", "c-storgata", START, START, START))):
        with pytest.raises(Conflict):
            again()


def test_R21_a_token_is_refused_for_another_person_after_expiry_and_outside_the_window(room):
    svc, tokens, clock, *_ = room
    with pytest.raises(Forbidden):
        svc.join(Person(PATIENT, "p-nora"), tokens[PATIENT])
    with pytest.raises(Forbidden):
        svc.join(Person(PATIENT, "s-lise"), tokens[PRACTITIONER])   # a practitioner's token without the credential
    with pytest.raises(Unauthenticated):
        svc.join(KARI, "A" * 43)
    clock.set(START + timedelta(minutes=26))   # 31 minutes after the token was made
    with pytest.raises(Unauthenticated) as expired:
        svc.poll(KARI, tokens[PATIENT], 0)
    assert expired.value.code == "room_token_expired"


def test_a_bad_message_is_refused_before_anything_is_sent(room):
    svc, tokens, *_, signals, _ = room
    svc.join(KARI, tokens[PATIENT])
    before = list(signals.posted)
    with pytest.raises(Invalid):
        svc.send(KARI, tokens[PATIENT], {"kind": "answer", "offer_id": "o1", "sdp": SDP})
    assert signals.posted == before
