"""What a patient (or a parent acting for a child) does in Kommunikasjon (R25-R31, R34, R36)."""
from __future__ import annotations

from dataclasses import dataclass, replace

from functions.core.actor import REPRESENTATIVE, Actor
from functions.core.billing import Invoice, oslo_date, patient_fee
from functions.core.clock import Clock
from functions.core.cursor import Cursors
from functions.core.directory import Clinic
from functions.core.errors import Forbidden, Invalid, NotFound, PortalError
from functions.core.representation import MESSAGES, PRESCRIPTIONS
from functions.dialogs import model
from functions.dialogs.attachments import Attachments
from functions.dialogs.model import EKONSULTASJON, FAKTURA, PATIENT, PORTAL, RESEPT, Dialog, Message
from functions.dialogs.ports import AccessRecorder, ClinicDirectory, Dialogs, People, Prices
from functions.dialogs.repository import Claim, Stored
from functions.dialogs.writer import Change, DialogWriter, new_id


@dataclass(frozen=True)
class Price:
    tariff_code: str
    fee_ore: int
    free_reason: str | None


@dataclass(frozen=True)
class StartOptions:
    clinic: Clinic
    kinds: list[str]
    recipients: list[tuple[str, str]]     # (staff id, name)
    price: Price | None


@dataclass(frozen=True)
class NewDialog:
    clinic_id: str
    kind: str
    text: str
    recipient_id: str | None = None
    invoice_id: str | None = None
    medicine: str | None = None
    dose: str | None = None
    amount: str | None = None
    attachments: object = None


class PatientDialogs:
    def __init__(self, repo: Dialogs, writer: DialogWriter, attachments: Attachments, directory: ClinicDirectory,
                 people: People, prices: Prices, access_log: AccessRecorder, cursors: Cursors, clock: Clock) -> None:
        self._repo, self._writer, self._files, self._directory = repo, writer, attachments, directory
        self._people, self._prices, self._log, self._cursors, self._clock = people, prices, access_log, cursors, clock

    # --- reading ---
    def inbox(self, actor: Actor, cursor: str | None) -> tuple[list[Dialog], str | None]:
        """R25: newest first, one Query a page; a representative sees only what the relation gives (R36)."""
        patient_id = self._reader(actor)
        page, last = self._repo.patient_page(patient_id, self._cursors.decode(f"inbox:{patient_id}", cursor))
        self._logged(actor, patient_id, "what_dialogs")
        shown = [d for d in page if actor.may_see(model.scope_of(d.kind), shareable=d.shareable)]
        return shown, self._cursors.encode(f"inbox:{patient_id}", last)

    def unread(self, actor: Actor) -> int:
        patient_id = self._reader(actor)
        self._logged(actor, patient_id, "what_dialogs")   # R55: how many unread is the child's data too
        return sum(1 for d in self._repo.unread_of(patient_id)
                   if actor.may_see(model.scope_of(d.kind), shareable=d.shareable))

    def open(self, actor: Actor, dialog_id: str) -> Stored:
        """A dialog with its messages; opening it marks it read."""
        stored = self._own(actor, dialog_id)
        self._logged(actor, stored.dialog.patient_id, "what_dialog")
        if stored.dialog.unread:
            self._repo.mark_read(dialog_id)
            stored = replace(stored, dialog=replace(stored.dialog, unread=False))
        return stored

    def attachment_url(self, actor: Actor, dialog_id: str, attachment_id: str) -> str:
        stored = self._own(actor, dialog_id)
        self._logged(actor, stored.dialog.patient_id, "what_dialog")
        return self._files.link(stored.messages, attachment_id)

    # --- starting (R34) ---
    def options(self, actor: Actor, clinic_id: str) -> StartOptions:
        """What the patient may start at a clinic: the kinds it offers (those the relation allows),
        the e-consultation's recipients and its price today."""
        patient_id = self._writer_for(actor, None)
        clinic = self._clinic(clinic_id)
        settings = self._repo.settings(clinic_id)
        allowed = [k for k in model.PATIENT_KINDS if k in settings.patient_kinds and self._may_start(actor, k)]
        recipients, price = [], None
        if EKONSULTASJON in allowed:
            gp = self._gp(patient_id, clinic_id)
            names = {s.staff_id: s.name for s in self._directory.staff_of(clinic_id) if s.active}
            recipients = [(s, names[s]) for s in model.econsult_recipients(settings, gp) if s in names]
            price = self._price(patient_id, clinic_id)
        return StartOptions(clinic, allowed, recipients, price)

    def invoices(self, actor: Actor, clinic_id: str) -> list[Invoice]:
        """R29: the patient's invoices at that clinic, to ask about one."""
        patient_id = self._writer_for(actor, FAKTURA)
        self._clinic(clinic_id)
        self._logged(actor, patient_id, "what_dialogs")
        return self._prices.invoices(patient_id, clinic_id)

    def upload(self, actor: Actor, data: bytes, name: str | None):
        patient_id = self._writer_for(actor, None)
        return self._files.upload(_owner(actor), patient_id, data, name)

    def start(self, actor: Actor, new: NewDialog, key: str) -> str:
        """R27, R29-R31: a new dialog routed by the clinic's settings (R44); sent once per key (a
        repeat answers the first dialog even when its uploads are taken by now)."""
        claim = Claim(f"dialogs:{actor.actor_id}:{actor.on_behalf_of}", key, {"new": new.__dict__}, {})   # per subject
        try:
            dialog, message, uploads = self._new(actor, new)
        except PortalError:
            earlier = self._repo.earlier(claim)
            if earlier:
                return earlier["dialog_id"]
            raise
        return self._writer.start(replace(claim, result={"dialog_id": dialog.dialog_id}), dialog, message, uploads)

    def _new(self, actor: Actor, new: NewDialog) -> tuple[Dialog, Message, list]:
        patient_id = self._writer_for(actor, new.kind if new.kind in model.PATIENT_KINDS else None)
        if new.kind not in model.PATIENT_KINDS:
            raise Invalid("invalid_kind", field="kind")
        clinic = self._clinic(new.clinic_id)
        settings = self._repo.settings(new.clinic_id)
        if new.kind not in settings.patient_kinds:
            raise Forbidden("kind_not_offered", field="kind")
        for name in model.needs(new.kind):
            if not getattr(new, name):
                raise Invalid("required", field=name)
        gp = self._gp(patient_id, new.clinic_id)
        from_name, extra = clinic.name, {}
        if new.kind == EKONSULTASJON:
            if new.recipient_id not in model.econsult_recipients(settings, gp):
                raise Invalid("invalid_recipient", field="recipient_id")
            if self._price(patient_id, new.clinic_id) is None:
                raise Invalid("no_tariff", field="kind")
            staff = self._directory.staff(new.clinic_id, new.recipient_id)
            from_name = f"{staff.name}, {clinic.name}" if staff else clinic.name
        if new.kind == FAKTURA:
            invoice = self._prices.invoice(patient_id, new.invoice_id or "")
            if invoice is None or invoice.clinic_id != new.clinic_id:
                raise Invalid("unknown_invoice", field="invoice_id")
            extra["invoice"] = {"id": invoice.invoice_id, "number": invoice.number}
        if new.kind == RESEPT:
            extra["prescription"] = {"medicine": new.medicine, "dose": new.dose, "amount": new.amount}
        uploads = self._files.take(_owner(actor), new.attachments, 0)
        person = self._people.person(patient_id)
        now = self._clock.now()
        message = Message(new_id(), now, PATIENT, actor.actor_id, _author(actor, person), new.text,
                          tuple(u.attachment for u in uploads))
        dialog = Dialog(new_id(), new.clinic_id, clinic.name, new.kind, PORTAL, PATIENT, model.OPEN, "", now, now,
                        patient_id=patient_id, patient_name=person.name if person else (actor.subject_name or ""),
                        from_name=from_name, boxes=model.route(settings, new.kind, gp, new.recipient_id),
                        attachment_bytes=sum(u.attachment.size for u in uploads), **extra)
        return dialog, message, uploads

    def reply(self, actor: Actor, dialog_id: str, text: str, attachment_ids: object, key: str) -> str:
        """R26: a reply while the dialog is open (Svar); refused once closed (Svar og avslutt)."""
        stored = self._own(actor, dialog_id)
        if not text:
            raise Invalid("required", field="text")

        def change(s: Stored) -> Change:
            model.may_write(s.dialog, PATIENT)
            uploads = self._files.take(_owner(actor), attachment_ids, s.dialog.attachment_bytes)
            name = actor.actor_name if actor.kind == REPRESENTATIVE else s.dialog.patient_name
            message = Message(new_id(), self._clock.now(), PATIENT, actor.actor_id, name or "", text,
                              tuple(u.attachment for u in uploads))
            return Change(model.after(s.dialog, message), message, uploads)

        claim = Claim(f"dialogs:{actor.actor_id}", key, {"reply": dialog_id, "text": text,
                                                         "attachments": attachment_ids}, {"dialog_id": dialog_id})
        return self._writer.add(claim, stored, change)

    # --- helpers ---
    def _reader(self, actor: Actor) -> str:
        actor.require_high()
        if actor.kind == REPRESENTATIVE:
            return actor.require_patient(scope=MESSAGES if MESSAGES in actor.scopes else PRESCRIPTIONS)
        return actor.require_patient()

    def _writer_for(self, actor: Actor, kind: str | None) -> str:
        actor.require_high()
        if kind is not None:
            return actor.require_patient(scope=model.scope_of(kind)) if actor.kind == REPRESENTATIVE \
                else actor.require_patient()
        return self._reader(actor)

    @staticmethod
    def _may_start(actor: Actor, kind: str) -> bool:
        return actor.kind != REPRESENTATIVE or model.scope_of(kind) in actor.scopes

    def _own(self, actor: Actor, dialog_id: str) -> Stored:
        patient_id = self._reader(actor)
        stored = self._repo.load(dialog_id)
        d = stored.dialog if stored else None
        if d is None or d.patient_id != patient_id or d.channel != PORTAL or not actor.may_see(
                model.scope_of(d.kind), shareable=d.shareable):
            raise NotFound()
        return stored

    def _clinic(self, clinic_id: str) -> Clinic:
        clinic = self._directory.clinic(clinic_id)
        if clinic is None:
            raise NotFound(field="clinic_id")
        return clinic

    def _gp(self, patient_id: str, clinic_id: str) -> str | None:
        return next((m.gp_practitioner_id for m in self._directory.memberships(patient_id)
                     if m.clinic_id == clinic_id), None)

    def _price(self, patient_id: str, clinic_id: str) -> Price | None:
        """R27: the clinic's tariff for today (never a constant), free under 16."""
        day = oslo_date(self._clock.now())
        tariff = self._prices.tariff(clinic_id, model.TARIFF_CODE, day)
        person = self._people.person(patient_id)
        if tariff is None or person is None:
            return None
        fee, why = patient_fee(tariff, person.birth_date, day)
        return Price(tariff.code, fee, why)

    def _logged(self, actor: Actor, patient_id: str | None, what: str) -> None:
        if patient_id and not actor.is_self:
            self._log.record(actor, patient_id, what, "why_representative")   # R55


def _owner(actor: Actor) -> str:
    return f"patient:{actor.actor_id}:{actor.on_behalf_of}"


def _author(actor: Actor, person) -> str:
    if actor.kind == REPRESENTATIVE:
        return actor.actor_name or (person.name if person else "")
    return person.name if person else ""
