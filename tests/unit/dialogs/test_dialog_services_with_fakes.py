"""Kommunikasjon's services (PatientDialogs, ClinicDialogs, DialogWriter, with the real Attachments) on
the hand-written fakes of their ports (tests/support/dialogs_fakes.py, kept honest by
tests/contract/dialogs), at a frozen clock: Monday 23 November 2026, 09:00 in Oslo.

Storgata offers all four patient kinds; Lise and Per offer e-consultation and stand in for each other;
e-consultations go to the GP (or the chosen substitute), prescription requests to the GP and the whole
clinic, other inquiries and invoice questions to the reception group. Fjordheim offers no invoice
questions and has loaded no tariff. Ola is the parent of Emma (8: sees all) and Jonas (14: prescription
matters and what the clinic marked shareable). Siri turns 16 on 1 July 2026."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

import pytest

from functions.core.actor import HIGH, PATIENT, REPRESENTATIVE, STAFF, SUBSTANTIAL, Actor
from functions.core.billing import Charge, Invoice, Tariff
from functions.core.clock import OSLO, SettableClock
from functions.core.cursor import Cursors
from functions.core.directory import Clinic, Staff
from functions.core.errors import (
    ConsentRequired,
    Forbidden,
    Invalid,
    NotFound,
    PortalError,
    StepUpRequired,
    TooLarge,
)
from functions.core.people import Person
from functions.core.representation import ALL_SCOPES, TEEN_SCOPES
from functions.dialogs.attachments import Attachments
from functions.dialogs.clinic_service import ClinicDialogs
from functions.dialogs.model import CLOSED, DEFAULT_ROUTING, OPEN, DialogSettings, Group, Route
from functions.dialogs.patient_service import NewDialog, PatientDialogs, Price
from functions.dialogs.repository import Claim
from functions.dialogs.writer import Change, DialogWriter
from tests.support.aws_stack import FIXED_NOW
from tests.support.dialogs_fakes import DialogFakes

STORGATA = Clinic("c-storgata", "Storgata legesenter", "Oslo", "+4722000000", "https://storgata.example", "timebok",
                  {"video": True})
FJORDHEIM = Clinic("c-fjordheim", "Fjordheim legekontor", "Bergen", "+4755000000", None, "request", {})
STORGATA_SETTINGS = DialogSettings(
    patient_kinds=frozenset({"ekonsultasjon", "faktura", "resept", "annen"}),
    offered_by=frozenset({"s-lise", "s-per"}), substitutes={"s-lise": ("s-per",), "s-per": ("s-lise",)},
    routing={"ekonsultasjon": Route("gp"), "resept": Route("both", ("clinic",)),
             "annen": Route("fixed", ("group:resepsjon",)), "faktura": Route("fixed", ("group:resepsjon",))},
    groups={"resepsjon": Group("Resepsjonen", ("s-randi",))})
FJORDHEIM_SETTINGS = DialogSettings(patient_kinds=frozenset({"ekonsultasjon", "resept", "annen"}),
                                    offered_by=frozenset({"s-anne"}))
FEE, OLD_FEE = 18_700, 17_900


def patient(patient_id: str, **kw) -> Actor:
    return Actor(kind=PATIENT, actor_id=patient_id, on_behalf_of=patient_id, level=kw.pop("level", HIGH), **kw)


def staff(staff_id: str, clinic_id: str = "c-storgata") -> Actor:
    return Actor(kind=STAFF, actor_id=staff_id, on_behalf_of=None, clinic_id=clinic_id)


KARI, NORA, OLA, JONAS, SIRI = (patient(p) for p in ("p-kari", "p-nora", "p-ola", "p-jonas", "p-siri"))
LISE, PER, RANDI, ANNE = staff("s-lise"), staff("s-per"), staff("s-randi"), staff("s-anne", "c-fjordheim")
OLA_FOR_EMMA = Actor(kind=REPRESENTATIVE, actor_id="p-ola", on_behalf_of="p-emma", level=HIGH,
                     actor_name="Ola Hansen", scopes=ALL_SCOPES, subject_name="Emma Hansen")
OLA_FOR_JONAS = Actor(kind=REPRESENTATIVE, actor_id="p-ola", on_behalf_of="p-jonas", level=HIGH,
                      actor_name="Ola Hansen", scopes=TEEN_SCOPES, subject_name="Jonas Hansen")


def oslo(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=OSLO).astimezone(UTC)


def pdf(size: int) -> bytes:
    return b"%PDF-1.4\n" + b"0" * (size - 9)


@dataclass
class Portal:
    fakes: DialogFakes
    clock: SettableClock
    patient: PatientDialogs
    clinic: ClinicDialogs
    writer: DialogWriter

    def annen(self, actor: Actor = KARI, key: str = "key-annen-1", text: str = "Har dere åpent i romjulen?",
              **kw) -> str:
        """Each start a minute after what came before (a frozen clock would tie them: ids break the tie)."""
        self.clock.advance(minutes=1)
        return self.patient.start(actor, NewDialog("c-storgata", "annen", text, **kw), key)

    def econsult(self, actor: Actor = KARI, key: str = "key-econsult-1", recipient: str = "s-lise") -> str:
        self.clock.advance(minutes=1)
        return self.patient.start(actor, NewDialog("c-storgata", "ekonsultasjon", "Utslett på armen",
                                                   recipient_id=recipient), key)

    def resept(self, actor: Actor = KARI, key: str = "key-resept-1", **kw) -> str:
        self.clock.advance(minutes=1)
        return self.patient.start(actor, NewDialog("c-storgata", "resept", kw.pop("text", ""), medicine="Ventoline",
                                                   dose="0,1 mg/dose", amount="1 inhalator", **kw), key)

    def answer(self, dialog_id: str, key: str, close: bool = False, by: Actor = LISE, code: str | None = None,
               text: str = "Hei! Se svaret her.") -> str:
        """The clinic's Svar (or Svar og avslutt), a minute after what came before."""
        self.clock.advance(minutes=1)
        return self.clinic.reply(by, dialog_id, text, close, code, None, key)

    def reply(self, dialog_id: str, key: str, text: str = "Takk!", attachments: list | None = None,
              actor: Actor = KARI) -> str:
        """The patient's reply, a minute after what came before."""
        self.clock.advance(minutes=1)
        return self.patient.reply(actor, dialog_id, text, attachments, key)

    def load(self, dialog_id: str):
        return self.fakes.repo.load(dialog_id)

    def texts(self, dialog_id: str) -> list[tuple[str, str]]:
        return [(m.author, m.text) for m in self.load(dialog_id).messages]

    def upload(self, actor: Actor = KARI, size: int = 2000, name: str = "resept.pdf") -> str:
        return self.patient.upload(actor, pdf(size), name).upload_id


@pytest.fixture
def portal() -> Portal:
    clock = SettableClock(FIXED_NOW, frozen=True)
    fakes = DialogFakes(clock)
    for clinic in (STORGATA, FJORDHEIM):
        fakes.directory.put_clinic(clinic)
    for s in (Staff("c-storgata", "s-lise", "Lise Lege", "lege", True),
              Staff("c-storgata", "s-per", "Per Persen", "lege", True),
              Staff("c-storgata", "s-randi", "Randi Resepsjon", "sekretaer", True),
              Staff("c-fjordheim", "s-anne", "Anne Andersen", "lege", True)):
        fakes.directory.put_staff(s)
    for patient_id, clinic_id, gp in (("p-kari", "c-storgata", "s-lise"), ("p-nora", "c-storgata", None),
                                      ("p-emma", "c-storgata", "s-lise"), ("p-jonas", "c-storgata", "s-per"),
                                      ("p-siri", "c-storgata", "s-lise"), ("p-ola", "c-fjordheim", "s-anne"),
                                      ("p-kari", "c-fjordheim", None)):
        fakes.directory.add_member(patient_id, clinic_id, gp, FIXED_NOW)
    for person in (Person("p-kari", "Kari Nordmann", date(1990, 5, 17)),
                   Person("p-nora", "Nora Berg", date(1985, 2, 1)),
                   Person("p-emma", "Emma Hansen", date(2018, 3, 1)), Person("p-jonas", "Jonas Hansen",
                                                                             date(2012, 6, 10)),
                   Person("p-siri", "Siri Dahl", date(2010, 7, 1)), Person("p-ola", "Ola Hansen", date(1980, 9, 9))):
        fakes.people.put(person)
    fakes.prices.put_tariffs("c-storgata", date(2025, 7, 1), {"2ae": Tariff("2ae", "E-konsultasjon", OLD_FEE)})
    fakes.prices.put_tariffs("c-storgata", date(2026, 7, 1), {"2ae": Tariff("2ae", "E-konsultasjon", FEE)})
    for who, invoice in (("p-kari", Invoice("inv-1", "c-storgata", "2026-0140", date(2026, 10, 6), 35_000, "paid")),
                         ("p-kari", Invoice("inv-2", "c-storgata", "2026-0141", date(2026, 11, 11), 25_500, "open")),
                         ("p-kari", Invoice("inv-fj", "c-fjordheim", "2026-0001", date(2026, 11, 1), 9_900, "open")),
                         ("p-nora", Invoice("inv-nora", "c-storgata", "2026-0142", date(2026, 11, 2), 18_700, "open"))):
        fakes.prices.put_invoice(who, invoice)
    fakes.repo.put_settings("c-storgata", STORGATA_SETTINGS)
    fakes.repo.put_settings("c-fjordheim", FJORDHEIM_SETTINGS)
    writer = DialogWriter(fakes.repo)
    attachments = Attachments(fakes.repo, fakes.files, clock)
    common = (fakes.repo, writer, attachments, fakes.directory, fakes.people, fakes.prices, fakes.access_log,
              Cursors(b"test-cursor-key"), clock)
    return Portal(fakes, clock, PatientDialogs(*common), ClinicDialogs(*common), writer)


def refusal(call) -> PortalError:
    with pytest.raises(PortalError) as refused:
        call()
    return refused.value


def shown(found) -> list[str]:
    return [d.dialog_id for d in found[0]]


# --- starting each kind (R25, R27, R29-R31, R44) ---------------------------------------------------------

def test_R31_annen_starts_with_its_text_and_goes_to_the_reception_group(portal):
    dialog_id = portal.annen()
    stored = portal.patient.open(KARI, dialog_id)
    d = stored.dialog
    assert (d.kind, d.status, d.channel, d.origin, d.patient_id, d.patient_name, d.from_name, d.boxes) == (
        "annen", OPEN, "portal", "patient", "p-kari", "Kari Nordmann", "Storgata legesenter", ("group:resepsjon",))
    assert [(m.author, m.author_name, m.text, m.sent_at) for m in stored.messages] == [
        ("patient", "Kari Nordmann", "Har dere åpent i romjulen?", oslo(2026, 11, 23, 9, 1))]
    assert shown(portal.patient.inbox(KARI, None)) == [dialog_id]
    assert shown(portal.clinic.inbox(RANDI, "group:resepsjon", None, None, None)) == [dialog_id]
    assert portal.fakes.repo.notices == {}                     # the patient's own message notifies nobody


def test_R31_annen_needs_its_text(portal):
    refused = refusal(lambda: portal.annen(text=""))
    assert (type(refused), refused.code, refused.field) == (Invalid, "required", "text")


def test_R27_an_econsultation_goes_to_the_chosen_gp_or_the_gps_substitute(portal):
    options = portal.patient.options(KARI, "c-storgata")
    assert options.kinds == ["ekonsultasjon", "faktura", "resept", "annen"]
    assert options.recipients == [("s-lise", "Lise Lege"), ("s-per", "Per Persen")]
    assert options.price == Price("2ae", FEE, None)
    to_per = portal.econsult(recipient="s-per")
    d = portal.load(to_per).dialog
    assert (d.kind, d.boxes, d.from_name) == ("ekonsultasjon", ("staff:s-per",), "Per Persen, Storgata legesenter")
    assert shown(portal.clinic.inbox(PER, "staff:s-per", None, None, None)) == [to_per]
    assert portal.clinic.inbox(LISE, "staff:s-lise", None, None, None)[0] == []


def test_R27_an_econsultation_needs_a_recipient_and_a_text(portal):
    no_one = refusal(lambda: portal.patient.start(KARI, NewDialog("c-storgata", "ekonsultasjon", "Vondt"), "key-1234"))
    assert (no_one.code, no_one.field) == ("required", "recipient_id")
    silent = refusal(lambda: portal.patient.start(
        KARI, NewDialog("c-storgata", "ekonsultasjon", "", recipient_id="s-lise"), "key-1235"))
    assert (silent.code, silent.field) == ("required", "text")


def test_R27_a_recipient_who_is_not_the_gp_or_a_substitute_offering_it_is_refused_as_invalid_recipient(portal):
    for recipient in ("s-randi", "s-anne", "s-none"):
        refused = refusal(lambda r=recipient: portal.econsult(recipient=r, key=f"key-{r}"))
        assert (type(refused), refused.code, refused.field) == (Invalid, "invalid_recipient", "recipient_id")
    assert portal.patient.options(NORA, "c-storgata").recipients == []         # no GP at Storgata
    refused = refusal(lambda: portal.econsult(NORA, recipient="s-lise"))
    assert refused.code == "invalid_recipient"
    assert portal.patient.inbox(KARI, None)[0] == [] and portal.fakes.repo.writes == 0


def test_R27_an_econsultation_without_a_tariff_for_today_is_refused_as_no_tariff(portal):
    assert portal.patient.options(OLA, "c-fjordheim").price is None
    refused = refusal(lambda: portal.patient.start(
        OLA, NewDialog("c-fjordheim", "ekonsultasjon", "Hoste", recipient_id="s-anne"), "key-ola-1"))
    assert (type(refused), refused.code, refused.field) == (Invalid, "no_tariff", "kind")
    assert portal.fakes.repo.writes == 0


def test_R27_the_price_is_0_under_16_and_the_tariffs_fee_from_the_16th_birthday(portal):
    assert portal.patient.options(OLA_FOR_EMMA, "c-storgata").price == Price("2ae", 0, "under_16")
    portal.clock.set(oslo(2026, 6, 30, 23, 59))                                 # the 2025 period, Siri is 15
    assert portal.patient.options(SIRI, "c-storgata").price == Price("2ae", 0, "under_16")
    assert portal.patient.options(KARI, "c-storgata").price == Price("2ae", OLD_FEE, None)
    portal.clock.set(oslo(2026, 7, 1, 0, 1))                                    # the 2026 period, Siri is 16
    assert portal.patient.options(SIRI, "c-storgata").price == Price("2ae", FEE, None)


def test_R29_an_invoice_question_names_one_of_the_patients_invoices_at_that_clinic(portal):
    assert [i.invoice_id for i in portal.patient.invoices(KARI, "c-storgata")] == ["inv-2", "inv-1"]
    asked = portal.patient.start(KARI, NewDialog("c-storgata", "faktura", "Hvorfor to linjer?", invoice_id="inv-2"),
                                 "key-faktura-1")
    d = portal.load(asked).dialog
    assert (d.kind, d.invoice, d.boxes) == ("faktura", {"id": "inv-2", "number": "2026-0141"}, ("group:resepsjon",))
    for invoice_id in ("inv-nora", "inv-fj", "inv-none"):                       # Nora's, another clinic's, none
        refused = refusal(lambda i=invoice_id: portal.patient.start(
            KARI, NewDialog("c-storgata", "faktura", "Hvorfor?", invoice_id=i), f"key-{i}"))
        assert (type(refused), refused.code, refused.field) == (Invalid, "unknown_invoice", "invoice_id")
    missing = refusal(lambda: portal.patient.start(KARI, NewDialog("c-storgata", "faktura", "Hvorfor?"), "key-none-1"))
    assert (missing.code, missing.field) == ("required", "invoice_id")


def test_R30_a_prescription_request_needs_medicine_dose_and_amount_and_may_have_no_text(portal):
    asked = portal.resept()
    stored = portal.load(asked)
    assert stored.dialog.prescription == {"medicine": "Ventoline", "dose": "0,1 mg/dose", "amount": "1 inhalator"}
    assert stored.dialog.boxes == ("clinic", "staff:s-lise")                     # both: the GP and the clinic
    assert stored.messages[0].text == ""
    for name in ("medicine", "dose", "amount"):
        fields = {"medicine": "Ventoline", "dose": "0,1 mg/dose", "amount": "1 inhalator", name: ""}
        refused = refusal(lambda f=fields, n=name: portal.patient.start(
            KARI, NewDialog("c-storgata", "resept", "", **f), f"key-resept-{n}"))
        assert (refused.code, refused.field) == ("required", name)


def test_R44_a_recipient_named_with_another_kind_never_picks_its_inbox(portal):
    asked = portal.resept(recipient_id="s-randi")
    assert portal.load(asked).dialog.boxes == ("clinic", "staff:s-lise")


def test_R44_a_patient_without_a_gp_there_reaches_the_whole_clinic(portal):
    asked = portal.resept(NORA)
    assert portal.load(asked).dialog.boxes == ("clinic",)


def test_R25_a_kind_the_clinic_has_not_enabled_is_refused_as_kind_not_offered(portal):
    assert portal.patient.options(OLA, "c-fjordheim").kinds == ["ekonsultasjon", "resept", "annen"]
    refused = refusal(lambda: portal.patient.start(
        OLA, NewDialog("c-fjordheim", "faktura", "Hei", invoice_id="inv-1"), "key-ola-2"))
    assert (type(refused), refused.status, refused.code, refused.field) == (Forbidden, 403, "kind_not_offered", "kind")
    portal.fakes.repo.put_settings("c-storgata", DialogSettings())              # everything off again
    assert portal.patient.options(KARI, "c-storgata").kinds == []
    assert refusal(lambda: portal.annen()).code == "kind_not_offered"
    assert refusal(lambda: portal.patient.start(KARI, NewDialog("c-storgata", "edialog", "Hei"), "key-1236")).code \
        == "invalid_kind"
    assert refusal(lambda: portal.patient.start(KARI, NewDialog("c-none", "annen", "Hei"), "key-1237")).status == 404


# --- attachments (R30, R42) ---------------------------------------------------------------------------------

def test_R30_an_attachment_is_taken_by_one_send_and_handed_out_only_through_its_dialog(portal):
    upload_id = portal.upload(name="Resept%20gammel.pdf")
    asked = portal.resept(attachments=[upload_id])
    stored = portal.load(asked)
    a, = stored.messages[0].attachments
    assert (a.attachment_id, a.name, a.kind, a.size) == (upload_id, "Resept gammel.pdf", "application/pdf", 2000)
    assert a.key.startswith("attachments/p-kari/") and portal.fakes.files.objects[a.key][1] == "application/pdf"
    assert stored.dialog.attachment_bytes == 2000
    url = portal.patient.attachment_url(KARI, asked, upload_id)
    assert url.startswith(f"https://files.example/{a.key}?") and "Resept_gammel.pdf" in url
    assert refusal(lambda: portal.patient.attachment_url(KARI, asked, "u-none")).status == 404
    assert refusal(lambda: portal.patient.attachment_url(NORA, asked, upload_id)).status == 404
    again = refusal(lambda: portal.annen(key="key-annen-2", attachments=[upload_id]))       # taken already
    assert (again.code, again.field) == ("unknown_attachment", "attachments")


def test_R30_another_patients_upload_is_refused_as_unknown_attachment(portal):
    noras = portal.upload(NORA)
    refused = refusal(lambda: portal.annen(attachments=[noras]))
    assert (type(refused), refused.code, refused.field) == (Invalid, "unknown_attachment", "attachments")
    assert portal.fakes.repo.uploads([noras])[noras].used_by is None


def test_R42_a_dialog_takes_at_most_12_megabytes_of_attachments_in_all(portal):
    big = 4_500_000
    first = [portal.upload(size=big), portal.upload(size=big)]
    asked = portal.annen(attachments=first)
    assert portal.load(asked).dialog.attachment_bytes == 9_000_000
    third = portal.upload(size=big)
    refused = refusal(lambda: portal.reply(asked, "key-reply-big", "En til", [third]))
    assert (type(refused), refused.code, refused.field) == (TooLarge, "attachments_too_large", "attachments")
    assert len(portal.load(asked).messages) == 1
    small = portal.upload(size=3_000_000)
    portal.reply(asked, "key-reply-small", "En mindre", [small])
    assert portal.load(asked).dialog.attachment_bytes == 12_000_000


def test_R42_more_than_ten_files_in_one_send_is_refused_as_too_many_files(portal):
    refused = refusal(lambda: portal.annen(attachments=[f"u{n}" for n in range(11)]))
    assert (type(refused), refused.code, refused.field) == (Invalid, "too_many_files", "attachments")


# --- sent once per Idempotency-Key (R26) -------------------------------------------------------------------

def test_R26_a_repeat_of_the_same_key_returns_the_same_dialog_and_writes_nothing_twice(portal):
    upload_id = portal.upload()
    first = portal.annen(attachments=[upload_id])
    portal.clock.advance(seconds=5)
    again = portal.annen(attachments=[upload_id])                 # its upload is taken by now: by the first
    assert again == first and portal.fakes.repo.writes == 1
    assert shown(portal.patient.inbox(KARI, None)) == [first]
    assert shown(portal.clinic.inbox(RANDI, "group:resepsjon", None, None, None)) == [first]
    assert len(portal.load(first).messages) == 1


def test_R26_a_different_payload_under_the_same_key_is_refused_409(portal):
    portal.annen()
    refused = refusal(lambda: portal.annen(text="Noe annet"))
    assert (refused.status, refused.code, refused.field) == (409, "idempotency_key_reused", "Idempotency-Key")
    assert len(portal.patient.inbox(KARI, None)[0]) == 1 and portal.fakes.repo.writes == 1


def test_R26_a_key_is_the_senders_own(portal):
    karis, noras = portal.annen(), portal.annen(NORA)
    assert karis != noras and portal.fakes.repo.writes == 2
    emmas = portal.annen(OLA_FOR_EMMA)                            # the parent, for the child: another sender
    assert emmas not in (karis, noras) and portal.load(emmas).dialog.patient_id == "p-emma"


def test_R26_a_repeated_reply_is_written_once_even_with_its_attachments(portal):
    asked = portal.annen()
    upload_id = portal.upload()
    portal.reply(asked, "key-reply-1", "Glemte vedlegget", [upload_id])
    assert portal.reply(asked, "key-reply-1", "Glemte vedlegget", [upload_id]) == asked   # its upload is taken
    assert portal.texts(asked) == [("patient", "Har dere åpent i romjulen?"), ("patient", "Glemte vedlegget")]
    assert portal.fakes.repo.writes == 2
    other = refusal(lambda: portal.reply(asked, "key-reply-1", "Noe annet", []))
    assert (other.status, other.code) == (409, "idempotency_key_reused")


# --- Svar and Svar og avslutt (R26) ----------------------------------------------------------------------------

def test_R26_after_svar_the_patient_may_reply(portal):
    asked = portal.annen()
    portal.answer(asked, "key-answer-1", by=RANDI)
    d = portal.patient.open(KARI, asked).dialog
    assert (d.status, d.unread, d.from_name) == (OPEN, False, "Randi Resepsjon, Storgata legesenter")
    portal.reply(asked, "key-reply-1", "Takk, og 2. januar?")
    assert [a for a, _ in portal.texts(asked)] == ["patient", "clinic", "patient"]


def test_R26_reply_after_svar_og_avslutt_is_refused_409_dialog_closed(portal):
    asked = portal.annen()
    portal.answer(asked, "key-answer-1", close=True, by=RANDI)
    assert portal.load(asked).dialog.status == CLOSED
    refused = refusal(lambda: portal.reply(asked, "key-reply-1", "Men ..."))
    assert (refused.status, refused.code) == (409, "dialog_closed")
    clinic_too = refusal(lambda: portal.answer(asked, "key-answer-2", by=RANDI))
    assert clinic_too.code == "dialog_closed"
    assert len(portal.load(asked).messages) == 2


def test_R26_a_repeat_of_a_reply_accepted_before_the_close_still_answers_the_dialog(portal):
    asked = portal.annen()
    portal.reply(asked, "key-reply-1", "Et tillegg")
    portal.answer(asked, "key-answer-1", close=True, by=RANDI)
    assert portal.reply(asked, "key-reply-1", "Et tillegg") == asked
    assert [a for a, _ in portal.texts(asked)] == ["patient", "patient", "clinic"]


def test_R26_a_writer_that_lost_the_head_reads_again_and_adds_its_message_on_top(portal):
    asked = portal.annen()
    stale = portal.load(asked)
    portal.answer(asked, "key-answer-1", by=RANDI)                               # the other writer wins v2

    def change(s):
        from functions.dialogs import model
        from functions.dialogs.model import Message
        m = Message("m-late", portal.clock.now(), "patient", "p-kari", "Kari Nordmann", "Sent svar")
        return Change(model.after(s.dialog, m), m, [])

    portal.clock.advance(minutes=1)
    claim = Claim("dialogs:p-kari", "key-late-1", {"late": 1}, {"dialog_id": asked})
    assert portal.writer.add(claim, stale, change) == asked
    now = portal.load(asked)
    assert now.version == 3 and [m.author for m in now.messages] == ["patient", "clinic", "patient"]


def test_R26_two_writers_at_once_both_get_their_message_in(portal):
    asked = portal.annen()
    def meanwhile() -> None:                                                      # the clinic's Svar wins the head
        portal.answer(asked, "key-answer-1", by=RANDI)
        portal.clock.advance(seconds=1)

    portal.fakes.repo.before_write.append(meanwhile)
    portal.reply(asked, "key-reply-1", "Samtidig")
    now = portal.load(asked)
    assert [(m.author, m.text) for m in now.messages][1:] == [("clinic", "Hei! Se svaret her."),
                                                              ("patient", "Samtidig")]
    assert (now.version, now.dialog.status, now.dialog.unread) == (3, OPEN, False)


def test_R26_a_reply_that_loses_the_race_to_svar_og_avslutt_is_refused_as_dialog_closed(portal):
    asked = portal.annen()
    portal.fakes.repo.before_write.append(lambda: portal.answer(asked, "key-close-1", close=True, by=RANDI))
    refused = refusal(lambda: portal.reply(asked, "key-reply-1", "For sent"))
    assert (refused.status, refused.code) == (409, "dialog_closed")
    assert [a for a, _ in portal.texts(asked)] == ["patient", "clinic"]


def test_R26_a_head_that_keeps_moving_is_refused_as_busy_and_writes_nothing(portal):
    asked = portal.annen()
    for n in range(3):
        portal.fakes.repo.before_write.append(lambda n=n: portal.clinic.set_shareable(RANDI, asked, n % 2 == 0))
    refused = refusal(lambda: portal.reply(asked, "key-reply-1", "Hallo?"))
    assert (refused.status, refused.code) == (409, "busy")
    assert len(portal.load(asked).messages) == 1 and portal.load(asked).version == 4


# --- notices (R28) and charges (R27) ------------------------------------------------------------------------

def test_R28_the_clinics_reply_enqueues_exactly_one_content_free_notice(portal):
    asked = portal.econsult()
    assert portal.fakes.repo.notices == {}
    portal.answer(asked, "key-answer-1", text="Dette ser ut som eksem. Bruk kremen.")
    notice, = portal.fakes.repo.notices.values()
    assert (notice.patient_id, notice.code, notice.link) == ("p-kari", "dialog_message", f"/nb/dialog.html?id={asked}")
    assert notice.params == {"clinic": "Storgata legesenter"}                   # nothing of what it is about
    assert "eksem" not in repr(notice) and "Utslett" not in repr(notice) and notice.only is None
    portal.reply(asked, "key-reply-1")
    assert len(portal.fakes.repo.notices) == 1                                   # the patient's own: none
    portal.answer(asked, "key-answer-1", text="Dette ser ut som eksem. Bruk kremen.")   # a repeat: none
    assert len(portal.fakes.repo.notices) == 1


def test_R42_a_clinic_started_edialog_notifies_the_patient_and_a_helsenorge_dialog_does_not(portal):
    edialog = portal.clinic.start(LISE, "edialog", "p-kari", [], "Prøvesvar", "Prøvene dine er fine.", None,
                                  "key-start-1")
    notice, = portal.fakes.repo.notices.values()
    assert (notice.link, notice.params) == (f"/nb/dialog.html?id={edialog}", {"clinic": "Storgata legesenter"})
    assert portal.patient.unread(KARI) == 1
    ekontakt = portal.clinic.start(LISE, "ekontakt", "p-kari", [], "Innkalling", "Ta kontakt.", None, "key-start-2")
    d = portal.load(ekontakt).dialog
    assert (d.channel, d.delivery, d.origin) == ("helsenorge", "pending", "clinic")
    assert len(portal.fakes.repo.notices) == 1
    assert shown(portal.patient.inbox(KARI, None)) == [edialog]                 # HelseNorge delivers its own
    assert refusal(lambda: portal.patient.open(KARI, ekontakt)).status == 404


def test_R27_closing_an_econsultation_records_one_charge_with_the_fee_of_that_date_and_age(portal):
    asked = portal.econsult()
    portal.answer(asked, "key-answer-1")                                         # Svar: not yet
    assert portal.fakes.repo.charges == {}
    portal.clock.set(oslo(2026, 11, 24, 10))
    portal.answer(asked, "key-answer-2", close=True)
    assert portal.fakes.repo.charges == {f"dialog:{asked}": Charge(
        f"dialog:{asked}", "c-storgata", "p-kari", "2ae", "E-konsultasjon", FEE, date(2026, 11, 24))}
    assert portal.answer(asked, "key-answer-2", close=True) == asked             # a repeat charges nothing more
    assert len(portal.fakes.repo.charges) == 1


def test_R27_the_charge_takes_the_tariff_and_the_age_of_the_closing_day_not_of_the_start(portal):
    portal.clock.set(oslo(2026, 6, 30, 23, 30))
    asked = portal.econsult(SIRI)
    assert portal.patient.options(SIRI, "c-storgata").price == Price("2ae", 0, "under_16")
    portal.clock.set(oslo(2026, 7, 1, 0, 30))                                    # Siri's 16th birthday
    portal.answer(asked, "key-answer-1", close=True)
    assert portal.fakes.repo.charges[f"dialog:{asked}"].fee_ore == FEE
    assert portal.fakes.repo.charges[f"dialog:{asked}"].day == date(2026, 7, 1)


def test_R27_a_child_under_16_is_charged_nothing(portal):
    asked = portal.econsult(OLA_FOR_EMMA)
    portal.answer(asked, "key-answer-1", close=True)
    charge = portal.fakes.repo.charges[f"dialog:{asked}"]
    assert (charge.patient_id, charge.fee_ore, charge.tariff_code) == ("p-emma", 0, "2ae")


def test_R27_other_kinds_and_clinic_started_econsultations_are_not_charged(portal):
    asked = portal.annen()
    portal.answer(asked, "key-answer-1", close=True, by=RANDI)
    hn = portal.clinic.start(LISE, "ekonsultasjon", "p-kari", [], "Oppfølging", "Hvordan går det?", None, "key-s-1")
    portal.answer(hn, "key-answer-2", close=True)
    assert portal.fakes.repo.charges == {}
    assert portal.load(hn).dialog.status == CLOSED


def test_R27_closing_without_a_tariff_for_that_day_is_refused_and_writes_nothing(portal):
    asked = portal.econsult()
    portal.clock.set(oslo(2027, 7, 1, 9))                                        # no table for 2027 yet
    refused = refusal(lambda: portal.answer(asked, "key-answer-1", close=True))
    assert (refused.code, refused.field) == ("no_tariff", "close")
    assert portal.load(asked).dialog.status == OPEN and portal.fakes.repo.charges == {}


# --- representatives (R36, R55) and the level (R1) --------------------------------------------------------------

def test_R36_a_parent_of_a_child_under_12_sees_all_of_the_childs_dialogs(portal):
    resept, annen = portal.resept(OLA_FOR_EMMA), portal.annen(OLA_FOR_EMMA)
    portal.clock.advance(minutes=1)
    from_clinic = portal.clinic.start(LISE, "edialog", "p-emma", [], "Kontroll", "Tid for kontroll.", None, "k-s-1")
    assert shown(portal.patient.inbox(OLA_FOR_EMMA, None)) == [from_clinic, annen, resept]
    assert portal.patient.unread(OLA_FOR_EMMA) == 1
    for dialog_id in (resept, annen, from_clinic):
        assert portal.patient.open(OLA_FOR_EMMA, dialog_id).dialog.patient_id == "p-emma"
    first = portal.load(annen).messages[0]
    assert (first.author_id, first.author_name) == ("p-ola", "Ola Hansen")
    assert portal.load(annen).dialog.patient_name == "Emma Hansen"


def test_R36_a_parent_of_a_12_to_15_year_old_sees_only_resept_and_shareable_dialogs(portal):
    resept, private = portal.resept(JONAS), portal.annen(JONAS, key="key-annen-1")
    shared = portal.annen(JONAS, key="key-annen-2", text="Kan pappa også lese dette?")
    portal.clinic.set_shareable(RANDI, shared, True)
    for dialog_id in (resept, private, shared):
        portal.answer(dialog_id, f"key-answer-{dialog_id}", by=RANDI if dialog_id != resept else LISE)
    assert shown(portal.patient.inbox(OLA_FOR_JONAS, None)) == [shared, resept]
    assert portal.patient.unread(OLA_FOR_JONAS) == 2 and portal.patient.unread(JONAS) == 3
    assert refusal(lambda: portal.patient.open(OLA_FOR_JONAS, private)).status == 404
    assert portal.patient.open(OLA_FOR_JONAS, shared).dialog.shareable is True
    assert portal.patient.options(OLA_FOR_JONAS, "c-storgata").kinds == ["resept"]
    refused = refusal(lambda: portal.annen(OLA_FOR_JONAS, key="key-annen-3"))
    assert (type(refused), refused.code) == (Forbidden, "not_for_representative")
    assert portal.load(portal.resept(OLA_FOR_JONAS, key="key-resept-2")).dialog.patient_id == "p-jonas"


def test_R55_every_representative_read_is_written_to_the_childs_access_log(portal):
    asked = portal.resept(OLA_FOR_EMMA, attachments=[portal.upload(OLA_FOR_EMMA)])
    attachment = portal.load(asked).messages[0].attachments[0].attachment_id
    portal.patient.inbox(OLA_FOR_EMMA, None)
    portal.patient.open(OLA_FOR_EMMA, asked)
    portal.patient.attachment_url(OLA_FOR_EMMA, asked, attachment)
    portal.patient.invoices(OLA_FOR_EMMA, "c-storgata")
    entries = portal.fakes.access_log.entries("p-emma")
    assert [(e.actor_kind, e.actor_id, e.actor_name, e.what, e.why) for e in entries] == [
        ("representative", "p-ola", "Ola Hansen", what, "why_representative")
        for what in ("what_dialogs", "what_dialog", "what_dialog", "what_dialogs")]
    portal.patient.inbox(KARI, None)                                             # one's own reads: none
    assert portal.fakes.access_log.entries("p-kari") == []


def test_R1_level_substantial_is_refused_as_step_up_required(portal):
    asked = portal.annen()
    for actor in (patient("p-kari", level=SUBSTANTIAL), replace(OLA_FOR_EMMA, level=SUBSTANTIAL)):
        for call in (lambda a=actor: portal.patient.inbox(a, None), lambda a=actor: portal.patient.unread(a),
                     lambda a=actor: portal.patient.open(a, asked), lambda a=actor: portal.annen(a, key="key-sub-1"),
                     lambda a=actor: portal.patient.reply(a, asked, "Hei", None, "key-sub-2"),
                     lambda a=actor: portal.patient.options(a, "c-storgata"),
                     lambda a=actor: portal.patient.upload(a, pdf(100), None)):
            assert isinstance(refusal(call), StepUpRequired)
    assert isinstance(refusal(lambda: portal.patient.inbox(patient("p-kari", consent=False), None)), ConsentRequired)
    assert len(portal.load(asked).messages) == 1


# --- the clinic (R44, R45, R55) --------------------------------------------------------------------------------

def test_R44_staff_of_another_clinic_get_not_found(portal):
    asked = portal.annen()
    for call in (lambda: portal.clinic.read(ANNE, asked), lambda: portal.answer(asked, "key-anne-1", by=ANNE),
                 lambda: portal.clinic.convert(ANNE, asked, "ekonsultasjon"),
                 lambda: portal.clinic.set_shareable(ANNE, asked, True)):
        refused = refusal(call)
        assert (type(refused), refused.status) == (NotFound, 404)
    assert len(portal.load(asked).messages) == 1 and portal.load(asked).dialog.shareable is False


def test_R44_a_colleague_no_inbox_of_whose_the_dialog_reaches_gets_not_found(portal):
    asked = portal.annen()                                                        # to the reception group only
    assert isinstance(refusal(lambda: portal.clinic.read(LISE, asked)), NotFound)
    assert portal.clinic.read(RANDI, asked).dialog.dialog_id == asked
    resept = portal.resept()                                                      # the GP and the whole clinic
    for colleague in (LISE, PER, RANDI):
        assert portal.clinic.read(colleague, resept).dialog.dialog_id == resept


def test_R44_an_inbox_the_staff_member_does_not_belong_to_is_forbidden_inbox_not_yours(portal):
    for box in ("group:resepsjon", "staff:s-per", "role:sekretaer", "group:none"):
        refused = refusal(lambda b=box: portal.clinic.inbox(LISE, b, None, None, None))
        assert (type(refused), refused.code, refused.field) == (Forbidden, "inbox_not_yours", "inbox")
    for box in ("staff:s-lise", "role:lege", "clinic"):
        assert portal.clinic.inbox(LISE, box, None, None, None) == ([], None)
    assert portal.clinic.inbox(RANDI, "group:resepsjon", None, None, None) == ([], None)
    assert refusal(lambda: portal.clinic.inbox(staff("s-none"), "clinic", None, None, None)).code == "unknown_staff"


def test_R44_a_clinic_inbox_filters_by_kind_and_status_and_pages_by_cursor(portal):
    asked = [portal.resept(key=f"key-resept-{n}") for n in range(3)]
    portal.answer(asked[0], "key-answer-1", close=True, code="fornyet")
    assert shown(portal.clinic.inbox(LISE, "clinic", "resept", OPEN, None)) == [asked[2], asked[1]]
    assert shown(portal.clinic.inbox(LISE, "clinic", None, CLOSED, None)) == [asked[0]]
    assert portal.clinic.inbox(LISE, "clinic", "annen", None, None) == ([], None)
    assert refusal(lambda: portal.clinic.inbox(LISE, "clinic", "x", None, None)).code == "invalid_kind"
    assert refusal(lambda: portal.clinic.inbox(LISE, "clinic", None, "x", None)).field == "status"
    for n in range(20):
        portal.resept(key=f"key-more-{n:02d}")
    first, cursor = portal.clinic.inbox(LISE, "clinic", None, None, None)
    assert len(first) == 20 and cursor is not None
    rest, last = portal.clinic.inbox(LISE, "clinic", None, None, cursor)
    assert len(rest) == 3 and last is None and not set(shown((first,))) & set(shown((rest,)))
    assert refusal(lambda: portal.clinic.inbox(LISE, "staff:s-lise", None, None, cursor)).code == "bad_cursor"


def test_R55_a_clinic_read_is_written_to_the_patients_access_log_by_person(portal):
    asked = portal.annen()
    portal.clinic.read(RANDI, asked)
    entry, = portal.fakes.access_log.entries("p-kari")
    assert (entry.actor_kind, entry.actor_name, entry.clinic_name, entry.what, entry.why) == (
        "staff", "Randi Resepsjon", "Storgata legesenter", "what_dialog", "why_answer_dialog")


def test_R45_a_prescription_answer_carries_its_code_and_other_kinds_refuse_one(portal):
    asked = portal.resept()
    portal.answer(asked, "key-answer-1", close=True, code="delvis", text="Ventoline fornyet, ikke den andre.")
    stored = portal.load(asked)
    assert (stored.dialog.answer_code, stored.messages[-1].answer_code, stored.messages[-1].closes) == (
        "delvis", "delvis", True)
    other = portal.annen()
    refused = refusal(lambda: portal.answer(other, "key-answer-2", by=RANDI, code="fornyet"))
    assert (type(refused), refused.code, refused.field) == (Invalid, "answer_code_not_resept", "answer_code")
    unknown = refusal(lambda: portal.answer(portal.resept(key="key-resept-2"), "key-answer-3", code="ja"))
    assert unknown.code == "invalid_answer_code"


def test_R45_an_answered_prescription_request_converts_to_an_econsultation_and_is_journaled_when_closed(portal):
    asked = portal.resept()
    assert refusal(lambda: portal.clinic.convert(LISE, asked, "ekonsultasjon")).code == "convert_after_answer"
    portal.answer(asked, "key-answer-1", code="kan_ikke")
    converted = portal.clinic.convert(LISE, asked, "ekonsultasjon")
    assert (converted.dialog.kind, converted.version) == ("ekonsultasjon", 3)
    assert portal.load(asked).dialog.kind == "ekonsultasjon"
    assert refusal(lambda: portal.clinic.convert(LISE, asked, "ekontakt")).code == "cannot_convert"
    assert portal.clinic.journal(LISE, None) == ([], None)
    portal.answer(asked, "key-answer-2", close=True)
    found, cursor = portal.clinic.journal(LISE, None)
    assert [s.dialog.dialog_id for s in found] == [asked] and cursor is None
    assert portal.fakes.access_log.entries("p-kari")[-1].what == "what_journal"


def test_R45_the_journal_holds_only_closed_econsultations_of_the_own_clinic(portal):
    econsult, annen = portal.econsult(), portal.annen()
    portal.answer(econsult, "key-answer-1", close=True)
    portal.answer(annen, "key-answer-2", close=True, by=RANDI)
    portal.econsult(key="key-econsult-2")                                         # still open
    assert [s.dialog.dialog_id for s in portal.clinic.journal(LISE, None)[0]] == [econsult]
    assert portal.clinic.journal(ANNE, None) == ([], None)


def test_R42_an_edialog_between_colleagues_reaches_each_of_them_and_no_patient(portal):
    between = portal.clinic.start(LISE, "edialog", None, ["s-per"], "Vakt", "Kan du ta fredag?", None, "key-s-1")
    d = portal.load(between).dialog
    assert (d.patient_id, d.boxes, d.unread, d.channel) == (None, ("staff:s-lise", "staff:s-per"), False, "portal")
    assert shown(portal.clinic.inbox(PER, "staff:s-per", None, None, None)) == [between]
    portal.answer(between, "key-answer-1", by=PER, text="Ja")
    assert portal.fakes.repo.notices == {} and isinstance(refusal(lambda: portal.clinic.read(RANDI, between)),
                                                          NotFound)
    assert refusal(lambda: portal.clinic.start(LISE, "edialog", None, ["s-anne"], "x", "y", None, "key-s-2")).code \
        == "unknown_colleague"
    assert refusal(lambda: portal.clinic.start(LISE, "ekontakt", None, ["s-per"], "x", "y", None, "key-s-3")).field \
        == "patient_id"
    assert refusal(lambda: portal.clinic.start(LISE, "edialog", "p-ola", [], "x", "y", None, "key-s-4")).code \
        == "unknown_patient"                                                      # not Storgata's patient


def test_R44_settings_are_checked_against_the_clinics_staff_and_groups(portal):
    assert portal.clinic.settings(LISE) == replace(STORGATA_SETTINGS, routing={**DEFAULT_ROUTING,
                                                                              **STORGATA_SETTINGS.routing})
    unknown = replace(STORGATA_SETTINGS, offered_by=frozenset({"s-lise", "s-anne"}))
    assert refusal(lambda: portal.clinic.put_settings(LISE, unknown)).code == "unknown_colleague"
    to_nobody = replace(STORGATA_SETTINGS, routing={"annen": Route("fixed", ("group:leger",))})
    assert refusal(lambda: portal.clinic.put_settings(LISE, to_nobody)).code == "invalid_inbox"
    fixed = replace(STORGATA_SETTINGS, routing={**STORGATA_SETTINGS.routing, "annen": Route("fixed", ("role:lege",))})
    portal.clinic.put_settings(LISE, fixed)
    assert portal.load(portal.annen()).dialog.boxes == ("role:lege",)
