"""Records of the video table that the shared kernel owns (functions/core/room_store.py).

Access patterns (video table, pk + sk, TTL expires_at; never a Scan):
  room token by its hash      GetItem  pk=TOKEN#<sha256(token)>, sk=TOKEN   (the token itself is never stored)
  a room's state              GetItem / conditional UpdateItem pk=ROOM#<appointment id>, sk=STATE
  the states of a day's rooms BatchGetItem of those keys (the clinic's list of video appointments)
  signalling messages         functions/video/records.py: pk=ROOM#<appointment id>, sk=MSG#<to>#<sent>#<n>
"""
from __future__ import annotations

from pynamodb.attributes import TTLAttribute, UnicodeAttribute, UTCDateTimeAttribute

from functions.core.records import BaseRecord, table


def token_key(token_hash: str) -> tuple[str, str]:
    return f"TOKEN#{token_hash}", "TOKEN"


def state_key(appointment_id: str) -> tuple[str, str]:
    return f"ROOM#{appointment_id}", "STATE"


@table("video")
class RoomTokenRecord(BaseRecord):
    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    appointment_id = UnicodeAttribute()
    role = UnicodeAttribute()
    person_id = UnicodeAttribute()
    clinic_id = UnicodeAttribute()
    opens = UTCDateTimeAttribute()
    closes = UTCDateTimeAttribute()
    expires_at = TTLAttribute()


@table("video")
class RoomStateRecord(BaseRecord):
    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    clinic_id = UnicodeAttribute(null=True)
    patient_seen = UTCDateTimeAttribute(null=True)
    practitioner_seen = UTCDateTimeAttribute(null=True)
    patient_since = UTCDateTimeAttribute(null=True)
    ended_at = UTCDateTimeAttribute(null=True)
    expires_at = TTLAttribute(null=True)
