"""The append-only access log (R55): every access by anyone other than the patient."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from functions.core.actor import Actor
from functions.core.clock import Clock, iso, sort_stamp
from functions.core.core_records import AccessLogRecord


@dataclass(frozen=True)
class AccessEntry:
    at: datetime
    actor_kind: str
    actor_id: str
    actor_name: str
    clinic_id: str | None
    clinic_name: str | None
    what: str
    why: str

    def to_json(self) -> dict:
        return {"at": iso(self.at), "actor_kind": self.actor_kind, "actor_name": self.actor_name,
                "clinic_name": self.clinic_name, "what": self.what, "why": self.why}


class AccessLog:
    PAGE = 50

    def __init__(self, clock: Clock, names) -> None:
        self._clock = clock
        self._names = names  # core.directory.Directory: staff and clinic names

    def record(self, actor: Actor, patient_id: str, what: str, why: str) -> None:
        """Write one entry unless the patient reads their own data. Never overwrites."""
        if actor.is_self:
            return
        now = self._clock.now()
        actor_name, clinic_name = self._names.describe(actor)
        AccessLogRecord(f"PAT#{patient_id}", f"ACCESS#{sort_stamp(now)}#{secrets.token_hex(4)}", at=now,
                        actor_kind=actor.kind, actor_id=actor.actor_id, actor_name=actor_name,
                        clinic_id=actor.clinic_id, clinic_name=clinic_name, what=what, why=why,
                        ).save(AccessLogRecord.sk.does_not_exist())

    def page(self, patient_id: str, start_key: dict | None, limit: int = PAGE):
        result = AccessLogRecord.query(f"PAT#{patient_id}", AccessLogRecord.sk.startswith("ACCESS#"),
                                       scan_index_forward=False, limit=limit,
                                       last_evaluated_key=start_key)
        entries = [AccessEntry(r.at, r.actor_kind, r.actor_id, r.actor_name, r.clinic_id,
                               r.clinic_name, r.what, r.why) for r in result]
        return entries, result.last_evaluated_key
