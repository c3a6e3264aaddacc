"""Records of the accounts package (patients table).

Access patterns:
  profile of a patient            GetItem  pk=PAT#<id>, sk=PROFILE (optimistic version check on save)
  patient id for a national id    GetItem  pk=NID#<hmac(national id)>, sk=NID   (the id itself is never a key)
  consent history                 Query    pk=PAT#<id>, sk begins_with CONSENT#
"""
from __future__ import annotations

from pynamodb.attributes import (
    ListAttribute,
    MapAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)

from functions.core.records import BaseRecord, table


class AddressMap(MapAttribute):
    id = UnicodeAttribute()
    street = UnicodeAttribute()
    postal_code = UnicodeAttribute()
    city = UnicodeAttribute()


class PhoneMap(MapAttribute):
    id = UnicodeAttribute()
    number = UnicodeAttribute()


class ContactMap(MapAttribute):
    channel = UnicodeAttribute(default="email")
    phone_id = UnicodeAttribute(null=True)
    address_id = UnicodeAttribute(null=True)


@table("patients")
class ProfileRecord(BaseRecord):
    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True, default="PROFILE")
    national_id = UnicodeAttribute()
    birth_date = UnicodeAttribute()
    nationality = UnicodeAttribute(default="Norsk")
    first_name = UnicodeAttribute(default="")
    middle_name = UnicodeAttribute(default="")
    last_name = UnicodeAttribute(default="")
    email = UnicodeAttribute(default="")
    addresses = ListAttribute(of=AddressMap, default=list)
    phones = ListAttribute(of=PhoneMap, default=list)
    contact = ContactMap(default=ContactMap)
    picture_key = UnicodeAttribute(null=True)
    consent_version = UnicodeAttribute(null=True)
    consent_at = UTCDateTimeAttribute(null=True)
    version = VersionAttribute()


@table("patients")
class NationalIdRecord(BaseRecord):
    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True, default="NID")
    patient_id = UnicodeAttribute()


@table("patients")
class ConsentRecord(BaseRecord):
    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    action = UnicodeAttribute()
    version = UnicodeAttribute()
    at = UTCDateTimeAttribute()
