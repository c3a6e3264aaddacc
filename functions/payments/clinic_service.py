"""What a clinic system does in payments: terminal transactions and invoices (once per its own
transaction id), mark paid, credit (a credit note), its tariff table and payee, and turning the
charges of closed e-consultations into invoices exactly once. A clinic reaches only its own."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime

from functions.core.actor import Actor
from functions.core.billing import Charge, Tariff, oslo_date, period_start
from functions.core.clock import Clock
from functions.core.errors import Conflict, Forbidden, Invalid, NotFound
from functions.core.people import People
from functions.payments import model
from functions.payments.model import FAKTURA, OPEN, PAID, Bill, Line, Payee
from functions.payments.ports import Payments, Tariffs
from functions.payments.repository import Created


@dataclass(frozen=True)
class NewPayment:
    """A terminal transaction (paid at once) or an invoice (open), as the clinic sent it."""
    transaction_id: str
    patient_id: str
    lines: tuple[tuple[str, int | None], ...]      # (tariff code, amount in øre or the tariff's fee)
    method: str
    practitioner_id: str | None = None
    number: str | None = None
    issued: date | None = None
    due: date | None = None
    kid: str | None = None
    paid_at: datetime | None = None

    def content(self, kind: str) -> dict:
        return {"kind": kind, **{k: v for k, v in self.__dict__.items()}}


class ClinicPayments:
    def __init__(self, repo: Payments, tariffs: Tariffs, directory, people: People, clock: Clock) -> None:
        self._repo, self._tariffs, self._directory, self._people, self._clock = repo, tariffs, directory, people, clock

    # --- payments ---
    def transaction(self, actor: Actor, new: NewPayment) -> Created:
        """A payment at the terminal (kort, Vipps, kontant): paid when made."""
        clinic_id = self._clinic(actor)
        paid_at = new.paid_at or self._clock.now()
        return self._repo.create(self._bill(actor, clinic_id, new, "transaction", PAID, oslo_date(paid_at), paid_at))

    def invoice(self, actor: Actor, new: NewPayment) -> Created:
        clinic_id = self._clinic(actor)
        if not new.number:
            raise Invalid("required", field="number")
        if new.kid is not None and not model.kid_valid(new.kid):
            raise Invalid("invalid_kid", field="kid")
        issued = new.issued or oslo_date(self._clock.now())
        return self._repo.create(self._bill(actor, clinic_id, new, "invoice", OPEN, issued, None))

    def read(self, actor: Actor, invoice_id: str) -> Bill:
        clinic_id = actor.require_staff()
        bill = self._repo.load(invoice_id)
        if bill is None or bill.clinic_id != clinic_id:
            raise NotFound()                     # another clinic's is not found (no leak)
        return bill

    def mark_paid(self, actor: Actor, invoice_id: str, how: str, at: datetime | None) -> Bill:
        bill = self.read(actor, invoice_id)
        after = model.mark_paid(bill, how, at or self._clock.now())
        if after is not bill:
            self._repo.save_paid(bill, after)
        return after

    def credit(self, actor: Actor, invoice_id: str, reason: str) -> tuple[Bill, model.CreditNote]:
        bill = self.read(actor, invoice_id)
        if bill.status == model.CREDITED:
            note = self._repo.credit_note(invoice_id)
            if note is not None and note.reason == reason:
                return bill, note                # a retry
        after, note = model.credit(bill, reason, "cr" + secrets.token_hex(8), self._clock.now())
        self._repo.save_credit(bill, after, note)
        return after, note

    # --- the tariff table and the payee ---
    def tariffs(self, actor: Actor, start: date) -> dict[str, Tariff]:
        return self._tariffs.tariffs(self._clinic(actor, need_payments=False), _period(start))

    def put_tariffs(self, actor: Actor, start: date, codes: dict[str, Tariff]) -> dict[str, Tariff]:
        clinic_id = self._clinic(actor, need_payments=False)
        self._tariffs.put_tariffs(clinic_id, _period(start), codes)
        return codes

    def payee(self, actor: Actor) -> Payee | None:
        return self._repo.payee(self._clinic(actor))

    def put_payee(self, actor: Actor, name: str, org_number: str) -> Payee:
        if not model.org_number_valid(org_number):
            raise Invalid("invalid_org_number", field="org_number")
        payee = Payee(self._clinic(actor), name, org_number)
        self._repo.put_payee(payee)
        return payee

    # --- charges of closed e-consultations -> open invoices, exactly once ---
    def invoice_charges(self, actor: Actor) -> dict:
        return self.invoice_charges_of(self._clinic(actor))

    def invoice_charges_of(self, clinic_id: str, pages: int = 20) -> dict:
        """Pages the clinic's uninvoiced charges; each becomes an invoice (a free one is only marked
        done) in one transaction with taking it off the index, so a rerun or a race makes no second."""
        counts = {"invoiced": 0, "free": 0, "already": 0}
        payee = self._repo.payee(clinic_id)
        clinic = self._directory.clinic(clinic_id)
        if payee is None or clinic is None:
            return {**counts, "skipped": "no_payee"}
        key = None
        for _ in range(pages):
            charges, key = self._repo.uninvoiced(clinic_id, key)
            for charge in charges:
                bill = None if charge.fee_ore == 0 else self._from_charge(charge, payee)
                done = self._repo.convert(charge, bill, self._clock.now())
                counts["already" if not done else "free" if bill is None else "invoiced"] += 1
            if not key:
                break
        return counts

    def _from_charge(self, charge: Charge, payee: Payee) -> Bill:
        now = self._clock.now()
        today = oslo_date(now)
        number = self._repo.next_number(charge.clinic_id, today.year)
        person = self._people.person(charge.patient_id)
        return Bill(model.bill_id(charge.clinic_id, f"charge:{charge.source}"), charge.clinic_id, payee.name,
                    payee.org_number, charge.patient_id, person.name if person else "", "", number, today,
                    (Line(charge.tariff_code, charge.text, charge.fee_ore),), OPEN, FAKTURA, model.due_date(today),
                    model.make_kid(number), source=charge.source, created_at=now,
                    fingerprint=model.fingerprint({"charge": charge.source}))

    # --- helpers ---
    def _clinic(self, actor: Actor, need_payments: bool = True) -> str:
        clinic_id = actor.require_staff()
        clinic = self._directory.clinic(clinic_id)
        if clinic is None or (need_payments and not clinic.features.get("payments")):
            raise Forbidden("payments_not_offered")
        return clinic_id

    def _bill(self, actor: Actor, clinic_id: str, new: NewPayment, kind: str, status: str, issued: date,
              paid_at: datetime | None) -> Bill:
        payee = self._repo.payee(clinic_id)
        if payee is None:
            raise Conflict("no_payee")
        if not self._directory.is_member(new.patient_id, clinic_id):
            raise Invalid("unknown_patient", field="patient_id")
        person = self._people.person(new.patient_id)
        staff = self._directory.staff(clinic_id, new.practitioner_id or actor.actor_id)
        if new.practitioner_id and staff is None:
            raise Invalid("unknown_staff", field="practitioner_id")
        table = self._tariffs.tariffs(clinic_id, issued)
        lines = []
        for n, (code, amount) in enumerate(new.lines):
            tariff = table.get(code)
            if tariff is None:
                raise Invalid("unknown_tariff", field=f"lines[{n}].code")
            lines.append(Line(code, tariff.text, tariff.fee_ore if amount is None else amount))
        model.total(tuple(lines))
        number = new.number
        return Bill(model.bill_id(clinic_id, new.transaction_id), clinic_id, payee.name, payee.org_number,
                    new.patient_id, person.name if person else "", staff.name if staff else "", number, issued,
                    tuple(lines), status, new.method, new.due or (model.due_date(issued) if status == OPEN else None),
                    (new.kid or model.make_kid(number)) if status == OPEN and number else None, paid_at,
                    new.transaction_id, model.fingerprint(new.content(kind)), created_at=self._clock.now())


def _period(start: date) -> date:
    if start != period_start(start):
        raise Invalid("invalid_period", field="period")
    return start



