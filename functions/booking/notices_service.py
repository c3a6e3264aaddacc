"""Appointment notices (R24, R47, R48 through our own channels): the two due jobs and the clinic's
list of what was sent. Content-free (R28): the clinic's name, the time and a link, nothing else.

Exactly once per appointment, kind and version, whatever the runs do:
- each due stage is claimed with a conditional update and a lease (two overlapping runs: one wins);
- the notice is enqueued with an idempotent key (`appointment:<id>:<kind>:<sequence>`), so a run
  that crashed after enqueueing and before advancing re-enqueues nothing when the stage is claimed
  again after the lease;
- a move frees the old slot's item and its due attributes, so the old time's stages never fire,
  and the new item starts again with "moved" and its own reminder (a new sequence).
The outbox drain (functions/notices) then sends each notice once (functions/core/outbox.py)."""
from __future__ import annotations

import secrets
from datetime import timedelta

from functions.booking import notice_model
from functions.booking.catalog import Catalog, CatalogRepository
from functions.booking.due_repository import DueRepository
from functions.booking.notice_model import Due
from functions.core.access_log import AccessLog
from functions.core.actor import Actor
from functions.core.clock import Clock
from functions.core.directory import Directory
from functions.core.outbox import Notice, Outbox

LEASE = timedelta(seconds=60)


def ref_of(clinic_id: str, appointment_id: str) -> str:
    return f"booking#{clinic_id}#{appointment_id}"


class AppointmentNotices:
    def __init__(self, due: DueRepository, catalogs: CatalogRepository, directory: Directory, outbox: Outbox,
                 access_log: AccessLog, clock: Clock, on_freed=None) -> None:
        self._due, self._catalogs, self._directory = due, catalogs, directory
        self._outbox, self._log, self._clock = outbox, access_log, clock
        self._on_freed = on_freed   # the waitlist: a freed time is offered to those waiting for one

    def run(self, partition: str) -> dict:
        """Every stage due now in one partition (NOW or REMIND), page by page."""
        now, run = self._clock.now(), secrets.token_hex(8)
        catalogs: dict[str, Catalog] = {}
        names: dict[str, str] = {}
        counts = {"handled": 0, "enqueued": 0, "skipped": 0, "busy": 0}
        for due in self._due.due(partition, now):
            if not self._due.claim(due, run, now, LEASE):
                counts["busy"] += 1   # another run has it, or it changed since the index showed it
                continue
            if self._send(due, now, catalogs, names):
                counts["enqueued"] += 1
            else:
                counts["skipped"] += 1
            if due.kind in notice_model.FREES and self._on_freed:
                counts["offered"] = counts.get("offered", 0) + self._on_freed(due.timebok_id, due.start, now)
            self._due.advance(due, run, notice_model.next_stage(due))
            counts["handled"] += 1
        counts["queries"] = self._due.queries
        return counts

    def _send(self, due: Due, now, catalogs: dict, names: dict) -> bool:
        if not notice_model.worth_sending(due, now):
            return False
        if due.clinic_id not in catalogs:
            catalogs[due.clinic_id] = self._catalogs.load(due.clinic_id)
        catalog = catalogs[due.clinic_id]
        if not notice_model.enabled(catalog.settings, catalog.timebooks.get(due.timebok_id),
                                    catalog.types.get(due.type_id or "")):
            return False
        if due.clinic_id not in names:
            clinic = self._directory.clinic(due.clinic_id)
            names[due.clinic_id] = clinic.name if clinic else ""
        notice = Notice(due.patient_id, notice_model.CODES[due.kind], notice_model.LINK,
                        {"clinic": names[due.clinic_id], "time": notice_model.when(due.start)},
                        ref=ref_of(due.clinic_id, due.appointment_id))
        self._outbox.enqueue(notice, notice_model.dedupe_key(due))
        return True

    def sent_for(self, actor: Actor, appointment_id: str) -> list[dict]:
        """What was sent about one of the clinic's appointments: kind, channel, times and outcome,
        never the text. Read in the patient's access log (R55)."""
        clinic_id = actor.require_staff()
        found = self._outbox.about(ref_of(clinic_id, appointment_id))
        for patient_id in {m.patient_id for m in found if m.patient_id}:
            self._log.record(actor, patient_id, "what_notices", "why_clinic_notices")
        return [{"kind": notice_model.KIND_OF.get(m.code or "", m.code), "channel": m.channel or None,
                 "created_at": m.created_at, "sent_at": m.sent_at, "outcome": m.outcome or "pending"}
                for m in found]
