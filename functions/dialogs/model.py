"""The rules of Kommunikasjon (R25-R31, R36, R42, R44, R45): pure, no I/O, the clock passed in."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from functions.core.errors import Conflict, Forbidden, Invalid, TooLarge
from functions.core.representation import MESSAGES, PRESCRIPTIONS

EKONSULTASJON, ANNEN, FAKTURA, RESEPT, EDIALOG, EKONTAKT = (
    "ekonsultasjon", "annen", "faktura", "resept", "edialog", "ekontakt")
KINDS = (EKONSULTASJON, ANNEN, FAKTURA, RESEPT, EDIALOG, EKONTAKT)
PATIENT_KINDS = (EKONSULTASJON, FAKTURA, RESEPT, ANNEN)       # what a patient may start (R25)
CLINIC_KINDS = (EDIALOG, EKONTAKT, EKONSULTASJON)             # what a clinic may start (R42)
PORTAL, HELSENORGE = "portal", "helsenorge"
OPEN, CLOSED = "open", "closed"
PATIENT, CLINIC = "patient", "clinic"

ANSWER_CODES = ("avvist", "fornyet", "kan_ikke", "delvis")    # R45, a prescription answer
CONVERSIONS = {EKONTAKT: frozenset({EKONSULTASJON}), RESEPT: frozenset({EKONTAKT, EKONSULTASJON})}

GP, FIXED, BOTH = "gp", "fixed", "both"                       # routing modes (R44)
WHOLE_CLINIC = "clinic"
BOX_KINDS = ("staff", "group", "role")

TEXT_MAX = 5000
FIELD_MAX = 200
TITLE_MAX = 120
FILES_MAX = 10
FILE_MAX_BYTES = 5 * 1024 * 1024
DIALOG_MAX_BYTES = 12 * 1024 * 1024                           # R42: 12 MB of attachments in total
TARIFF_CODE = "2ae"                                           # R27: the e-consultation's tariff
ANSWER_DAYS = 5                                               # R27: "inntil fem arbeidsdager"


@dataclass(frozen=True)
class Attachment:
    attachment_id: str
    name: str
    kind: str          # image/jpeg | image/png | application/pdf
    size: int
    key: str           # the S3 key, server-made; never sent to a client


@dataclass(frozen=True)
class Message:
    message_id: str
    sent_at: datetime
    author: str                    # patient | clinic
    author_id: str
    author_name: str
    text: str
    attachments: tuple[Attachment, ...] = ()
    answer_code: str | None = None
    closes: bool = False


@dataclass(frozen=True)
class Dialog:
    dialog_id: str
    clinic_id: str
    clinic_name: str
    kind: str
    channel: str
    origin: str                    # patient | clinic: who started it
    status: str
    title: str
    created_at: datetime
    updated_at: datetime
    patient_id: str | None = None  # None: an E-dialog between colleagues
    patient_name: str = ""
    from_name: str = ""            # "Fra" in the patient's Innboks: the recipient or the starter
    boxes: tuple[str, ...] = ()    # the clinic inboxes it is routed to
    unread: bool = False           # by the patient
    shareable: bool = False        # the clinic let a parent of a 12-15 year old see it (R36)
    answer_code: str | None = None
    prescription: dict = field(default_factory=dict)   # medicine, dose, amount
    invoice: dict = field(default_factory=dict)        # id, number
    attachment_bytes: int = 0
    delivery: str | None = None    # helsenorge: pending until the HelseNorge issue sends it
    closed_at: datetime | None = None


@dataclass(frozen=True)
class Route:
    mode: str
    recipients: tuple[str, ...] = ()


@dataclass(frozen=True)
class Group:
    name: str
    members: tuple[str, ...] = ()


DEFAULT_ROUTING = {EKONSULTASJON: Route(GP), RESEPT: Route(FIXED, (WHOLE_CLINIC,)),
                   ANNEN: Route(FIXED, (WHOLE_CLINIC,)), FAKTURA: Route(FIXED, (WHOLE_CLINIC,)),
                   EKONTAKT: Route(FIXED, (WHOLE_CLINIC,))}


@dataclass(frozen=True)
class DialogSettings:
    patient_kinds: frozenset[str] = frozenset()       # off until the clinic turns them on
    offered_by: frozenset[str] = frozenset()          # who offers e-consultation
    substitutes: dict[str, tuple[str, ...]] = field(default_factory=dict)   # GP -> substitutes
    routing: dict[str, Route] = field(default_factory=lambda: dict(DEFAULT_ROUTING))
    groups: dict[str, Group] = field(default_factory=dict)

    def route(self, kind: str) -> Route:
        return self.routing.get(kind) or DEFAULT_ROUTING.get(kind, Route(FIXED, (WHOLE_CLINIC,)))


# --- who sees what -------------------------------------------------------------------------------
def scope_of(kind: str) -> str:
    """What a representative needs to see a dialog: prescription matters are their own scope (R36)."""
    return PRESCRIPTIONS if kind == RESEPT else MESSAGES


def econsult_recipients(settings: DialogSettings, gp_id: str | None) -> list[str]:
    """R27: the patient's GP and the GP's substitutes, those who offer e-consultation only."""
    if not gp_id:
        return []
    wanted = [gp_id, *settings.substitutes.get(gp_id, ())]
    return [s for s in dict.fromkeys(wanted) if s in settings.offered_by]


def route(settings: DialogSettings, kind: str, gp_id: str | None, chosen: str | None) -> tuple[str, ...]:
    """R44: the inboxes a patient's dialog goes to. `gp`: the chosen recipient (e-consultation) or
    the patient's GP, the whole clinic when there is none; `fixed`: the clinic's recipients; `both`."""
    how = settings.route(kind)
    boxes: list[str] = []
    if how.mode in (GP, BOTH):
        person = (chosen if kind == EKONSULTASJON else None) or gp_id   # only an e-consultation names one
        boxes.append(f"staff:{person}" if person else WHOLE_CLINIC)
    if how.mode in (FIXED, BOTH):
        boxes += list(how.recipients) or [WHOLE_CLINIC]
    return tuple(dict.fromkeys(boxes))


def boxes_of(staff_id: str, role: str, settings: DialogSettings) -> frozenset[str]:
    """The inboxes a staff member reaches: their own, their role's, their groups', the whole clinic's."""
    groups = {f"group:{g}" for g, group in settings.groups.items() if staff_id in group.members}
    return frozenset({f"staff:{staff_id}", f"role:{role}", WHOLE_CLINIC, *groups})


def parse_box(value: object, field_name: str = "inbox") -> str:
    if value == WHOLE_CLINIC:
        return WHOLE_CLINIC
    if isinstance(value, str) and ":" in value:
        kind, _, name = value.partition(":")
        if kind in BOX_KINDS and 1 <= len(name) <= 64 and all(c.isalnum() or c in "-_" for c in name):
            return value
    raise Invalid("invalid_inbox", field=field_name)


# --- the reply/close state machine ---------------------------------------------------------------
def may_write(dialog: Dialog, author: str) -> None:
    """R26: a closed dialog takes no message; only the clinic writes to a HelseNorge dialog here."""
    if dialog.status == CLOSED:
        raise Conflict("dialog_closed")
    if author == PATIENT and dialog.channel != PORTAL:
        raise Forbidden("not_here")


def check_answer(dialog: Dialog, answer_code: str | None) -> None:
    if answer_code is None:
        return
    if dialog.kind != RESEPT:
        raise Invalid("answer_code_not_resept", field="answer_code")
    if answer_code not in ANSWER_CODES:
        raise Invalid("invalid_answer_code", field="answer_code")


def after(dialog: Dialog, message: Message) -> Dialog:
    """The dialog once the message is in: newer, unread by the patient when the clinic wrote,
    closed by Svar og avslutt, a prescription answer's code kept."""
    closes = message.closes and message.author == CLINIC
    return replace(dialog, updated_at=message.sent_at,
                   unread=message.author == CLINIC and dialog.patient_id is not None,
                   status=CLOSED if closes else dialog.status, closed_at=message.sent_at if closes else None,
                   answer_code=message.answer_code or dialog.answer_code,
                   attachment_bytes=dialog.attachment_bytes + sum(a.size for a in message.attachments))


def convert(dialog: Dialog, to: str) -> Dialog:
    """R45: an eKontakt becomes an e-consultation; an answered prescription request becomes an
    eKontakt or an eKonsultasjon."""
    if to not in CONVERSIONS.get(dialog.kind, frozenset()):
        raise Conflict("cannot_convert", field="to")
    if dialog.kind == RESEPT and dialog.answer_code is None:
        raise Conflict("convert_after_answer", field="to")
    return replace(dialog, kind=to)


def journaled(dialog: Dialog) -> bool:
    """R45: only e-consultations go to the journal, once closed."""
    return dialog.kind == EKONSULTASJON and dialog.status == CLOSED


def charged(dialog: Dialog) -> bool:
    """R27: an e-consultation the patient asked for costs money when it is closed."""
    return dialog.kind == EKONSULTASJON and dialog.origin == PATIENT and dialog.patient_id is not None


# --- input ----------------------------------------------------------------------------------------
def check_files(already: int, sizes: list[int]) -> None:
    if len(sizes) > FILES_MAX:
        raise Invalid("too_many_files", field="attachments", max=FILES_MAX)
    if already + sum(sizes) > DIALOG_MAX_BYTES:
        raise TooLarge("attachments_too_large", field="attachments", max_mb=DIALOG_MAX_BYTES // (1024 * 1024))


def needs(kind: str) -> tuple[str, ...]:
    """The fields a patient must fill for a kind (besides the clinic)."""
    return {EKONSULTASJON: ("recipient_id", "text"), FAKTURA: ("invoice_id", "text"),
            RESEPT: ("medicine", "dose", "amount"), ANNEN: ("text",)}[kind]
