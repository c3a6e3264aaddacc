"""What a clinic may read about its own patients (contact details), always written to the
patient's access log (R55). A credential never reaches another clinic's patients."""
from __future__ import annotations

from functions.accounts.pictures import PictureStore
from functions.accounts.repository import ProfileRepository
from functions.core import national_id, phones
from functions.core.access_log import AccessLog
from functions.core.actor import Actor
from functions.core.directory import Directory
from functions.core.errors import NotFound


class ClinicPatients:
    def __init__(self, profiles: ProfileRepository, directory: Directory, access_log: AccessLog,
                 pictures: PictureStore, pepper: bytes, allow_synthetic: bool) -> None:
        self._profiles, self._directory, self._log = profiles, directory, access_log
        self._pictures, self._pepper, self._synthetic = pictures, pepper, allow_synthetic

    def lookup(self, actor: Actor, national_id_text: object) -> str:
        clinic_id = actor.require_staff()
        nid = national_id.parse(national_id_text, allow_synthetic=self._synthetic)
        patient_id = self._profiles.patient_for(national_id.lookup_key(nid, self._pepper))
        if patient_id is None or not self._directory.is_member(patient_id, clinic_id):
            raise NotFound(field="national_id")
        self._log.record(actor, patient_id, "what_patient_lookup", "why_identify_patient")
        return patient_id

    def contact(self, actor: Actor, patient_id: str) -> dict:
        clinic_id = actor.require_staff()
        if not self._directory.is_member(patient_id, clinic_id):
            raise NotFound()
        profile = self._profiles.get(patient_id)
        self._log.record(actor, patient_id, "what_contact_details", "why_patient_contact")
        return {
            "name": profile.display_name, "email": profile.email,
            "phones": [{"id": t.id, "number": t.number, "display": phones.display(t.number)} for t in profile.phones],
            "addresses": [{"id": a.id, "street": a.street, "postal_code": a.postal_code, "city": a.city}
                          for a in profile.addresses],
            "contact": {"channel": profile.contact.channel, "phone_id": profile.contact.phone_id,
                        "address_id": profile.contact.address_id},
            "picture_url": self._pictures.url(profile.picture_key),
        }
