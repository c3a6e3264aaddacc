"""Pure Kommunikasjon rules (functions/dialogs/model.py) with fixed datetimes: routing (R44), the
e-consultation's recipients (R27), inboxes, the reply/close state machine (R26), prescription answers
and conversions (R45), the journal and the charge (R27, R45), the attachment limits (R42) and what a
representative needs to see a dialog (R36)."""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from functions.core.errors import Conflict, Forbidden, Invalid, TooLarge
from functions.core.representation import MESSAGES, PRESCRIPTIONS
from functions.dialogs import model
from functions.dialogs.model import (
    ANNEN,
    ANSWER_CODES,
    BOTH,
    CLINIC,
    CLOSED,
    EDIALOG,
    EKONSULTASJON,
    EKONTAKT,
    FAKTURA,
    FIXED,
    GP,
    HELSENORGE,
    KINDS,
    OPEN,
    PATIENT,
    PORTAL,
    RESEPT,
    WHOLE_CLINIC,
    Attachment,
    Dialog,
    DialogSettings,
    Group,
    Message,
    Route,
)

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)   # 09:00 in Oslo
MB = 1024 * 1024

STORGATA = DialogSettings(
    patient_kinds=frozenset({EKONSULTASJON, RESEPT, ANNEN, FAKTURA}),
    offered_by=frozenset({"s-lise", "s-per", "s-anne"}),
    substitutes={"s-lise": ("s-per", "s-vikar"), "s-ola": ("s-per",), "s-per": ("s-per", "s-lise")},
    routing={EKONSULTASJON: Route(GP), RESEPT: Route(BOTH, ("group:resepsjon",)),
             ANNEN: Route(FIXED, ("group:resepsjon", "role:sekretaer")), FAKTURA: Route(FIXED, ()),
             EKONTAKT: Route(BOTH, ("staff:s-lise", WHOLE_CLINIC))},
    groups={"resepsjon": Group("Resepsjonen", ("s-randi",)), "leger": Group("Legene", ("s-lise", "s-per"))})


def dialog(kind: str = ANNEN, status: str = OPEN, channel: str = PORTAL, origin: str = PATIENT,
           patient_id: str | None = "p-kari", answer_code: str | None = None, attachment_bytes: int = 0,
           unread: bool = False) -> Dialog:
    return Dialog("d1", "c-storgata", "Storgata legesenter", kind, channel, origin, status, "", NOW, NOW,
                  patient_id=patient_id, patient_name="Kari Nordmann" if patient_id else "",
                  from_name="Storgata legesenter", boxes=(WHOLE_CLINIC,), unread=unread, answer_code=answer_code,
                  attachment_bytes=attachment_bytes)


def message(author: str = CLINIC, closes: bool = False, answer_code: str | None = None, sizes: tuple = (),
            hours: float = 1) -> Message:
    files = tuple(Attachment(f"a{n}", f"bilde{n}.jpg", "image/jpeg", size, f"attachments/x/{n}.jpg")
                  for n, size in enumerate(sizes))
    return Message(f"m{hours}", NOW + timedelta(hours=hours), author, "s-lise" if author == CLINIC else "p-kari",
                   "Lise Lege" if author == CLINIC else "Kari Nordmann", "Hei", files, answer_code, closes)


# --- routing (R44) --------------------------------------------------------------------------------

def test_R44_defaults_send_an_econsultation_to_the_gp_and_every_other_kind_to_the_whole_clinic():
    defaults = DialogSettings()
    assert defaults.route(EKONSULTASJON) == Route(GP)
    for kind in (RESEPT, ANNEN, FAKTURA, EKONTAKT, EDIALOG):
        assert defaults.route(kind) == Route(FIXED, (WHOLE_CLINIC,))
    assert defaults.patient_kinds == frozenset()          # R25: nothing offered until the clinic turns it on
    assert model.route(defaults, EKONSULTASJON, "s-lise", "s-per") == ("staff:s-per",)
    assert model.route(defaults, RESEPT, "s-lise", None) == (WHOLE_CLINIC,)
    assert model.route(defaults, ANNEN, None, None) == (WHOLE_CLINIC,)


def test_R44_a_kind_the_clinic_did_not_configure_keeps_its_default_route():
    only_annen = DialogSettings(routing={ANNEN: Route(FIXED, ("group:resepsjon",))})
    assert only_annen.route(EKONSULTASJON) == Route(GP)
    assert only_annen.route(FAKTURA) == Route(FIXED, (WHOLE_CLINIC,))
    assert model.route(only_annen, ANNEN, "s-lise", None) == ("group:resepsjon",)
    assert model.route(only_annen, EKONSULTASJON, "s-lise", "s-lise") == ("staff:s-lise",)


def test_R44_gp_mode_sends_an_econsultation_to_the_chosen_recipient():
    assert model.route(STORGATA, EKONSULTASJON, "s-lise", "s-per") == ("staff:s-per",)   # the GP's substitute
    assert model.route(STORGATA, EKONSULTASJON, "s-lise", "s-lise") == ("staff:s-lise",)


def test_R44_gp_mode_sends_other_kinds_to_the_patients_gp_whatever_recipient_the_request_names():
    gp_resept = DialogSettings(routing={RESEPT: Route(GP)})
    assert model.route(gp_resept, RESEPT, "s-lise", None) == ("staff:s-lise",)
    # only an e-consultation has a chosen recipient: a stray recipient_id must not pick another inbox
    assert model.route(gp_resept, RESEPT, "s-lise", "s-randi") == ("staff:s-lise",)
    assert model.route(gp_resept, RESEPT, None, "s-randi") == (WHOLE_CLINIC,)


def test_R44_gp_mode_falls_back_to_the_whole_clinic_for_a_patient_without_a_gp_there():
    gp_all = DialogSettings(routing={k: Route(GP) for k in (RESEPT, ANNEN, FAKTURA)})
    for kind in (RESEPT, ANNEN, FAKTURA):
        assert model.route(gp_all, kind, None, None) == (WHOLE_CLINIC,)
    assert model.route(STORGATA, EKONSULTASJON, None, None) == (WHOLE_CLINIC,)


def test_R44_fixed_mode_sends_to_the_configured_recipients_in_order_or_the_whole_clinic_when_none():
    assert model.route(STORGATA, ANNEN, "s-lise", None) == ("group:resepsjon", "role:sekretaer")
    assert model.route(STORGATA, FAKTURA, "s-lise", None) == (WHOLE_CLINIC,)   # fixed, nobody named
    fixed_econsult = DialogSettings(routing={EKONSULTASJON: Route(FIXED, ("role:lege",))})
    assert model.route(fixed_econsult, EKONSULTASJON, "s-lise", "s-per") == ("role:lege",)


def test_R44_both_mode_sends_to_the_gp_and_the_fixed_recipients_each_inbox_once():
    assert model.route(STORGATA, RESEPT, "s-lise", None) == ("staff:s-lise", "group:resepsjon")
    assert model.route(STORGATA, RESEPT, None, None) == (WHOLE_CLINIC, "group:resepsjon")
    assert model.route(STORGATA, EKONTAKT, "s-lise", None) == ("staff:s-lise", WHOLE_CLINIC)
    assert model.route(STORGATA, EKONTAKT, None, None) == (WHOLE_CLINIC, "staff:s-lise")
    both_empty = DialogSettings(routing={ANNEN: Route(BOTH)})
    assert model.route(both_empty, ANNEN, "s-per", None) == ("staff:s-per", WHOLE_CLINIC)
    assert model.route(both_empty, ANNEN, None, None) == (WHOLE_CLINIC,)


# --- the e-consultation's recipients (R27) ----------------------------------------------------------

def test_R27_econsult_recipients_are_the_gp_and_the_gps_substitutes_who_offer_econsultation():
    assert model.econsult_recipients(STORGATA, "s-lise") == ["s-lise", "s-per"]   # s-vikar offers none
    assert model.econsult_recipients(STORGATA, "s-ola") == ["s-per"]              # the GP offers none himself
    assert model.econsult_recipients(STORGATA, "s-per") == ["s-per", "s-lise"]    # each once, the GP first


def test_R27_econsult_recipients_never_name_others_who_offer_it_nor_anyone_for_a_patient_without_a_gp():
    assert "s-anne" not in model.econsult_recipients(STORGATA, "s-lise")          # offers it, not Kari's GP
    assert model.econsult_recipients(STORGATA, None) == []
    assert model.econsult_recipients(STORGATA, "") == []
    assert model.econsult_recipients(STORGATA, "s-anne") == ["s-anne"]            # no substitutes listed
    assert model.econsult_recipients(DialogSettings(), "s-lise") == []            # nobody offers it yet


# --- inboxes (R44) -----------------------------------------------------------------------------------

def test_R44_a_staff_member_reaches_their_own_their_roles_their_groups_and_the_whole_clinics_inbox():
    assert model.boxes_of("s-lise", "lege", STORGATA) == {"staff:s-lise", "role:lege", WHOLE_CLINIC,
                                                          "group:leger"}
    assert model.boxes_of("s-randi", "sekretaer", STORGATA) == {"staff:s-randi", "role:sekretaer", WHOLE_CLINIC,
                                                                "group:resepsjon"}
    assert model.boxes_of("s-ny", "lege", DialogSettings()) == {"staff:s-ny", "role:lege", WHOLE_CLINIC}
    assert "staff:s-per" not in model.boxes_of("s-lise", "lege", STORGATA)


@pytest.mark.parametrize("box", [WHOLE_CLINIC, "staff:s-lise", "group:resepsjon", "role:lege", "staff:" + "a" * 64,
                                 "group:team_2-a", "role:sykepleier"])
def test_R44_parse_box_takes_the_whole_clinic_and_staff_group_and_role_inboxes(box):
    assert model.parse_box(box) == box


@pytest.mark.parametrize("box", ["", "staff:", "staff:" + "a" * 65, "team:x", "clinic:x", "staff:s lise",
                                 "staff:s#1", "group:a:b", "CLINIC", ":x", None, 5, ["clinic"]])
def test_R44_parse_box_refuses_anything_else_as_invalid_inbox(box):
    with pytest.raises(Invalid) as refused:
        model.parse_box(box)
    assert (refused.value.code, refused.value.field) == ("invalid_inbox", "inbox")
    with pytest.raises(Invalid) as named:
        model.parse_box(box, "routing")
    assert named.value.field == "routing"


# --- the reply/close state machine (R26) -----------------------------------------------------------

def test_R26_an_open_portal_dialog_takes_messages_from_the_patient_and_the_clinic():
    model.may_write(dialog(), PATIENT)
    model.may_write(dialog(), CLINIC)


def test_R26_a_closed_dialog_refuses_every_message_as_dialog_closed():
    for author in (PATIENT, CLINIC):
        with pytest.raises(Conflict) as refused:
            model.may_write(dialog(status=CLOSED), author)
        assert refused.value.code == "dialog_closed"
    with pytest.raises(Conflict):
        model.may_write(dialog(status=CLOSED, channel=HELSENORGE), PATIENT)   # closed before channel


def test_R42_only_the_clinic_writes_to_a_helsenorge_dialog_here():
    model.may_write(dialog(EKONTAKT, channel=HELSENORGE, origin=CLINIC), CLINIC)
    with pytest.raises(Forbidden) as refused:
        model.may_write(dialog(EKONTAKT, channel=HELSENORGE, origin=CLINIC), PATIENT)
    assert refused.value.code == "not_here"


def test_R26_svar_keeps_the_dialog_open_and_unread_by_the_patient():
    answer = message(CLINIC, hours=2)
    after = model.after(dialog(), answer)
    assert (after.status, after.unread, after.updated_at, after.closed_at) == (OPEN, True, answer.sent_at, None)
    assert (after.dialog_id, after.kind, after.boxes, after.created_at) == ("d1", ANNEN, (WHOLE_CLINIC,), NOW)


def test_R26_svar_og_avslutt_closes_the_dialog_at_the_messages_time():
    answer = message(CLINIC, closes=True, hours=3)
    after = model.after(dialog(), answer)
    assert (after.status, after.closed_at, after.updated_at, after.unread) == (CLOSED, answer.sent_at,
                                                                               answer.sent_at, True)
    with pytest.raises(Conflict) as refused:
        model.may_write(after, PATIENT)
    assert refused.value.code == "dialog_closed"


def test_R26_svar_og_avslutt_refuses_a_reply():
    closed = model.after(dialog(), message(CLINIC, closes=True))
    with pytest.raises(Conflict) as refused:
        model.may_write(closed, PATIENT)
    assert refused.value.code == "dialog_closed"


def test_R26_a_patients_message_is_read_by_them_and_never_closes_the_dialog():
    after = model.after(dialog(unread=True), message(PATIENT, closes=True))
    assert (after.status, after.unread, after.closed_at) == (OPEN, False, None)


def test_R42_a_dialog_between_colleagues_is_never_unread_by_a_patient():
    between = dialog(EDIALOG, origin=CLINIC, patient_id=None)
    assert model.after(between, message(CLINIC)).unread is False


def test_R45_a_prescription_answer_code_is_kept_through_later_messages_and_attachments_add_up():
    answered = model.after(dialog(RESEPT, attachment_bytes=100), message(CLINIC, answer_code="fornyet",
                                                                         sizes=(1000, 24)))
    assert (answered.answer_code, answered.attachment_bytes) == ("fornyet", 1124)
    later = model.after(answered, message(PATIENT, sizes=(76,), hours=4))
    assert (later.answer_code, later.attachment_bytes) == ("fornyet", 1200)
    changed = model.after(later, message(CLINIC, answer_code="delvis", closes=True, hours=5))
    assert (changed.answer_code, changed.status) == ("delvis", CLOSED)


# --- prescription answers and conversions (R45) ------------------------------------------------------

def test_R45_a_prescription_answer_takes_each_of_the_four_codes_or_none():
    assert ANSWER_CODES == ("avvist", "fornyet", "kan_ikke", "delvis")
    for code in (*ANSWER_CODES, None):
        model.check_answer(dialog(RESEPT), code)


def test_R45_answer_codes_are_only_for_prescription_requests():
    for kind in (ANNEN, FAKTURA, EKONSULTASJON, EDIALOG, EKONTAKT):
        model.check_answer(dialog(kind), None)
        with pytest.raises(Invalid) as refused:
            model.check_answer(dialog(kind), "fornyet")
        assert (refused.value.code, refused.value.field) == ("answer_code_not_resept", "answer_code")


def test_R45_an_unknown_answer_code_is_refused():
    for code in ("", "FORNYET", "godkjent"):
        with pytest.raises(Invalid) as refused:
            model.check_answer(dialog(RESEPT), code)
        assert (refused.value.code, refused.value.field) == ("invalid_answer_code", "answer_code")


def test_R45_an_ekontakt_converts_to_an_econsultation_and_nothing_else():
    ekontakt = dialog(EKONTAKT, channel=HELSENORGE, origin=CLINIC)
    assert model.convert(ekontakt, EKONSULTASJON) == replace(ekontakt, kind=EKONSULTASJON)
    for to in (EKONTAKT, RESEPT, ANNEN, EDIALOG, "x"):
        with pytest.raises(Conflict) as refused:
            model.convert(ekontakt, to)
        assert (refused.value.code, refused.value.field) == ("cannot_convert", "to")


def test_R45_a_prescription_request_converts_to_ekontakt_or_econsultation_only_after_an_answer():
    asked = dialog(RESEPT)
    for to in (EKONTAKT, EKONSULTASJON):
        with pytest.raises(Conflict) as refused:
            model.convert(asked, to)
        assert (refused.value.code, refused.value.field) == ("convert_after_answer", "to")
    answered = model.after(asked, message(CLINIC, answer_code="kan_ikke"))
    assert model.convert(answered, EKONTAKT).kind == EKONTAKT
    assert model.convert(answered, EKONSULTASJON) == replace(answered, kind=EKONSULTASJON)
    with pytest.raises(Conflict) as refused:
        model.convert(answered, ANNEN)
    assert refused.value.code == "cannot_convert"


def test_R45_the_other_kinds_never_convert():
    for kind in (ANNEN, FAKTURA, EKONSULTASJON, EDIALOG):
        for to in (EKONSULTASJON, EKONTAKT):
            with pytest.raises(Conflict) as refused:
                model.convert(dialog(kind, answer_code="fornyet"), to)
            assert refused.value.code == "cannot_convert"


# --- the journal and the charge (R27, R45) -----------------------------------------------------------

def test_R45_only_closed_econsultations_are_journaled():
    assert model.journaled(dialog(EKONSULTASJON, status=CLOSED))
    assert not model.journaled(dialog(EKONSULTASJON))
    for kind in (ANNEN, FAKTURA, RESEPT, EDIALOG, EKONTAKT):
        assert not model.journaled(dialog(kind, status=CLOSED))
    converted = model.convert(dialog(EKONTAKT, status=CLOSED, channel=HELSENORGE, origin=CLINIC), EKONSULTASJON)
    assert model.journaled(converted)


def test_R27_only_an_econsultation_a_patient_asked_for_is_charged():
    assert model.charged(dialog(EKONSULTASJON))
    assert not model.charged(dialog(EKONSULTASJON, channel=HELSENORGE, origin=CLINIC))   # the clinic started it
    assert not model.charged(dialog(EKONSULTASJON, patient_id=None))
    for kind in (ANNEN, FAKTURA, RESEPT, EDIALOG, EKONTAKT):
        assert not model.charged(dialog(kind))
    assert model.TARIFF_CODE == "2ae" and model.ANSWER_DAYS == 5


# --- input (R30, R42) ------------------------------------------------------------------------------------

def test_R42_up_to_ten_files_a_message_and_twelve_megabytes_a_dialog_are_taken():
    model.check_files(0, [])
    model.check_files(0, [MB] * 10)
    model.check_files(7 * MB, [5 * MB])                 # exactly 12 MB in all
    model.check_files(12 * MB, [])


def test_R42_an_eleventh_file_is_refused_as_too_many_files():
    with pytest.raises(Invalid) as refused:
        model.check_files(0, [1] * 11)
    assert (refused.value.code, refused.value.field, refused.value.params) == ("too_many_files", "attachments",
                                                                                {"max": 10})


def test_R42_more_than_twelve_megabytes_in_a_dialog_is_refused_counting_what_it_holds_already():
    for already, sizes in ((0, [5 * MB, 5 * MB, 2 * MB + 1]), (7 * MB, [5 * MB + 1]), (12 * MB, [1])):
        with pytest.raises(TooLarge) as refused:
            model.check_files(already, sizes)
        assert (refused.value.code, refused.value.field, refused.value.params) == (
            "attachments_too_large", "attachments", {"max_mb": 12})


def test_R30_each_kind_names_the_fields_a_patient_must_fill():
    assert model.needs(EKONSULTASJON) == ("recipient_id", "text")
    assert model.needs(FAKTURA) == ("invoice_id", "text")
    assert model.needs(RESEPT) == ("medicine", "dose", "amount")     # the text may be empty
    assert model.needs(ANNEN) == ("text",)
    assert set(model.PATIENT_KINDS) == {EKONSULTASJON, FAKTURA, RESEPT, ANNEN}
    assert set(model.CLINIC_KINDS) == {EDIALOG, EKONTAKT, EKONSULTASJON}


# --- what a representative needs (R36) -------------------------------------------------------------------

def test_R36_a_prescription_request_needs_the_prescriptions_scope_and_every_other_kind_messages():
    assert model.scope_of(RESEPT) == PRESCRIPTIONS
    for kind in KINDS:
        if kind != RESEPT:
            assert model.scope_of(kind) == MESSAGES
