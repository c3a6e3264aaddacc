"""Hand-written fakes of the repositories and stores (kept honest by tests/integration contracts)."""
from __future__ import annotations

from dataclasses import replace

from functions.accounts.model import Profile
from functions.core.errors import Conflict, NotFound


class FakeProfileRepository:
    def __init__(self) -> None:
        self.profiles: dict[str, Profile] = {}
        self.lookups: dict[str, str] = {}

    def get(self, patient_id: str) -> Profile:
        if patient_id not in self.profiles:
            raise NotFound()
        return self.profiles[patient_id]

    def save(self, profile: Profile) -> Profile:
        current = self.profiles.get(profile.patient_id)
        if (current.version if current else None) != profile.version:
            raise Conflict()
        saved = replace(profile, version=(profile.version or 0) + 1)
        self.profiles[profile.patient_id] = saved
        return saved

    def patient_for(self, lookup_key: str) -> str | None:
        return self.lookups.get(lookup_key)

    def create(self, lookup_key: str, profile: Profile) -> str:
        if lookup_key in self.lookups:
            return self.lookups[lookup_key]
        self.lookups[lookup_key] = profile.patient_id
        self.save(profile)
        return profile.patient_id


class FakePictures:
    def __init__(self) -> None:
        self.objects: dict[str, bytes] = {}

    def put(self, patient_id: str, jpeg: bytes) -> str:
        key = f"pictures/{patient_id}/{len(self.objects)}.jpg"
        self.objects[key] = jpeg
        return key

    def delete(self, key: str) -> None:
        self.objects.pop(key, None)

    def url(self, key: str | None) -> str | None:
        return f"https://signed.example/{key}" if key else None


class FakeOutbox:
    def __init__(self) -> None:
        self.messages: list = []
        self.keys: set[str] = set()

    def enqueue(self, message, dedupe_key: str) -> bool:
        if dedupe_key in self.keys:
            return False
        self.keys.add(dedupe_key)
        self.messages.append(message)
        return True


class FakeRelations:
    """core.relations.Relations and accounts.relations.RelationWriter in memory (contract-tested)."""

    def __init__(self) -> None:
        self.items: dict[tuple[str, str], tuple] = {}   # (holder, subject) -> (relation, removed)

    # reader
    def between(self, holder_id: str, subject_id: str):
        found = self.items.get((holder_id, subject_id))
        return found[0] if found and not found[1] else None

    def of(self, patient_id: str) -> list:
        return [r for (h, s), (r, removed) in sorted(self.items.items()) if patient_id in (h, s) and not removed]

    # writer
    def put(self, relation, source: str, now) -> None:
        self.items[(relation.holder_id, relation.subject_id)] = (relation, False)

    def put_if_absent(self, relation, source: str, now) -> bool:
        """Like put, unless a live relation between the two is already there (then False)."""
        found = self.items.get((relation.holder_id, relation.subject_id))
        if found is not None and not found[1]:
            return False
        self.put(relation, source, now)
        return True

    def remove(self, holder_id: str, subject_id: str, now) -> None:
        found = self.items.get((holder_id, subject_id))
        if found is None:
            raise NotFound(field="patient_id")
        self.items[(holder_id, subject_id)] = (found[0], True)

    def removed_subjects(self, holder_id: str) -> set[str]:
        return {s for (h, s), (_, removed) in self.items.items() if h == holder_id and removed}

    def set_subject_consent(self, subject_id: str, consent) -> None:
        for key, (relation, removed) in list(self.items.items()):
            if key[1] == subject_id:
                self.items[key] = (replace(relation, subject_consent=consent), removed)
