"""The notices due for appointments: the sparse `due` index, read page by page (never a Scan), and
each stage claimed and advanced with conditional writes (functions/booking/notice_model.py)."""
from __future__ import annotations

from datetime import datetime, timedelta

from functions.booking.items import parse, stamp
from functions.booking.notice_model import Due, Stage
from functions.booking.records import BookingItemRecord as Item
from functions.core.records import Refused

PAGE = 100


def _due(r: Item) -> Due:
    return Due(pk=r.pk, sk=r.sk, partition=r.due_pk, at=r.due_at, kind=r.due_kind,
               appointment_id=r.appointment_id or "", patient_id=r.patient_id or "", clinic_id=r.clinic_id,
               timebok_id=r.timebok_id or "", type_id=r.type_id, start=parse(r.start), status=r.status,
               sequence=int(r.sequence or 0), video=bool(r.video))


class DueRepository:
    def __init__(self, page: int = PAGE) -> None:
        self._page = page
        self.queries = 0   # Query requests made (the M3 figure: one per page)

    def due(self, partition: str, until: datetime):
        """Every item of a partition due at or before `until`, oldest first: one Query per page."""
        last = None
        while True:
            self.queries += 1
            rows = Item.due_index.query(partition, Item.due_at <= stamp(until), limit=self._page,
                                        last_evaluated_key=last)
            yield from (_due(r) for r in rows)
            last = rows.last_evaluated_key
            if not last:
                return

    def claim(self, due: Due, run: str, now: datetime, lease: timedelta) -> bool:
        """One conditional update: the stage is still the one the index showed (not moved, cancelled
        or handled meanwhile) and no other run holds a live lease on it -> this run's."""
        free = Item.due_lease.does_not_exist() | (Item.due_lease < now)
        same = ((Item.due_pk == due.partition) & (Item.due_at == due.at) & (Item.due_kind == due.kind)
                & (Item.appointment_id == due.appointment_id) & (Item.sequence == due.sequence))
        try:
            Item(due.pk, due.sk).update(actions=[Item.due_claim.set(run), Item.due_lease.set(now + lease)],
                                        condition=same & free)
        except Refused:
            return False
        return True

    def advance(self, due: Due, run: str, stage: Stage | None) -> None:
        """The next stage (or none), only under this run's claim."""
        if stage is None:
            actions = [Item.due_pk.remove(), Item.due_at.remove(), Item.due_kind.remove()]
        else:
            actions = [Item.due_pk.set(stage.partition), Item.due_at.set(stamp(stage.at)),
                       Item.due_kind.set(stage.kind)]
        actions += [Item.due_claim.remove(), Item.due_lease.remove()]
        try:
            Item(due.pk, due.sk).update(actions=actions, condition=Item.due_claim == run)
        except Refused:
            return   # the lease ran out and another run took the stage over: it decides now

