"""Clinic profile, booking catalogue and staff names, cached per process for a short time; and the
clinic owning each timebok, kept for the life of the process (it never changes).

They change rarely and are read on every booking request; a warm function reads them at most
once a minute (a change through this process's clinic API clears its copy at once)."""
from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from functions.booking.catalog import Catalog, CatalogRepository
from functions.core.clock import Clock
from functions.core.directory import Clinic, Directory
from functions.core.errors import NotFound

TTL = timedelta(seconds=60)


class ClinicLookups:
    def __init__(self, directory: Directory, catalogs: CatalogRepository, clock: Clock) -> None:
        self._directory, self._catalogs, self._clock = directory, catalogs, clock
        self._cache: dict[tuple[str, str], tuple[object, object]] = {}
        self._owners: dict[str, str] = {}

    def clinic(self, clinic_id: str) -> tuple[Clinic, Catalog]:
        clinic = self._get(("clinic", clinic_id), lambda: self._directory.clinic(clinic_id))
        if clinic is None:
            raise NotFound(field="clinic_id")
        return clinic, self._get(("catalog", clinic_id), lambda: self._catalogs.load(clinic_id))

    def timebok_clinic(self, timebok_id: str, load: Callable[[str], str | None]) -> str:
        """The clinic that owns a timebok (the first clinic to use an id owns it for good): read
        once with `load`; an unknown id is not kept, and not found."""
        clinic_id = self._owners.get(timebok_id)
        if clinic_id is None:
            clinic_id = load(timebok_id)
            if clinic_id is None:
                raise NotFound(field="slot_id")
            self._owners[timebok_id] = clinic_id
        return clinic_id

    def staff_names(self, clinic_id: str) -> dict[str, str]:
        return self._get(("staff", clinic_id),
                         lambda: {s.staff_id: s.name for s in self._directory.staff_of(clinic_id)})

    def forget(self, clinic_id: str) -> None:
        for kind in ("clinic", "catalog", "staff"):
            self._cache.pop((kind, clinic_id), None)

    def _get(self, key: tuple[str, str], load):
        now = self._clock.now()
        hit = self._cache.get(key)
        if hit is not None and now - hit[0] < TTL and hit[0] <= now:
            return hit[1]
        value = load()
        self._cache[key] = (now, value)
        return value
