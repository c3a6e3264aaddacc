"""Where a patient can be reached (R9, R28): a read port over the contact fields of the profile.

The accounts package owns the profile and every write to it; the notice drain only reads the
e-mail address, the phones and the contact settings here, so no feature package needs another's
contact data. The rule that picks the channel is pure (`reach`)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from functions.core.core_records import profile_key

EMAIL, SMS = "email", "sms"


@dataclass(frozen=True)
class ContactFields:
    email: str
    phones: dict[str, str]        # phone id -> E.164 number
    channel: str                  # the patient's contact setting: email | sms
    phone_id: str | None


@dataclass(frozen=True)
class Reach:
    channel: str
    address: str


def reach(fields: ContactFields | None, only: str | None = None) -> Reach | None:
    """The channel a notice goes by: the patient's own setting (R9) when it has an address; else
    e-mail before SMS (R28); `only` restricts to one channel (an e-mail change goes by e-mail)."""
    if fields is None:
        return None
    email = Reach(EMAIL, fields.email) if fields.email else None
    chosen = fields.phones.get(fields.phone_id or "") or next(iter(fields.phones.values()), None)
    sms = Reach(SMS, chosen) if chosen else None
    if only is not None:
        return email if only == EMAIL else sms
    preferred = sms if fields.channel == SMS else email
    return preferred or email or sms


class ContactBook(Protocol):
    def fields(self, patient_id: str) -> ContactFields | None: ...


# Only the contact fields of the profile item are read (a projection): never the national id.
_PROJECTION = {"ProjectionExpression": "#e, #p, #c", "ExpressionAttributeNames": {
    "#e": "email", "#p": "phones", "#c": "contact"}}


class ProfileContacts:
    """ContactBook over the profile items in the patients table: one projected GetItem."""

    def fields(self, patient_id: str) -> ContactFields | None:
        from functions.core.core_records import MembershipRecord  # any record of the patients table

        table = MembershipRecord._get_connection()
        pk, sk = profile_key(patient_id)
        item = table.connection.client.get_item(TableName=table.table_name, Key={"pk": {"S": pk}, "sk": {"S": sk}},
                                                **_PROJECTION).get("Item")
        if item is None:
            return None
        phones = {p["M"]["id"]["S"]: p["M"]["number"]["S"] for p in item.get("phones", {}).get("L", [])}
        contact = item.get("contact", {}).get("M", {})
        return ContactFields(item.get("email", {}).get("S", ""), phones,
                             contact.get("channel", {}).get("S", EMAIL), contact.get("phone_id", {}).get("S"))
