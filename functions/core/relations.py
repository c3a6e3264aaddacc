"""A read port over relations (accounts owns the writes, as Directory serves memberships).

Access patterns (patients table):
  may <holder> act for <subject>?   GetItem  pk=PAT#<holder>, sk=REL#<subject>   (one read per request)
  a patient's relations (both ways) Query    pk=PAT#<id>, sk begins_with REL    (REL# I act for,
                                             RELBY# who acts for me: the Relasjoner page, 1 Query)
"""
from __future__ import annotations

from datetime import date
from typing import Protocol

from pynamodb.exceptions import DoesNotExist

from functions.core.core_records import RelationRecord, relation_key
from functions.core.representation import Relation


def to_relation(r: RelationRecord) -> Relation:
    return Relation(holder_id=r.holder_id, subject_id=r.subject_id, kind=r.kind, holder_name=r.holder_name,
                    subject_name=r.subject_name, subject_birth_date=date.fromisoformat(r.subject_birth_date),
                    subject_consent=r.subject_consent,
                    valid_from=date.fromisoformat(r.valid_from) if r.valid_from else None,
                    valid_until=date.fromisoformat(r.valid_until) if r.valid_until else None)


class RelationReader(Protocol):
    def between(self, holder_id: str, subject_id: str) -> Relation | None: ...

    def of(self, patient_id: str) -> list[Relation]: ...


class Relations:
    """Removed relations (Fjern) are kept as tombstones and never returned."""

    def between(self, holder_id: str, subject_id: str) -> Relation | None:
        try:
            record = RelationRecord.get(*relation_key(holder_id, subject_id), consistent_read=True)
        except DoesNotExist:
            return None
        return None if record.removed_at else to_relation(record)

    def of(self, patient_id: str) -> list[Relation]:
        """Both directions in one Query: whom the patient acts for, and who acts for the patient."""
        pk = relation_key(patient_id, "")[0]
        return [to_relation(r) for r in RelationRecord.query(pk, RelationRecord.sk.startswith("REL"))
                if not r.removed_at]
