"""Notifications leave through an outbox, drained by a job: a request never waits on e-mail/SMS.

A notification never carries health information (R28, R56): only that there is something,
and a link. Enqueue is idempotent by `dedupe_key`."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from functions.core.clock import Clock, sort_stamp
from functions.core.core_records import OutboxRecord
from functions.core.records import Refused


@dataclass(frozen=True)
class Message:
    channel: str      # email | sms
    recipient: str
    subject: str
    body: str
    created_at: datetime | None = None
    sent_at: datetime | None = None


class Outbox:
    MAX_ATTEMPTS = 5

    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    def enqueue(self, message: Message, dedupe_key: str) -> bool:
        """False if a message with this key was already enqueued (sent once)."""
        now = self._clock.now()
        key = hashlib.sha256(dedupe_key.encode()).hexdigest()[:32]
        record = OutboxRecord(f"MSG#{key}", "MSG", channel=message.channel, recipient=message.recipient,
                              subject=message.subject, body=message.body, pending="PENDING",
                              day=now.date().isoformat(), created=sort_stamp(now), created_at=now,
                              expires_at=now + timedelta(days=90))
        try:
            record.save(OutboxRecord.pk.does_not_exist())
        except Refused:
            return False
        return True

    def drain(self, sender, limit: int = 100) -> int:
        """Send pending messages; each is marked sent with a conditional update (sent once)."""
        sent = 0
        for key in OutboxRecord.pending_index.query("PENDING", limit=limit):
            record = OutboxRecord.get(key.pk, key.sk)
            if record.pending != "PENDING":
                continue
            try:
                sender.send(Message(record.channel, record.recipient, record.subject, record.body))
            except Exception:  # noqa: BLE001 - counted and retried by the next drain
                record.update(actions=[OutboxRecord.attempts.add(1)])
                if record.attempts >= self.MAX_ATTEMPTS:
                    record.update(actions=[OutboxRecord.pending.set("DEAD")])
                continue
            record.update(actions=[OutboxRecord.pending.remove(), OutboxRecord.sent_at.set(self._clock.now())],
                          condition=OutboxRecord.pending == "PENDING")
            sent += 1
        return sent

    def recent(self, days: int = 3) -> list[Message]:
        """Sent and pending messages of the last days (the local mailbox page)."""
        today = self._clock.now().date()
        found: list[Message] = []
        for back in range(days):
            day = (today - timedelta(days=back)).isoformat()
            for r in OutboxRecord.day_index.query(day, scan_index_forward=False):
                found.append(Message(r.channel, r.recipient, r.subject, r.body, r.created_at, r.sent_at))
        return found


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
