"""What a delivery needs from the profile that accounts owns (R40): the patient's registered
addresses, and — only for a pharmacy's authenticated order fetch — the national id. A read port
with one projected GetItem each; accounts stays the only writer of the profile."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from functions.core.core_records import profile_key


@dataclass(frozen=True)
class RegisteredAddress:
    address_id: str
    street: str
    postal_code: str
    city: str


class ProfileFacts(Protocol):
    def addresses(self, patient_id: str) -> list[RegisteredAddress]: ...

    def national_id(self, patient_id: str) -> str | None: ...


def _get(patient_id: str, names: dict[str, str]) -> dict | None:
    from functions.core.core_records import MembershipRecord  # any record of the patients table

    table = MembershipRecord._get_connection()
    pk, sk = profile_key(patient_id)
    return table.connection.client.get_item(
        TableName=table.table_name, Key={"pk": {"S": pk}, "sk": {"S": sk}},
        ProjectionExpression=", ".join(names), ExpressionAttributeNames=names).get("Item")


class ProfileReader:
    def addresses(self, patient_id: str) -> list[RegisteredAddress]:
        item = _get(patient_id, {"#a": "addresses"}) or {}
        found = []
        for entry in item.get("addresses", {}).get("L", []):
            m = entry.get("M", {})
            found.append(RegisteredAddress(*(m.get(k, {}).get("S", "") for k in ("id", "street", "postal_code",
                                                                                    "city"))))
        return found

    def national_id(self, patient_id: str) -> str | None:
        item = _get(patient_id, {"#n": "national_id"}) or {}
        return item.get("national_id", {}).get("S")
