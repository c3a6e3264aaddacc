"""Clinics, their staff and which patients belong to which clinic (shared by every package)."""
from __future__ import annotations

from dataclasses import dataclass, field

from pynamodb.exceptions import DoesNotExist

from functions.core.actor import Actor
from functions.core.core_records import ClinicRecord, MembershipRecord, StaffRecord


@dataclass(frozen=True)
class Clinic:
    clinic_id: str
    name: str
    place: str
    phone: str
    website: str | None
    booking_mode: str
    features: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Staff:
    clinic_id: str
    staff_id: str
    name: str
    role: str
    active: bool


def _to_clinic(r: ClinicRecord) -> Clinic:
    features = r.features.as_dict() if hasattr(r.features, "as_dict") else dict(r.features or {})
    return Clinic(r.pk.removeprefix("CLINIC#"), r.name, r.place, r.phone, r.website, r.booking_mode, features)


class Directory:
    def clinic(self, clinic_id: str) -> Clinic | None:
        try:
            return _to_clinic(ClinicRecord.get(f"CLINIC#{clinic_id}", "PROFILE"))
        except DoesNotExist:
            return None

    def clinics(self, clinic_ids: list[str]) -> dict[str, Clinic]:
        keys = [(f"CLINIC#{c}", "PROFILE") for c in dict.fromkeys(clinic_ids)]
        return {c.clinic_id: c for c in map(_to_clinic, ClinicRecord.batch_get(keys))} if keys else {}

    def search(self, text: str, limit: int = 20) -> list[Clinic]:
        """Clinics whose name or place contains the text (one Query of the directory index)."""
        needle = text.strip().lower()
        found = []
        for record in ClinicRecord.directory_index.query("CLINIC"):
            if needle in record.name.lower() or needle in record.place.lower():
                found.append(_to_clinic(record))
                if len(found) >= limit:
                    break
        return found

    def put_staff(self, staff: Staff) -> None:
        StaffRecord(f"CLINIC#{staff.clinic_id}", f"STAFF#{staff.staff_id}", name=staff.name, role=staff.role,
                    active=staff.active).save()

    def staff_of(self, clinic_id: str) -> list[Staff]:
        rows = StaffRecord.query(f"CLINIC#{clinic_id}", StaffRecord.sk.startswith("STAFF#"))
        return [Staff(clinic_id, r.sk.removeprefix("STAFF#"), r.name, r.role, r.active) for r in rows]

    def staff(self, clinic_id: str, staff_id: str) -> Staff | None:
        try:
            r = StaffRecord.get(f"CLINIC#{clinic_id}", f"STAFF#{staff_id}")
        except DoesNotExist:
            return None
        return Staff(clinic_id, staff_id, r.name, r.role, r.active)

    def is_member(self, patient_id: str, clinic_id: str) -> bool:
        try:
            MembershipRecord.get(f"PAT#{patient_id}", f"CLINIC#{clinic_id}")
        except DoesNotExist:
            return False
        return True

    def memberships(self, patient_id: str) -> list[MembershipRecord]:
        return list(MembershipRecord.query(f"PAT#{patient_id}", MembershipRecord.sk.startswith("CLINIC#")))

    def describe(self, actor: Actor) -> tuple[str, str | None]:
        """Names the access log shows: the person (by name) and the clinic."""
        if actor.kind == "staff" and actor.clinic_id:
            staff = self.staff(actor.clinic_id, actor.actor_id)
            clinic = self.clinic(actor.clinic_id)
            return (staff.name if staff else actor.actor_id), (clinic.name if clinic else None)
        if actor.kind == "representative" and actor.actor_name:
            return actor.actor_name, None
        return actor.actor_id, None
