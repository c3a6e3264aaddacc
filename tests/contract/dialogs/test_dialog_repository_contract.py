"""The dialog store's contract (functions/dialogs/ports.py `Dialogs`), on the fake and on moto: what a
dialog reads back as, the patient's Innboks (R25: newest first, paged) and unread count, the clinic's
inboxes (R44) with their filters, the journal (R45: closed e-consultations only), and the writes —
each one transaction that stands or falls whole (R26: a stale head, a sender's key used before, an
upload taken twice), with the notice (R28) and the charge (R27) it carries."""
from __future__ import annotations

from dataclasses import replace

import pytest

from functions.core.billing import Charge
from functions.core.cursor import Cursors
from functions.core.errors import Conflict
from functions.core.outbox import Notice
from functions.core.records import Refused
from functions.dialogs.model import (
    CLINIC as BY_CLINIC,
)
from functions.dialogs.model import (
    CLOSED,
    DEFAULT_ROUTING,
    EKONSULTASJON,
    EKONTAKT,
    HELSENORGE,
    OPEN,
    PATIENT,
    PORTAL,
    RESEPT,
    WHOLE_CLINIC,
    Dialog,
    DialogSettings,
    Group,
    Route,
)
from functions.dialogs.repository import SentBefore, Stale
from tests.contract.dialogs.conftest import CLINIC, OTHER_CLINIC, at, claim, dialog, message, upload

STORGATA = DialogSettings(
    patient_kinds=frozenset({"ekonsultasjon", "faktura", "resept", "annen"}),
    offered_by=frozenset({"s-lise", "s-per"}), substitutes={"s-lise": ("s-per",), "s-per": ("s-lise", "s-ola")},
    routing={"ekonsultasjon": Route("gp"), "resept": Route("both", ("clinic", "role:lege")),
             "annen": Route("fixed", ("group:resepsjon",)), "faktura": Route("fixed", ("group:resepsjon",)),
             "ekontakt": Route("fixed", ("clinic",))},
    groups={"resepsjon": Group("Resepsjonen", ("s-resepsjon", "s-randi")), "tomme": Group("Ingen", ())})


def started(world, dialog_id: str, minutes: float = 0, **fields) -> Dialog:
    """A dialog created with its first message (the patient's, at its start time)."""
    d = dialog(dialog_id, minutes, **fields)
    world.repo.create(d, message(f"{dialog_id}-m1", minutes), [], claim(f"create-{dialog_id}", dialog_id=dialog_id))
    return d


def answered(world, dialog_id: str, minutes: float, close: bool = False, **message_fields) -> Dialog:
    """The clinic's answer (Svar, or Svar og avslutt), written as a service does."""
    stored = world.repo.load(dialog_id)
    m = message(f"{dialog_id}-a{minutes}", minutes, author=BY_CLINIC, closes=close, **message_fields)
    after = replace(stored.dialog, updated_at=m.sent_at, unread=stored.dialog.patient_id is not None,
                    status=CLOSED if close else stored.dialog.status, closed_at=m.sent_at if close else None,
                    answer_code=m.answer_code or stored.dialog.answer_code)
    world.repo.append(stored, after, m, [], claim(f"answer-{dialog_id}-{minutes}", dialog_id=dialog_id,
                                                  scope="dialogs:c-storgata:s-lise"))
    return after


def ids(dialogs) -> list[str]:
    return [d.dialog_id for d in dialogs]


# --- create + load ------------------------------------------------------------------------------------

def test_R25_a_created_dialog_reads_back_whole_with_its_first_message_at_version_1(world):
    for u in (upload("u1"), upload("u2", size=2500, name="resept.jpg")):
        world.repo.put_upload(u, at())
    files = world.repo.uploads(["u1", "u2"])
    d = dialog("d1", kind=RESEPT, boxes=("staff:s-lise", WHOLE_CLINIC, "group:resepsjon"), title="",
               prescription={"medicine": "Ventoline", "dose": "0,1 mg/dose", "amount": "1 inhalator"},
               attachment_bytes=3500)
    first = message("m1", attachments=(files["u1"].attachment, files["u2"].attachment))
    world.repo.create(d, first, [files["u1"], files["u2"]], claim("k-create-1", dialog_id="d1"))
    stored = world.repo.load("d1")
    assert stored.version == 1
    assert stored.dialog == replace(d, boxes=("clinic", "group:resepsjon", "staff:s-lise"))   # the inboxes, sorted
    assert stored.messages == (first,)
    assert stored.messages[0].attachments[1] == files["u2"].attachment
    assert world.repo.load("d-none") is None


def test_R27_every_field_of_a_head_survives_the_table(world):
    d = dialog("d1", kind=EKONSULTASJON, status=CLOSED, title="Utslett", shareable=True, unread=True,
               answer_code=None, invoice={"id": "inv-1", "number": "2026-0140"}, attachment_bytes=12,
               delivery="pending", from_name="Lise Lege, Storgata legesenter", boxes=("staff:s-lise",))
    d = replace(d, updated_at=at(minutes=90), closed_at=at(minutes=90))
    world.repo.create(d, message("m1"), [], claim("k-1", dialog_id="d1"))
    assert world.repo.load("d1").dialog == d
    colleagues = dialog("d2", kind="edialog", patient_id=None, patient_name="", origin=BY_CLINIC, title="Vakt",
                        boxes=("staff:s-lise", "staff:s-per"))
    world.repo.create(colleagues, message("m2", author=BY_CLINIC), [], claim("k-2", dialog_id="d2"))
    assert world.repo.load("d2").dialog == colleagues


def test_R26_an_append_writes_the_new_head_at_the_next_version_and_keeps_the_messages_in_time_order(world):
    started(world, "d1")
    after = answered(world, "d1", 30)
    stored = world.repo.load("d1")
    assert (stored.version, stored.dialog) == (2, after)
    assert [m.message_id for m in stored.messages] == ["d1-m1", "d1-a30"]
    assert stored.messages[1].author == BY_CLINIC and stored.messages[1].closes is False
    closed = answered(world, "d1", 45, close=True)
    assert world.repo.load("d1").dialog == closed and world.repo.load("d1").version == 3
    assert [m.closes for m in world.repo.load("d1").messages] == [False, False, True]


# --- the Innboks (R25) --------------------------------------------------------------------------------

def test_R25_the_patients_page_is_newest_first_and_pages_with_a_key_that_survives_a_signed_cursor(world):
    for n in range(3):
        started(world, f"d{n}", minutes=n)
    started(world, "nora", minutes=5, patient_id="p-nora")
    page, key = world.repo.patient_page("p-kari", None, limit=2)
    assert ids(page) == ["d2", "d1"] and key is not None
    cursors = Cursors(b"test-key")
    again = cursors.decode("inbox:p-kari", cursors.encode("inbox:p-kari", key))
    rest, last = world.repo.patient_page("p-kari", again, limit=2)
    assert (ids(rest), last) == (["d0"], None)
    everything, none = world.repo.patient_page("p-kari", None)
    assert (ids(everything), none) == (["d2", "d1", "d0"], None)
    # a row holds what an Innboks row shows (projected): the rest reads as the defaults
    assert everything[0] == Dialog("d2", CLINIC, "Storgata legesenter", "annen", PORTAL, "", OPEN, "", at(minutes=2),
                                   at(minutes=2), patient_id="p-kari", from_name="Storgata legesenter")
    assert world.repo.patient_page("p-ola", None) == ([], None)


def test_R25_a_full_last_page_leads_to_an_empty_one(world):
    for n in range(2):
        started(world, f"d{n}", minutes=n)
    page, key = world.repo.patient_page("p-kari", None, limit=2)
    assert ids(page) == ["d1", "d0"]
    # DynamoDB gives a key for a page that reached the limit (moto only when more follow): it leads nowhere
    assert key is None or world.repo.patient_page("p-kari", key, limit=2) == ([], None)


def test_R25_an_answered_dialog_moves_to_the_top_of_the_innboks(world):
    for n in range(3):
        started(world, f"d{n}", minutes=n)
    answered(world, "d0", 10)
    page, _ = world.repo.patient_page("p-kari", None)
    assert ids(page) == ["d0", "d2", "d1"] and page[0].updated_at == at(minutes=10) and page[0].unread


def test_R42_helsenorge_and_colleague_dialogs_are_not_in_the_innboks(world):
    started(world, "portal")
    started(world, "hn", minutes=1, kind=EKONTAKT, channel=HELSENORGE, origin=BY_CLINIC, delivery="pending",
            unread=True)
    started(world, "colleagues", minutes=2, kind="edialog", patient_id=None, origin=BY_CLINIC)
    assert ids(world.repo.patient_page("p-kari", None)[0]) == ["portal"]
    assert world.repo.unread_of("p-kari") == []
    assert world.repo.load("hn").dialog.unread is True


def test_R28_unread_of_lists_the_patients_unread_portal_dialogs_and_mark_read_takes_one_off(world):
    for n in range(3):
        started(world, f"d{n}", minutes=n)
    started(world, "nora", minutes=3, patient_id="p-nora")
    answered(world, "d2", 10)
    answered(world, "d0", 11)
    answered(world, "nora", 12)
    assert ids(world.repo.unread_of("p-kari")) == ["d2", "d0"]          # by when they changed, oldest first
    assert world.repo.unread_of("p-kari")[1] == world.repo.load("d0").dialog
    world.repo.mark_read("d2")
    assert ids(world.repo.unread_of("p-kari")) == ["d0"]
    read = world.repo.load("d2")
    assert (read.dialog.unread, read.version) == (False, 2)              # not versioned
    world.repo.mark_read("d2")                                           # again: nothing happens
    world.repo.mark_read("d1")                                           # never unread
    world.repo.mark_read("d-none")                                       # unknown: nothing is made
    assert world.repo.load("d-none") is None and world.repo.load("d1").dialog.unread is False
    assert ids(world.repo.unread_of("p-nora")) == ["nora"]


# --- the clinic's inboxes (R44) --------------------------------------------------------------------------

def test_R44_each_inbox_a_dialog_is_routed_to_lists_it_newest_first_as_a_summary(world):
    started(world, "d1", boxes=("staff:s-lise", "group:resepsjon"))
    started(world, "d2", minutes=1, kind=RESEPT, boxes=("group:resepsjon",))
    started(world, "other", minutes=2, clinic_id=OTHER_CLINIC, boxes=("group:resepsjon",))
    page, key = world.repo.box_page(CLINIC, "group:resepsjon", None, None, None)
    assert (ids(page), key) == (["d2", "d1"], None)
    assert ids(world.repo.box_page(CLINIC, "staff:s-lise", None, None, None)[0]) == ["d1"]
    assert world.repo.box_page(CLINIC, "staff:s-per", None, None, None) == ([], None)
    assert world.repo.box_page(CLINIC, WHOLE_CLINIC, None, None, None) == ([], None)
    assert ids(world.repo.box_page(OTHER_CLINIC, "group:resepsjon", None, None, None)[0]) == ["other"]
    # an entry holds the summary fields only: the rest reads as the defaults
    assert page[0] == Dialog("d2", CLINIC, "", RESEPT, PORTAL, PATIENT, OPEN, "", at(minutes=1), at(minutes=1),
                             patient_id="p-kari", patient_name="Kari Nordmann")


def test_R44_an_inbox_filters_by_kind_and_status_and_follows_each_answer(world):
    started(world, "a1", 1)
    started(world, "r2", 2, kind=RESEPT)
    started(world, "a3", 3)
    started(world, "r4", 4, kind=RESEPT)
    started(world, "a5", 5)
    answered(world, "a1", 10, close=True)
    box = WHOLE_CLINIC
    assert ids(world.repo.box_page(CLINIC, box, None, None, None)[0]) == ["a1", "a5", "r4", "a3", "r2"]
    assert ids(world.repo.box_page(CLINIC, box, None, RESEPT, None)[0]) == ["r4", "r2"]
    assert ids(world.repo.box_page(CLINIC, box, None, "annen", OPEN)[0]) == ["a5", "a3"]
    closed, _ = world.repo.box_page(CLINIC, box, None, None, CLOSED)
    assert ids(closed) == ["a1"] and (closed[0].status, closed[0].updated_at) == (CLOSED, at(minutes=10))
    assert world.repo.box_page(CLINIC, box, None, EKONSULTASJON, None) == ([], None)
    assert world.repo.box_page(CLINIC, box, None, RESEPT, CLOSED) == ([], None)


def test_R44_a_filtered_inbox_pages_by_what_it_keeps(world):
    for n, kind in enumerate(("annen", RESEPT, "annen", RESEPT, "annen", RESEPT, "annen")):
        started(world, f"d{n}", n, kind=kind)
    first, key = world.repo.box_page(CLINIC, WHOLE_CLINIC, None, RESEPT, None, limit=2)
    assert ids(first) == ["d5", "d3"] and key is not None
    rest, last = world.repo.box_page(CLINIC, WHOLE_CLINIC, key, RESEPT, None, limit=2)
    assert ids(rest) == ["d1"] and last is None
    page, key = world.repo.box_page(CLINIC, WHOLE_CLINIC, None, None, None, limit=3)
    assert ids(page) == ["d6", "d5", "d4"]
    assert ids(world.repo.box_page(CLINIC, WHOLE_CLINIC, key, None, None, limit=3)[0]) == ["d3", "d2", "d1"]


# --- the journal (R45) -------------------------------------------------------------------------------

def test_R45_the_journal_holds_closed_econsultations_only_oldest_closed_first_and_pages(world):
    for n in range(4):
        started(world, f"e{n}", n, kind=EKONSULTASJON, boxes=("staff:s-lise",))
    started(world, "annen", 5)
    started(world, "resept", 6, kind=RESEPT)
    started(world, "other", 7, kind=EKONSULTASJON, clinic_id=OTHER_CLINIC)
    assert world.repo.journal_page(CLINIC, None) == ([], None)           # open: not yet journaled
    answered(world, "e2", 10, close=True)
    answered(world, "e0", 11, close=True)
    answered(world, "e3", 12, close=True)
    answered(world, "e1", 13)                                             # answered, still open
    answered(world, "annen", 14, close=True)
    answered(world, "resept", 15, close=True, answer_code="fornyet")
    answered(world, "other", 16, close=True)
    page, key = world.repo.journal_page(CLINIC, None, limit=2)
    assert page == ["e2", "e0"] and key is not None
    assert world.repo.journal_page(CLINIC, key, limit=2) == (["e3"], None)
    assert world.repo.journal_page(CLINIC, None) == (["e2", "e0", "e3"], None)
    assert world.repo.journal_page(OTHER_CLINIC, None) == (["other"], None)


def test_R45_a_converted_and_closed_ekontakt_is_journaled(world):
    started(world, "k1", kind=EKONTAKT, channel=HELSENORGE, origin=BY_CLINIC)
    closed = answered(world, "k1", 5, close=True)
    assert world.repo.journal_page(CLINIC, None) == ([], None)
    stored = world.repo.load("k1")
    world.repo.replace_head(stored, replace(closed, kind=EKONSULTASJON))
    assert world.repo.journal_page(CLINIC, None) == (["k1"], None)


# --- all or nothing (R26) -------------------------------------------------------------------------------

def test_R26_an_append_on_a_stale_version_is_refused_as_stale_and_writes_nothing(world):
    started(world, "d1")
    world.repo.put_upload(upload("u1"), at())
    stale = world.repo.load("d1")
    answered(world, "d1", 10)
    late = message("late", 11, attachments=(upload("u1").attachment,))
    notice = Notice("p-kari", "dialog_message", "/nb/dialog.html?id=d1", {"clinic": "Storgata"}, ref="dialog#late")
    charge = Charge("dialog:d1", CLINIC, "p-kari", "2ae", "E-konsultasjon", 18_700, at().date())
    with pytest.raises(Stale):
        world.repo.append(stale, replace(stale.dialog, updated_at=late.sent_at, status=CLOSED), late,
                          [world.repo.uploads(["u1"])["u1"]], claim("k-late", dialog_id="d1"), notice, charge)
    now = world.repo.load("d1")
    assert (now.version, [m.message_id for m in now.messages], now.dialog.status) == (2, ["d1-m1", "d1-a10"], OPEN)
    assert world.repo.uploads(["u1"])["u1"].used_by is None
    assert world.repo.earlier(claim("k-late", dialog_id="d1")) is None
    assert world.notices_about("dialog#late") == [] and world.charge("dialog:d1") is None
    assert ids(world.repo.box_page(CLINIC, WHOLE_CLINIC, None, None, CLOSED)[0]) == []


def test_R26_a_key_used_before_is_refused_as_sent_before_and_writes_nothing(world):
    world.repo.put_upload(upload("u1"), at())
    used = claim("k-1", {"text": "Hei"}, dialog_id="d1")
    world.repo.create(dialog("d1"), message("m1"), [], used)
    again = dialog("d2", 1)
    with pytest.raises(SentBefore):                                       # the same key for a new dialog
        world.repo.create(again, message("m2", 1), [world.repo.uploads(["u1"])["u1"]], used)
    assert world.repo.load("d2") is None and world.repo.uploads(["u1"])["u1"].used_by is None
    stored = world.repo.load("d1")
    with pytest.raises(SentBefore):                                       # and for a message
        world.repo.append(stored, replace(stored.dialog, updated_at=at(minutes=2)), message("m3", 2), [], used,
                          Notice("p-kari", "dialog_message", "/nb/dialog.html?id=d1", {}, ref="dialog#d1"))
    assert world.repo.load("d1") == stored and world.notices_about("dialog#d1") == []
    assert world.repo.earlier(used) == {"dialog_id": "d1"}
    assert world.repo.earlier(replace(used, result={"dialog_id": "other"})) == {"dialog_id": "d1"}   # the first


def test_R26_the_same_key_with_another_payload_is_refused_as_idempotency_key_reused(world):
    world.repo.create(dialog("d1"), message("m1"), [], claim("k-1", {"text": "Hei"}, dialog_id="d1"))
    with pytest.raises(Conflict) as reused:
        world.repo.earlier(claim("k-1", {"text": "Hallo"}, dialog_id="d1"))
    assert (reused.value.code, reused.value.field) == ("idempotency_key_reused", "Idempotency-Key")
    assert world.repo.earlier(claim("k-2", {"text": "Hei"})) is None                       # another key
    assert world.repo.earlier(claim("k-1", {"text": "Hei"}, scope="dialogs:p-nora")) is None   # another sender
    world.repo.create(dialog("d2", 1), message("m2", 1), [], claim("k-1", {"text": "Hei"}, "d2", "dialogs:p-nora"))
    assert world.repo.load("d2") is not None


def test_R30_an_upload_taken_twice_is_refused_as_attachment_used_and_the_second_send_writes_nothing(world):
    world.repo.put_upload(upload("u1"), at())
    taken = world.repo.uploads(["u1"])["u1"]
    assert taken.used_by is None
    world.repo.create(dialog("d1"), message("m1", attachments=(taken.attachment,)), [taken],
                      claim("k-1", dialog_id="d1"))
    assert world.repo.uploads(["u1"])["u1"].used_by == "d1"
    with pytest.raises(Conflict) as refused:
        world.repo.create(dialog("d2", 1), message("m2", 1, attachments=(taken.attachment,)), [taken],
                          claim("k-2", dialog_id="d2"))
    assert (refused.value.code, refused.value.field) == ("attachment_used", "attachments")
    assert world.repo.load("d2") is None and world.repo.earlier(claim("k-2", dialog_id="d2")) is None
    stored = world.repo.load("d1")
    with pytest.raises(Conflict) as again:
        world.repo.append(stored, replace(stored.dialog, updated_at=at(minutes=2)), message("m3", 2), [taken],
                          claim("k-3", dialog_id="d1"))
    assert again.value.code == "attachment_used" and world.repo.load("d1") == stored


def test_R30_an_upload_of_another_owner_or_none_at_all_is_refused_as_attachment_used(world):
    world.repo.put_upload(upload("u-nora", owner="patient:p-nora:p-nora"), at())
    noras = world.repo.uploads(["u-nora"])["u-nora"]
    for forged in (replace(noras, owner="patient:p-kari:p-kari"), upload("u-none")):
        with pytest.raises(Conflict) as refused:
            world.repo.create(dialog("d1"), message("m1", attachments=(forged.attachment,)), [forged],
                              claim("k-1", dialog_id="d1"))
        assert (refused.value.code, refused.value.field) == ("attachment_used", "attachments")
    assert world.repo.load("d1") is None and world.repo.uploads(["u-none"]) == {}
    assert world.repo.uploads(["u-nora"])["u-nora"].used_by is None


def test_R28_a_notice_and_a_charge_exist_exactly_when_their_append_went_through(world):
    started(world, "d1", kind=EKONSULTASJON, boxes=("staff:s-lise",))
    started(world, "d2", 1, kind=EKONSULTASJON, boxes=("staff:s-lise",))
    for dialog_id, ok in (("d1", True), ("d2", False)):
        stored = world.repo.load(dialog_id)
        if not ok:
            answered(world, dialog_id, 5)                                  # the head moves on: stored is stale
        m = message(f"{dialog_id}-close", 10, author=BY_CLINIC, closes=True)
        after = replace(stored.dialog, updated_at=m.sent_at, status=CLOSED, closed_at=m.sent_at, unread=True)
        notice = Notice("p-kari", "dialog_message", f"/nb/dialog.html?id={dialog_id}",
                        {"clinic": "Storgata legesenter"}, ref=f"dialog#{CLINIC}#{dialog_id}")
        charge = Charge(f"dialog:{dialog_id}", CLINIC, "p-kari", "2ae", "E-konsultasjon", 18_700, at().date())
        if ok:
            world.repo.append(stored, after, m, [], claim(f"k-{dialog_id}", dialog_id=dialog_id), notice, charge)
        else:
            with pytest.raises(Stale):
                world.repo.append(stored, after, m, [], claim(f"k-{dialog_id}", dialog_id=dialog_id), notice,
                                  charge)
    assert world.notices_about(f"dialog#{CLINIC}#d1") == [("p-kari", "dialog_message")]
    assert world.charge("dialog:d1") == Charge("dialog:d1", CLINIC, "p-kari", "2ae", "E-konsultasjon", 18_700,
                                               at().date())
    assert world.notices_about(f"dialog#{CLINIC}#d2") == [] and world.charge("dialog:d2") is None


def test_R28_a_notice_given_to_create_is_enqueued_with_the_dialog(world):
    d = dialog("d1", kind="edialog", origin=BY_CLINIC, unread=True, boxes=("staff:s-anne",))
    world.repo.create(d, message("m1", author=BY_CLINIC), [], claim("k-1", dialog_id="d1"),
                      Notice("p-kari", "dialog_message", "/nb/dialog.html?id=d1", {"clinic": "Storgata"},
                             ref="dialog#c-storgata#d1"))
    assert world.notices_about("dialog#c-storgata#d1") == [("p-kari", "dialog_message")]
    assert ids(world.repo.unread_of("p-kari")) == ["d1"]


# --- replace_head (R36, R45) -----------------------------------------------------------------------------

def test_R45_replace_head_changes_the_head_and_its_inbox_entries_but_no_message(world):
    started(world, "r1", kind=RESEPT, boxes=("staff:s-lise", WHOLE_CLINIC))
    answer = answered(world, "r1", 5, answer_code="fornyet")
    stored = world.repo.load("r1")
    converted = replace(answer, kind=EKONTAKT, shareable=True)
    world.repo.replace_head(stored, converted)
    now = world.repo.load("r1")
    assert (now.dialog, now.version, now.messages) == (converted, 3, stored.messages)
    for box in ("staff:s-lise", WHOLE_CLINIC):
        assert ids(world.repo.box_page(CLINIC, box, None, EKONTAKT, None)[0]) == ["r1"]
        assert world.repo.box_page(CLINIC, box, None, RESEPT, None) == ([], None)
    with pytest.raises(Stale):
        world.repo.replace_head(stored, replace(answer, shareable=False))
    assert world.repo.load("r1") == now


# --- uploads ---------------------------------------------------------------------------------------------

def test_R30_uploads_are_read_in_one_batch_by_id_and_unknown_ids_are_left_out(world):
    for n in range(3):
        world.repo.put_upload(upload(f"u{n}", size=100 * (n + 1), name=f"fil{n}.jpg"), at())
    found = world.repo.uploads(["u2", "u0", "u-none", "u2"])
    assert found == {"u0": upload("u0", size=100, name="fil0.jpg"), "u2": upload("u2", size=300, name="fil2.jpg")}
    assert world.repo.uploads([]) == {}
    with pytest.raises(Refused):                                            # an id is used once
        world.repo.put_upload(upload("u1", size=1), at())
    assert world.repo.uploads(["u1"])["u1"].attachment.size == 200


# --- settings (R25, R27, R44) --------------------------------------------------------------------------------

def test_R44_a_clinic_without_settings_has_the_defaults(world):
    assert world.repo.settings(CLINIC) == DialogSettings()
    assert world.repo.settings(CLINIC).routing == DEFAULT_ROUTING


def test_R44_settings_round_trip_and_a_kind_left_out_of_the_routing_keeps_its_default(world):
    world.repo.put_settings(CLINIC, STORGATA)
    assert world.repo.settings(CLINIC) == STORGATA
    assert world.repo.settings(OTHER_CLINIC) == DialogSettings()
    partial = DialogSettings(patient_kinds=frozenset({"annen"}), routing={"annen": Route("both", ("role:lege",))})
    world.repo.put_settings(OTHER_CLINIC, partial)
    assert world.repo.settings(OTHER_CLINIC) == replace(partial, routing={**DEFAULT_ROUTING,
                                                                          "annen": Route("both", ("role:lege",))})
    world.repo.put_settings(CLINIC, DialogSettings())                       # replaced whole
    assert world.repo.settings(CLINIC) == DialogSettings()
