"""The session's id_token and the login state's browser binding, against moto."""
from __future__ import annotations

import pytest

from functions.core.core_records import IdTokenRecord, SessionRecord
from functions.core.sessions import LoginState, browser_hash
from tests.support.aws_stack import moto_runtime


@pytest.fixture
def rt():
    with moto_runtime() as runtime:
        yield runtime


def test_R3_the_id_token_is_kept_apart_from_the_session_and_taken_once(rt):
    token, session = rt.sessions.create("p1", "high", None, id_token="eyJ.id.token")
    raw = SessionRecord.get(f"SESSION#{session.token_hash}").attribute_values
    assert "eyJ.id.token" not in str(raw)                      # the per-request read stays small
    assert rt.sessions.take_id_token(token) == "eyJ.id.token"
    assert rt.sessions.take_id_token(token) is None


def test_R3_ending_a_session_deletes_its_id_token(rt):
    token, session = rt.sessions.create("p1", "high", None, id_token="eyJ.id.token")
    rt.sessions.end(token)
    assert IdTokenRecord.count(f"IDTOKEN#{session.token_hash}") == 0
    assert rt.sessions.take_id_token(token) is None


def test_R3_the_id_token_expires_with_the_absolute_session_lifetime(rt):
    _, session = rt.sessions.create("p1", "high", None, id_token="eyJ.id.token")
    record = IdTokenRecord.get(f"IDTOKEN#{session.token_hash}")
    hours = rt.settings.session_absolute_hours
    assert (record.expires_at - rt.clock.now()).total_seconds() == pytest.approx(hours * 3600, abs=5)


def test_login_state_keeps_the_hash_of_the_browsers_login_cookie_only(rt):
    rt.login_states.put("s1", LoginState("n", "v", "high", "/nb/oversikt.html", browser_hash("cookie-value")))
    taken = rt.login_states.take("s1")
    assert taken.browser_hash == browser_hash("cookie-value") != "cookie-value"
