"""Notices leave through an outbox, drained by a job of its own: a request never waits on e-mail
or SMS, and no feature package needs another's contact data.

A feature enqueues a `Notice`: a patient id, a message code and a link (R28, R56: never health
information, only that there is something, and where to log in). The drain resolves the address
and channel (core.contacts: R9, e-mail before SMS), renders the text and sends it.

Sent once: enqueue is idempotent by `dedupe_key`; each drain run claims a notice with a
conditional update and a lease before sending, so two overlapping drains never both send it, and
marks it sent only under its own claim. The one case that can send twice: a run that crashes (or
outlives its lease) after the provider accepted the message and before the mark — the notice is
claimed again when the lease has run out, and sent again."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from functions.core import messages, notice_texts  # noqa: F401 - every notice text, where it is sent
from functions.core.clock import Clock, sort_stamp
from functions.core.contacts import ContactBook, reach
from functions.core.core_records import OutboxRecord
from functions.core.records import Refused
from functions.core.transactions import Transaction


@dataclass(frozen=True)
class Notice:
    patient_id: str
    code: str                       # <code>_subject / <code>_body (and <code>_sms) in core.messages
    link: str                       # a portal path, e.g. /nb/konsultasjoner.html
    params: dict[str, str] = field(default_factory=dict)   # safe words only: a clinic's name, a time
    only: str | None = None         # email | sms: this channel or none
    ref: str | None = None          # what it is about, for listing (e.g. booking#<clinic>#<appointment>)


@dataclass(frozen=True)
class Message:
    channel: str      # email | sms
    recipient: str
    subject: str
    body: str
    created_at: datetime | None = None
    sent_at: datetime | None = None
    patient_id: str | None = None
    code: str | None = None
    outcome: str | None = None


def render(notice_code: str, params: dict[str, str], url: str, channel: str, lang: str = "nb") -> tuple[str, str]:
    """(subject, body) of a notice in a language; an SMS uses <code>_sms when there is one."""
    values = {**params, "url": url}
    subject = messages.text(f"{notice_code}_subject", lang, **values)
    sms = f"{notice_code}_sms"
    body_code = sms if channel == "sms" and messages.known(sms) else f"{notice_code}_body"
    return subject, messages.text(body_code, lang, **values)


class Outbox:
    MAX_ATTEMPTS = 5
    LEASE = timedelta(seconds=60)

    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    def enqueue(self, notice: Notice, dedupe_key: str) -> bool:
        """False if a notice with this key was already enqueued (it is sent once)."""
        try:
            self._record(notice, dedupe_key).save(OutboxRecord.pk.does_not_exist())
        except Refused:
            return False
        return True

    def enqueue_in(self, transaction: Transaction, notice: Notice, dedupe_key: str) -> int:
        """Enqueue inside the caller's transaction: the notice exists exactly when what it tells of does."""
        return transaction.put(self._record(notice, dedupe_key), OutboxRecord.pk.does_not_exist())

    def _record(self, notice: Notice, dedupe_key: str) -> OutboxRecord:
        now = self._clock.now()
        key = hashlib.sha256(dedupe_key.encode()).hexdigest()[:32]
        return OutboxRecord(f"MSG#{key}", "MSG", patient_id=notice.patient_id, code=notice.code, link=notice.link,
                            params=dict(notice.params), only=notice.only, ref=notice.ref, pending="PENDING",
                            day=now.date().isoformat(), created=sort_stamp(now), created_at=now,
                            expires_at=now + timedelta(days=90))

    def drain(self, sender, contacts: ContactBook, base_url: str, limit: int = 100) -> int:
        """Claim, resolve, send and mark each pending notice; returns how many this run sent."""
        run = secrets.token_hex(8)
        sent = 0
        for key in OutboxRecord.pending_index.query("PENDING", limit=limit):
            record = self._claim(key.pk, run)
            if record is not None and self._deliver(record, sender, contacts, base_url, run):
                sent += 1
        return sent

    def _claim(self, pk: str, run: str) -> OutboxRecord | None:
        """One conditional update: still pending and no live lease of another run -> ours."""
        now = self._clock.now()
        record = OutboxRecord(pk, "MSG")
        free = OutboxRecord.lease_until.does_not_exist() | (OutboxRecord.lease_until < now)
        try:
            record.update(actions=[OutboxRecord.claim.set(run), OutboxRecord.lease_until.set(now + self.LEASE)],
                          condition=(OutboxRecord.pending == "PENDING") & free)
        except Refused:
            return None   # sent, dead, or held by another run meanwhile
        return record

    def _deliver(self, record: OutboxRecord, sender, contacts: ContactBook, base_url: str, run: str) -> bool:
        target = reach(contacts.fields(record.patient_id), record.only)
        if target is None:
            self._finish(record, run, "no_contact")
            return False
        params = record.params.as_dict() if record.params else {}
        subject, body = render(record.code, params, base_url + record.link, target.channel)
        try:
            sender.send(Message(target.channel, target.address, subject, body))
        except Exception:  # noqa: BLE001 - counted; the next drain tries again, DEAD after MAX_ATTEMPTS
            self._failed(record, run)
            return False
        self._finish(record, run, "sent", target.channel, target.address, subject, body)
        return True

    def _finish(self, record: OutboxRecord, run: str, outcome: str, channel: str | None = None,
                recipient: str | None = None, subject: str = "", body: str = "") -> None:
        actions = [OutboxRecord.pending.remove(), OutboxRecord.outcome.set(outcome),
                   OutboxRecord.lease_until.remove(), OutboxRecord.sent_at.set(self._clock.now())]
        if channel is not None:
            actions += [OutboxRecord.channel.set(channel), OutboxRecord.recipient.set(recipient),
                        OutboxRecord.subject.set(subject), OutboxRecord.body.set(body)]
        self._under_claim(record, run, actions)

    def _failed(self, record: OutboxRecord, run: str) -> None:
        dead = (record.attempts or 0) + 1 >= self.MAX_ATTEMPTS
        actions = [OutboxRecord.attempts.add(1), OutboxRecord.lease_until.remove()]
        if dead:
            actions += [OutboxRecord.pending.set("DEAD"), OutboxRecord.outcome.set("dead")]
        self._under_claim(record, run, actions)

    @staticmethod
    def _under_claim(record: OutboxRecord, run: str, actions: list) -> None:
        try:
            record.update(actions=actions, condition=OutboxRecord.claim == run)
        except Refused:
            return   # our lease ran out and another run took the notice over: it decides now

    def about(self, ref: str) -> list[Message]:
        """The notices enqueued about one thing, oldest first (one Query of the by_ref index)."""
        return [_message(r) for r in OutboxRecord.ref_index.query(ref)]

    def recent(self, days: int = 3) -> list[Message]:
        """Notices of the last days, sent or not (the local mailbox page)."""
        today = self._clock.now().date()
        found: list[Message] = []
        for back in range(days):
            day = (today - timedelta(days=back)).isoformat()
            found += [_message(r) for r in OutboxRecord.day_index.query(day, scan_index_forward=False)]
        return found


def _message(r: OutboxRecord) -> Message:
    return Message(r.channel or "", r.recipient or "", r.subject, r.body, r.created_at, r.sent_at, r.patient_id,
                   r.code, r.outcome)


class AwsSender:
    """E-mail through SES, SMS through SNS (moto's server locally)."""

    def __init__(self, ses, sns, sender_address: str) -> None:
        self._ses, self._sns, self._from = ses, sns, sender_address

    def send(self, message: Message) -> None:
        if message.channel == "email":
            self._ses.send_email(Source=self._from, Destination={"ToAddresses": [message.recipient]},
                                 Message={"Subject": {"Data": message.subject},
                                          "Body": {"Text": {"Data": message.body}}})
        else:
            self._sns.publish(PhoneNumber=message.recipient, Message=message.body)
