"""The room token's rules and the room's presence (functions/core/rooms.py): R21's window, the
token's short life, bound to the role and the person; R22's waiting state."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from functions.core.errors import Conflict, Forbidden, Unauthenticated
from functions.core.rooms import (
    PATIENT,
    PRACTITIONER,
    PRESENT_FOR,
    TOKEN_LIFETIME,
    RoomState,
    check_pass,
    issue_pass,
    read_token,
)

START = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
OPENS, CLOSES = START - timedelta(minutes=15), START + timedelta(hours=2)


def room(now=START - timedelta(minutes=10), role=PATIENT, person="p-kari"):
    return issue_pass("a-1", role, person, "c-storgata", OPENS, CLOSES, now)


def test_R21_a_pass_lives_thirty_minutes_and_never_past_the_window():
    assert room().expires == START - timedelta(minutes=10) + TOKEN_LIFETIME
    late = CLOSES - timedelta(minutes=5)
    assert room(now=late).expires == CLOSES


def test_R21_a_pass_is_good_inside_the_window_for_its_own_person_and_role():
    now = START
    assert check_pass(room(), now, PATIENT, "p-kari") == room()
    practitioner = room(role=PRACTITIONER, person="s-lise")
    assert check_pass(practitioner, now, PRACTITIONER, "s-lise", "c-storgata") == practitioner


@pytest.mark.parametrize("role, person, clinic", [(PATIENT, "p-nora", None), (PRACTITIONER, "p-kari", None),
                                                  (PRACTITIONER, "s-lise", "c-storgata")])
def test_R21_someone_elses_pass_is_refused(role, person, clinic):
    with pytest.raises(Forbidden) as refused:
        check_pass(room(), START, role, person, clinic)
    assert refused.value.code == "room_not_yours"


def test_R21_another_clinics_staff_cannot_use_a_practitioners_pass():
    with pytest.raises(Forbidden):
        check_pass(room(role=PRACTITIONER, person="s-lise"), START, PRACTITIONER, "s-lise", "c-fjordheim")


def test_R21_an_unknown_or_expired_pass_is_401():
    with pytest.raises(Unauthenticated) as unknown:
        check_pass(None, START, PATIENT, "p-kari")
    assert unknown.value.code == "room_token_invalid"
    issued = room()
    with pytest.raises(Unauthenticated) as expired:
        check_pass(issued, issued.expires, PATIENT, "p-kari")
    assert expired.value.code == "room_token_expired"


def test_R21_outside_the_window_the_pass_is_refused_with_the_window():
    early = issue_pass("a-1", PATIENT, "p-kari", "c-storgata", OPENS, CLOSES, OPENS - timedelta(minutes=20))
    with pytest.raises(Conflict) as refused:
        check_pass(early, OPENS - timedelta(minutes=1), PATIENT, "p-kari")
    assert refused.value.code == "video_not_open"
    assert refused.value.params == {"opens": "24.11.2026 12:45", "closes": "15:00"}


@pytest.mark.parametrize("header, code", [(None, "room_token_missing"), ("  ", "room_token_missing"),
                                          ("a" * 101, "room_token_invalid"), ("abc/def", "room_token_invalid"),
                                          ("abc def", "room_token_invalid")])
def test_a_malformed_token_header_is_401(header, code):
    with pytest.raises(Unauthenticated) as refused:
        read_token(header)
    assert refused.value.code == code


def test_R22_the_patient_waits_until_the_practitioner_is_there_and_presence_goes_stale():
    now = START
    alone = RoomState("a-1", patient_seen=now, patient_since=now)
    assert alone.waiting(now) and not alone.in_call(now)
    both = RoomState("a-1", patient_seen=now, practitioner_seen=now)
    assert both.in_call(now) and not both.waiting(now)
    later = now + PRESENT_FOR + timedelta(seconds=1)
    assert not alone.waiting(later) and not alone.present(PATIENT, later)
    ended = RoomState("a-1", patient_seen=now, ended_at=now)
    assert not ended.waiting(now) and not ended.present(PATIENT, now)
    assert not RoomState("a-1").waiting(now)
