"""What a clinic does with dialogs through its API (R26, R42, R44, R45, R55): inboxes, answers,
new dialogs, conversions, settings and the journal. Every call names the acting staff member;
a dialog of another clinic, or one no inbox of theirs reaches, is not found."""
from __future__ import annotations

from dataclasses import replace

from functions.core.actor import Actor
from functions.core.billing import Charge, oslo_date, patient_fee
from functions.core.clock import Clock
from functions.core.cursor import Cursors
from functions.core.directory import Staff
from functions.core.errors import Conflict, Forbidden, Invalid, NotFound
from functions.core.outbox import Notice
from functions.dialogs import model
from functions.dialogs.attachments import Attachments
from functions.dialogs.model import CLINIC, EDIALOG, HELSENORGE, PORTAL, Dialog, DialogSettings, Message
from functions.dialogs.ports import AccessRecorder, ClinicDirectory, Dialogs, People, Prices
from functions.dialogs.repository import Claim, Stale, Stored
from functions.dialogs.writer import Change, DialogWriter, new_id

NOTICE = "dialog_message"   # core/notice_texts.py: only that a message is waiting, and the link (R28)


class ClinicDialogs:
    def __init__(self, repo: Dialogs, writer: DialogWriter, attachments: Attachments, directory: ClinicDirectory,
                 people: People, prices: Prices, access_log: AccessRecorder, cursors: Cursors, clock: Clock) -> None:
        self._repo, self._writer, self._files, self._directory = repo, writer, attachments, directory
        self._people, self._prices, self._log, self._cursors, self._clock = people, prices, access_log, cursors, clock

    # --- inboxes ---
    def inbox(self, actor: Actor, box: str, kind: str | None, status: str | None,
              cursor: str | None) -> tuple[list[Dialog], str | None]:
        clinic_id, staff, settings = self._staff(actor)
        if box not in model.boxes_of(staff.staff_id, staff.role, settings):
            raise Forbidden("inbox_not_yours", field="inbox")
        if kind is not None and kind not in model.KINDS:
            raise Invalid("invalid_kind", field="kind")
        if status is not None and status not in (model.OPEN, model.CLOSED):
            raise Invalid("invalid", field="status")
        owner = f"box:{clinic_id}:{box}:{kind}:{status}"
        page, last = self._repo.box_page(clinic_id, box, self._cursors.decode(owner, cursor), kind, status)
        return page, self._cursors.encode(owner, last)

    def read(self, actor: Actor, dialog_id: str) -> Stored:
        """A dialog with its messages, written to the patient's access log by person (R55)."""
        stored = self._reachable(actor, dialog_id)
        self._logged(actor, stored.dialog, "what_dialog", "why_answer_dialog")
        return stored

    def attachment_url(self, actor: Actor, dialog_id: str, attachment_id: str) -> str:
        stored = self.read(actor, dialog_id)
        return self._files.link(stored.messages, attachment_id)

    def upload(self, actor: Actor, data: bytes, name: str | None):
        clinic_id = actor.require_staff()
        return self._files.upload(_owner(actor), clinic_id, data, name)

    # --- answering (R26, R45) ---
    def reply(self, actor: Actor, dialog_id: str, text: str, close: bool, answer_code: str | None,
              attachment_ids: object, key: str) -> str:
        stored = self.read(actor, dialog_id)
        staff = self._directory.staff(stored.dialog.clinic_id, actor.actor_id)
        author = staff.name if staff else actor.actor_id

        def change(s: Stored) -> Change:
            d = s.dialog
            model.may_write(d, CLINIC)
            model.check_answer(d, answer_code)
            uploads = self._files.take(_owner(actor), attachment_ids, d.attachment_bytes)
            message = Message(new_id(), self._clock.now(), CLINIC, actor.actor_id, author, text,
                              tuple(u.attachment for u in uploads), answer_code, close)
            after = replace(model.after(d, message), from_name=f"{author}, {d.clinic_name}")
            return Change(after, message, uploads, self._notice(after), self._charge(after, message))

        claim = Claim(f"dialogs:{actor.clinic_id}:{actor.actor_id}", key,
                      {"reply": dialog_id, "text": text, "close": close, "answer_code": answer_code,
                       "attachments": attachment_ids}, {"dialog_id": dialog_id})
        return self._writer.add(claim, stored, change)

    def start(self, actor: Actor, kind: str, patient_id: str | None, colleagues: list[str], title: str, text: str,
              attachment_ids: object, key: str) -> str:
        """R42: E-dialog (our portal, or between colleagues), e-Kontakt and eKonsultasjon (HelseNorge:
        recorded here, sent by the HelseNorge integration)."""
        clinic_id, staff, _ = self._staff(actor)
        if kind not in model.CLINIC_KINDS:
            raise Invalid("invalid_kind", field="kind")
        boxes = [f"staff:{staff.staff_id}"]
        person = None
        if patient_id:
            if colleagues or not self._directory.is_member(patient_id, clinic_id):
                raise NotFound("unknown_patient", field="patient_id")
            person = self._people.person(patient_id)
        else:
            if kind != EDIALOG or not colleagues:
                raise Invalid("required", field="patient_id")
            known = {s.staff_id for s in self._directory.staff_of(clinic_id) if s.active}
            if any(c not in known for c in colleagues):
                raise Invalid("unknown_colleague", field="colleagues")
            boxes += [f"staff:{c}" for c in colleagues]
        clinic = self._directory.clinic(clinic_id)
        uploads = self._files.take(_owner(actor), attachment_ids, 0)
        now = self._clock.now()
        channel = PORTAL if kind == EDIALOG else HELSENORGE
        message = Message(new_id(), now, CLINIC, actor.actor_id, staff.name, text, tuple(u.attachment for u in uploads))
        dialog = Dialog(new_id(), clinic_id, clinic.name if clinic else "", kind, channel, CLINIC, model.OPEN, title,
                        now, now, patient_id=patient_id or None, patient_name=person.name if person else "",
                        from_name=f"{staff.name}, {clinic.name if clinic else ''}", boxes=tuple(dict.fromkeys(boxes)),
                        unread=bool(patient_id) and channel == PORTAL,
                        attachment_bytes=sum(u.attachment.size for u in uploads),
                        delivery="pending" if channel == HELSENORGE else None)
        claim = Claim(f"dialogs:{clinic_id}:{actor.actor_id}", key,
                      {"start": kind, "patient": patient_id, "colleagues": colleagues, "title": title, "text": text,
                       "attachments": attachment_ids}, {"dialog_id": dialog.dialog_id})
        if patient_id:
            self._log.record(actor, patient_id, "what_dialog", "why_patient_contact")
        return self._writer.start(claim, dialog, message, uploads, self._notice(dialog))

    def convert(self, actor: Actor, dialog_id: str, to: str) -> Stored:
        return self._change_head(actor, dialog_id, lambda d: model.convert(d, to))

    def set_shareable(self, actor: Actor, dialog_id: str, shareable: bool) -> Stored:
        """R36: a dialog a parent of a 12-15 year old may see."""
        return self._change_head(actor, dialog_id, lambda d: replace(d, shareable=shareable))

    # --- configuration (R25, R27, R44) ---
    def settings(self, actor: Actor) -> DialogSettings:
        return self._staff(actor)[2]

    def put_settings(self, actor: Actor, settings: DialogSettings) -> DialogSettings:
        clinic_id, _, _ = self._staff(actor)
        known = {s.staff_id: s for s in self._directory.staff_of(clinic_id)}
        named = set(settings.offered_by) | set(settings.substitutes) | {
            s for subs in settings.substitutes.values() for s in subs} | {
            m for g in settings.groups.values() for m in g.members}
        if any(s not in known for s in named):
            raise Invalid("unknown_colleague", field="settings")
        for route in settings.routing.values():
            for box in route.recipients:
                if box.startswith("staff:") and box[6:] not in known or (
                        box.startswith("group:") and box[6:] not in settings.groups):
                    raise Invalid("invalid_inbox", field="routing")
        self._repo.put_settings(clinic_id, settings)
        return settings

    # --- the journal (R45, R53) ---
    def journal(self, actor: Actor, cursor: str | None) -> tuple[list[Stored], str | None]:
        """Closed e-consultations (the only kind journaled automatically), oldest first."""
        clinic_id = actor.require_staff()
        owner = f"journal:{clinic_id}"
        ids, last = self._repo.journal_page(clinic_id, self._cursors.decode(owner, cursor))
        found = [s for s in (self._repo.load(i) for i in ids) if s is not None and s.dialog.clinic_id == clinic_id]
        for stored in found:
            self._logged(actor, stored.dialog, "what_journal", "why_journal")
        return found, self._cursors.encode(owner, last)

    # --- helpers ---
    def _staff(self, actor: Actor) -> tuple[str, Staff, DialogSettings]:
        clinic_id = actor.require_staff()
        staff = self._directory.staff(clinic_id, actor.actor_id)
        if staff is None or not staff.active:
            raise Forbidden("unknown_staff")
        return clinic_id, staff, self._repo.settings(clinic_id)

    def _reachable(self, actor: Actor, dialog_id: str) -> Stored:
        clinic_id, staff, settings = self._staff(actor)
        stored = self._repo.load(dialog_id)
        if stored is None or stored.dialog.clinic_id != clinic_id or not (
                set(stored.dialog.boxes) & model.boxes_of(staff.staff_id, staff.role, settings)):
            raise NotFound()
        return stored

    def _change_head(self, actor: Actor, dialog_id: str, how) -> Stored:
        for _ in range(3):
            stored = self.read(actor, dialog_id)
            changed = how(stored.dialog)
            try:
                self._repo.replace_head(stored, changed)
            except Stale:
                continue
            return replace(stored, dialog=changed, version=stored.version + 1)
        raise Conflict("busy")

    @staticmethod
    def _notice(dialog: Dialog) -> Notice | None:
        """R28: a message is waiting, with a link; never what it is about. HelseNorge notifies its own."""
        if dialog.patient_id is None or dialog.channel != PORTAL or not dialog.unread:
            return None
        return Notice(dialog.patient_id, NOTICE, f"/nb/dialog.html?id={dialog.dialog_id}",
                      {"clinic": dialog.clinic_name}, ref=f"dialog#{dialog.clinic_id}#{dialog.dialog_id}")

    def _charge(self, dialog: Dialog, message: Message) -> Charge | None:
        """R27: closing an e-consultation the patient asked for costs the fee of that day and age."""
        if not (message.closes and model.charged(dialog)):
            return None
        day = oslo_date(message.sent_at)
        tariff = self._prices.tariff(dialog.clinic_id, model.TARIFF_CODE, day)
        person = self._people.person(dialog.patient_id)
        if tariff is None or person is None:
            raise Invalid("no_tariff", field="close")
        fee, _ = patient_fee(tariff, person.birth_date, day)
        return Charge(f"dialog:{dialog.dialog_id}", dialog.clinic_id, dialog.patient_id, tariff.code, tariff.text,
                      fee, day)

    def _logged(self, actor: Actor, dialog: Dialog, what: str, why: str) -> None:
        if dialog.patient_id:
            self._log.record(actor, dialog.patient_id, what, why)


def _owner(actor: Actor) -> str:
    return f"staff:{actor.clinic_id}:{actor.actor_id}"
