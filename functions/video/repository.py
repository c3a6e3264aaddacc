"""Signalling messages behind one repository (PynamoDB stays here): posted to one side, taken
by that side once."""
from __future__ import annotations

import json
import secrets
from datetime import datetime, timedelta

from functions.core.clock import sort_stamp
from functions.core.records import Refused
from functions.video.records import SignalRecord

MESSAGE_KEPT = timedelta(minutes=10)


def _pk(appointment_id: str) -> str:
    return f"ROOM#{appointment_id}"


class SignalRepository:
    def post(self, appointment_id: str, to_role: str, kind: str, body: dict, now: datetime) -> None:
        sk = f"MSG#{to_role}#{sort_stamp(now)}#{secrets.token_hex(4)}"
        SignalRecord(_pk(appointment_id), sk, kind=kind, body=json.dumps(body) if body else None,
                     expires_at=now + MESSAGE_KEPT).save(SignalRecord.sk.does_not_exist())

    def take(self, appointment_id: str, role: str) -> list[dict]:
        """The messages waiting for this side, oldest first; each is deleted as it is taken, and
        one that another request took first is skipped (read once)."""
        taken = []
        for record in SignalRecord.query(_pk(appointment_id), SignalRecord.sk.startswith(f"MSG#{role}#"),
                                         consistent_read=True):
            try:
                record.delete(SignalRecord.sk.exists())
            except Refused:
                continue
            taken.append({"kind": record.kind, **(json.loads(record.body) if record.body else {})})
        return taken
