"""Min profil use cases (R5-R9). The patient acts on their own profile only."""
from __future__ import annotations

import secrets

from functions.accounts import model
from functions.accounts.model import Address, Phone, Profile
from functions.accounts.pictures import PictureStore, reencode
from functions.accounts.repository import ProfileRepository
from functions.core.actor import Actor
from functions.core.config import Settings
from functions.core.outbox import Notice, Outbox


def new_id(prefix: str) -> str:
    return prefix + secrets.token_hex(4)


class ProfileService:
    def __init__(self, profiles: ProfileRepository, pictures: PictureStore, outbox: Outbox, settings: Settings):
        self._profiles, self._pictures, self._outbox, self._settings = profiles, pictures, outbox, settings

    def get(self, actor: Actor) -> Profile:
        return self._profiles.get(actor.require_patient())

    def update(self, actor: Actor, first: str | None, middle: str | None, last: str | None,
               email: str | None) -> Profile:
        before = self.get(actor)
        after = self._profiles.save(model.rename(before, first, middle, last, email))
        if model.notice_needed(before, after):
            self._notify_email_change(after)
        return after

    def add_address(self, actor: Actor, street: str, postal_code: str, city: str) -> Profile:
        address = Address(new_id("a"), street, model.postal_code(postal_code), city)
        return self._profiles.save(model.add_address(self.get(actor), address))

    def add_phone(self, actor: Actor, number: str) -> Profile:
        phone = Phone(new_id("t"), model.normalize_phone(number))
        return self._profiles.save(model.add_phone(self.get(actor), phone))

    def edit_phone(self, actor: Actor, phone_id: str, number: str) -> Profile:
        return self._profiles.save(model.edit_phone(self.get(actor), phone_id, model.normalize_phone(number)))

    def delete_phone(self, actor: Actor, phone_id: str) -> Profile:
        return self._profiles.save(model.delete_phone(self.get(actor), phone_id))

    def set_contact(self, actor: Actor, channel: str, phone_id: str | None, address_id: str | None) -> Profile:
        return self._profiles.save(model.set_contact(self.get(actor), channel, phone_id, address_id))

    def set_picture(self, actor: Actor, data: bytes) -> Profile:
        """Validate and re-encode first; the old picture goes only after the new one is saved."""
        jpeg = reencode(data, self._settings.picture_max_bytes)
        before = self.get(actor)
        key = self._pictures.put(before.patient_id, jpeg)
        after = self._profiles.save(model.replace_picture(before, key))
        if before.picture_key:
            self._pictures.delete(before.picture_key)
        return after

    def picture_url(self, profile: Profile) -> str | None:
        return self._pictures.url(profile.picture_key)

    def _notify_email_change(self, profile: Profile) -> None:
        """To the new address only (the drain reads it from the profile when it sends)."""
        self._outbox.enqueue(Notice(profile.patient_id, "email_changed", "/nb/profil.html", only="email"),
                             dedupe_key=f"email-changed:{profile.patient_id}:{profile.version}")
