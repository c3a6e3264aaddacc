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
    consent: bool = True           # patients: has accepted the current terms; representatives: the SUBJECT has
    session_id: str | None = None
    actor_name: str | None = None  # representatives: the holder's name, for the subject's access log (R55)
    scopes: frozenset[str] = frozenset()  # representatives: what the relation gives now (core.representation)
    subject_name: str | None = None  # representatives: whose data it is, for the page ("Du ser nå: ...")

    @property
    def is_self(self) -> bool:
        return self.kind == PATIENT and self.actor_id == self.on_behalf_of

    def require_patient(self, scope: str | None = None) -> str:
        """The patient whose data this is. A representative reaches only what the relation gives
        (`scope`, one of core.representation's scopes); a call that names no scope is the holder's own."""
        if self.kind not in (PATIENT, REPRESENTATIVE) or not self.on_behalf_of:
            raise Forbidden()
        if self.kind == REPRESENTATIVE and (scope is None or scope not in self.scopes):
            raise Forbidden("not_for_representative")
        return self.on_behalf_of

    def may_see(self, scope: str, shareable: bool = False, hidden: bool = False) -> bool:
        """One item: the patient sees all of their own; a representative never a hidden one ("Skjult
        time", R36), and otherwise what the relation's scopes give, or what the clinic marked
        shareable while the relation gives anything at all."""
        if self.kind != REPRESENTATIVE:
            return True
        if hidden:
            return False
        return scope in self.scopes or (shareable and bool(self.scopes))

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
