"""The video table's room tokens and room states, behind one repository (PynamoDB stays here).

Every write that can race is conditional: a room the practitioner ended stays ended (R23's red
button), so no token is handed out, and no one enters it, afterwards."""
from __future__ import annotations

from datetime import datetime, timedelta

from pynamodb.exceptions import DoesNotExist

from functions.core.errors import Conflict
from functions.core.records import Refused
from functions.core.room_records import RoomStateRecord, RoomTokenRecord, state_key, token_key
from functions.core.rooms import PATIENT, RoomPass, RoomState, new_token, token_hash

STATE_KEPT = timedelta(days=1)  # after the window closes, the room's state expires by TTL


def _state(appointment_id: str, record: RoomStateRecord | None) -> RoomState:
    if record is None:
        return RoomState(appointment_id)
    return RoomState(appointment_id, record.patient_seen, record.practitioner_seen, record.patient_since,
                     record.ended_at)


class Rooms:
    def issue(self, room: RoomPass) -> str:
        """A new token for the pass (its hash is the key; the token itself is not stored)."""
        pk, sk = state_key(room.appointment_id)
        try:
            RoomStateRecord(pk, sk).update(
                actions=[RoomStateRecord.clinic_id.set(room.clinic_id),
                         RoomStateRecord.expires_at.set(room.closes + STATE_KEPT)],
                condition=RoomStateRecord.ended_at.does_not_exist())
        except Refused:
            raise Conflict("video_ended") from None
        token = new_token()
        RoomTokenRecord(*token_key(token_hash(token)), appointment_id=room.appointment_id, role=room.role,
                        person_id=room.person_id, clinic_id=room.clinic_id, opens=room.opens,
                        closes=room.closes, expires_at=room.expires).save()
        return token

    def find(self, token: str) -> RoomPass | None:
        try:
            r = RoomTokenRecord.get(*token_key(token_hash(token)), consistent_read=True)
        except DoesNotExist:
            return None
        return RoomPass(r.appointment_id, r.role, r.person_id, r.clinic_id, r.opens, r.closes, r.expires_at)

    def state(self, appointment_id: str) -> RoomState:
        try:
            return _state(appointment_id, RoomStateRecord.get(*state_key(appointment_id), consistent_read=True))
        except DoesNotExist:
            return RoomState(appointment_id)

    def states(self, appointment_ids: list[str]) -> dict[str, RoomState]:
        if not appointment_ids:
            return {}
        found = {r.pk.removeprefix("ROOM#"): r for r in RoomStateRecord.batch_get(
            [state_key(a) for a in dict.fromkeys(appointment_ids)])}
        return {a: _state(a, found.get(a)) for a in appointment_ids}

    def seen(self, room: RoomPass, now: datetime, entering: bool = False) -> RoomState:
        """The role is in the room now (entering it, or polling); refused once the room ended."""
        seen = RoomStateRecord.patient_seen if room.role == PATIENT else RoomStateRecord.practitioner_seen
        actions = [seen.set(now)]
        if entering and room.role == PATIENT:
            actions.append(RoomStateRecord.patient_since.set(now))
        return self._update(room, actions, RoomStateRecord.ended_at.does_not_exist())

    def leave(self, room: RoomPass, now: datetime, end: bool) -> RoomState:
        seen = RoomStateRecord.patient_seen if room.role == PATIENT else RoomStateRecord.practitioner_seen
        actions = [seen.remove()]
        if end:
            actions.append(RoomStateRecord.ended_at.set(now))
        return self._update(room, actions, RoomStateRecord.ended_at.does_not_exist())

    def _update(self, room: RoomPass, actions: list, condition) -> RoomState:
        record = RoomStateRecord(*state_key(room.appointment_id))
        try:
            record.update(actions=actions, condition=condition & RoomStateRecord.pk.exists())
        except Refused:
            raise Conflict("video_ended") from None
        return _state(room.appointment_id, record)
