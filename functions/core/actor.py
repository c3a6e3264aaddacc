"""Who acts, for whom, at which level, for which clinic. Every service call takes one."""
from __future__ import annotations

from dataclasses import dataclass

from functions.core.errors import ConsentRequired, Forbidden, StepUpRequired

HIGH = "high"
SUBSTANTIAL = "substantial"

PATIENT = "patient"
REPRESENTATIVE = "representative"
STAFF = "staff"
JOB = "job"
INTEGRATION = "integration"


@dataclass(frozen=True)
class Actor:
    kind: str                      # patient | representative | staff | job | integration
    actor_id: str                  # patient id, staff id, job name, integration name
    on_behalf_of: str | None       # the patient whose data it is (None for clinic-wide calls)
    level: str | None = None       # substantial | high (patients and representatives)
    clinic_id: str | None = None   # staff: the clinic the credential is bound to
    consent: bool = True           # patients: has accepted the current terms
    session_id: str | None = None

    @property
    def is_self(self) -> bool:
        return self.kind == PATIENT and self.actor_id == self.on_behalf_of

    def require_patient(self) -> str:
        if self.kind not in (PATIENT, REPRESENTATIVE) or not self.on_behalf_of:
            raise Forbidden()
        return self.on_behalf_of

    def require_consent(self) -> None:
        if self.kind in (PATIENT, REPRESENTATIVE) and not self.consent:
            raise ConsentRequired()

    def require_high(self, consent: bool = True) -> None:
        """Health data (R1): level high, and (unless the call is consent-exempt) consent given (R10)."""
        if consent:
            self.require_consent()
        if self.kind in (PATIENT, REPRESENTATIVE) and self.level != HIGH:
            raise StepUpRequired()

    def require_staff(self) -> str:
        if self.kind != STAFF or not self.clinic_id:
            raise Forbidden()
        return self.clinic_id

    def audit_label(self) -> dict[str, str | None]:
        return {"actor_kind": self.kind, "actor_id": self.actor_id, "clinic_id": self.clinic_id}
