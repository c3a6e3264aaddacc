"""Records the shared kernel owns.

Access patterns (every one a GetItem, Query or conditional write; never a Scan):
  sessions table (hash pk):
    session by token hash         GetItem  pk=SESSION#<sha256(token)>
    id_token of a session         PutItem at login; DeleteItem pk=IDTOKEN#<sha256(token)> ReturnValues=ALL_OLD
                                  at logout (kept apart so the per-request GetItem stays small)
    sessions of a patient         Query    index by_patient: patient_id=<id>  (consent withdrawal, logout all)
    login state (one use)         DeleteItem pk=LOGIN#<state> with condition exists, ReturnValues=ALL_OLD
    rate-limit window             UpdateItem pk=RATE#<key>#<window> ADD n :1
    request already handled       PutItem  pk=IDEM#<scope>#<sha256(key)> if not exists (or a stale run);
                                  GetItem for the earlier result
  patients table (pk, sk):
    access log of a patient       Query    pk=PAT#<id>, sk begins_with ACCESS#  (newest first)
    patient of clinic?            GetItem  pk=PAT#<id>, sk=CLINIC#<clinic id>
    relations                     see core.relations (REL#<subject> / RELBY#<holder> items)
  clinics table (pk, sk):
    clinic                        GetItem  pk=CLINIC#<id>, sk=PROFILE
    clinic directory (search)     Query    index directory: directory=CLINIC (name/place matched in memory)
    staff member                  GetItem  pk=CLINIC#<id>, sk=STAFF#<staff id>
    credential by key id          GetItem  pk=CRED#<key id>, sk=CRED
  outbox table (pk, sk):
    enqueue once per dedupe key   PutItem  pk=MSG#<sha256(dedupe key)> if not exists
    pending messages (drain job)  Query    index pending: pending=PENDING, oldest first (sparse)
    messages of a day (mailbox)   Query    index by_day: day=<yyyy-mm-dd>
"""
from __future__ import annotations

from pynamodb.attributes import (
    BooleanAttribute,
    MapAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, KeysOnlyProjection

from functions.core.records import BaseRecord, table


def profile_key(patient_id: str) -> tuple[str, str]:
    """The profile item of a patient in the patients table (written by accounts, read by contacts)."""
    return f"PAT#{patient_id}", "PROFILE"


def relation_key(holder_id: str, subject_id: str) -> tuple[str, str]:
    """The holder's item of a relation: the holder may act for the subject."""
    return f"PAT#{holder_id}", f"REL#{subject_id}"


def reverse_relation_key(holder_id: str, subject_id: str) -> tuple[str, str]:
    """The same relation seen from the subject (who acts for me): written beside the holder's."""
    return f"PAT#{subject_id}", f"RELBY#{holder_id}"


class SessionsByPatient(GlobalSecondaryIndex):
    class Meta:
        index_name = "by_patient"
        projection = KeysOnlyProjection()

    patient_id = UnicodeAttribute(hash_key=True)


@table("sessions")
class SessionRecord(BaseRecord):
    pk = UnicodeAttribute(hash_key=True)
    patient_id = UnicodeAttribute()
    level = UnicodeAttribute()
    consent_version = UnicodeAttribute(null=True)
    csrf = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    last_seen = UTCDateTimeAttribute()
    expires_at = TTLAttribute()
    acting_for = UnicodeAttribute(null=True)   # the patient this session acts for (server-side, never a URL)
    by_patient = SessionsByPatient()


@table("sessions")
class LoginStateRecord(BaseRecord):
    pk = UnicodeAttribute(hash_key=True)
    nonce = UnicodeAttribute()
    code_verifier = UnicodeAttribute()
    level = UnicodeAttribute()
    next_path = UnicodeAttribute()
    browser_hash = UnicodeAttribute(null=True)   # sha256 of the login cookie that started this login
    expires_at = TTLAttribute()


@table("sessions")
class IdTokenRecord(BaseRecord):
    """The provider's id_token of a session, for id_token_hint at logout (it contains the pid:
    never in a cookie, a log or a session read)."""
    pk = UnicodeAttribute(hash_key=True)
    id_token = UnicodeAttribute()
    expires_at = TTLAttribute()


@table("sessions")
class IdempotencyRecord(BaseRecord):
    """A request already handled (core.idempotency): the payload's fingerprint and its result."""
    pk = UnicodeAttribute(hash_key=True)      # IDEM#<scope>#<sha256(key)>
    fingerprint = UnicodeAttribute()
    state = UnicodeAttribute()                # running | done
    result = UnicodeAttribute(null=True)      # JSON of the first answer
    started_at = UTCDateTimeAttribute()
    expires_at = TTLAttribute()


@table("sessions")
class RateRecord(BaseRecord):
    pk = UnicodeAttribute(hash_key=True)
    hits = NumberAttribute(default=0)
    expires_at = TTLAttribute()


@table("patients")
class AccessLogRecord(BaseRecord):
    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    at = UTCDateTimeAttribute()
    actor_kind = UnicodeAttribute()
    actor_id = UnicodeAttribute()
    actor_name = UnicodeAttribute()
    clinic_id = UnicodeAttribute(null=True)
    clinic_name = UnicodeAttribute(null=True)
    what = UnicodeAttribute()
    why = UnicodeAttribute()


@table("patients")
class RelationRecord(BaseRecord):
    """One direction of a relation (relation_key / reverse_relation_key): the same attributes on both."""
    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    holder_id = UnicodeAttribute()
    subject_id = UnicodeAttribute()
    kind = UnicodeAttribute()                     # parent | fullmakt
    holder_name = UnicodeAttribute(default="")
    subject_name = UnicodeAttribute(default="")
    subject_birth_date = UnicodeAttribute()       # yyyy-mm-dd
    subject_consent = UnicodeAttribute(null=True)
    valid_from = UnicodeAttribute(null=True)
    valid_until = UnicodeAttribute(null=True)
    source = UnicodeAttribute(default="")         # folkeregister | clinic | fullmakt
    created_at = UTCDateTimeAttribute()
    removed_at = UTCDateTimeAttribute(null=True)  # Fjern: kept as a tombstone, so a register sync never revives it


@table("patients")
class MembershipRecord(BaseRecord):
    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    clinic_id = UnicodeAttribute()
    gp_practitioner_id = UnicodeAttribute(null=True)
    since = UTCDateTimeAttribute()


class DirectoryIndex(GlobalSecondaryIndex):
    class Meta:
        index_name = "directory"
        projection = AllProjection()

    directory = UnicodeAttribute(hash_key=True)
    name_key = UnicodeAttribute(range_key=True)


@table("clinics")
class ClinicRecord(BaseRecord):
    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    directory = UnicodeAttribute(default="CLINIC")   # the clinic directory (sparse: profiles only)
    name_key = UnicodeAttribute()                     # lower-case name + id, for ordering
    name = UnicodeAttribute()
    place = UnicodeAttribute(default="")
    phone = UnicodeAttribute(default="")
    website = UnicodeAttribute(null=True)
    booking_mode = UnicodeAttribute(default="timebok")   # timebok | request
    features = MapAttribute(default=dict)
    directory_index = DirectoryIndex()


@table("clinics")
class StaffRecord(BaseRecord):
    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    name = UnicodeAttribute()
    role = UnicodeAttribute(default="lege")
    active = BooleanAttribute(default=True)


@table("clinics")
class CredentialRecord(BaseRecord):
    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    clinic_id = UnicodeAttribute()
    secret_hash = UnicodeAttribute()
    label = UnicodeAttribute(default="")
    active = BooleanAttribute(default=True)


class PendingIndex(GlobalSecondaryIndex):
    class Meta:
        index_name = "pending"
        projection = KeysOnlyProjection()

    pending = UnicodeAttribute(hash_key=True)
    created = UnicodeAttribute(range_key=True)


class DayIndex(GlobalSecondaryIndex):
    class Meta:
        index_name = "by_day"
        projection = AllProjection()

    day = UnicodeAttribute(hash_key=True)
    created = UnicodeAttribute(range_key=True)


class RefIndex(GlobalSecondaryIndex):
    """The notices about one thing (an appointment): what the clinic API lists (sparse)."""

    class Meta:
        index_name = "by_ref"
        projection = AllProjection()

    ref = UnicodeAttribute(hash_key=True)
    created = UnicodeAttribute(range_key=True)


@table("outbox")
class OutboxRecord(BaseRecord):
    pk = UnicodeAttribute(hash_key=True)     # MSG#<hash of the dedupe key>: one item per message, ever
    sk = UnicodeAttribute(range_key=True, default="MSG")
    patient_id = UnicodeAttribute(null=True)  # whom the notice is for (the drain finds the address)
    code = UnicodeAttribute(null=True)        # message code: <code>_subject, <code>_body, <code>_sms
    link = UnicodeAttribute(null=True)        # a path on the portal (/nb/...): never personal data
    params = MapAttribute(default=dict)       # safe words for the text: a clinic's name, a time
    only = UnicodeAttribute(null=True)        # email | sms: this channel or none
    ref = UnicodeAttribute(null=True)         # what it is about, e.g. booking#<clinic>#<appointment> (by_ref)
    channel = UnicodeAttribute(null=True)     # email | sms, set when sent
    recipient = UnicodeAttribute(null=True)
    subject = UnicodeAttribute(default="")
    body = UnicodeAttribute(default="")
    pending = UnicodeAttribute(null=True)    # "PENDING" while unsent (sparse index), "DEAD" after retries
    outcome = UnicodeAttribute(null=True)    # sent | no_contact | dead
    claim = UnicodeAttribute(null=True)      # the drain run holding the lease
    lease_until = UTCDateTimeAttribute(null=True)
    day = UnicodeAttribute()                 # yyyy-mm-dd (mailbox listing)
    created = UnicodeAttribute()             # sortable stamp
    attempts = NumberAttribute(default=0)
    created_at = UTCDateTimeAttribute()
    sent_at = UTCDateTimeAttribute(null=True)
    expires_at = TTLAttribute(null=True)
    pending_index = PendingIndex()
    day_index = DayIndex()
    ref_index = RefIndex()
