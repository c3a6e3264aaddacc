"""Records of the payments table that only payments uses (the shared ones, invoices, tariffs and
charges, are in functions/core/billing_records.py). repository.py is the only module that knows them.

Access patterns (never a Scan):
  the clinic's payee (name, organisation no.)   GetItem pk=CLINIC#<id>, sk=PAYEE
  an invoice number taken once per clinic       PutItem pk=NUMBER#<clinic>#<number>, sk=NUMBER if not exists
  the next invoice number of a clinic's year    UpdateItem pk=CLINIC#<id>, sk=COUNTER#<yyyy> ADD next 1
  a credit note (once per invoice)              PutItem pk=CREDIT#<invoice id>, sk=CREDIT if not exists
"""
from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute

from functions.core.records import BaseRecord, table


@table("payments")
class PayeeRecord(BaseRecord):
    pk = UnicodeAttribute(hash_key=True)      # CLINIC#<id>
    sk = UnicodeAttribute(range_key=True, default="PAYEE")
    name = UnicodeAttribute()
    org_number = UnicodeAttribute()


@table("payments")
class NumberRecord(BaseRecord):
    pk = UnicodeAttribute(hash_key=True)      # NUMBER#<clinic>#<invoice number>
    sk = UnicodeAttribute(range_key=True, default="NUMBER")
    invoice_id = UnicodeAttribute()


@table("payments")
class CounterRecord(BaseRecord):
    pk = UnicodeAttribute(hash_key=True)      # CLINIC#<id>
    sk = UnicodeAttribute(range_key=True)     # COUNTER#<yyyy>
    next = NumberAttribute(default=0)


@table("payments")
class CreditRecord(BaseRecord):
    pk = UnicodeAttribute(hash_key=True)      # CREDIT#<invoice id>
    sk = UnicodeAttribute(range_key=True, default="CREDIT")
    credit_id = UnicodeAttribute()
    invoice_id = UnicodeAttribute()
    clinic_id = UnicodeAttribute()
    amount_ore = NumberAttribute()
    reason = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
