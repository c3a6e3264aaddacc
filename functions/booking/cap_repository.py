"""A patient's places under a clinic's cap (CapRecord, pk CAP#<patient>, sk CLINIC#<clinic>): one
item per patient and clinic; every write to it is one UpdateItem and adds 1 to its version."""
from __future__ import annotations

from pynamodb.exceptions import PynamoDBException
from pynamodb.expressions.condition import size

from functions.booking.records import CapRecord as Cap
from functions.core.records import Refused


def _item(patient_id: str, clinic_id: str) -> Cap:
    return Cap(f"CAP#{patient_id}", f"CLINIC#{clinic_id}")


class CapRepository:
    def take(self, patient_id: str, clinic_id: str, entry: str, cap: int) -> bool:
        """ONE conditional UpdateItem: `entry` joins the patient's places at the clinic if fewer
        than `cap` are held (the first creates the item). False if the cap refused it."""
        try:
            _item(patient_id, clinic_id).update(
                actions=[Cap.held.add({entry}), Cap.version.add(1)],
                condition=Cap.held.does_not_exist() | (size(Cap.held) < cap))
        except Refused:
            return False
        return True

    def add(self, patient_id: str, clinic_id: str, entry: str) -> None:
        """Unconditionally (staff bookings count toward the cap but may exceed it)."""
        _item(patient_id, clinic_id).update(actions=[Cap.held.add({entry}), Cap.version.add(1)])

    def give_back(self, patient_id: str, clinic_id: str, entry: str) -> bool:
        """The entry leaves the patient's places. Best effort: False if it could not be written
        (a later heal drops what a miss leaves behind)."""
        try:
            _item(patient_id, clinic_id).update(actions=[Cap.held.delete({entry}), Cap.version.add(1)],
                                                condition=Cap.held.exists())
        except (Refused, PynamoDBException):
            return False
        return True

    def held(self, patient_id: str, clinic_id: str) -> tuple[frozenset[str], int]:
        """The places and the version (0: no item), read consistently: the heal's starting point."""
        try:
            record = Cap.get(f"CAP#{patient_id}", f"CLINIC#{clinic_id}", consistent_read=True)
        except Cap.DoesNotExist:
            return frozenset(), 0
        return frozenset(record.held or ()), int(record.version or 0)

    def rewrite(self, patient_id: str, clinic_id: str, entries: frozenset[str], version: int) -> bool:
        """The places become exactly `entries`, if nothing else wrote them since `version` was read."""
        held = Cap.held.set(set(entries)) if entries else Cap.held.remove()
        unchanged = Cap.version == version if version else Cap.version.does_not_exist()
        try:
            _item(patient_id, clinic_id).update(actions=[held, Cap.version.add(1)], condition=unchanged)
        except Refused:
            return False
        return True
