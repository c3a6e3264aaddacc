"""Records of the payments table that more than one package needs (core.billing).

The payments package (next) owns invoices and their writes; the dialogs package reads a patient's
invoices (Spørsmål om faktura) and records a charge when an e-consultation closes. Neither imports
the other: both go through core.billing.

Access patterns (never a Scan):
  tariff table of a clinic for a period   GetItem pk=CLINIC#<id>, sk=TARIFF#<yyyy-07-01>        (1 call)
  a patient's invoices, newest first      Query index by_patient: PAT#<id>, patient_sk=<date>#<id>
  record a charge once                    PutItem pk=CHARGE#<source>, sk=CHARGE if not exists
  charges not yet invoiced (payments)     Query index uninvoiced: CLINIC#<id>, oldest first (sparse)
  a patient's open invoices (Utestående)   Query index open_by_patient: PAT#<id> while open (sparse), newest first
  a patient's paid ones (Betalt i år/Alt)  Query index paid_by_patient: PAT#<id>, paid_sk=<Oslo paid time>#<id>;
                                          a year is the key range BETWEEN <yyyy>-01-01 AND <yyyy>-12-31~
"""
from __future__ import annotations

from pynamodb.attributes import JSONAttribute, MapAttribute, NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from functions.core.records import BaseRecord, table


class PaymentsByPatient(GlobalSecondaryIndex):
    class Meta:
        index_name = "by_patient"
        projection = AllProjection()

    patient_pk = UnicodeAttribute(hash_key=True)
    patient_sk = UnicodeAttribute(range_key=True)


class Uninvoiced(GlobalSecondaryIndex):
    class Meta:
        index_name = "uninvoiced"
        projection = AllProjection()

    uninvoiced_pk = UnicodeAttribute(hash_key=True)
    created = UnicodeAttribute(range_key=True)


class OpenByPatient(GlobalSecondaryIndex):
    class Meta:
        index_name = "open_by_patient"
        projection = AllProjection()

    open_pk = UnicodeAttribute(hash_key=True)
    patient_sk = UnicodeAttribute(range_key=True)


class PaidByPatient(GlobalSecondaryIndex):
    class Meta:
        index_name = "paid_by_patient"
        projection = AllProjection()

    paid_pk = UnicodeAttribute(hash_key=True)
    paid_sk = UnicodeAttribute(range_key=True)


@table("payments")
class TariffRecord(BaseRecord):
    pk = UnicodeAttribute(hash_key=True)      # CLINIC#<id>
    sk = UnicodeAttribute(range_key=True)     # TARIFF#<period start, 1 July>
    codes = MapAttribute(default=dict)        # code -> {"text": str, "fee_ore": int}


@table("payments")
class InvoiceRecord(BaseRecord):
    pk = UnicodeAttribute(hash_key=True)      # INV#<id>
    sk = UnicodeAttribute(range_key=True, default="INVOICE")
    clinic_id = UnicodeAttribute()
    patient_id = UnicodeAttribute()
    number = UnicodeAttribute()
    issued = UnicodeAttribute()               # yyyy-mm-dd (Oslo)
    amount_ore = NumberAttribute()
    status = UnicodeAttribute()               # open | paid | credited
    patient_pk = UnicodeAttribute()
    patient_sk = UnicodeAttribute()
    by_patient = PaymentsByPatient()
    # written by payments (functions/payments/repository.py); names copied in so a page needs no other read
    clinic_name = UnicodeAttribute(null=True)
    org_number = UnicodeAttribute(null=True)
    patient_name = UnicodeAttribute(null=True)
    practitioner_name = UnicodeAttribute(null=True)
    lines = JSONAttribute(null=True)          # [{"code", "text", "amount_ore"}]
    method = UnicodeAttribute(null=True)      # kort | vipps | faktura | kontant
    due = UnicodeAttribute(null=True)
    kid = UnicodeAttribute(null=True)
    paid_at = UTCDateTimeAttribute(null=True)
    transaction_id = UnicodeAttribute(null=True)
    fingerprint = UnicodeAttribute(null=True)
    credit_id = UnicodeAttribute(null=True)
    source = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute(null=True)
    open_pk = UnicodeAttribute(null=True)     # PAT#<id> while open (sparse)
    paid_pk = UnicodeAttribute(null=True)     # PAT#<id> once paid
    paid_sk = UnicodeAttribute(null=True)
    open_by_patient = OpenByPatient()
    paid_by_patient = PaidByPatient()


@table("payments")
class ChargeRecord(BaseRecord):
    pk = UnicodeAttribute(hash_key=True)      # CHARGE#<source>
    sk = UnicodeAttribute(range_key=True, default="CHARGE")
    clinic_id = UnicodeAttribute()
    patient_id = UnicodeAttribute()
    tariff_code = UnicodeAttribute()
    text = UnicodeAttribute()
    fee_ore = NumberAttribute()
    day = UnicodeAttribute()                  # the Oslo date the service was given
    created_at = UTCDateTimeAttribute()
    created = UnicodeAttribute()
    uninvoiced_pk = UnicodeAttribute(null=True)
    uninvoiced = Uninvoiced()
