"""Records of the pharmacy package (table `pharmacy`). Keys are built only here and in repository.py.

Access patterns (never a Scan):
  the vendors (list; one by id)          Query pk=VENDORS | GetItem pk=VENDORS, sk=VENDOR#<v>
  a vendor credential                    GetItem pk=VCRED#<key id>, sk=CRED
  a patient's consents + added addresses Query pk=PAT#<id> (sk CONSENT#<vendor> and ADDR#<id>)      1 call
  a patient's orders, newest first       Query index by_patient: patient_pk=PAT#<id>, patient_sk=<created>#<id>
  a vendor's orders, newest first        Query index by_vendor: vendor_pk=VENDOR#<v>, vendor_sk=<created>#<id>
  one order                              GetItem pk=ORDER#<id>, sk=ORDER
The national id is stored nowhere here: the vendor's authenticated order fetch reads it from the
profile (core.profile_facts) when it answers.
"""
from __future__ import annotations

from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from functions.core.records import BaseRecord, table


class ByPatient(GlobalSecondaryIndex):
    class Meta:
        index_name = "by_patient"
        projection = AllProjection()

    patient_pk = UnicodeAttribute(hash_key=True)
    patient_sk = UnicodeAttribute(range_key=True)


class ByVendor(GlobalSecondaryIndex):
    class Meta:
        index_name = "by_vendor"
        projection = AllProjection()

    vendor_pk = UnicodeAttribute(hash_key=True)
    vendor_sk = UnicodeAttribute(range_key=True)


@table("pharmacy")
class VendorRecord(BaseRecord):
    pk = UnicodeAttribute(hash_key=True, default="VENDORS")
    sk = UnicodeAttribute(range_key=True)           # VENDOR#<id>
    name = UnicodeAttribute()
    terms = UnicodeAttribute()
    terms_version = UnicodeAttribute()
    post_i_butikk_ore = NumberAttribute()            # whole øre
    pa_doren_ore = NumberAttribute()


@table("pharmacy")
class VendorCredentialRecord(BaseRecord):
    pk = UnicodeAttribute(hash_key=True)            # VCRED#<key id>
    sk = UnicodeAttribute(range_key=True, default="CRED")
    vendor_id = UnicodeAttribute()
    secret_hash = UnicodeAttribute()
    active = BooleanAttribute(default=True)


@table("pharmacy")
class PatientItemRecord(BaseRecord):
    """A patient's consent to a vendor (CONSENT#<vendor>) or an address they added (ADDR#<id>)."""
    pk = UnicodeAttribute(hash_key=True)            # PAT#<id>
    sk = UnicodeAttribute(range_key=True)
    # consent
    terms_version = UnicodeAttribute(null=True)
    given_at = UTCDateTimeAttribute(null=True)
    # address
    street = UnicodeAttribute(null=True)
    postal_code = UnicodeAttribute(null=True)
    city = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute(null=True)


class AddressMap(MapAttribute):
    id = UnicodeAttribute()
    street = UnicodeAttribute()
    postal_code = UnicodeAttribute()
    city = UnicodeAttribute()
    registered = BooleanAttribute(default=False)


@table("pharmacy")
class OrderRecord(BaseRecord):
    pk = UnicodeAttribute(hash_key=True)            # ORDER#<id>
    sk = UnicodeAttribute(range_key=True, default="ORDER")
    patient_id = UnicodeAttribute()
    vendor_id = UnicodeAttribute()
    vendor_name = UnicodeAttribute()
    phone = UnicodeAttribute()
    email = UnicodeAttribute()
    substitution = BooleanAttribute()
    address = AddressMap()
    delivery = UnicodeAttribute()
    price_ore = NumberAttribute()                    # whole øre
    medicines = ListAttribute(of=UnicodeAttribute)
    status = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    ordered_by = UnicodeAttribute()
    processed_at = UTCDateTimeAttribute(null=True)
    patient_pk = UnicodeAttribute()
    patient_sk = UnicodeAttribute()
    vendor_pk = UnicodeAttribute()
    vendor_sk = UnicodeAttribute()

    by_patient = ByPatient()
    by_vendor = ByVendor()
