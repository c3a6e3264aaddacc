"""The waitlist's storage: the wish on the appointment's own item (what the patient sees) and an
entry in the timebok's waitlist (what a freed time reads, in sign-up order, one Query per page).
Keys stay here (functions/booking/waitlist_model.py has the rules)."""
from __future__ import annotations

import contextlib
from datetime import date, datetime, timedelta

from pynamodb.exceptions import DoesNotExist

from functions.booking.items import parse, slot_pk, slot_sk, stamp, to_appointment
from functions.booking.model import BOOKED, Appointment, Wish
from functions.booking.records import BookingItemRecord as Item
from functions.booking.records import WaitRecord, WishMap
from functions.booking.waitlist_model import Waiting
from functions.core.errors import NotFound
from functions.core.records import Refused

PAGE = 100


def _pk(timebok_id: str) -> str:
    return f"WAIT#{timebok_id}"


def _sk(wish: Wish, appointment_id: str) -> str:
    return f"{stamp(wish.since)}#{appointment_id}"


def _waiting(r: WaitRecord) -> Waiting:
    wish = Wish(parse(r.sk.split("#")[0]), tuple(int(d) for d in r.weekdays or ()),
                date.fromisoformat(r.before) if r.before else None)
    return Waiting(r.sk, r.patient_id, r.appointment_id, r.slot_sk, parse(r.start), r.type_id, r.clinic_id, wish)


class WaitlistRepository:
    def __init__(self, page: int = PAGE) -> None:
        self._page = page
        self.queries = 0

    def put(self, appointment: Appointment, wish: Wish) -> None:
        """The entry first, then the wish on the appointment only while it still is this booked
        appointment; if that is refused the entry is taken back (and would be dropped as stale)."""
        entry = WaitRecord(_pk(appointment.timebok_id or ""), _sk(wish, appointment.id),
                           patient_id=appointment.patient_id, appointment_id=appointment.id, slot_sk=appointment.key,
                           start=stamp(appointment.start), type_id=appointment.type_id, clinic_id=appointment.clinic_id,
                           weekdays=list(wish.weekdays), before=wish.before.isoformat() if wish.before else None,
                           expires_at=appointment.end + timedelta(days=1))
        entry.save()
        value = WishMap(since=wish.since, weekdays=list(wish.weekdays),
                        before=wish.before.isoformat() if wish.before else None)
        try:
            Item(slot_pk(appointment.timebok_id or ""), appointment.key).update(
                actions=[Item.wish.set(value)],
                condition=(Item.appointment_id == appointment.id) & (Item.status == BOOKED))
        except Refused as exc:
            entry.delete()
            raise NotFound() from exc

    def remove(self, appointment: Appointment) -> None:
        if appointment.wish is None:
            return
        with contextlib.suppress(Refused):   # already released: the entry below is all that is left
            Item(slot_pk(appointment.timebok_id or ""), appointment.key).update(
                actions=[Item.wish.remove()], condition=Item.appointment_id == appointment.id)
        WaitRecord(_pk(appointment.timebok_id or ""), _sk(appointment.wish, appointment.id)).delete()

    def waiting(self, timebok_id: str):
        """A timebok's waitlist in sign-up order, one Query per page."""
        last = None
        while True:
            self.queries += 1
            rows = WaitRecord.query(_pk(timebok_id), limit=self._page, last_evaluated_key=last)
            yield from (_waiting(r) for r in rows)
            last = rows.last_evaluated_key
            if not last:
                return

    def current(self, timebok_id: str, waiting: Waiting) -> bool:
        """Whether the entry's appointment still is booked there and still waits (else: stale)."""
        try:
            r = Item.get(slot_pk(timebok_id), waiting.slot_key)
        except DoesNotExist:
            return False
        return r.appointment_id == waiting.appointment_id and r.status == BOOKED and r.wish is not None

    def drop(self, timebok_id: str, waiting: Waiting) -> None:
        WaitRecord(_pk(timebok_id), waiting.key).delete()

    def freed(self, timebok_id: str, start: datetime) -> Appointment | None:
        """The published time at `start` as it is now (free or taken again meanwhile)."""
        try:
            return to_appointment(Item.get(slot_pk(timebok_id), slot_sk(start)))
        except DoesNotExist:
            return None
