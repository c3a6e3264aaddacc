"""Hand-written in-memory fakes of booking's ports (functions/booking/ports.py): the booking
repository, the catalogue, the cap's places, the directory and the access log. They keep the real
stores' contracts (tests/contract/booking runs the same cases on both): one conditional write per
race, the same refusals (`Conflict` codes and fields), the same idempotent retries, the same
orderings and windows, timebok ownership, and the access log's paging. No mocks."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime

from functions.booking.catalog import Catalog
from functions.booking.items import parse, slot_pk, slot_sk, stamp
from functions.booking.model import BOOKED, REQUESTED, Appointment, BookingSettings, Interval, local_day
from functions.core.access_log import AccessEntry
from functions.core.actor import Actor
from functions.core.clock import Clock
from functions.core.directory import Clinic, Staff
from functions.core.errors import Conflict, NotFound
from functions.core.records import Refused


def _second(instant: datetime) -> datetime:
    return parse(stamp(instant))   # the table keeps times to the second


@dataclass
class _Item:
    """One item of the booking table: the appointment it reads as, and what the indexes see."""

    appointment: Appointment
    appointment_id: str | None = None   # the conditions' `appointment_id` (None on a free slot)
    offered: bool = False               # in the `free` index: patients may book it online now
    listed: bool = False                # in the patient's list (`by_patient`)
    day_id: str | None = None           # in the clinic's day list (`by_clinic_day`) under this id
    opened: datetime | None = None      # an unanswered request, put at (`open_requests`)
    booked_by: str | None = None
    waiting_since: datetime | None = None


class FakeBookingRepository:
    """functions.booking.repository.BookingRepository in memory. `catalogs` (a FakeCatalogRepository)
    knows which clinic owns a timebok, as the catalogue's OWNER item does for the real one."""

    def __init__(self, catalogs: FakeCatalogRepository | None = None) -> None:
        self._items: dict[tuple[str, str], _Item] = {}
        self._catalogs = catalogs
        self.writes = 0   # conditional and unconditional writes, for tests that count them

    # --- reads ---
    def free_starts(self, timebok_id: str, type_id: str, start: datetime, end: datetime) -> list[str]:
        first, last = stamp(start), stamp(end)
        starts = [stamp(a.start) for a in self._offered(timebok_id, type_id) if first <= stamp(a.start) <= last]
        return starts[:-1] if starts and starts[-1] == last else starts

    def free_slots(self, timebok_id: str, type_id: str, start: datetime, end: datetime,
                   limit: int | None = None) -> list[Appointment]:
        first, last = stamp(start), stamp(end)
        rows = [a for a in self._offered(timebok_id, type_id) if first <= stamp(a.start) <= last][:limit]
        return [a for a in rows if stamp(a.start) < last][:limit]

    def timebok_clinic(self, timebok_id: str) -> str | None:
        return self._catalogs.owners.get(timebok_id) if self._catalogs else None

    def slot(self, timebok_id: str, key: str) -> Appointment:
        if not key.startswith("SLOT#"):
            raise NotFound(field="slot_id")
        return self._get(slot_pk(timebok_id), key).appointment

    def of_patient(self, patient_id: str, after: datetime | None = None) -> list[Appointment]:
        rows = sorted((_patient_sk(i.appointment), key, i.appointment) for key, i in self._items.items()
                      if i.listed and i.appointment.patient_id == patient_id)
        return [a for sk, _, a in rows if after is None or sk > stamp(after)]

    def of_clinic_day(self, clinic_id: str, day: date) -> list[Appointment]:
        rows = sorted((f"{stamp(i.appointment.start)}#{i.day_id}", key, i.appointment)
                      for key, i in self._items.items() if i.day_id is not None
                      and i.appointment.clinic_id == clinic_id and local_day(i.appointment.start) == day)
        return [a for _, _, a in rows]

    def of_timebok(self, timebok_id: str, start: datetime, end: datetime) -> list[Appointment]:
        lo, hi, pk = f"SLOT#{stamp(start)}", f"SLOT#{stamp(end)}", slot_pk(timebok_id)
        return [i.appointment for (p, sk), i in sorted(self._items.items()) if p == pk and lo <= sk <= hi]

    # --- writes ---
    def book(self, slot: Appointment, patient_id: str, appointment_id: str, remark: str, by: str,
             now: datetime, sequence: int = 0, cap_entry: str | None = None) -> Appointment:
        return self.book_key(slot.timebok_id, slot.key, patient_id, appointment_id, remark, by, now, sequence,
                             online=False, cap_entry=cap_entry)

    def book_key(self, timebok_id: str, key: str, patient_id: str, appointment_id: str, remark: str, by: str,
                 now: datetime, sequence: int = 0, online: bool = True, cap_entry: str | None = None) -> Appointment:
        """One conditional write: free, in the future and (online) web-bookable -> booked (R18)."""
        item = self._items.get((slot_pk(timebok_id), key))
        a = item.appointment if item else None
        if a is None or a.status != "free" or not stamp(a.start) > stamp(now) or (online and not a.web_bookable):
            raise Conflict("slot_taken", field="slot_id")
        self.writes += 1
        item.appointment = replace(a, id=appointment_id, status=BOOKED, patient_id=patient_id, remark=remark,
                                   sequence=sequence, cap_entry=cap_entry or a.cap_entry)
        item.appointment_id, item.offered, item.listed, item.booked_by = appointment_id, False, True, by
        return item.appointment

    def undo(self, booked: Appointment, now: datetime) -> None:
        self._free_again(booked, reoffer=booked.web_bookable)

    def release(self, booked: Appointment, final: Appointment, now: datetime) -> None:
        self._history(booked, final)
        overbooked = booked.overbooking is not None
        reoffer = booked.start > now and not overbooked and booked.web_bookable
        if self._free_again(booked, reoffer) and overbooked:
            self._items.pop((slot_pk(booked.timebok_id), booked.key), None)

    def _free_again(self, booked: Appointment, reoffer: bool) -> bool:
        item = self._items.get((slot_pk(booked.timebok_id), booked.key))
        if item is None or item.appointment_id != booked.id:
            return False   # already released by an earlier (retried) call
        self.writes += 1
        item.appointment = replace(item.appointment, id=booked.key, status="free", patient_id=None, remark="",
                                   sequence=0, cap_entry=None, wish=None)
        item.appointment_id, item.listed, item.booked_by, item.waiting_since = None, False, None, None
        item.offered = item.offered or reoffer
        return True

    def _history(self, booked: Appointment, final: Appointment) -> None:
        sk = f"HIST#{stamp(booked.start)}#{booked.id}#{final.sequence}"
        if (slot_pk(booked.timebok_id), sk) in self._items:
            return   # the same copy from an earlier (retried) call
        self.writes += 1
        copy = replace(booked, key=sk, kind="history", status=final.status, start=_second(booked.start),
                       reason=final.reason, sequence=final.sequence, interval_end=None, web_bookable=True,
                       cap_entry=None, wish=None, overbooking=None)
        self._items[(slot_pk(booked.timebok_id), sk)] = _Item(copy, booked.id, listed=final.status != "moved",
                                                              day_id=booked.id)

    def set_status(self, appointment: Appointment, status: str, now: datetime) -> Appointment:
        pk = f"REQ#{appointment.id}" if appointment.kind == "request" else slot_pk(appointment.timebok_id)
        item = self._items.get((pk, appointment.key))
        if item is None or item.appointment_id != appointment.id:
            raise Conflict()
        self.writes += 1
        item.appointment = replace(item.appointment, status=status)
        return item.appointment

    def mark_waiting(self, appointment: Appointment, now: datetime) -> None:
        item = self._items.get((slot_pk(appointment.timebok_id), appointment.key))
        if item is None or item.appointment_id != appointment.id:
            raise Refused()   # the real one lets its refused condition through, too
        item.waiting_since = now

    # --- requests (Timeforespørsel) ---
    def put_request(self, request: Appointment, now: datetime) -> Appointment:
        key = (f"REQ#{request.id}", "REQ")
        if key in self._items:
            raise Conflict()
        self.writes += 1
        stored = replace(request, key="REQ", kind="request", status=REQUESTED, start=_second(request.start),
                         interval_end=_second(request.end), sequence=0, reason="", web_bookable=True)
        self._items[key] = _Item(stored, request.id, listed=True, day_id=request.id, opened=_second(now))
        return stored

    def open_requests(self):
        rows = sorted((f"{stamp(i.opened)}#{i.appointment.id}", i) for i in self._items.values() if i.opened)
        for _, item in rows:
            yield item.appointment, item.opened

    def request(self, request_id: str) -> Appointment:
        return self._get(f"REQ#{request_id}", "REQ").appointment

    def answer_request(self, request: Appointment, status: str, reason: str, now: datetime,
                       keep_in_patient_list: bool) -> Appointment:
        item = self._items.get((f"REQ#{request.id}", "REQ"))
        if item is None or item.appointment.status != REQUESTED:
            raise Conflict("already_answered")
        self.writes += 1
        item.appointment, item.opened = replace(item.appointment, status=status, reason=reason), None
        if not keep_in_patient_list:
            item.listed, item.day_id = False, None
        return item.appointment

    # --- publishing free times (clinic) ---
    def publish(self, slots: list[dict]) -> int:
        """Unconditional puts, as the real batch write (callers skip starts that have an item)."""
        for s in slots:
            key = slot_sk(s["start"])
            free = Appointment(id=key, key=key, kind="slot", clinic_id=s["clinic_id"], timebok_id=s["timebok_id"],
                               practitioner_id=s["practitioner_id"], type_id=s["type_id"], start=_second(s["start"]),
                               minutes=s["minutes"], status="free", video=s["video"], hidden=s["hidden"],
                               web_bookable=s["web_bookable"])
            self._items[(slot_pk(s["timebok_id"]), key)] = _Item(free, offered=s["web_bookable"], day_id="slot")
            self.writes += 1
        return len(slots)

    def withdraw(self, timebok_id: str, key: str) -> None:
        item = self._items.get((slot_pk(timebok_id), key))
        if item is None or item.appointment.status != "free":
            raise Conflict("slot_not_free", field="slot_id")
        del self._items[(slot_pk(timebok_id), key)]

    def put_booked(self, slot: dict, patient_id: str, appointment_id: str, remark: str, by: str,
                   now: datetime, overbook: bool, cap_entry: str | None = None) -> Appointment:
        key = slot_sk(slot["start"], appointment_id if overbook else None)
        if (slot_pk(slot["timebok_id"]), key) in self._items:
            raise Conflict("slot_taken", field="start")
        self.writes += 1
        booked = Appointment(id=appointment_id, key=key, kind="slot", clinic_id=slot["clinic_id"],
                             timebok_id=slot["timebok_id"], practitioner_id=slot["practitioner_id"],
                             type_id=slot["type_id"], start=_second(slot["start"]), minutes=slot["minutes"],
                             status=BOOKED, patient_id=patient_id, remark=remark, video=slot["video"],
                             hidden=slot["hidden"], web_bookable=slot["web_bookable"], cap_entry=cap_entry,
                             overbooking=appointment_id if overbook else None)
        self._items[(slot_pk(slot["timebok_id"]), key)] = _Item(booked, appointment_id, listed=True, day_id="slot",
                                                                booked_by=by)
        return booked

    # --- helpers ---
    def _get(self, pk: str, sk: str) -> _Item:
        if (pk, sk) not in self._items:
            raise NotFound()
        return self._items[(pk, sk)]

    def _offered(self, timebok_id: str, type_id: str) -> list[Appointment]:
        found = [i.appointment for i in self._items.values() if i.offered and i.appointment.kind == "slot"
                 and i.appointment.timebok_id == timebok_id and i.appointment.type_id == type_id]
        return sorted(found, key=lambda a: a.start)


def _patient_sk(a: Appointment) -> str:
    return f"{stamp(a.start)}#{a.id}"


class FakeCatalogRepository:
    """functions.booking.catalog.CatalogRepository in memory, reading back what it stores the way the
    real one does (a zero length, cap or expiry reads as the default; intervals to the minute)."""

    def __init__(self) -> None:
        self.owners: dict[str, str] = {}   # timebok id -> the clinic that first used it
        self._catalogs: dict[str, Catalog] = {}

    def load(self, clinic_id: str) -> Catalog:
        stored = self._catalogs.get(clinic_id) or Catalog(clinic_id)
        return Catalog(clinic_id, dict(stored.timebooks), dict(stored.types), stored.settings)

    def put_timebok(self, timebok) -> None:
        if self.owners.get(timebok.id, timebok.clinic_id) != timebok.clinic_id:
            raise Conflict("timebok_taken", field="timebok_id")
        self.owners[timebok.id] = timebok.clinic_id
        self._of(timebok.clinic_id).timebooks[timebok.id] = timebok

    def put_type(self, clinic_id: str, t) -> None:
        self._of(clinic_id).types[t.id] = replace(t, minutes=int(t.minutes or 15))

    def put_settings(self, clinic_id: str, s: BookingSettings) -> None:
        intervals = tuple(Interval(i.id, i.start.replace(second=0, microsecond=0),
                                   i.end.replace(second=0, microsecond=0)) for i in s.intervals)
        self._of(clinic_id).settings = replace(
            s, intervals=intervals, max_future_bookings=int(s.max_future_bookings or 3),
            request_expiry_days=int(s.request_expiry_days or 7), notices=bool(s.notices))

    def _of(self, clinic_id: str) -> Catalog:
        return self._catalogs.setdefault(clinic_id, Catalog(clinic_id))


class FakeCapRepository:
    """functions.booking.cap_repository.CapRepository in memory: one set and a version per patient
    and clinic; the set's attribute disappears when its last entry is given back, as DynamoDB's does."""

    def __init__(self) -> None:
        self._items: dict[tuple[str, str], tuple[frozenset[str] | None, int]] = {}

    def take(self, patient_id: str, clinic_id: str, entry: str, cap: int) -> bool:
        held, version = self._items.get((patient_id, clinic_id), (None, 0))
        if held is not None and len(held) >= cap:
            return False
        self._items[(patient_id, clinic_id)] = ((held or frozenset()) | {entry}, version + 1)
        return True

    def add(self, patient_id: str, clinic_id: str, entry: str) -> None:
        held, version = self._items.get((patient_id, clinic_id), (None, 0))
        self._items[(patient_id, clinic_id)] = ((held or frozenset()) | {entry}, version + 1)

    def give_back(self, patient_id: str, clinic_id: str, entry: str) -> bool:
        held, version = self._items.get((patient_id, clinic_id), (None, 0))
        if held is None:
            return False
        self._items[(patient_id, clinic_id)] = (held - {entry} or None, version + 1)
        return True

    def held(self, patient_id: str, clinic_id: str) -> tuple[frozenset[str], int]:
        held, version = self._items.get((patient_id, clinic_id), (None, 0))
        return held or frozenset(), version

    def rewrite(self, patient_id: str, clinic_id: str, entries: frozenset[str], version: int) -> bool:
        current = self._items.get((patient_id, clinic_id), (None, 0))[1]
        if current != version:
            return False
        self._items[(patient_id, clinic_id)] = (frozenset(entries) or None, version + 1)
        return True


@dataclass(frozen=True)
class FakeMembership:
    clinic_id: str
    gp_practitioner_id: str | None = None
    since: datetime | None = None


class FakeDirectory:
    """functions.core.directory.Directory in memory; put_clinic and add_member stand for the records
    the clinic onboarding and the accounts package write."""

    def __init__(self) -> None:
        self._clinics: dict[str, Clinic] = {}
        self._staff: dict[tuple[str, str], Staff] = {}
        self._members: dict[str, dict[str, FakeMembership]] = {}

    def put_clinic(self, clinic: Clinic) -> None:
        self._clinics[clinic.clinic_id] = clinic

    def add_member(self, patient_id: str, clinic_id: str, gp_practitioner_id: str | None = None,
                   since: datetime | None = None) -> None:
        self._members.setdefault(patient_id, {})[clinic_id] = FakeMembership(clinic_id, gp_practitioner_id, since)

    def clinic(self, clinic_id: str) -> Clinic | None:
        return self._clinics.get(clinic_id)

    def clinics(self, clinic_ids: list[str]) -> dict[str, Clinic]:
        return {c: self._clinics[c] for c in dict.fromkeys(clinic_ids) if c in self._clinics}

    def search(self, text: str, limit: int = 20) -> list[Clinic]:
        needle = text.strip().lower()
        ordered = sorted(self._clinics.values(), key=lambda c: f"{c.name.lower()}#{c.clinic_id}")
        return [c for c in ordered if needle in c.name.lower() or needle in c.place.lower()][:limit]

    def put_staff(self, staff: Staff) -> None:
        self._staff[(staff.clinic_id, staff.staff_id)] = staff

    def staff_of(self, clinic_id: str) -> list[Staff]:
        return [s for (c, _), s in sorted(self._staff.items()) if c == clinic_id]

    def staff(self, clinic_id: str, staff_id: str) -> Staff | None:
        return self._staff.get((clinic_id, staff_id))

    def is_member(self, patient_id: str, clinic_id: str) -> bool:
        return clinic_id in self._members.get(patient_id, {})

    def memberships(self, patient_id: str) -> list[FakeMembership]:
        return [m for _, m in sorted(self._members.get(patient_id, {}).items())]

    def describe(self, actor: Actor) -> tuple[str, str | None]:
        if actor.kind == "staff" and actor.clinic_id:
            staff, clinic = self.staff(actor.clinic_id, actor.actor_id), self.clinic(actor.clinic_id)
            return (staff.name if staff else actor.actor_id), (clinic.name if clinic else None)
        if actor.kind == "representative" and actor.actor_name:
            return actor.actor_name, None
        return actor.actor_id, None


class FakeAccessLog:
    """functions.core.access_log.AccessLog in memory: append-only, newest first, paged. The page key
    is opaque and JSON-safe (it goes into a signed cursor); like DynamoDB's, a full page always has
    one, even when nothing follows."""

    PAGE = 50

    def __init__(self, clock: Clock, names) -> None:
        self._clock, self._names = clock, names
        self._entries: dict[str, list[AccessEntry]] = {}

    def record(self, actor: Actor, patient_id: str, what: str, why: str) -> None:
        if actor.is_self:
            return
        actor_name, clinic_name = self._names.describe(actor)
        self._entries.setdefault(patient_id, []).append(AccessEntry(
            self._clock.now(), actor.kind, actor.actor_id, actor_name, actor.clinic_id, clinic_name, what, why))

    def page(self, patient_id: str, start_key: dict | None, limit: int = PAGE):
        newest_first = sorted(enumerate(self._entries.get(patient_id, [])), key=lambda e: (e[1].at, e[0]),
                              reverse=True)
        offset = int(start_key["offset"]) if start_key else 0
        entries = [e for _, e in newest_first[offset:offset + limit]]
        return entries, ({"offset": offset + limit} if len(entries) == limit else None)

    def entries(self, patient_id: str) -> list[AccessEntry]:
        """Everything written for a patient, oldest first (for assertions)."""
        return list(self._entries.get(patient_id, []))


@dataclass
class BookingFakes:
    """The fakes of one booking function, wired as services.build wires the real ones."""

    clock: Clock
    directory: FakeDirectory = field(default_factory=FakeDirectory)
    catalogs: FakeCatalogRepository = field(default_factory=FakeCatalogRepository)
    places: FakeCapRepository = field(default_factory=FakeCapRepository)
    repo: FakeBookingRepository = field(init=False)
    access_log: FakeAccessLog = field(init=False)

    def __post_init__(self) -> None:
        self.repo = FakeBookingRepository(self.catalogs)
        self.access_log = FakeAccessLog(self.clock, self.directory)
