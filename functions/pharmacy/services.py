"""The pharmacy function's services, wired from a Runtime."""
from __future__ import annotations

import functools

from functions.core.access_log import AccessLog
from functions.core.actor import INTEGRATION, Actor
from functions.core.contacts import ProfileContacts
from functions.core.idempotency import Idempotency
from functions.core.profile_facts import ProfileReader
from functions.core.runtime import Runtime
from functions.pharmacy.patient_service import PatientPharmacy
from functions.pharmacy.repository import PharmacyRepository
from functions.pharmacy.vendor_auth import VendorAuth
from functions.pharmacy.vendor_service import VendorPharmacy


class _Names:
    """The access log's names: a vendor by its own name (R55), everyone else as the directory says."""

    def __init__(self, directory) -> None:
        self._directory = directory

    def describe(self, actor: Actor) -> tuple[str, str | None]:
        if actor.kind == INTEGRATION and actor.actor_name:
            return actor.actor_name, None
        return self._directory.describe(actor)


class PharmacyServices:
    def __init__(self, runtime: Runtime) -> None:
        self._runtime = runtime
        self.repo = PharmacyRepository(Idempotency(runtime.clock), runtime.outbox)
        facts = ProfileReader()
        log = AccessLog(runtime.clock, _Names(runtime.directory))
        self.patient = PatientPharmacy(self.repo, ProfileContacts(), facts, log, runtime.clock)
        self.vendor = VendorPharmacy(self.repo, facts, log, runtime.cursors, runtime.clock)

    @functools.cached_property
    def vendor_auth(self) -> VendorAuth:
        """Made on first use: a patient's cold start reads no pepper it does not need."""
        rt = self._runtime
        return VendorAuth(self.repo, rt.pepper, rt.limiter, rt.settings.clinic_rate_per_minute)


def build(runtime: Runtime) -> PharmacyServices:
    return PharmacyServices(runtime)
