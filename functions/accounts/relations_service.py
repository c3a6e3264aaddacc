"""Relasjoner (R35-R37): the patient's relations, Fjern, fullmakt, and the register sync at login.

Every call here is the logged-in person's own (never while acting for someone): the actor's
`actor_id` is who is logged in."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from functions.accounts.model import Profile
from functions.accounts.relations import PopulationRegister, RelationWriter
from functions.accounts.repository import ProfileRepository
from functions.core import national_id
from functions.core import representation as rep
from functions.core.actor import PATIENT, Actor
from functions.core.clock import Clock
from functions.core.errors import Forbidden, Invalid, NotFound, PortalError
from functions.core.relations import RelationReader
from functions.core.sessions import SessionStore


@dataclass(frozen=True)
class RelationView:
    """One row of Relasjoner, seen from the logged-in patient."""
    patient_id: str           # the other person's opaque id
    name: str
    relation: str             # barn | foreldre | fullmakt_gitt | fullmakt_mottatt
    i_act_for_them: bool      # Tilgang: I may act for them now
    until: date | None        # ... until this Oslo day
    they_act_for_me: bool


def _own(actor: Actor) -> str:
    if actor.kind != PATIENT:
        raise Forbidden("not_for_representative")
    actor.require_high()
    return actor.actor_id


class RelationsService:
    def __init__(self, relations: RelationReader, writer: RelationWriter, profiles: ProfileRepository,
                 register: PopulationRegister, sessions: SessionStore, clock: Clock, pepper,
                 allow_synthetic: bool) -> None:
        self._relations, self._writer, self._profiles, self._register = relations, writer, profiles, register
        self._sessions, self._clock, self._pepper, self._allow_synthetic = sessions, clock, pepper, allow_synthetic

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
        me, now = _own(actor), self._clock.now()
        views = []
        for r in self._relations.of(me):
            mine = r.holder_id == me
            gives = bool(rep.scopes(r, now))
            if r.kind == rep.PARENT:
                label = "barn" if mine else "foreldre"
            else:
                label = "fullmakt_mottatt" if mine else "fullmakt_gitt"
            views.append(RelationView(r.subject_id if mine else r.holder_id, r.subject_name if mine else r.holder_name,
                                      label, mine and gives, rep.access_until(r) if gives else None,
                                      (not mine) and gives))
        return sorted(views, key=lambda v: (v.relation, v.name))

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
        """The patient for a national id, created as a fresh profile if they never logged in."""
        try:
            nid = national_id.parse(nid_text, allow_synthetic=self._allow_synthetic)
        except PortalError as exc:
            raise Invalid("invalid_national_id", field=field) from exc
        key = national_id.lookup_key(nid, self._pepper())
        patient_id = self._profiles.patient_for(key)
        if patient_id is None:
            fresh = Profile(patient_id="p" + secrets.token_hex(8), national_id=nid.value, birth_date=nid.birth_date,
                            first_name=known.first_name if known else "", last_name=known.last_name if known else "")
            patient_id = self._profiles.create(key, fresh)
        return self._profiles.get(patient_id)
