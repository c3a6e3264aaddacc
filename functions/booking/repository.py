"""Slots, appointments and requests behind one interface; every race decided by one conditional write."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pynamodb.exceptions import DoesNotExist

from functions.booking.model import BOOKED, REQUESTED, Appointment, local_day
from functions.booking.records import BookingItemRecord as Item
from functions.core.clock import iso
from functions.core.errors import Conflict, NotFound
from functions.core.records import Refused


def stamp(instant: datetime) -> str:
    return iso(instant)


def parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def to_appointment(r: Item) -> Appointment:
    return Appointment(
        id=r.appointment_id or r.sk, key=r.sk, kind=r.kind, clinic_id=r.clinic_id, timebok_id=r.timebok_id,
        practitioner_id=r.practitioner_id, type_id=r.type_id, start=parse(r.start), minutes=int(r.minutes),
        status=r.status, patient_id=r.patient_id, remark=r.remark, sequence=int(r.sequence or 0),
        reason=r.reason, interval_end=parse(r.interval_end) if r.interval_end else None,
        video=bool(r.video), hidden=bool(r.hidden), web_bookable=bool(r.web_bookable))


def slot_pk(timebok_id: str) -> str:
    return f"TB#{timebok_id}"


def free_key(timebok_id: str, type_id: str | None) -> str:
    """The `free` index partition: one timebok's patient-bookable free times of one type."""
    return f"TB#{timebok_id}#{type_id}"


def slot_sk(start: datetime) -> str:
    return f"SLOT#{stamp(start)}"


def _patient_keys(patient_id: str, start: datetime, appointment_id: str) -> dict:
    return {"patient_pk": f"PAT#{patient_id}", "patient_sk": f"{stamp(start)}#{appointment_id}"}


def _day_keys(clinic_id: str, start: datetime, item_id: str) -> dict:
    return {"clinic_day": f"CLINIC#{clinic_id}#{local_day(start).isoformat()}",
            "start_sk": f"{stamp(start)}#{item_id}"}


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
             now: datetime, sequence: int = 0) -> Appointment:
        """Staff and moves: the slot is known; same single conditional write (R18)."""
        return self.book_key(slot.timebok_id, slot.key, patient_id, appointment_id, remark, by, now, sequence,
                             online=False)

    def book_key(self, timebok_id: str, key: str, patient_id: str, appointment_id: str, remark: str, by: str,
                 now: datetime, sequence: int = 0, online: bool = True) -> Appointment:
        """ONE conditional UpdateItem, returning the booked item: free, in the future and (online)
        bookable by patients -> booked with the patient's index keys. No read before it (R18)."""
        record = Item(slot_pk(timebok_id), key)
        start = key.removeprefix("SLOT#").split("#")[0]
        keys = {"patient_pk": f"PAT#{patient_id}", "patient_sk": f"{start}#{appointment_id}"}
        condition = (Item.status == "free") & (Item.start > stamp(now))
        if online:
            condition &= Item.web_bookable == True  # noqa: E712 - a PynamoDB condition, not a comparison
        try:
            record.update(actions=[
                Item.status.set(BOOKED), Item.patient_id.set(patient_id), Item.appointment_id.set(appointment_id),
                Item.remark.set(remark), Item.booked_by.set(by), Item.changed_at.set(now),
                Item.sequence.set(sequence), Item.patient_pk.set(keys["patient_pk"]),
                Item.patient_sk.set(keys["patient_sk"]), Item.free_pk.remove(), Item.clinic_free_pk.remove()],
                condition=condition)
        except Refused as exc:
            raise Conflict("slot_taken", field="slot_id") from exc
        return to_appointment(record)

    def undo(self, booked: Appointment, now: datetime) -> None:
        """Take back a booking that broke a rule checked after the write (the cap): free again."""
        self._free_again(booked, now, reoffer=booked.web_bookable)

    def release(self, booked: Appointment, final: Appointment, now: datetime) -> None:
        """Keep a history copy (idempotent key), then free the slot if it still holds this appointment."""
        self._history(booked, final, now)
        overbooked = "#OB#" in booked.key
        reoffer = booked.start > now and not overbooked and booked.web_bookable
        if self._free_again(booked, now, reoffer) and overbooked:
            Item(slot_pk(booked.timebok_id), booked.key).delete(condition=Item.status == "free")

    def _free_again(self, booked: Appointment, now: datetime, reoffer: bool) -> bool:
        """The slot back to free if it still holds this appointment (False if it did not: a retry);
        offered to patients again only when `reoffer`."""
        actions = [Item.status.set("free"), Item.patient_id.remove(), Item.appointment_id.remove(),
                   Item.remark.set(""), Item.booked_by.remove(), Item.changed_at.set(now), Item.sequence.set(0),
                   Item.patient_pk.remove(), Item.patient_sk.remove(), Item.waiting_since.remove()]
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
                      **(_patient_keys(booked.patient_id, booked.start, booked.id) if final.status != "moved" else {}),
                      **_day_keys(booked.clinic_id, booked.start, booked.id))
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
                      open_pk="OPEN", open_sk=f"{stamp(now)}#{request.id}",
                      **_patient_keys(request.patient_id, request.start, request.id),
                      **_day_keys(request.clinic_id, request.start, request.id))
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
                                **_day_keys(s["clinic_id"], s["start"], "slot")))
        return len(slots)

    def withdraw(self, timebok_id: str, key: str) -> None:
        try:
            Item(slot_pk(timebok_id), key).delete(condition=Item.status == "free")
        except Refused as exc:  # a booked slot is never withdrawn
            raise Conflict("slot_not_free", field="slot_id") from exc

    def put_booked(self, slot: dict, patient_id: str, appointment_id: str, remark: str, by: str,
                   now: datetime, overbook: bool) -> Appointment:
        """A staff booking at a time with no published slot (or an explicit overbooking, R18)."""
        pk = slot_pk(slot["timebok_id"])
        sk = slot_sk(slot["start"]) + (f"#OB#{appointment_id}" if overbook else "")
        record = Item(pk, sk, kind="slot", status=BOOKED, start=stamp(slot["start"]), minutes=slot["minutes"],
                      clinic_id=slot["clinic_id"], timebok_id=slot["timebok_id"],
                      practitioner_id=slot["practitioner_id"], type_id=slot["type_id"], video=slot["video"],
                      hidden=slot["hidden"], web_bookable=slot["web_bookable"], appointment_id=appointment_id,
                      patient_id=patient_id, remark=remark, booked_by=by, changed_at=now,
                      **_patient_keys(patient_id, slot["start"], appointment_id),
                      **_day_keys(slot["clinic_id"], slot["start"], "slot"))
        try:
            record.save(Item.sk.does_not_exist())
        except Refused as exc:
            raise Conflict("slot_taken", field="start") from exc
        return to_appointment(record)


def within(days: int, now: datetime) -> datetime:
    return now + timedelta(days=days)
