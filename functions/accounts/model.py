"""Pure rules of the patient's own account: profile (R5-R9) and consent (R10). No I/O here."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from functions.core import representation as rep
from functions.core.errors import Invalid, NotFound

MAX_PHONES = 5
MAX_ADDRESSES = 10
NAME_MAX = 100
CHANNELS = ("email", "sms")


@dataclass(frozen=True)
class Address:
    id: str
    street: str
    postal_code: str
    city: str


@dataclass(frozen=True)
class Phone:
    id: str
    number: str


@dataclass(frozen=True)
class Contact:
    channel: str = "email"
    phone_id: str | None = None
    address_id: str | None = None


@dataclass(frozen=True)
class Profile:
    patient_id: str
    national_id: str
    birth_date: date
    nationality: str = "Norsk"
    first_name: str = ""
    middle_name: str = ""
    last_name: str = ""
    email: str = ""
    addresses: tuple[Address, ...] = ()
    phones: tuple[Phone, ...] = ()
    contact: Contact = field(default_factory=Contact)
    picture_key: str | None = None
    consent_version: str | None = None
    consent_at: datetime | None = None
    version: int | None = None

    @property
    def display_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.middle_name, self.last_name) if p)


def normalize_phone(text: str, field_name: str = "number") -> str:
    """Norwegian numbers (8 digits, optional +47/0047) or international E.164 numbers."""
    compact = re.sub(r"[\s().-]", "", text)
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if re.fullmatch(r"[2-9]\d{7}", compact):
        return "+47" + compact
    if re.fullmatch(r"\+47[2-9]\d{7}", compact):
        return compact
    if re.fullmatch(r"\+(?!47)[1-9]\d{6,14}", compact):
        return compact
    raise Invalid("invalid_phone", field=field_name)


def postal_code(text: str) -> str:
    if not re.fullmatch(r"\d{4}", text):
        raise Invalid("invalid_postal_code", field="postal_code")
    return text


def rename(profile: Profile, first: str | None, middle: str | None, last: str | None, email: str | None) -> Profile:
    """R5: names and e-mail are editable; national id and nationality never are."""
    changes = {k: v for k, v in (("first_name", first), ("middle_name", middle),
                                 ("last_name", last), ("email", email)) if v is not None}
    if changes.get("first_name") == "" or changes.get("last_name") == "":
        raise Invalid("required", field="first_name" if changes.get("first_name") == "" else "last_name")
    return replace(profile, **changes)


def add_address(profile: Profile, address: Address) -> Profile:
    """R6: addresses are added, never edited."""
    if len(profile.addresses) >= MAX_ADDRESSES:
        raise Invalid("too_many", field="street", max=MAX_ADDRESSES)
    return replace(profile, addresses=(*profile.addresses, address))


def add_phone(profile: Profile, phone: Phone) -> Profile:
    if len(profile.phones) >= MAX_PHONES:
        raise Invalid("too_many", field="number", max=MAX_PHONES)
    if any(p.number == phone.number for p in profile.phones):
        raise Invalid("duplicate_phone", field="number")
    return replace(profile, phones=(*profile.phones, phone))


def edit_phone(profile: Profile, phone_id: str, number: str) -> Profile:
    """R7: phone numbers can be edited, deleted and added."""
    _phone(profile, phone_id)
    if any(p.number == number and p.id != phone_id for p in profile.phones):
        raise Invalid("duplicate_phone", field="number")
    return replace(profile, phones=tuple(Phone(p.id, number) if p.id == phone_id else p for p in profile.phones))


def delete_phone(profile: Profile, phone_id: str) -> Profile:
    _phone(profile, phone_id)
    contact = profile.contact
    if contact.phone_id == phone_id:
        contact = replace(contact, phone_id=None, channel="email" if contact.channel == "sms" else contact.channel)
    return replace(profile, phones=tuple(p for p in profile.phones if p.id != phone_id), contact=contact)


def set_contact(profile: Profile, channel: str, phone_id: str | None, address_id: str | None) -> Profile:
    """R9: contact settings choose among the registered phones and addresses."""
    if channel not in CHANNELS:
        raise Invalid("invalid", field="channel")
    if phone_id is not None:
        _phone(profile, phone_id, field_name="phone_id")
    if address_id is not None and not any(a.id == address_id for a in profile.addresses):
        raise NotFound(field="address_id")
    if channel == "sms" and phone_id is None:
        raise Invalid("sms_needs_phone", field="phone_id")
    if channel == "email" and not profile.email:
        raise Invalid("email_needs_address", field="channel")
    return replace(profile, contact=Contact(channel, phone_id, address_id))


def _phone(profile: Profile, phone_id: str, field_name: str = "phone_id") -> Phone:
    for phone in profile.phones:
        if phone.id == phone_id:
            return phone
    raise NotFound(field=field_name)


@dataclass(frozen=True)
class ConsentEvent:
    action: str   # given | withdrawn
    version: str
    at: datetime


def give_consent(profile: Profile, version: str, current: str, at: datetime) -> Profile:
    """R10: consent to the current terms, recorded with time and version."""
    if version != current:
        raise Invalid("terms_outdated", field="version")
    return replace(profile, consent_version=version, consent_at=at)


def withdraw_consent(profile: Profile) -> Profile:
    """R10: withdrawal is as easy as giving; clinical records are not ours to delete."""
    return replace(profile, consent_version=None, consent_at=None)


def has_consent(profile: Profile, current: str) -> bool:
    return profile.consent_version == current


def notice_needed(before: Profile, after: Profile) -> bool:
    """An e-mail change is announced to the new address (no health data, R28)."""
    return bool(after.email) and after.email != before.email


def replace_picture(profile: Profile, key: str) -> Profile:
    return replace(profile, picture_key=key)


def parental_refusal(parent: str, parent_birth: date, child: str, child_birth: date, now: datetime) -> str | None:
    """None if a clinic may register this parental responsibility (R36); else the refusal's code.
    A parent represents a child under 16 only, and is someone else (`parent` and `child` name the two
    the same way: both patient ids, or both national ids), born before the child."""
    if parent == child:
        return "parent_is_child"
    if rep.band(child_birth, now) == "adult":
        return "child_too_old"
    if parent_birth >= child_birth:
        return "parent_not_older"
    return None
