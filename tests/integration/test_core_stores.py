"""Core stores against moto: login state is one-use, sessions end for good, rate windows count."""
from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest

from functions.core import records
from functions.core.core_records import SessionRecord
from functions.core.errors import TooManyRequests
from functions.core.sessions import LoginState
from tests.support.aws_stack import moto_runtime


@pytest.fixture
def rt():
    with moto_runtime() as runtime:
        yield runtime


def test_R1_login_state_can_be_taken_once(rt):
    rt.login_states.put("s1", LoginState("n", "v", "high", "/nb/oversikt.html"))
    assert rt.login_states.take("s1").nonce == "n"
    assert rt.login_states.take("s1") is None


def test_R1_login_state_expires_after_ten_minutes(rt):
    rt.login_states.put("s2", LoginState("n", "v", "high", "/nb/oversikt.html"))
    rt.clock.advance(minutes=11)
    assert rt.login_states.take("s2") is None


def test_R4_idle_session_expires_and_is_deleted(rt):
    token, _ = rt.sessions.create("p1", "high", None)
    rt.clock.advance(minutes=29)
    assert rt.sessions.load(token) is not None
    rt.clock.advance(minutes=31)
    assert rt.sessions.load(token) is None
    rt.clock.advance(minutes=-40)
    assert rt.sessions.load(token) is None  # deleted, not merely judged old


def test_R4_a_session_is_touched_at_most_every_two_minutes(rt):
    token, created = rt.sessions.create("p1", "high", None)
    rt.clock.advance(minutes=1)
    assert rt.sessions.load(token).last_seen == created.last_seen  # not touched yet
    rt.clock.advance(minutes=2)
    touched = rt.sessions.load(token).last_seen
    assert touched >= created.last_seen + timedelta(minutes=3)
    assert rt.sessions.load(token).last_seen == touched  # stored
    rt.clock.advance(minutes=29)  # 29 minutes after the touch, 32 after the login
    assert rt.sessions.load(token) is not None


def test_R4_a_touch_never_brings_back_a_session_ended_meanwhile(rt):
    token, _ = rt.sessions.create("p1", "high", None)
    rt.clock.advance(minutes=3)  # the next load touches the session
    table = SessionRecord._get_connection()
    client = table.connection.client
    logged_out = []

    def logout_lands_first(**_):  # Logg ut in another tab, between the read and the touch
        if not logged_out:
            logged_out.append(True)
            rt.sessions.end(token)

    client.meta.events.register("before-call.dynamodb.UpdateItem", logout_lands_first, unique_id="logout-first")
    try:
        assert rt.sessions.load(token) is None
    finally:
        client.meta.events.unregister("before-call.dynamodb.UpdateItem", unique_id="logout-first")
    assert logged_out == [True]
    key = {"pk": {"S": "SESSION#" + hashlib.sha256(token.encode()).hexdigest()}}
    assert "Item" not in client.get_item(TableName=table.table_name, Key=key)  # no half item left
    assert rt.sessions.load(token) is None


def test_every_record_class_shares_one_dynamodb_client(rt):
    import functions.accounts.records  # noqa: F401 - every package's records registered
    import functions.booking.records  # noqa: F401

    clients = {id(cls._get_connection().connection.client) for cls in records.registered()}
    assert len(records.registered()) > 5 and len(clients) == 1


def test_R10_consent_change_reaches_all_sessions_of_the_patient(rt):
    a, _ = rt.sessions.create("p1", "high", "2026-01")
    b, _ = rt.sessions.create("p1", "substantial", "2026-01")
    other, _ = rt.sessions.create("p2", "high", "2026-01")
    rt.sessions.set_consent("p1", None)
    assert rt.sessions.load(a).consent_version is None and rt.sessions.load(b).consent_version is None
    assert rt.sessions.load(other).consent_version == "2026-01"


def test_rate_limit_counts_per_window(rt):
    for _ in range(3):
        rt.limiter.hit("k", 3)
    with pytest.raises(TooManyRequests):
        rt.limiter.hit("k", 3)
    rt.clock.advance(seconds=61)
    rt.limiter.hit("k", 3)
