"""Records of the dialogs package (table `dialogs`). Keys are built only here and in repository.py.

Access patterns (never a Scan):
  Innboks, newest first                 Query index by_patient: patient_pk=PAT#<id>, patient_sk=<updated>#<id>
  unread dialogs of a patient           Query index unread: unread_pk=PAT#<id> (sparse: only while unread)
  a dialog: head, messages, inboxes     Query pk=DLG#<id>                                     (1 call)
  a clinic inbox, newest first          Query index by_box: box_pk=CLINIC#<c>#<inbox>, box_sk=<updated>#<id>
  the journal (closed e-consultations)  Query index journal: journal_pk=CLINIC#<c>, journal_sk=<closed>#<id>
  an upload (until a message uses it)   GetItem pk=UPL#<id>, sk=UPLOAD
  a clinic's settings                   GetItem pk=CLINIC#<id>, sk=SETTINGS
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


class ByPatient(GlobalSecondaryIndex):
    class Meta:
        index_name = "by_patient"
        projection = AllProjection()

    patient_pk = UnicodeAttribute(hash_key=True)
    patient_sk = UnicodeAttribute(range_key=True)


class Unread(GlobalSecondaryIndex):
    class Meta:
        index_name = "unread"
        projection = AllProjection()

    unread_pk = UnicodeAttribute(hash_key=True)
    patient_sk = UnicodeAttribute(range_key=True)


class ByBox(GlobalSecondaryIndex):
    class Meta:
        index_name = "by_box"
        projection = AllProjection()

    box_pk = UnicodeAttribute(hash_key=True)
    box_sk = UnicodeAttribute(range_key=True)


class Journal(GlobalSecondaryIndex):
    class Meta:
        index_name = "journal"
        projection = KeysOnlyProjection()

    journal_pk = UnicodeAttribute(hash_key=True)
    journal_sk = UnicodeAttribute(range_key=True)


class AttachmentMap(MapAttribute):
    id = UnicodeAttribute()
    name = UnicodeAttribute()
    kind = UnicodeAttribute()
    size = NumberAttribute()
    key = UnicodeAttribute()


@table("dialogs")
class DialogRecord(BaseRecord):
    """Every item of a dialog's partition: the head (sk=HEAD), messages (MSG#) and inbox entries (BOX#)."""
    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    # head and inbox entries
    clinic_id = UnicodeAttribute(null=True)
    kind = UnicodeAttribute(null=True)
    status = UnicodeAttribute(null=True)
    title = UnicodeAttribute(null=True)
    updated_at = UTCDateTimeAttribute(null=True)
    patient_id = UnicodeAttribute(null=True)
    patient_name = UnicodeAttribute(null=True)
    # head
    clinic_name = UnicodeAttribute(null=True)
    channel = UnicodeAttribute(null=True)
    origin = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute(null=True)
    from_name = UnicodeAttribute(null=True)
    boxes = UnicodeSetAttribute(null=True)
    unread = BooleanAttribute(null=True)
    shareable = BooleanAttribute(null=True)
    answer_code = UnicodeAttribute(null=True)
    prescription = MapAttribute(null=True)
    invoice = MapAttribute(null=True)
    attachment_bytes = NumberAttribute(null=True)
    delivery = UnicodeAttribute(null=True)
    closed_at = UTCDateTimeAttribute(null=True)
    version = NumberAttribute(null=True)          # the head's optimistic lock (written whole each time)
    patient_pk = UnicodeAttribute(null=True)
    patient_sk = UnicodeAttribute(null=True)
    unread_pk = UnicodeAttribute(null=True)
    journal_pk = UnicodeAttribute(null=True)
    journal_sk = UnicodeAttribute(null=True)
    # inbox entries
    box_pk = UnicodeAttribute(null=True)
    box_sk = UnicodeAttribute(null=True)
    # messages
    sent_at = UTCDateTimeAttribute(null=True)
    author = UnicodeAttribute(null=True)
    author_id = UnicodeAttribute(null=True)
    author_name = UnicodeAttribute(null=True)
    text = UnicodeAttribute(null=True)
    attachments = ListAttribute(of=AttachmentMap, null=True)
    closes = BooleanAttribute(null=True)

    by_patient = ByPatient()
    unread_index = Unread()
    by_box = ByBox()
    journal = Journal()


@table("dialogs")
class UploadRecord(BaseRecord):
    """A file sent before the message that uses it; kept a day unless a message takes it."""
    pk = UnicodeAttribute(hash_key=True)          # UPL#<id>
    sk = UnicodeAttribute(range_key=True, default="UPLOAD")
    owner = UnicodeAttribute()                    # patient:<id> | staff:<clinic>:<id>
    key = UnicodeAttribute()
    kind = UnicodeAttribute()
    size = NumberAttribute()
    name = UnicodeAttribute()
    used_by = UnicodeAttribute(null=True)         # the dialog that took it
    expires_at = TTLAttribute(null=True)


@table("dialogs")
class DialogSettingsRecord(BaseRecord):
    pk = UnicodeAttribute(hash_key=True)          # CLINIC#<id>
    sk = UnicodeAttribute(range_key=True, default="SETTINGS")
    patient_kinds = UnicodeSetAttribute(null=True)
    offered_by = UnicodeSetAttribute(null=True)
    substitutes = MapAttribute(null=True)         # gp -> [staff]
    routing = MapAttribute(null=True)             # kind -> {"mode", "recipients": [..]}
    groups = MapAttribute(null=True)              # id -> {"name", "members": [..]}
