"""Hand-written in-memory fakes of the dialogs package's ports (functions/dialogs/ports.py): the dialog
store, the prices (tariffs and invoices), the people, the file store, and (shared with booking) the
directory and the access log. They keep the real stores' contracts (tests/contract/dialogs runs the
same cases on both): every write all or nothing with the same refusals (`SentBefore` for a used
idempotency key, `Stale` when the head's version moved, Conflict("attachment_used") for an upload that
is taken or not the sender's), what each item keeps and reads back as (a clinic inbox entry carries
the summary fields only, an Innboks row what a row shows), the same orderings, and paging with an opaque,
JSON-safe key that follows
DynamoDB's Limit (counted before a filter). The notices and charges a write carries are kept here
(`notices`, `charges`), as the real store puts them in the outbox and billing tables in the same
transaction. No mocks."""
from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from urllib.parse import quote

from functions.core.billing import Charge, Invoice, Tariff, period_start
from functions.core.clock import Clock, sort_stamp
from functions.core.errors import Conflict
from functions.core.files import SUFFIX
from functions.core.idempotency import fingerprint
from functions.core.outbox import Notice
from functions.core.people import Person
from functions.core.records import Refused
from functions.dialogs.model import (
    CLOSED,
    DEFAULT_ROUTING,
    PATIENT,
    PORTAL,
    Attachment,
    Dialog,
    DialogSettings,
    Group,
    Message,
    Route,
    journaled,
)
from functions.dialogs.repository import Claim, SentBefore, Stale, Stored, Upload
from tests.support.booking_fakes import FakeAccessLog, FakeDirectory

__all__ = ["DialogFakes", "FakeAccessLog", "FakeDialogs", "FakeDirectory", "FakeFiles", "FakePeople", "FakePrices"]


def _utc(instant: datetime | None) -> datetime | None:
    return instant.astimezone(UTC) if instant is not None else None


def _row(d: Dialog) -> str:
    return f"{sort_stamp(d.updated_at)}#{d.dialog_id}"


def _kept(d: Dialog) -> Dialog:
    """A dialog's head as the table gives it back."""
    return replace(d, clinic_name=d.clinic_name or "", channel=d.channel or PORTAL, origin=d.origin or PATIENT,
                   title=d.title or "", created_at=_utc(d.created_at or d.updated_at), updated_at=_utc(d.updated_at),
                   patient_name=d.patient_name or "", from_name=d.from_name or "", boxes=tuple(sorted(set(d.boxes))),
                   unread=bool(d.unread), shareable=bool(d.shareable), prescription=dict(d.prescription or {}),
                   invoice=dict(d.invoice or {}), attachment_bytes=int(d.attachment_bytes or 0),
                   closed_at=_utc(d.closed_at))


def _entry(d: Dialog) -> Dialog:
    """A clinic inbox entry (BOX#<inbox>) as the table gives it back: the summary fields only."""
    updated = _utc(d.updated_at)
    return Dialog(d.dialog_id, d.clinic_id, "", d.kind, PORTAL, PATIENT, d.status, d.title or "", updated, updated,
                  patient_id=d.patient_id, patient_name=d.patient_name or "")


def _innboks_row(d: Dialog) -> Dialog:
    """A row of the patient's Innboks as the projected Query gives it back: what a row shows only."""
    updated = _utc(d.updated_at)
    return Dialog(d.dialog_id, d.clinic_id, d.clinic_name or "", d.kind, d.channel or PORTAL, "", d.status,
                  d.title or "", updated, updated, patient_id=d.patient_id or None, from_name=d.from_name or "",
                  unread=bool(d.unread), shareable=bool(d.shareable),
                  invoice={k: v if isinstance(v, str) else "" for k, v in (d.invoice or {}).items()})


def _kept_message(m: Message) -> Message:
    return replace(m, sent_at=_utc(m.sent_at), author_name=m.author_name or "", text=m.text or "",
                   attachments=tuple(replace(a, size=int(a.size)) for a in m.attachments), closes=bool(m.closes))


def _kept_upload(u: Upload, used_by: str | None = None) -> Upload:
    a = u.attachment
    return Upload(u.upload_id, u.owner, Attachment(u.upload_id, a.name, a.kind, int(a.size), a.key), used_by)


def _query(rows: list[tuple[str, object]], start_key: dict | None, limit: int, descending: bool,
           keep: Callable[[object], bool] = lambda _: True) -> tuple[list, dict | None]:
    """One PynamoDB query with `limit` over rows (sort key, value), as DynamoDB pages it: each page
    evaluates up to `limit` rows and carries a key when it evaluated that many; the filter (`keep`)
    applies after the Limit; PynamoDB reads on until `limit` rows are kept or the rows end, and a page
    left in the middle resumes after the last row it returned. (moto gives no key for a full last
    page; nothing is on the page after one anyway.)"""
    rows = sorted(rows, key=lambda r: r[0], reverse=descending)
    if start_key:
        after = start_key["after"]
        rows = [r for r in rows if (r[0] < after if descending else r[0] > after)]
    kept, i = [], 0
    while True:
        page = rows[i:i + limit]
        i += len(page)
        full = len(page) == limit
        for n, (sort, value) in enumerate(page):
            if keep(value):
                kept.append(value)
                if len(kept) == limit:
                    return kept, ({"after": sort} if full or n < len(page) - 1 else None)
        if not full:
            return kept, None


class FakeDialogs:
    """functions.dialogs.repository.DialogRepository (with core Idempotency, Outbox and Billing) in memory.

    `before_write` holds callables run, one each, at the start of the next appends: a test makes
    another writer win the head in between (two writers, one dialog). `writes` counts the
    transactions that went through."""

    PAGE = 20

    def __init__(self) -> None:
        self._heads: dict[str, tuple[Dialog, int]] = {}
        self._messages: dict[str, dict[str, Message]] = {}
        self._entries: dict[tuple[str, str], Dialog] = {}            # (dialog id, inbox) -> entry
        self._uploads: dict[str, Upload] = {}
        self._expires: dict[str, datetime] = {}
        self._settings: dict[str, DialogSettings] = {}
        self._claims: dict[tuple[str, str], tuple[str, str]] = {}    # (scope, key) -> (fingerprint, result)
        self.notices: dict[str, Notice] = {}                          # outbox dedupe key -> notice
        self.charges: dict[str, Charge] = {}                          # source -> charge
        self.before_write: list[Callable[[], None]] = []
        self.writes = 0

    # --- reads ---
    def load(self, dialog_id: str) -> Stored | None:
        if dialog_id not in self._heads:
            return None
        head, version = self._heads[dialog_id]
        messages = tuple(m for _, m in sorted(self._messages.get(dialog_id, {}).items()))
        return Stored(head, messages, version)

    def patient_page(self, patient_id: str, start_key: dict | None, limit: int = PAGE) -> tuple[list[Dialog], dict]:
        rows = [(_row(d), _innboks_row(d)) for d in self._portal(patient_id)]
        return _query(rows, start_key, limit, descending=True)

    def unread_of(self, patient_id: str) -> list[Dialog]:
        rows = [(_row(d), d) for d in self._portal(patient_id) if d.unread]
        return _query(rows, None, 100, descending=False)[0]

    def box_page(self, clinic_id: str, box: str, start_key: dict | None, kind: str | None, status: str | None,
                 limit: int = PAGE) -> tuple[list[Dialog], dict]:
        rows = [(_row(e), e) for (_, b), e in self._entries.items() if b == box and e.clinic_id == clinic_id]
        return _query(rows, start_key, limit, descending=True,
                      keep=lambda e: (kind is None or e.kind == kind) and (status is None or e.status == status))

    def journal_page(self, clinic_id: str, start_key: dict | None, limit: int = 10) -> tuple[list[str], dict]:
        rows = [(f"{sort_stamp(d.closed_at)}#{d.dialog_id}", d.dialog_id) for d, _ in self._heads.values()
                if d.clinic_id == clinic_id and journaled(d) and d.status == CLOSED and d.closed_at is not None]
        return _query(rows, start_key, limit, descending=False)

    def _portal(self, patient_id: str) -> list[Dialog]:
        """Heads in the patient's Innboks: the portal channel only."""
        return [d for d, _ in self._heads.values()
                if d.patient_id == patient_id and d.channel == PORTAL and d.patient_id is not None]

    # --- writes: each all or nothing ---
    def create(self, dialog: Dialog, message: Message, uploads: list[Upload], claim: Claim,
               notice: Notice | None = None) -> None:
        self._commit(claim, dialog.dialog_id not in self._heads, dialog, message, uploads, notice, None, 1)

    def append(self, stored: Stored, dialog: Dialog, message: Message, uploads: list[Upload], claim: Claim,
               notice: Notice | None = None, charge: Charge | None = None) -> None:
        if self.before_write:
            self.before_write.pop(0)()
        self._commit(claim, self._version(dialog.dialog_id) == stored.version, dialog, message, uploads, notice,
                     charge, stored.version + 1)

    def replace_head(self, stored: Stored, dialog: Dialog) -> None:
        if self._version(dialog.dialog_id) != stored.version:
            raise Stale()
        self._put_head(dialog, stored.version + 1)
        self.writes += 1

    def earlier(self, claim: Claim) -> dict | None:
        found = self._claims.get((claim.scope, claim.key))
        if found is None:
            return None
        if found[0] != fingerprint(claim.payload):
            raise Conflict("idempotency_key_reused", field="Idempotency-Key")
        return json.loads(found[1])

    def mark_read(self, dialog_id: str) -> None:
        """Not versioned, as the real one: only `unread` changes."""
        if dialog_id in self._heads and self._heads[dialog_id][0].unread:
            head, version = self._heads[dialog_id]
            self._heads[dialog_id] = (replace(head, unread=False), version)

    def _version(self, dialog_id: str) -> int | None:
        return self._heads[dialog_id][1] if dialog_id in self._heads else None

    def _commit(self, claim: Claim, head_holds: bool, dialog: Dialog, message: Message, uploads: list[Upload],
                notice: Notice | None, charge: Charge | None, version: int) -> None:
        if (claim.scope, claim.key) in self._claims:
            raise SentBefore()
        if not head_holds:
            raise Stale()
        sk = f"{sort_stamp(message.sent_at)}#{message.message_id}"
        dedupe = f"dialog:{dialog.dialog_id}:{message.message_id}"
        taken = any(u.upload_id not in self._uploads or self._uploads[u.upload_id].owner != u.owner
                    or self._uploads[u.upload_id].used_by is not None for u in uploads)
        if (taken or sk in self._messages.get(dialog.dialog_id, {}) or (notice is not None and dedupe in self.notices)
                or (charge is not None and charge.source in self.charges)):
            raise Conflict("attachment_used", field="attachments")
        self._claims[(claim.scope, claim.key)] = (fingerprint(claim.payload), json.dumps(claim.result))
        self._put_head(dialog, version)
        self._messages.setdefault(dialog.dialog_id, {})[sk] = _kept_message(message)
        for u in uploads:
            self._uploads[u.upload_id] = replace(self._uploads[u.upload_id], used_by=dialog.dialog_id)
            self._expires.pop(u.upload_id, None)
        if notice is not None:
            self.notices[dedupe] = replace(notice, params=dict(notice.params))
        if charge is not None:
            self.charges[charge.source] = replace(charge, fee_ore=int(charge.fee_ore))
        self.writes += 1

    def _put_head(self, dialog: Dialog, version: int) -> None:
        self._heads[dialog.dialog_id] = (_kept(dialog), version)
        for box in dialog.boxes:
            self._entries[(dialog.dialog_id, box)] = _entry(dialog)

    # --- what a write carried (the outbox's by_ref index, billing's charge) ---
    def about(self, ref: str) -> list[Notice]:
        return [n for n in self.notices.values() if n.ref == ref]

    def charge(self, source: str) -> Charge | None:
        return self.charges.get(source)

    # --- uploads ---
    def put_upload(self, upload: Upload, now: datetime, keep_seconds: int = 86400) -> None:
        if upload.upload_id in self._uploads:
            raise Refused()
        self._uploads[upload.upload_id] = _kept_upload(upload)
        self._expires[upload.upload_id] = now

    def uploads(self, upload_ids: list[str]) -> dict[str, Upload]:
        return {u: self._uploads[u] for u in dict.fromkeys(upload_ids) if u in self._uploads}

    # --- settings ---
    def settings(self, clinic_id: str) -> DialogSettings:
        return self._settings.get(clinic_id) or DialogSettings()

    def put_settings(self, clinic_id: str, s: DialogSettings) -> None:
        self._settings[clinic_id] = DialogSettings(
            patient_kinds=frozenset(s.patient_kinds), offered_by=frozenset(s.offered_by),
            substitutes={k: tuple(v) for k, v in s.substitutes.items()},
            routing={**DEFAULT_ROUTING, **{k: Route(v.mode, tuple(v.recipients)) for k, v in s.routing.items()}},
            groups={k: Group(g.name, tuple(g.members)) for k, g in s.groups.items()})


class FakePrices:
    """core.billing.Billing's tariff and invoice reads in memory (with the writes payments and the
    clinic's tariff loading do): a tariff table per clinic and period, invoices per patient."""

    INVOICES = 50

    def __init__(self) -> None:
        self._tariffs: dict[tuple[str, date], dict[str, Tariff]] = {}
        self._invoices: dict[str, tuple[str, Invoice]] = {}    # invoice id -> (patient id, invoice)

    def put_tariffs(self, clinic_id: str, start: date, codes: dict[str, Tariff]) -> None:
        if start != period_start(start):
            raise ValueError("a tariff period starts on 1 July")
        self._tariffs[(clinic_id, start)] = {c: Tariff(c, t.text, int(t.fee_ore)) for c, t in codes.items()}

    def tariff(self, clinic_id: str, code: str, day: date) -> Tariff | None:
        return self._tariffs.get((clinic_id, period_start(day)), {}).get(code)

    def put_invoice(self, patient_id: str, invoice: Invoice) -> None:
        self._invoices[invoice.invoice_id] = (patient_id, invoice)

    def invoices(self, patient_id: str, clinic_id: str) -> list[Invoice]:
        mine = sorted(((i.issued.isoformat(), i.invoice_id), i) for p, i in self._invoices.values() if p == patient_id)
        return [i for _, i in reversed(mine) if i.clinic_id == clinic_id][:self.INVOICES]

    def invoice(self, patient_id: str, invoice_id: str) -> Invoice | None:
        found = self._invoices.get(invoice_id)
        return found[1] if found and found[0] == patient_id else None


class FakePeople:
    """core.people.ProfilePeople in memory: a name and a birth date per patient."""

    def __init__(self) -> None:
        self._people: dict[str, Person] = {}

    def put(self, person: Person) -> None:
        self._people[person.patient_id] = person

    def person(self, patient_id: str) -> Person | None:
        return self._people.get(patient_id)


class FakeFiles:
    """core.files.S3FileStore in memory: server-made keys under the prefix, and a "presigned" URL that
    names the key and the Content-Disposition."""

    def __init__(self) -> None:
        self.objects: dict[str, tuple[bytes, str]] = {}

    def put(self, prefix: str, data: bytes, kind: str) -> str:
        key = f"{prefix}/{secrets.token_hex(12)}.{SUFFIX[kind]}"
        self.objects[key] = (data, kind)
        return key

    def url(self, key: str, disposition: str | None = None) -> str:
        extra = f"&response-content-disposition={quote(disposition)}" if disposition else ""
        return f"https://files.example/{key}?expires=300{extra}"


@dataclass
class DialogFakes:
    """The fakes of one dialogs function, wired as services.build wires the real ones."""

    clock: Clock
    repo: FakeDialogs = field(default_factory=FakeDialogs)
    directory: FakeDirectory = field(default_factory=FakeDirectory)
    people: FakePeople = field(default_factory=FakePeople)
    prices: FakePrices = field(default_factory=FakePrices)
    files: FakeFiles = field(default_factory=FakeFiles)
    access_log: FakeAccessLog = field(init=False)

    def __post_init__(self) -> None:
        self.access_log = FakeAccessLog(self.clock, self.directory)
