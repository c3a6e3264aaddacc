"""Slots, appointments and requests behind one interface; every race decided by one conditional write."""
from __future__ import annotations

from datetime import datetime, timedelta

from pynamodb.exceptions import DoesNotExist

from functions.booking import notice_model
from functions.booking.items import day_keys, free_key, parse, patient_keys, slot_pk, slot_sk, stamp, to_appointment
from functions.booking.model import BOOKED, CANCELLED_BY_PATIENT, CANCELLED_BY_STAFF, REQUESTED, Appointment
from functions.booking.records import BookingItemRecord as Item
from functions.booking.records import ClinicConfigRecord
from functions.core.errors import Conflict, NotFound
from functions.core.records import Refused

__all__ = ["BookingRepository", "parse", "slot_pk", "slot_sk", "stamp", "to_appointment", "within"]

# The month calendar's Query, written out once: PynamoDB's expression builder would redo it per request.
_FREE_STARTS = {"IndexName": "free", "KeyConditionExpression": "#p = :p AND #s BETWEEN :a AND :b",
                "ProjectionExpression": "#s", "ExpressionAttributeNames": {"#p": "free_pk", "#s": "start"}}


class BookingRepository:
    # --- reads ---
    def free_starts(self, timebok_id: str, type_id: str, start: datetime, end: datetime) -> list[str]:
        """Sorted starts of the patient-bookable free times of one type in [start, end): one Query of
        the sparse `free` index, projected to the start only and read raw (the month calendar's hot path)."""
        first, last = stamp(start), stamp(end)
        table = Item._get_connection()
        request = {"TableName": table.table_name, **_FREE_STARTS, "ExpressionAttributeValues": {
            ":p": {"S": free_key(timebok_id, type_id)}, ":a": {"S": first}, ":b": {"S": last}}}
        starts: list[str] = []
        while True:
            answer = table.connection.client.query(**request)
            starts += [row["start"]["S"] for row in answer.get("Items", ())]
            if not answer.get("LastEvaluatedKey"):
                break
            request["ExclusiveStartKey"] = answer["LastEvaluatedKey"]
        if starts and starts[-1] == last:
            starts.pop()  # BETWEEN includes its end; the range does not
        return starts

    def free_slots(self, timebok_id: str, type_id: str, start: datetime, end: datetime,
                   limit: int | None = None) -> list[Appointment]:
        rows = Item.free_index.query(free_key(timebok_id, type_id), Item.start.between(stamp(start), stamp(end)),
                                     limit=limit)
        return [to_appointment(r) for r in rows if r.start < stamp(end)][:limit]

    def first_free(self, clinic_id: str, after: datetime) -> tuple[str, str] | None:
        for r in Item.clinic_free_index.query(f"CLINIC#{clinic_id}", Item.start > stamp(after), limit=1):
            return r.pk, r.sk
        return None

    def timebok_clinic(self, timebok_id: str) -> str | None:
        """The clinic that owns a timebok id (it never changes: callers may keep it)."""
        try:
            return ClinicConfigRecord.get(f"TIMEBOK#{timebok_id}", "OWNER").owner
        except DoesNotExist:
            return None

    def item(self, pk: str, sk: str) -> Appointment:
        try:
            return to_appointment(Item.get(pk, sk))
        except DoesNotExist as exc:
            raise NotFound() from exc

    def slot(self, timebok_id: str, key: str) -> Appointment:
        if not key.startswith("SLOT#"):
            raise NotFound(field="slot_id")
        return self.item(slot_pk(timebok_id), key)

    def of_patient(self, patient_id: str, after: datetime | None = None) -> list[Appointment]:
        """A patient's appointments and requests; with `after`, only those starting later (the
        index sorts by start, so the cap reads the future only, not the patient's whole history)."""
        since = Item.patient_sk > stamp(after) if after is not None else None
        return [to_appointment(r) for r in Item.patient_index.query(f"PAT#{patient_id}", since)]

    def of_clinic_day(self, clinic_id: str, day) -> list[Appointment]:
        return [to_appointment(r) for r in Item.clinic_day_index.query(f"CLINIC#{clinic_id}#{day.isoformat()}")]

    def of_timebok(self, timebok_id: str, start: datetime, end: datetime) -> list[Appointment]:
        rows = Item.query(slot_pk(timebok_id), Item.sk.between(f"SLOT#{stamp(start)}", f"SLOT#{stamp(end)}"))
        return [to_appointment(r) for r in rows]

    # --- writes ---
    def book(self, slot: Appointment, patient_id: str, appointment_id: str, remark: str, by: str,
             now: datetime, sequence: int = 0, cap_entry: str | None = None) -> Appointment:
        """Staff and moves: the slot is known; same single conditional write (R18)."""
        return self.book_key(slot.timebok_id, slot.key, patient_id, appointment_id, remark, by, now, sequence,
                             online=False, cap_entry=cap_entry)

    def book_key(self, timebok_id: str, key: str, patient_id: str, appointment_id: str, remark: str, by: str,
                 now: datetime, sequence: int = 0, online: bool = True, cap_entry: str | None = None) -> Appointment:
        """ONE conditional UpdateItem, returning the booked item: free, in the future and (online)
        bookable by patients -> booked with the patient's index keys and its place under the cap
        (`cap_entry`). No read before it (R18)."""
        record = Item(slot_pk(timebok_id), key)
        start = key.removeprefix("SLOT#").split("#")[0]
        condition = (Item.status == "free") & (Item.start > stamp(now))
        if online:
            condition &= Item.web_bookable == True  # noqa: E712 - a PynamoDB condition, not a comparison
        actions = [
            Item.status.set(BOOKED), Item.patient_id.set(patient_id), Item.appointment_id.set(appointment_id),
            Item.remark.set(remark), Item.booked_by.set(by), Item.changed_at.set(now), Item.sequence.set(sequence),
            Item.patient_pk.set(f"PAT#{patient_id}"), Item.patient_sk.set(f"{start}#{appointment_id}"),
            Item.free_pk.remove(), Item.clinic_free_pk.remove()]
        if cap_entry:
            actions.append(Item.cap_entry.set(cap_entry))
        actions += _due_actions(notice_model.first_stage(now, sequence))
        try:
            record.update(actions=actions, condition=condition)
        except Refused as exc:
            raise Conflict("slot_taken", field="slot_id") from exc
        return to_appointment(record)

    def undo(self, booked: Appointment, now: datetime) -> None:
        """Take back a booking that broke a rule checked after the write: free again."""
        self._free_again(booked, now, reoffer=booked.web_bookable)

    def release(self, booked: Appointment, final: Appointment, now: datetime) -> None:
        """Keep a history copy (idempotent key), then free the slot if it still holds this appointment."""
        self._history(booked, final, now)
        overbooked = booked.overbooking is not None
        reoffer = booked.start > now and not overbooked and booked.web_bookable
        if self._free_again(booked, now, reoffer) and overbooked:
            Item(slot_pk(booked.timebok_id), booked.key).delete(condition=Item.status == "free")

    def _free_again(self, booked: Appointment, now: datetime, reoffer: bool) -> bool:
        """The slot back to free if it still holds this appointment (False if it did not: a retry);
        offered to patients again only when `reoffer`."""
        actions = [Item.status.set("free"), Item.patient_id.remove(), Item.appointment_id.remove(),
                   Item.remark.set(""), Item.booked_by.remove(), Item.changed_at.set(now), Item.sequence.set(0),
                   Item.patient_pk.remove(), Item.patient_sk.remove(), Item.waiting_since.remove(),
                   Item.cap_entry.remove(), *_NO_DUE]  # the old time's notices never fire
        if reoffer:
            actions += [Item.free_pk.set(free_key(booked.timebok_id, booked.type_id)),
                        Item.clinic_free_pk.set(f"CLINIC#{booked.clinic_id}")]
        try:
            Item(slot_pk(booked.timebok_id), booked.key).update(actions=actions,
                                                                 condition=Item.appointment_id == booked.id)
        except Refused:
            return False  # already released by an earlier (retried) call
        return True

    def _history(self, booked: Appointment, final: Appointment, now: datetime) -> None:
        sk = f"HIST#{stamp(booked.start)}#{booked.id}#{final.sequence}"
        record = Item(slot_pk(booked.timebok_id), sk, kind="history", status=final.status,
                      start=stamp(booked.start), minutes=booked.minutes, clinic_id=booked.clinic_id,
                      timebok_id=booked.timebok_id, practitioner_id=booked.practitioner_id, type_id=booked.type_id,
                      video=booked.video, hidden=booked.hidden, appointment_id=booked.id,
                      patient_id=booked.patient_id, remark=booked.remark, reason=final.reason,
                      sequence=final.sequence, changed_at=now,
                      **_freed_due(final.status, now),
                      **(patient_keys(booked.patient_id, booked.start, booked.id) if final.status != "moved" else {}),
                      **day_keys(booked.clinic_id, booked.start, booked.id))
        try:
            record.save(Item.sk.does_not_exist())
        except Refused:
            return

    def set_status(self, appointment: Appointment, status: str, now: datetime) -> Appointment:
        record = Item(slot_pk(appointment.timebok_id) if appointment.kind != "request" else f"REQ#{appointment.id}",
                      appointment.key)
        try:
            record.update(actions=[Item.status.set(status), Item.changed_at.set(now)],
                          condition=Item.appointment_id == appointment.id)
        except Refused as exc:
            raise Conflict() from exc
        return to_appointment(record)

    def mark_waiting(self, appointment: Appointment, now: datetime) -> None:
        Item(slot_pk(appointment.timebok_id), appointment.key).update(
            actions=[Item.waiting_since.set(now)], condition=Item.appointment_id == appointment.id)

    # --- requests (Timeforespørsel) ---
    def put_request(self, request: Appointment, now: datetime) -> Appointment:
        record = Item(f"REQ#{request.id}", "REQ", kind="request", status=REQUESTED, start=stamp(request.start),
                      interval_end=stamp(request.end), minutes=request.minutes, clinic_id=request.clinic_id,
                      timebok_id=request.timebok_id, practitioner_id=request.practitioner_id, type_id=request.type_id,
                      video=request.video, hidden=request.hidden, appointment_id=request.id,
                      patient_id=request.patient_id, remark=request.remark, changed_at=now,
                      cap_entry=request.cap_entry, open_pk="OPEN", open_sk=f"{stamp(now)}#{request.id}",
                      **patient_keys(request.patient_id, request.start, request.id),
                      **day_keys(request.clinic_id, request.start, request.id))
        try:
            record.save(Item.pk.does_not_exist())
        except Refused as exc:
            raise Conflict() from exc
        return to_appointment(record)

    def open_requests(self):
        for r in Item.open_request_index.query("OPEN"):
            yield to_appointment(r), parse(r.open_sk.split("#")[0])

    def request(self, request_id: str) -> Appointment:
        return self.item(f"REQ#{request_id}", "REQ")

    def answer_request(self, request: Appointment, status: str, reason: str, now: datetime,
                       keep_in_patient_list: bool) -> Appointment:
        """requested -> accepted/rejected/expired, once (conditional)."""
        record = Item(f"REQ#{request.id}", "REQ")
        actions = [Item.status.set(status), Item.reason.set(reason), Item.changed_at.set(now),
                   Item.open_pk.remove(), Item.open_sk.remove()]
        if not keep_in_patient_list:
            actions += [Item.patient_pk.remove(), Item.patient_sk.remove(), Item.clinic_day.remove()]
        try:
            record.update(actions=actions, condition=Item.status == REQUESTED)
        except Refused as exc:
            raise Conflict("already_answered") from exc
        return to_appointment(record)

    # --- publishing free times (clinic) ---
    def publish(self, slots: list[dict]) -> int:
        """BatchWriteItem: ceil(N/25) requests. Callers skip starts that already have an item."""
        with Item.batch_write() as batch:
            for s in slots:
                batch.save(Item(slot_pk(s["timebok_id"]), slot_sk(s["start"]), kind="slot", status="free",
                                start=stamp(s["start"]), minutes=s["minutes"], clinic_id=s["clinic_id"],
                                timebok_id=s["timebok_id"], practitioner_id=s["practitioner_id"],
                                type_id=s["type_id"], video=s["video"], hidden=s["hidden"],
                                web_bookable=s["web_bookable"],
                                free_pk=free_key(s["timebok_id"], s["type_id"]) if s["web_bookable"] else None,
                                clinic_free_pk=f"CLINIC#{s['clinic_id']}" if s["web_bookable"] else None,
                                **day_keys(s["clinic_id"], s["start"], "slot")))
        return len(slots)

    def withdraw(self, timebok_id: str, key: str) -> None:
        try:
            Item(slot_pk(timebok_id), key).delete(condition=Item.status == "free")
        except Refused as exc:  # a booked slot is never withdrawn
            raise Conflict("slot_not_free", field="slot_id") from exc

    def put_booked(self, slot: dict, patient_id: str, appointment_id: str, remark: str, by: str,
                   now: datetime, overbook: bool, cap_entry: str | None = None) -> Appointment:
        """A staff booking at a time with no published slot (or an explicit overbooking, R18)."""
        pk = slot_pk(slot["timebok_id"])
        sk = slot_sk(slot["start"], appointment_id if overbook else None)
        record = Item(pk, sk, kind="slot", status=BOOKED, start=stamp(slot["start"]), minutes=slot["minutes"],
                      clinic_id=slot["clinic_id"], timebok_id=slot["timebok_id"],
                      practitioner_id=slot["practitioner_id"], type_id=slot["type_id"], video=slot["video"],
                      hidden=slot["hidden"], web_bookable=slot["web_bookable"], appointment_id=appointment_id,
                      patient_id=patient_id, remark=remark, booked_by=by, changed_at=now, cap_entry=cap_entry,
                      **_due_values(notice_model.first_stage(now, 0)),
                      **patient_keys(patient_id, slot["start"], appointment_id),
                      **day_keys(slot["clinic_id"], slot["start"], "slot"))
        try:
            record.save(Item.sk.does_not_exist())
        except Refused as exc:
            raise Conflict("slot_taken", field="start") from exc
        return to_appointment(record)


CANCELLED = (CANCELLED_BY_PATIENT, CANCELLED_BY_STAFF)
_NO_DUE = (Item.due_pk.remove(), Item.due_at.remove(), Item.due_kind.remove(), Item.due_claim.remove(),
           Item.due_lease.remove(), Item.wish.remove())   # ... and the wish for an earlier time ends


def _freed_due(status: str, now: datetime) -> dict:
    """A history copy of a cancelled appointment tells its patient (and the waitlist); one of a
    moved appointment only the waitlist (functions/booking/notice_model.py)."""
    if status in CANCELLED:
        return _due_values(notice_model.cancelled_stage(now))
    return _due_values(notice_model.freed_stage(now)) if status == "moved" else {}


def _due_values(stage: notice_model.Stage) -> dict:
    """The next notice due for an item (functions/booking/notice_model.py), as attributes."""
    return {"due_pk": stage.partition, "due_at": stamp(stage.at), "due_kind": stage.kind}


def _due_actions(stage: notice_model.Stage) -> list:
    return [Item.due_pk.set(stage.partition), Item.due_at.set(stamp(stage.at)), Item.due_kind.set(stage.kind),
            Item.due_claim.remove(), Item.due_lease.remove()]


def within(days: int, now: datetime) -> datetime:
    return now + timedelta(days=days)
