"""Start videokonsultasjon (R21): only from 15 minutes before until 2 hours after the start.
Records that the patient waits and hands out an unguessable, short-lived room token."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from functions.booking import model
from functions.booking.model import Appointment
from functions.booking.records import VideoRoomRecord
from functions.booking.repository import BookingRepository, slot_pk
from functions.core.clock import OSLO, iso
from functions.core.errors import Conflict, Invalid

TOKEN_LIFETIME = timedelta(minutes=30)


def open_room(repo: BookingRepository, appointment: Appointment, now: datetime) -> tuple[str, datetime]:
    if not appointment.video:
        raise Invalid("not_video", field="appointment_id")
    if not model.video_open(appointment, now):
        opens, closes = model.video_window(appointment)
        raise Conflict("video_not_open", extra={"opens_at": iso(opens), "closes_at": iso(closes)},
                       opens=opens.astimezone(OSLO).strftime("%d.%m.%Y %H:%M"),
                       closes=closes.astimezone(OSLO).strftime("%H:%M"))
    token = secrets.token_urlsafe(32)
    expires = now + TOKEN_LIFETIME
    VideoRoomRecord(f"VIDEO#{hashlib.sha256(token.encode()).hexdigest()}", appointment_id=appointment.id,
                    slot_pk=slot_pk(appointment.timebok_id), slot_sk=appointment.key,
                    patient_id=appointment.patient_id, expires_at=expires).save()
    repo.mark_waiting(appointment, now)
    return token, expires
