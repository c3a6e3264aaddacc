"""The signalling's bounds (functions/video/model.py): who may send what, SDP and ICE candidates
checked field by field, the long-poll's wait; the TURN credentials (functions/video/ice.py)."""
from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime

import pytest

from functions.core.errors import BadRequest, Invalid, TooLarge
from functions.core.rooms import PATIENT, PRACTITIONER
from functions.video import model
from functions.video.ice import IceServers

SDP = "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\n"
HOST = "candidate:842163049 1 udp 1677729535 192.168.1.20 54321 typ host generation 0 ufrag EEtu network-cost 999"
MDNS = "candidate:1 1 UDP 2122252543 0b6b8f4c-7b9a-4c4e-9d1c-1a2b3c4d5e6f.local 50000 typ host"
RELAY = "candidate:3 1 udp 41885439 203.0.113.7 3478 typ relay raddr 198.51.100.2 rport 61000"


def test_R23_the_patient_offers_and_the_practitioner_answers():
    offer = model.parse_signal({"kind": "offer", "offer_id": "o-1", "sdp": SDP}, PATIENT)
    assert offer == model.Signal("offer", {"offer_id": "o-1", "sdp": SDP})
    assert model.parse_signal({"kind": "answer", "offer_id": "o-1", "sdp": SDP}, PRACTITIONER).kind == "answer"
    for kind, role in (("answer", PATIENT), ("offer", PRACTITIONER), ("joined", PATIENT), ("ended", PRACTITIONER)):
        with pytest.raises(Invalid) as refused:
            model.parse_signal({"kind": kind, "offer_id": "o-1", "sdp": SDP}, role)
        assert (refused.value.code, refused.value.field) == ("signal_not_allowed", "kind")


@pytest.mark.parametrize("payload, code, field", [
    ({"kind": "offer", "offer_id": "o 1", "sdp": SDP}, "invalid_offer_id", "offer_id"),
    ({"kind": "offer", "offer_id": "x" * 41, "sdp": SDP}, "invalid_offer_id", "offer_id"),
    ({"kind": "offer", "sdp": SDP}, "invalid_offer_id", "offer_id"),
    ({"kind": "offer", "offer_id": "o1", "sdp": 5}, "invalid_sdp", "sdp"),
    ({"kind": "offer", "offer_id": "o1", "sdp": "hello"}, "invalid_sdp", "sdp"),
    ({"kind": "offer", "offer_id": "o1", "sdp": "v=0\r\n<script>\r\n"}, "invalid_sdp", "sdp"),
    ({"kind": "offer", "offer_id": "o1", "sdp": "v=0\r\na=x\x00y\r\n"}, "invalid_sdp", "sdp"),
    ({"kind": "offer", "offer_id": "o1", "sdp": SDP, "to": "someone"}, "unknown_field", "to"),
])
def test_a_bad_offer_is_refused_at_its_field(payload, code, field):
    with pytest.raises(Invalid) as refused:
        model.parse_signal(payload, PATIENT)
    assert (refused.value.code, refused.value.field) == (code, field)


def test_an_oversized_sdp_is_413_and_not_json_is_400():
    with pytest.raises(TooLarge) as refused:
        model.parse_signal({"kind": "offer", "offer_id": "o1", "sdp": SDP + "a=x" * 6000}, PATIENT)
    assert (refused.value.code, refused.value.field, refused.value.status) == ("sdp_too_large", "sdp", 413)
    with pytest.raises(BadRequest):
        model.parse_signal(["offer"], PATIENT)


def test_candidates_host_mdns_relay_and_end_of_candidates_are_accepted():
    found = model.parse_candidates([{"candidate": c, "sdpMid": "0", "sdpMLineIndex": 0} for c in (HOST, MDNS, RELAY)]
                                   + [{"candidate": "", "sdpMid": None, "sdpMLineIndex": None}])
    assert [c["candidate"] for c in found] == [HOST, MDNS, RELAY, ""]


@pytest.mark.parametrize("candidate, field", [
    ({"candidate": "candidate:1 1 udp 1 1.2.3.4 5 typ evil"}, "candidates[0].candidate"),
    ({"candidate": "hello", "sdpMid": "0"}, "candidates[0].candidate"),
    ({"candidate": HOST + "\r\na=injected", "sdpMid": "0"}, "candidates[0].candidate"),
    ({"candidate": HOST, "sdpMid": "0" * 40}, "candidates[0].sdpMid"),
    ({"candidate": HOST, "sdpMLineIndex": -1}, "candidates[0].sdpMLineIndex"),
    ({"candidate": HOST, "sdpMLineIndex": True}, "candidates[0].sdpMLineIndex"),
    ({"candidate": HOST}, "candidates[0].sdpMid"),
    ({"candidate": HOST, "sdpMid": "0", "extra": 1}, "candidates[0]"),
    ("candidate:1", "candidates[0]"),
])
def test_a_malformed_candidate_is_refused_at_its_field(candidate, field):
    with pytest.raises(Invalid) as refused:
        model.parse_signal({"kind": "candidates", "offer_id": "o1", "candidates": [candidate]}, PATIENT)
    assert (refused.value.code, refused.value.field) == ("invalid_candidate", field)


def test_too_many_or_no_candidates_are_refused():
    with pytest.raises(TooLarge):
        model.parse_candidates([{"candidate": HOST, "sdpMid": "0"}] * (model.CANDIDATES_MAX + 1))
    with pytest.raises(Invalid):
        model.parse_candidates([])


@pytest.mark.parametrize("raw, seconds", [(None, 0.0), ("", 0.0), ("0", 0.0), ("2.5", 2.5), ("20", 20.0)])
def test_the_wait_is_zero_to_twenty_seconds(raw, seconds):
    assert model.wait_seconds(raw) == seconds


@pytest.mark.parametrize("raw", ["-1", "21", "soon", "nan", "inf"])
def test_a_bad_wait_is_refused(raw):
    with pytest.raises(Invalid) as refused:
        model.wait_seconds(raw)
    assert refused.value.field == "wait"


def test_the_long_poll_looks_quickly_while_a_call_is_set_up_then_slowly():
    assert model.pause(0) == model.pause(2.9) == 0.05
    assert model.pause(5) == 0.25 and model.pause(15) == 1.0


def test_no_ice_servers_on_loopback_and_stun_turn_from_configuration():
    now = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    assert IceServers((), (), lambda: pytest.fail("no secret needed")).for_join(PATIENT, now) == []
    servers = IceServers(("stun:stun.klinikk.no:3478",), ("turns:turn.klinikk.no:5349?transport=tcp",),
                         lambda: "delt-hemmelighet").for_join(PATIENT, now)
    assert servers[0] == {"urls": ["stun:stun.klinikk.no:3478"]}
    turn = servers[1]
    expiry, role = turn["username"].split(":")
    assert role == "patient" and int(expiry) == int(now.timestamp()) + 3 * 3600
    expected = base64.b64encode(hmac.new(b"delt-hemmelighet", turn["username"].encode(), hashlib.sha1).digest())
    assert turn["credential"] == expected.decode()
