"""Relations (R35-R37): the writes accounts owns, and the population-register port.

Reads go through core.relations (the actor reads one relation per request); here both directions
of a relation are written (the holder's REL# item and the subject's RELBY# item), and removed as
tombstones, so a later register sync never brings back what the patient removed.

Access patterns (patients table, keys from core.core_records):
  put a relation (both items)      2 PutItem (idempotent: the same item again is the same relation)
  put unless live (a clinic)       1 conditional PutItem (the holder's item: absent or removed), then the
                                   subject's item; a live relation already there is left as it is
  remove (Fjern)                   2 UpdateItem SET removed_at (conditional on the item existing)
  tombstones of a holder           Query pk=PAT#<holder>, sk begins_with REL# (the register sync)
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from functions.core.core_records import RelationRecord, relation_key, reverse_relation_key
from functions.core.errors import NotFound
from functions.core.records import Refused
from functions.core.relations import to_relation
from functions.core.representation import Relation


@dataclass(frozen=True)
class RegisteredChild:
    """A child under the parent's responsibility, as the population register knows it."""
    national_id: str
    first_name: str
    last_name: str
    birth_date: date


class PopulationRegister(Protocol):
    """Folkeregisteret in production (through Maskinporten: not built yet); the demo families locally."""

    def children_of(self, national_id: str) -> list[RegisteredChild]: ...


class NoRegister:
    """Deployed stages until the Folkeregisteret client exists: no parent relations from the register
    (clinics can still register parental responsibility through their API)."""

    def children_of(self, national_id: str) -> list[RegisteredChild]:
        return []


class RelationWriter:
    def put(self, relation: Relation, source: str, now: datetime) -> None:
        """Both directions; a removed relation is revived only by an explicit put (a clinic, a fullmakt)."""
        for pk, sk in (relation_key(relation.holder_id, relation.subject_id),
                       reverse_relation_key(relation.holder_id, relation.subject_id)):
            _record(pk, sk, relation, source, now).save()

    def put_if_absent(self, relation: Relation, source: str, now: datetime) -> bool:
        """Both directions unless a live relation between the two is already there (then nothing is
        written and the answer is False): the holder's item decides, by one conditional PutItem
        (absent, or a tombstone of Fjern), so registering twice, or twice at once, is one relation."""
        holder = relation_key(relation.holder_id, relation.subject_id)
        try:
            _record(*holder, relation, source, now).save(RelationRecord.pk.does_not_exist()
                                                         | RelationRecord.removed_at.exists())
        except Refused:
            return False
        _record(*reverse_relation_key(relation.holder_id, relation.subject_id), relation, source, now).save()
        return True

    def remove(self, holder_id: str, subject_id: str, now: datetime) -> None:
        """Fjern: access ends at once (every request reads the relation), also for live sessions."""
        removed = 0
        for pk, sk in (relation_key(holder_id, subject_id), reverse_relation_key(holder_id, subject_id)):
            try:
                RelationRecord(pk, sk).update(actions=[RelationRecord.removed_at.set(now)],
                                              condition=RelationRecord.pk.exists())
                removed += 1
            except Refused:
                continue
        if not removed:
            raise NotFound(field="patient_id")

    def removed_subjects(self, holder_id: str) -> set[str]:
        """Subjects whose relation the holder (or the subject) removed: a register sync skips them."""
        pk = relation_key(holder_id, "")[0]
        return {r.subject_id for r in RelationRecord.query(pk, RelationRecord.sk.startswith("REL#"))
                if r.removed_at}

    def set_subject_consent(self, subject_id: str, consent: str | None) -> None:
        """The subject's consent travels on every relation where they are the subject (R10, R37)."""
        pk = relation_key(subject_id, "")[0]
        for reverse in RelationRecord.query(pk, RelationRecord.sk.startswith("RELBY#")):
            relation = to_relation(reverse)
            for key in (relation_key(relation.holder_id, subject_id), reverse_relation_key(relation.holder_id,
                                                                                           subject_id)):
                try:
                    RelationRecord(*key).update(actions=[RelationRecord.subject_consent.set(consent)],
                                                condition=RelationRecord.pk.exists())
                except Refused:
                    continue


def _record(pk: str, sk: str, relation: Relation, source: str, now: datetime) -> RelationRecord:
    return RelationRecord(pk, sk, holder_id=relation.holder_id, subject_id=relation.subject_id, kind=relation.kind,
                          holder_name=relation.holder_name, subject_name=relation.subject_name,
                          subject_birth_date=relation.subject_birth_date.isoformat(),
                          subject_consent=relation.subject_consent,
                          valid_from=relation.valid_from.isoformat() if relation.valid_from else None,
                          valid_until=relation.valid_until.isoformat() if relation.valid_until else None,
                          source=source, created_at=now)
