"""The video room's shared rules (R21–R23): what a room token grants, and who is in the room.

Booking hands a token out when the patient or the practitioner starts a video consultation
(inside R21's window); the video function checks it on every signalling call without importing
booking; booking's clinic list reads who waits. Pure: no PynamoDB, no clock of its own."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from functions.core import messages
from functions.core.clock import OSLO, iso
from functions.core.errors import Conflict, Forbidden, Unauthenticated

PATIENT, PRACTITIONER = "patient", "practitioner"
ROLES = (PATIENT, PRACTITIONER)
TOKEN_LIFETIME = timedelta(minutes=30)   # short-lived; inside the window the page asks for a new one
PRESENT_FOR = timedelta(seconds=45)      # a long-poll lasts at most 20 s, so a present party is never stale
TOKEN_MAX_CHARS = 100

messages.register({
    "video_not_open": {"nb": "Videokonsultasjonen kan startes fra {opens} til {closes}.",
                       "en": "The video consultation can be started from {opens} to {closes}."},
    "video_ended": {"nb": "Samtalen er avsluttet av behandleren.",
                    "en": "The practitioner has ended the consultation."},
    "room_token_missing": {"nb": "Videorommet mangler tilgangsnøkkel. Start videokonsultasjonen på nytt.",
                           "en": "The video room has no access key. Start the video consultation again."},
    "room_token_invalid": {"nb": "Tilgangsnøkkelen til videorommet er ugyldig. Start videokonsultasjonen på nytt.",
                           "en": "The video room's access key is not valid. Start the video consultation again."},
    "room_token_expired": {"nb": "Tilgangsnøkkelen til videorommet er utløpt. Start videokonsultasjonen på nytt.",
                           "en": "The video room's access key has expired. Start the video consultation again."},
    "room_not_yours": {"nb": "Dette videorommet er ikke ditt.", "en": "This video room is not yours."},
    "not_your_appointment": {"nb": "Bare behandleren som har timen, kan gå inn i dette videorommet.",
                             "en": "Only the practitioner who has the appointment can enter this video room."},
})


def not_open(opens: datetime, closes: datetime) -> Conflict:
    """409 video_not_open, saying when the room opens and closes (Europe/Oslo)."""
    return Conflict("video_not_open", extra={"opens_at": iso(opens), "closes_at": iso(closes)},
                    opens=opens.astimezone(OSLO).strftime("%d.%m.%Y %H:%M"),
                    closes=closes.astimezone(OSLO).strftime("%H:%M"))


def new_token() -> str:
    return secrets.token_urlsafe(32)  # 256 bits


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def peer_of(role: str) -> str:
    return PRACTITIONER if role == PATIENT else PATIENT


@dataclass(frozen=True)
class RoomPass:
    """What one token grants: one role in one appointment's room, for one person, for a while."""
    appointment_id: str
    role: str
    person_id: str        # the patient (or the parent acting for the child) / the staff member
    clinic_id: str
    opens: datetime       # R21's window of the appointment
    closes: datetime
    expires: datetime


@dataclass(frozen=True)
class RoomState:
    appointment_id: str
    patient_seen: datetime | None = None        # the last sign of life; None once left
    practitioner_seen: datetime | None = None
    patient_since: datetime | None = None       # when the patient (last) entered the room
    ended_at: datetime | None = None            # the practitioner ended the consultation

    def seen(self, role: str) -> datetime | None:
        return self.patient_seen if role == PATIENT else self.practitioner_seen

    def present(self, role: str, now: datetime) -> bool:
        seen = self.seen(role)
        return self.ended_at is None and seen is not None and now - seen <= PRESENT_FOR

    def waiting(self, now: datetime) -> bool:
        """R22: the patient is in the room and the practitioner is not."""
        return self.present(PATIENT, now) and not self.present(PRACTITIONER, now)

    def in_call(self, now: datetime) -> bool:
        return self.present(PATIENT, now) and self.present(PRACTITIONER, now)


def issue_pass(appointment_id: str, role: str, person_id: str, clinic_id: str, opens: datetime, closes: datetime,
               now: datetime) -> RoomPass:
    """A pass lives TOKEN_LIFETIME, never past the window's end."""
    if role not in ROLES:
        raise ValueError(role)
    return RoomPass(appointment_id, role, person_id, clinic_id, opens, closes, min(now + TOKEN_LIFETIME, closes))


def check_pass(room: RoomPass | None, now: datetime, role: str, person_id: str,
               clinic_id: str | None = None) -> RoomPass:
    """Refuse a token that is unknown, expired, outside the window, or someone else's."""
    if room is None:
        raise Unauthenticated("room_token_invalid", field="X-Room-Token")
    if now >= room.expires:
        raise Unauthenticated("room_token_expired", field="X-Room-Token")
    if room.role != role or room.person_id != person_id or (clinic_id is not None and room.clinic_id != clinic_id):
        raise Forbidden("room_not_yours", field="X-Room-Token")
    if not room.opens <= now <= room.closes:
        raise not_open(room.opens, room.closes)
    return room


def read_token(header: str | None) -> str:
    token = (header or "").strip()
    if not token:
        raise Unauthenticated("room_token_missing", field="X-Room-Token")
    if len(token) > TOKEN_MAX_CHARS or not token.replace("-", "").replace("_", "").isalnum():
        raise Unauthenticated("room_token_invalid", field="X-Room-Token")
    return token
