"""What a patient (or a parent acting for a child under 12) does in Mine betalinger (R32, R33, R36, R55)."""
from __future__ import annotations

from functions.core.actor import REPRESENTATIVE, Actor
from functions.core.clock import Clock
from functions.core.cursor import Cursors
from functions.core.errors import Invalid, NotFound
from functions.core.representation import PAYMENTS
from functions.payments import model, pdf
from functions.payments.model import Bill
from functions.payments.ports import AccessRecorder, Payments


class PatientPayments:
    def __init__(self, repo: Payments, access_log: AccessRecorder, cursors: Cursors, clock: Clock) -> None:
        self._repo, self._log, self._cursors, self._clock = repo, access_log, cursors, clock

    def page(self, actor: Actor, tab: str, cursor: str | None) -> tuple[list[Bill], str | None, int]:
        """R32: one tab, one Query a page; "Betalt i år" is this calendar year in Oslo."""
        patient_id = self._reader(actor)
        if tab not in model.TABS:
            raise Invalid("invalid_tab", field="tab")
        year = model.oslo_year(self._clock.now())
        owner = f"payments:{patient_id}:{tab}:{year}"
        found, last = self._repo.page(patient_id, tab, year, self._cursors.decode(owner, cursor))
        self._logged(actor, patient_id, "what_payments")
        return found, self._cursors.encode(owner, last), year

    def document(self, actor: Actor, invoice_id: str, lang: str) -> tuple[Bill, bytes]:
        """Last ned kvittering / faktura: the PDF of one of the patient's own (one GetItem)."""
        patient_id = self._reader(actor)
        bill = self._repo.load(invoice_id)
        if bill is None or bill.patient_id != patient_id:
            raise NotFound()
        self._logged(actor, patient_id, "what_payment_pdf")
        return bill, pdf.render(bill, lang)

    @staticmethod
    def _reader(actor: Actor) -> str:
        """Level high only (R1); a representative only where the relation gives payments (a child
        under 12, a fullmakt): never for a child of 12-15 (R36)."""
        actor.require_high()
        return actor.require_patient(scope=PAYMENTS) if actor.kind == REPRESENTATIVE else actor.require_patient()

    def _logged(self, actor: Actor, patient_id: str, what: str) -> None:
        if not actor.is_self:
            self._log.record(actor, patient_id, what, "why_representative")   # R55
