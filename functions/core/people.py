"""A patient's name and birth date as other packages need them (a clinic's inbox shows who wrote;
the price of an e-consultation depends on the age): a read port over the profile item that the
accounts package owns. One projected GetItem; never the national id."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from functions.core.core_records import profile_key


@dataclass(frozen=True)
class Person:
    patient_id: str
    name: str
    birth_date: date


class People(Protocol):
    def person(self, patient_id: str) -> Person | None: ...


_PROJECTION = {"ProjectionExpression": "#f, #m, #l, #b", "ExpressionAttributeNames": {
    "#f": "first_name", "#m": "middle_name", "#l": "last_name", "#b": "birth_date"}}


class ProfilePeople:
    def person(self, patient_id: str) -> Person | None:
        from functions.core.core_records import MembershipRecord  # any record of the patients table

        table = MembershipRecord._get_connection()
        pk, sk = profile_key(patient_id)
        item = table.connection.client.get_item(TableName=table.table_name, Key={"pk": {"S": pk}, "sk": {"S": sk}},
                                                **_PROJECTION).get("Item")
        if not item or "birth_date" not in item:
            return None
        names = [item.get(k, {}).get("S", "") for k in ("first_name", "middle_name", "last_name")]
        return Person(patient_id, " ".join(n for n in names if n), date.fromisoformat(item["birth_date"]["S"]))
