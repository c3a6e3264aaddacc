"""Pure rules of the signalling: which messages each side may send, and their bounds.

The patient makes the offer, the practitioner answers; both may send ICE candidates. A message is
small: SDP ≤ 16 KB, ≤ 30 candidates of ≤ 600 characters each. The long-poll waits at most 20 s
(API Gateway answers by 29 s) and checks for messages quickly first, then more slowly."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from functions.core.errors import BadRequest, Invalid, TooLarge
from functions.core.rooms import PATIENT, PRACTITIONER

OFFER, ANSWER, CANDIDATES = "offer", "answer", "candidates"
JOINED, LEFT, ENDED = "joined", "left", "ended"      # presence, written by the service itself
MAY_SEND = {PATIENT: {OFFER, CANDIDATES}, PRACTITIONER: {ANSWER, CANDIDATES}}
SDP_MAX = 16 * 1024
CANDIDATES_MAX = 30
CANDIDATE_MAX = 600
WAIT_MAX = 20.0

_OFFER_ID = re.compile(r"[A-Za-z0-9_-]{1,40}")
_MID = re.compile(r"[A-Za-z0-9_.-]{1,32}")
_UFRAG = re.compile(r"[A-Za-z0-9+/=_-]{1,64}")
# RFC 8839 candidate-attribute: foundation component transport priority address port "typ" type ...
_CANDIDATE = re.compile(r"candidate:[!-~]{1,32} \d{1,3} (?i:udp|tcp) \d{1,10} [0-9A-Za-z.:_-]{1,255} \d{1,5} "
                        r"typ (?:host|srflx|prflx|relay)(?: [ -~]*)?")
_SDP_LINE = re.compile(r"[a-z]=[ -~]*")


@dataclass(frozen=True)
class Signal:
    kind: str
    body: dict = field(default_factory=dict)


def parse_signal(payload: object, role: str) -> Signal:
    if not isinstance(payload, dict):
        raise BadRequest()
    unknown = set(payload) - {"kind", "offer_id", "sdp", "candidates"}
    if unknown:
        raise Invalid("unknown_field", field=sorted(unknown)[0])
    kind = payload.get("kind")
    if kind not in MAY_SEND[role]:
        raise Invalid("signal_not_allowed", field="kind")
    offer_id = payload.get("offer_id")
    if not isinstance(offer_id, str) or not _OFFER_ID.fullmatch(offer_id):
        raise Invalid("invalid_offer_id", field="offer_id")
    if kind == CANDIDATES:
        return Signal(kind, {"offer_id": offer_id, "candidates": parse_candidates(payload.get("candidates"))})
    return Signal(kind, {"offer_id": offer_id, "sdp": parse_sdp(payload.get("sdp"))})


def parse_sdp(sdp: object) -> str:
    if not isinstance(sdp, str):
        raise Invalid("invalid_sdp", field="sdp")
    if len(sdp.encode()) > SDP_MAX:
        raise TooLarge("sdp_too_large", field="sdp", max_kb=SDP_MAX // 1024)
    lines = sdp.replace("\r\n", "\n").rstrip("\n").split("\n")
    if lines[0] != "v=0" or not all(_SDP_LINE.fullmatch(line) for line in lines):
        raise Invalid("invalid_sdp", field="sdp")
    return sdp


def parse_candidates(candidates: object) -> list[dict]:
    if not isinstance(candidates, list) or not candidates:
        raise Invalid("invalid_candidate", field="candidates")
    if len(candidates) > CANDIDATES_MAX:
        raise TooLarge("too_many_candidates", field="candidates", max=CANDIDATES_MAX)
    return [parse_candidate(c, f"candidates[{i}]") for i, c in enumerate(candidates)]


def parse_candidate(value: object, where: str) -> dict:
    if not isinstance(value, dict) or set(value) - {"candidate", "sdpMid", "sdpMLineIndex", "usernameFragment"}:
        raise Invalid("invalid_candidate", field=where)
    text, mid, index, ufrag = (value.get(k) for k in ("candidate", "sdpMid", "sdpMLineIndex", "usernameFragment"))
    if not isinstance(text, str) or len(text) > CANDIDATE_MAX or (text and not _CANDIDATE.fullmatch(text)):
        raise Invalid("invalid_candidate", field=f"{where}.candidate")
    if mid is not None and (not isinstance(mid, str) or not _MID.fullmatch(mid)):
        raise Invalid("invalid_candidate", field=f"{where}.sdpMid")
    if index is not None and (type(index) is not int or not 0 <= index <= 63):
        raise Invalid("invalid_candidate", field=f"{where}.sdpMLineIndex")
    if mid is None and index is None and text:
        raise Invalid("invalid_candidate", field=f"{where}.sdpMid")
    if ufrag is not None and (not isinstance(ufrag, str) or not _UFRAG.fullmatch(ufrag)):
        raise Invalid("invalid_candidate", field=f"{where}.usernameFragment")
    return {"candidate": text, "sdpMid": mid, "sdpMLineIndex": index,
            **({"usernameFragment": ufrag} if ufrag else {})}


def wait_seconds(raw: str | None) -> float:
    if raw in (None, ""):
        return 0.0
    try:
        value = float(raw)
    except ValueError:
        raise Invalid("invalid_wait", field="wait", max=int(WAIT_MAX)) from None
    if not 0 <= value <= WAIT_MAX:
        raise Invalid("invalid_wait", field="wait", max=int(WAIT_MAX))
    return value


def pause(elapsed: float) -> float:
    """How long a long-poll sleeps before it looks again: quickly while a call is being set up
    (offer, answer and candidates follow each other within a second), then more slowly."""
    if elapsed < 3:
        return 0.05
    if elapsed < 8:
        return 0.25
    return 1.0
