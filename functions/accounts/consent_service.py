"""Consent (R10) and the patient's view of their own data: access log (R55) and export (R57)."""
from __future__ import annotations

from functions.accounts import model
from functions.accounts.model import ConsentEvent, Profile
from functions.accounts.relations import RelationWriter
from functions.accounts.repository import ConsentRepository, ProfileRepository
from functions.core import phones
from functions.core.access_log import AccessLog
from functions.core.actor import Actor
from functions.core.clock import Clock, iso
from functions.core.cursor import Cursors
from functions.core.directory import Directory
from functions.core.sessions import SessionStore


class ConsentService:
    def __init__(self, profiles: ProfileRepository, consents: ConsentRepository, sessions: SessionStore,
                 terms_version: str, clock: Clock, relations: RelationWriter | None = None) -> None:
        self._profiles, self._consents, self._sessions = profiles, consents, sessions
        self._terms, self._clock = terms_version, clock
        self._relations = relations or RelationWriter()

    def status(self, actor: Actor) -> tuple[Profile, list[ConsentEvent]]:
        patient_id = actor.require_patient()
        return self._profiles.get(patient_id), self._consents.history(patient_id)

    def give(self, actor: Actor, version: str) -> tuple[Profile, list[ConsentEvent]]:
        now = self._clock.now()
        profile = self._profiles.save(model.give_consent(self._profiles.get(actor.require_patient()),
                                                         version, self._terms, now))
        self._consents.append(profile.patient_id, ConsentEvent("given", version, now))
        self._sessions.set_consent(profile.patient_id, version)
        self._relations.set_subject_consent(profile.patient_id, version)   # whoever acts for me sees it (R37)
        return self.status(actor)

    def withdraw(self, actor: Actor) -> tuple[Profile, list[ConsentEvent]]:
        before = self._profiles.get(actor.require_patient())
        profile = self._profiles.save(model.withdraw_consent(before))
        self._consents.append(profile.patient_id,
                              ConsentEvent("withdrawn", before.consent_version or self._terms, self._clock.now()))
        self._sessions.set_consent(profile.patient_id, None)
        self._relations.set_subject_consent(profile.patient_id, None)
        return self.status(actor)


class PrivacyService:
    """What the patient can always reach, even without consent: who saw what, and an export."""

    def __init__(self, profiles: ProfileRepository, consents: ConsentRepository, access_log: AccessLog,
                 directory: Directory, cursors: Cursors) -> None:
        self._profiles, self._consents, self._log = profiles, consents, access_log
        self._directory, self._cursors = directory, cursors

    def access_log(self, actor: Actor, cursor: str | None):
        actor.require_high(consent=False)  # reveals clinics: health-related (R1); reachable without consent
        patient_id = actor.require_patient()
        entries, last = self._log.page(patient_id, self._cursors.decode(patient_id, cursor))
        return entries, self._cursors.encode(patient_id, last)

    def export(self, actor: Actor) -> dict:
        actor.require_high(consent=False)
        patient_id = actor.require_patient()
        profile = self._profiles.get(patient_id)
        entries, last = self._log.page(patient_id, None, limit=1000)
        while last:
            more, last = self._log.page(patient_id, last, limit=1000)
            entries.extend(more)
        return {
            "profile": profile_json(profile, None),
            "consent": [{"action": e.action, "version": e.version, "at": iso(e.at)}
                        for e in self._consents.history(patient_id)],
            "clinics": [{"clinic_id": m.clinic_id, "since": iso(m.since)}
                        for m in self._directory.memberships(patient_id)],
            "access_log": [{"at": iso(e.at), "actor_kind": e.actor_kind, "actor_name": e.actor_name,
                            "clinic_name": e.clinic_name, "what": e.what, "why": e.why} for e in entries],
        }


def profile_json(p: Profile, picture_url: str | None) -> dict:
    return {
        "national_id": p.national_id, "nationality": p.nationality, "first_name": p.first_name,
        "middle_name": p.middle_name, "last_name": p.last_name, "email": p.email,
        "addresses": [{"id": a.id, "street": a.street, "postal_code": a.postal_code, "city": a.city}
                      for a in p.addresses],
        "phones": [{"id": t.id, "number": t.number, "display": phones.display(t.number)} for t in p.phones],
        "contact": {"channel": p.contact.channel, "phone_id": p.contact.phone_id,
                    "address_id": p.contact.address_id},
        "picture_url": picture_url, "version": p.version,
    }
