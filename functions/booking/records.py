"""Records of the booking package (table `booking`).

Access patterns (never a Scan):
  month / day of free times of a timebok   Query index free: free_pk=TB#<id>, start between      (1 call)
  first free time of a clinic              Query index clinic_free: CLINIC#<id>, start >= now, limit 1
  a patient's appointments and requests    Query index by_patient: patient_pk=PAT#<id>          (1 call)
  a clinic's day                           Query index by_clinic_day: CLINIC#<id>#<date>        (1 call)
  a timebok's items in a range             Query pk=TB#<id>, sk between SLOT#from and SLOT#to
  book a slot                              UpdateItem pk=TB#<id>, sk=SLOT#<start> if status=free (1 write)
  clinic catalogue (timebøker, types, settings)  Query pk=CLINIC#<id>                         (1 call)
  request                                  GetItem pk=REQ#<id>, sk=REQ
  unanswered requests (expiry job)         Query index open_requests: open_pk=OPEN, oldest first
  notices due (notice jobs)                Query index due: due_pk=NOW|REMIND, due_at <= now, page by page
  owner (clinic) of a timebok              GetItem pk=TIMEBOK#<id>, sk=OWNER  (once per warm function)
  a timebok's waitlist, sign-up order      Query pk=WAIT#<timebok>                          (1 call per page)
  a patient's places under a clinic's cap  UpdateItem pk=CAP#<patient>, sk=CLINIC#<clinic> if size(held) < cap
"""
from __future__ import annotations

from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, KeysOnlyProjection

from functions.core.records import BaseRecord, table


class FreeIndex(GlobalSecondaryIndex):
    class Meta:
        index_name = "free"
        projection = AllProjection()

    free_pk = UnicodeAttribute(hash_key=True)
    start = UnicodeAttribute(range_key=True)


class ClinicFreeIndex(GlobalSecondaryIndex):
    class Meta:
        index_name = "clinic_free"
        projection = KeysOnlyProjection()

    clinic_free_pk = UnicodeAttribute(hash_key=True)
    start = UnicodeAttribute(range_key=True)


class PatientIndex(GlobalSecondaryIndex):
    class Meta:
        index_name = "by_patient"
        projection = AllProjection()

    patient_pk = UnicodeAttribute(hash_key=True)
    patient_sk = UnicodeAttribute(range_key=True)


class ClinicDayIndex(GlobalSecondaryIndex):
    class Meta:
        index_name = "by_clinic_day"
        projection = AllProjection()

    clinic_day = UnicodeAttribute(hash_key=True)
    start_sk = UnicodeAttribute(range_key=True)


class DueIndex(GlobalSecondaryIndex):
    """The next notice due for each appointment (sparse; functions/booking/notice_model.py)."""

    class Meta:
        index_name = "due"
        projection = AllProjection()

    due_pk = UnicodeAttribute(hash_key=True)
    due_at = UnicodeAttribute(range_key=True)


class OpenRequestIndex(GlobalSecondaryIndex):
    class Meta:
        index_name = "open_requests"
        projection = AllProjection()

    open_pk = UnicodeAttribute(hash_key=True)
    open_sk = UnicodeAttribute(range_key=True)


class WishMap(MapAttribute):
    since = UTCDateTimeAttribute()
    weekdays = ListAttribute(of=NumberAttribute, default=list)
    before = UnicodeAttribute(null=True)


@table("booking")
class BookingItemRecord(BaseRecord):
    """A slot (free or booked: then it is the appointment), a history copy, or a request."""

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    kind = UnicodeAttribute()                       # slot | history | request
    status = UnicodeAttribute()                     # free | R20a states
    start = UnicodeAttribute()                      # UTC ISO, sortable
    minutes = NumberAttribute()
    clinic_id = UnicodeAttribute()
    timebok_id = UnicodeAttribute(null=True)
    practitioner_id = UnicodeAttribute(null=True)
    type_id = UnicodeAttribute(null=True)
    video = BooleanAttribute(default=False)
    hidden = BooleanAttribute(default=False)
    web_bookable = BooleanAttribute(default=True)
    appointment_id = UnicodeAttribute(null=True)
    patient_id = UnicodeAttribute(null=True)
    remark = UnicodeAttribute(default="")
    reason = UnicodeAttribute(default="")
    sequence = NumberAttribute(default=0)
    booked_by = UnicodeAttribute(null=True)
    changed_at = UTCDateTimeAttribute(null=True)
    interval_end = UnicodeAttribute(null=True)      # requests: end of the wished interval
    waiting_since = UTCDateTimeAttribute(null=True)  # video: the patient entered the room
    free_pk = UnicodeAttribute(null=True)
    clinic_free_pk = UnicodeAttribute(null=True)
    patient_pk = UnicodeAttribute(null=True)
    patient_sk = UnicodeAttribute(null=True)
    clinic_day = UnicodeAttribute(null=True)
    start_sk = UnicodeAttribute(null=True)
    open_pk = UnicodeAttribute(null=True)           # "OPEN" while a request is unanswered (sparse)
    open_sk = UnicodeAttribute(null=True)           # <requested at>#<id>
    cap_entry = UnicodeAttribute(null=True)         # the appointment's place in its patient's CapRecord
    due_pk = UnicodeAttribute(null=True)            # NOW | REMIND while a notice is due (sparse index `due`)
    due_at = UnicodeAttribute(null=True)            # due from, UTC stamp
    due_kind = UnicodeAttribute(null=True)          # booked | moved | cancelled | reminder | video_time
    due_claim = UnicodeAttribute(null=True)         # the job run handling the stage
    due_lease = UTCDateTimeAttribute(null=True)     # ... until then
    free_index = FreeIndex()
    clinic_free_index = ClinicFreeIndex()
    patient_index = PatientIndex()
    clinic_day_index = ClinicDayIndex()
    open_request_index = OpenRequestIndex()
    due_index = DueIndex()
    wish = WishMap(null=True)                       # on the waitlist for an earlier time (WaitRecord)


@table("booking")
class WaitRecord(BaseRecord):
    """A timebok's waitlist, in sign-up order: pk WAIT#<timebok>, sk <since>#<appointment id>. The
    appointment's own item holds the wish too (`wish`); this entry is what a freed time reads (one
    Query). An entry whose appointment moved, ended or was cancelled is stale and dropped when met."""

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    patient_id = UnicodeAttribute()
    appointment_id = UnicodeAttribute()
    slot_sk = UnicodeAttribute()                    # the appointment's slot item
    start = UnicodeAttribute()                      # the appointment's time: only earlier times are offered
    type_id = UnicodeAttribute(null=True)
    clinic_id = UnicodeAttribute()
    weekdays = ListAttribute(of=NumberAttribute, default=list)
    before = UnicodeAttribute(null=True)            # YYYY-MM-DD
    expires_at = TTLAttribute(null=True)            # the appointment's end: an entry never outlives it


class IntervalMap(MapAttribute):
    id = UnicodeAttribute()
    start = UnicodeAttribute()
    end = UnicodeAttribute()


@table("booking")
class ClinicConfigRecord(BaseRecord):
    """Timebøker (sk TIMEBOK#), appointment types (sk TYPE#) and settings (sk BOOKING) of a clinic; and
    the owner of a timebok id (pk TIMEBOK#<id>, sk OWNER): slots live under TB#<id>, so an id is global."""

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    name = UnicodeAttribute(default="")
    practitioner_id = UnicodeAttribute(null=True)
    minutes = NumberAttribute(null=True)
    video = BooleanAttribute(default=False)
    hidden = BooleanAttribute(default=False)
    web_bookable = BooleanAttribute(default=True)
    intervals = ListAttribute(of=IntervalMap, null=True)
    cancel_deadline_hours = NumberAttribute(null=True)
    max_future_bookings = NumberAttribute(null=True)
    request_expiry_days = NumberAttribute(null=True)
    owner = UnicodeAttribute(null=True)             # sk OWNER: the clinic that owns the timebok id
    notices = BooleanAttribute(null=True)           # R48: settings (default off), timebok and type (default on)


@table("booking")
class CapRecord(BaseRecord):
    """A patient's places under one clinic's cap on future bookings and open requests
    (max_future_bookings): pk CAP#<patient>, sk CLINIC#<clinic>. `held` holds one entry
    `<appointment id>#<taken, epoch seconds>#<slot>` per booking, request or booking in flight;
    every write adds 1 to `version`, so a rewrite of `held` can be conditional on nothing else
    having changed it (docs/booking.md, "The cap")."""

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    held = UnicodeSetAttribute(null=True)
    version = NumberAttribute(null=True)

