"""The signalling messages in the video table (beside core's room tokens and states,
functions/core/room_records.py).

Access patterns (never a Scan):
  post a message to one side   PutItem     pk=ROOM#<appointment id>, sk=MSG#<to role>#<sent, µs>#<random>
  messages waiting for me      Query       pk=ROOM#<appointment id>, sk begins_with MSG#<my role>#  (consistent)
  take one (read once)         DeleteItem  with condition exists, ReturnValues=ALL_OLD: only the taker gets it
Every message expires by TTL 10 minutes after it was sent, read or not."""
from __future__ import annotations

from pynamodb.attributes import TTLAttribute, UnicodeAttribute

from functions.core.records import BaseRecord, table


@table("video")
class SignalRecord(BaseRecord):
    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    kind = UnicodeAttribute()
    body = UnicodeAttribute(null=True)   # JSON: offer_id and sdp, or offer_id and candidates
    expires_at = TTLAttribute()
