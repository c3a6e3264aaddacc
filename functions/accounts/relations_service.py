"""Relasjoner (R35-R37): the patient's relations, Fjern, fullmakt, and the register sync at login.

Every call of RelationsService is the logged-in person's own (never while acting for someone): the
actor's `actor_id` is who is logged in. ClinicRelations (`RelationsService.clinic`) is the clinic's
side: a staff actor registers, removes and reads parental responsibility of its own patients."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from functions.accounts.model import Profile, parental_refusal
from functions.accounts.relations import PopulationRegister, RelationWriter
from functions.accounts.repository import ProfileRepository
from functions.core import messages, national_id
from functions.core import representation as rep
from functions.core.access_log import AccessLog
from functions.core.actor import PATIENT, Actor
from functions.core.clock import Clock
from functions.core.directory import Directory
from functions.core.errors import Conflict, Forbidden, Invalid, NotFound, PortalError
from functions.core.relations import RelationReader
from functions.core.sessions import SessionStore

messages.register({
    "parent_is_child": {"nb": "Forelderen og barnet kan ikke være samme person.",
                        "en": "The parent and the child cannot be the same person."},
    "child_too_old": {"nb": "Foreldreansvar gir tilgang bare for barn under 16 år.",
                      "en": "Parental responsibility gives access only for children under 16."},
    "parent_not_older": {"nb": "Forelderen må være født før barnet.",
                         "en": "The parent must be born before the child."},
    "parent_id_or_national_id": {"nb": "Oppgi enten parent_id eller national_id, ikke begge.",
                                 "en": "Give either parent_id or national_id, not both."},
    "relation_exists": {"nb": "Det finnes allerede en annen relasjon mellom de to.",
                        "en": "Another relation between the two already exists."},
    # the access log (R55)
    "what_relations": {"nb": "Relasjoner (foreldre, barn, fullmakt)",
                       "en": "Relations (parents, children, powers of attorney)"},
    "why_check_representation": {"nb": "Kontroll av hvem som kan representere pasienten",
                                 "en": "Checking who may represent the patient"},
    "why_register_parental_responsibility": {"nb": "Registrering av foreldreansvar",
                                             "en": "Registering parental responsibility"},
    "why_remove_parental_responsibility": {"nb": "Foreldreansvar fjernet", "en": "Removing parental responsibility"},
})


@dataclass(frozen=True)
class RelationView:
    """One row of Relasjoner, seen from the logged-in patient."""
    patient_id: str           # the other person's opaque id
    name: str
    relation: str             # barn | foreldre | fullmakt_gitt | fullmakt_mottatt
    i_act_for_them: bool      # Tilgang: I may act for them now
    until: date | None        # ... until this Oslo day
    they_act_for_me: bool


def views(me: str, relations: list[rep.Relation], now) -> list[RelationView]:
    """Relasjoner seen from `me`: both directions, what each gives at `now` (the portal clock)."""
    rows = []
    for r in relations:
        mine = r.holder_id == me
        gives = bool(rep.scopes(r, now))
        if r.kind == rep.PARENT:
            label = "barn" if mine else "foreldre"
        else:
            label = "fullmakt_mottatt" if mine else "fullmakt_gitt"
        rows.append(RelationView(r.subject_id if mine else r.holder_id, r.subject_name if mine else r.holder_name,
                                 label, mine and gives, rep.access_until(r) if gives else None, (not mine) and gives))
    return sorted(rows, key=lambda v: (v.relation, v.name))


def parse_national_id(nid_text: object, field: str | None, allow_synthetic: bool) -> national_id.NationalId:
    try:
        return national_id.parse(nid_text, allow_synthetic=allow_synthetic)
    except PortalError as exc:
        raise Invalid("invalid_national_id", field=field) from exc


def patient_by_national_id(profiles: ProfileRepository, nid_text: object, field: str | None, pepper: bytes,
                           allow_synthetic: bool, known=None) -> Profile:
    """The patient for a national id, created as a fresh profile if they never logged in."""
    nid = parse_national_id(nid_text, field, allow_synthetic)
    key = national_id.lookup_key(nid, pepper)
    patient_id = profiles.patient_for(key)
    if patient_id is None:
        fresh = Profile(patient_id="p" + secrets.token_hex(8), national_id=nid.value, birth_date=nid.birth_date,
                        first_name=known.first_name if known else "", last_name=known.last_name if known else "")
        patient_id = profiles.create(key, fresh)
    return profiles.get(patient_id)


def _own(actor: Actor) -> str:
    if actor.kind != PATIENT:
        raise Forbidden("not_for_representative")
    actor.require_high()
    return actor.actor_id


class RelationsService:
    def __init__(self, relations: RelationReader, writer: RelationWriter, profiles: ProfileRepository,
                 register: PopulationRegister, sessions: SessionStore, clock: Clock, pepper,
                 allow_synthetic: bool, directory: Directory | None = None,
                 access_log: AccessLog | None = None) -> None:
        self._relations, self._writer, self._profiles, self._register = relations, writer, profiles, register
        self._sessions, self._clock, self._pepper, self._allow_synthetic = sessions, clock, pepper, allow_synthetic
        directory = directory or Directory()   # stateless; the same access log as the runtime's (one clock)
        self.clinic = ClinicRelations(relations, writer, profiles, directory, access_log or AccessLog(clock, directory),
                                      clock, pepper, allow_synthetic)

    def act_for(self, actor: Actor, session_token: str, subject_id: str | None) -> str | None:
        """The header's switch: the session shows `subject_id`'s data from now on (None: one's own).
        Only someone the relation gives access to now; the choice lives in the server-side session."""
        me = _own(actor)
        if subject_id is not None and subject_id != me:
            relation = self._relations.between(me, subject_id)
            if relation is None or not rep.scopes(relation, self._clock.now()):
                raise NotFound(field="patient_id")
        chosen = None if subject_id in (None, me) else subject_id
        self._sessions.act_for(session_token, chosen)
        return chosen

    def list(self, actor: Actor) -> list[RelationView]:
        """One Query: both directions of every relation of the patient."""
        me = _own(actor)
        return views(me, self._relations.of(me), self._clock.now())

    def remove(self, actor: Actor, other_id: str) -> None:
        """Fjern, from either side: access ends at once, also in sessions already open."""
        me = _own(actor)
        mine, theirs = self._relations.between(me, other_id), self._relations.between(other_id, me)
        if mine is None and theirs is None:
            raise NotFound(field="patient_id")
        now = self._clock.now()
        if mine is not None:
            self._writer.remove(me, other_id, now)
        if theirs is not None:
            self._writer.remove(other_id, me, now)

    def give_fullmakt(self, actor: Actor, holder_nid: str, valid_from: date, valid_until: date) -> RelationView:
        """An adult (16+) gives another adult (18+) a fullmakt for a period; the giver can revoke it."""
        me = _own(actor)
        giver = self._profiles.get(me)
        holder = self._patient(holder_nid, "national_id")
        if holder.patient_id == me:
            raise Invalid("fullmakt_to_self", field="national_id")
        if valid_until < valid_from or (valid_until - valid_from).days > 366 * 5:
            raise Invalid("invalid_fullmakt_period", field="valid_until")
        if valid_until < rep.oslo_day(self._clock.now()):
            raise Invalid("date_in_past", field="valid_until")
        refusal = rep.may_give_fullmakt(giver.birth_date, holder.birth_date, self._clock.now())
        if refusal:
            raise Invalid(refusal, field="national_id" if refusal.endswith("holder_too_young") else None)
        relation = rep.Relation(holder.patient_id, me, rep.FULLMAKT, holder.display_name, giver.display_name,
                                giver.birth_date, giver.consent_version, valid_from, valid_until)
        self._writer.put(relation, "fullmakt", self._clock.now())
        return next(v for v in self.list(actor) if v.patient_id == holder.patient_id)

    def sync_children(self, parent: Profile) -> int:
        """At login: the register's children under 16 become parent relations (except removed ones)."""
        now, removed = self._clock.now(), None
        count = 0
        for child in self._register.children_of(parent.national_id):
            relation_child = self._patient(child.national_id, None, child)
            if rep.band(relation_child.birth_date, now) == "adult":
                continue
            removed = self._writer.removed_subjects(parent.patient_id) if removed is None else removed
            if relation_child.patient_id in removed:
                continue
            self._writer.put(rep.Relation(parent.patient_id, relation_child.patient_id, rep.PARENT,
                                          parent.display_name, relation_child.display_name,
                                          relation_child.birth_date, relation_child.consent_version),
                             "folkeregister", now)
            count += 1
        return count

    def _patient(self, nid_text: str, field: str | None, known=None) -> Profile:
        return patient_by_national_id(self._profiles, nid_text, field, self._pepper(), self._allow_synthetic, known)


class ClinicRelations:
    """The clinic's side of Relasjoner (R35-R37): parental responsibility registered and removed by
    clinic staff, and a patient's relations read. Only the clinic's own patients: anyone else's is
    404, never 403 (their existence is not revealed). Every call is written to the access log of
    each patient it touches, by person (R55). National ids come only in request bodies and are
    never logged."""

    def __init__(self, relations: RelationReader, writer: RelationWriter, profiles: ProfileRepository,
                 directory: Directory, access_log: AccessLog, clock: Clock, pepper, allow_synthetic: bool) -> None:
        self._relations, self._writer, self._profiles = relations, writer, profiles
        self._directory, self._log, self._clock = directory, access_log, clock
        self._pepper, self._allow_synthetic = pepper, allow_synthetic

    def of(self, actor: Actor, patient_id: str) -> list[RelationView]:
        """Who the patient's parents, children and fullmakt partners are, and what each gives now."""
        self._own_patient(actor, patient_id)
        found = views(patient_id, self._relations.of(patient_id), self._clock.now())
        self._log.record(actor, patient_id, "what_relations", "why_check_representation")
        return found

    def register_parent(self, actor: Actor, child_id: str, parent_id: str | None,
                        parent_nid: str | None) -> tuple[RelationView, bool]:
        """The parent (one of the clinic's patients by `parent_id`, or anyone by national id) gets
        parental responsibility for the child, the clinic's patient. One relation however often it
        is registered (a conditional write decides); a relation the family removed (Fjern) is
        registered anew. The answer: the parent as the child's relation, and whether it is new."""
        clinic_id = self._own_patient(actor, child_id)
        if (parent_id is None) == (parent_nid is None):
            raise Invalid("required" if parent_id is None else "parent_id_or_national_id", field="parent_id")
        child, now = self._profiles.get(child_id), self._clock.now()
        if parent_id is not None:   # the clinic's own patient
            if not self._directory.is_member(parent_id, clinic_id):
                raise NotFound(field="parent_id")
            parent = self._profiles.get(parent_id)
            refusal = parental_refusal(parent_id, parent.birth_date, child_id, child.birth_date, now)
        else:   # anyone: checked before a profile is made for someone who never logged in
            nid = parse_national_id(parent_nid, "national_id", self._allow_synthetic)
            refusal = parental_refusal(nid.value, nid.birth_date, child.national_id, child.birth_date, now)
        field = "parent_id" if parent_id is not None else "national_id"
        if refusal:
            raise Invalid(refusal, field="patient_id" if refusal == "child_too_old" else field)
        if parent_id is None:
            parent = patient_by_national_id(self._profiles, parent_nid, "national_id", self._pepper(),
                                            self._allow_synthetic)
        relation = rep.Relation(parent.patient_id, child_id, rep.PARENT, parent.display_name, child.display_name,
                                child.birth_date, child.consent_version)
        created = self._writer.put_if_absent(relation, "clinic", now)
        if not created:
            existing = self._relations.between(parent.patient_id, child_id)
            if existing is not None and existing.kind != rep.PARENT:
                raise Conflict("relation_exists", field=field)
        for patient in (child_id, parent.patient_id):
            self._log.record(actor, patient, "what_relations", "why_register_parental_responsibility")
        return views(child_id, [relation], now)[0], created

    def remove_parent(self, actor: Actor, child_id: str, parent_id: str) -> list[RelationView]:
        """Parental responsibility ends at once, also in the parent's sessions already open. A
        relation that is not there (never, or removed already) is 404. The answer: the child's
        relations that remain."""
        self._own_patient(actor, child_id)
        relation = self._relations.between(parent_id, child_id)
        if relation is None or relation.kind != rep.PARENT:
            raise NotFound(field="parent_id")
        now = self._clock.now()
        self._writer.remove(parent_id, child_id, now)
        for patient in (child_id, parent_id):
            self._log.record(actor, patient, "what_relations", "why_remove_parental_responsibility")
        return views(child_id, self._relations.of(child_id), now)

    def _own_patient(self, actor: Actor, patient_id: str) -> str:
        clinic_id = actor.require_staff()
        if not self._directory.is_member(patient_id, clinic_id):
            raise NotFound()
        return clinic_id
