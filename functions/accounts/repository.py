"""Profiles, national-id lookups and consent history behind one interface (PynamoDB inside)."""
from __future__ import annotations

import secrets
from datetime import date

from pynamodb.exceptions import DoesNotExist

from functions.accounts.model import Address, ConsentEvent, Contact, Phone, Profile
from functions.accounts.records import (
    AddressMap,
    ConsentRecord,
    ContactMap,
    NationalIdRecord,
    PhoneMap,
    ProfileRecord,
)
from functions.core.clock import sort_stamp
from functions.core.core_records import profile_key
from functions.core.errors import Conflict, NotFound
from functions.core.records import Refused


def _to_profile(r: ProfileRecord) -> Profile:
    contact = r.contact or ContactMap()
    return Profile(
        patient_id=r.pk.removeprefix("PAT#"), national_id=r.national_id,
        birth_date=date.fromisoformat(r.birth_date), nationality=r.nationality,
        first_name=r.first_name, middle_name=r.middle_name, last_name=r.last_name, email=r.email,
        addresses=tuple(Address(a.id, a.street, a.postal_code, a.city) for a in r.addresses or []),
        phones=tuple(Phone(p.id, p.number) for p in r.phones or []),
        contact=Contact(contact.channel or "email", contact.phone_id, contact.address_id),
        picture_key=r.picture_key, consent_version=r.consent_version, consent_at=r.consent_at,
        version=r.version)


def _to_record(p: Profile) -> ProfileRecord:
    record = ProfileRecord(
        *profile_key(p.patient_id), national_id=p.national_id, birth_date=p.birth_date.isoformat(),
        nationality=p.nationality, first_name=p.first_name, middle_name=p.middle_name,
        last_name=p.last_name, email=p.email,
        addresses=[AddressMap(id=a.id, street=a.street, postal_code=a.postal_code, city=a.city)
                   for a in p.addresses],
        phones=[PhoneMap(id=ph.id, number=ph.number) for ph in p.phones],
        contact=ContactMap(channel=p.contact.channel, phone_id=p.contact.phone_id,
                           address_id=p.contact.address_id),
        picture_key=p.picture_key, consent_version=p.consent_version, consent_at=p.consent_at)
    if p.version is not None:
        record.version = p.version
    return record


class ProfileRepository:
    def get(self, patient_id: str) -> Profile:
        try:
            return _to_profile(ProfileRecord.get(*profile_key(patient_id)))
        except DoesNotExist as exc:
            raise NotFound() from exc

    def save(self, profile: Profile) -> Profile:
        """Optimistic: fails with Conflict if someone saved a newer version meanwhile."""
        record = _to_record(profile)
        try:
            record.save()
        except Refused as exc:
            raise Conflict() from exc
        return _to_profile(record)

    def patient_for(self, lookup_key: str) -> str | None:
        try:
            return NationalIdRecord.get(f"NID#{lookup_key}", "NID").patient_id
        except DoesNotExist:
            return None

    def create(self, lookup_key: str, profile: Profile) -> str:
        """Claim the lookup item first (conditional), so two first logins make one patient."""
        try:
            NationalIdRecord(f"NID#{lookup_key}", "NID", patient_id=profile.patient_id).save(
                NationalIdRecord.pk.does_not_exist())
        except Refused:
            existing = self.patient_for(lookup_key)
            if existing is None:
                raise
            return existing
        self.save(profile)
        return profile.patient_id


class ConsentRepository:
    def append(self, patient_id: str, event: ConsentEvent) -> None:
        sk = f"CONSENT#{sort_stamp(event.at)}#{secrets.token_hex(4)}"
        ConsentRecord(f"PAT#{patient_id}", sk, action=event.action, version=event.version,
                      at=event.at).save(ConsentRecord.sk.does_not_exist())

    def history(self, patient_id: str) -> list[ConsentEvent]:
        rows = ConsentRecord.query(f"PAT#{patient_id}", ConsentRecord.sk.startswith("CONSENT#"),
                                   scan_index_forward=False)
        return [ConsentEvent(r.action, r.version, r.at) for r in rows]


