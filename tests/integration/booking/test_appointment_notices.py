"""Appointment notices against moto (R24, R47, R48): booked, moved, cancelled, the reminder 48-24
hours before and "it is time" for video, each exactly once per appointment, kind and version, also
when two runs overlap, a run crashes midway, or the appointment moves. The jobs read the sparse
`due` index page by page (never a Scan)."""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from devstack.demo_booking import STORGATA
from functions.booking import notice_model, services
from functions.booking.catalog import CatalogRepository
from functions.booking.due_repository import DueRepository
from functions.booking.notice_model import NOW, REMIND
from functions.booking.notices_service import AppointmentNotices, ref_of
from functions.core.core_records import OutboxRecord
from functions.core.outbox import Outbox
from tests.support.aws_stack import moto_runtime

START = datetime.fromisoformat("2026-11-26T08:00:00+01:00")   # Thursday; the clock starts Monday 09:00
LATER = datetime.fromisoformat("2026-11-27T10:00:00+01:00")   # Friday


@pytest.fixture
def rt():
    with moto_runtime(demo=True, frozen=True) as runtime:
        yield runtime


def slot(start: datetime, timebok: str = "tb-lise") -> str:
    return f"{timebok}~{start.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"


def book(rt, start: datetime = START, timebok: str = "tb-lise", patient: str = "p-kari"):
    return services.build(rt).clinic.book(STORGATA, patient, slot(start, timebok), None, None, None, "", False)


def notices(rt, page: int = 100, outbox=None) -> AppointmentNotices:
    return AppointmentNotices(DueRepository(page), CatalogRepository(), rt.directory, outbox or rt.outbox,
                              rt.access_log, rt.clock)


def codes(rt, clinic: str, appointment_id: str) -> list[str]:
    return [m.code for m in rt.outbox.about(ref_of(clinic, appointment_id))]


def at(rt, instant: datetime) -> None:
    rt.clock.set(instant)


def test_r47_booking_is_confirmed_once_and_reminded_once_inside_48_to_24_hours(rt):
    booked = book(rt)
    job = notices(rt)
    assert job.run(NOW)["enqueued"] == 1
    assert job.run(NOW)["enqueued"] == 0          # handled: the stage moved on to the reminder
    assert job.run(REMIND)["handled"] == 0        # not due before 48 hours ahead
    at(rt, START - timedelta(hours=47))
    assert job.run(REMIND)["enqueued"] == 1
    assert job.run(REMIND)["handled"] == 0
    at(rt, START - timedelta(hours=30))
    assert job.run(REMIND)["handled"] == 0
    assert codes(rt, "c-storgata", booked.id) == ["appointment_booked", "appointment_reminder"]


def test_r47_a_reminder_run_that_comes_too_late_sends_nothing(rt):
    booked = book(rt)
    notices(rt).run(NOW)
    at(rt, START - timedelta(hours=23))           # the job did not run inside the window
    counts = notices(rt).run(REMIND)
    assert (counts["handled"], counts["enqueued"], counts["skipped"]) == (1, 0, 1)
    assert codes(rt, "c-storgata", booked.id) == ["appointment_booked"]


def test_r47_moving_gives_the_new_time_its_reminder_and_the_old_one_never_fires(rt):
    booked = book(rt)
    notices(rt).run(NOW)
    rt.clock.advance(minutes=5)
    moved = services.build(rt).clinic.move(STORGATA, slot(START), slot(LATER))
    assert notices(rt).run(NOW)["enqueued"] == 1  # "moved"
    at(rt, START - timedelta(hours=47))           # the old time's window: nothing is due any more
    assert notices(rt).run(REMIND)["handled"] == 0
    at(rt, LATER - timedelta(hours=47))
    assert notices(rt).run(REMIND)["enqueued"] == 1
    assert moved.id == booked.id
    assert codes(rt, "c-storgata", booked.id) == ["appointment_booked", "appointment_moved",
                                                  "appointment_reminder"]


def test_r47_a_cancelled_appointment_is_told_once_and_never_reminded(rt):
    booked = book(rt)
    notices(rt).run(NOW)
    rt.clock.advance(minutes=5)
    services.build(rt).clinic.cancel(STORGATA, slot(START), "Legen er syk")
    assert notices(rt).run(NOW)["enqueued"] == 1
    at(rt, START - timedelta(hours=47))
    assert notices(rt).run(REMIND)["handled"] == 0
    assert codes(rt, "c-storgata", booked.id) == ["appointment_booked", "appointment_cancelled"]


def test_r24_a_video_appointment_also_gets_it_is_time_15_minutes_before(rt):
    video = datetime.fromisoformat("2026-11-26T13:00:00+01:00")
    booked = book(rt, video)
    notices(rt).run(NOW)
    at(rt, video - timedelta(hours=40))
    notices(rt).run(REMIND)
    at(rt, video - timedelta(minutes=16))
    assert notices(rt).run(NOW)["handled"] == 0
    at(rt, video - timedelta(minutes=15))
    assert notices(rt).run(NOW)["enqueued"] == 1
    assert codes(rt, "c-storgata", booked.id) == ["appointment_booked", "appointment_reminder", "video_time"]


def test_r48_no_notice_where_the_timebok_has_them_off_and_the_stage_still_moves_on(rt):
    catalog = CatalogRepository().load("c-storgata")
    CatalogRepository().put_timebok(replace(catalog.timebooks["tb-lise"], notices=False))
    booked = book(rt)
    counts = notices(rt).run(NOW)
    assert (counts["enqueued"], counts["skipped"]) == (0, 1)
    at(rt, START - timedelta(hours=47))
    assert notices(rt).run(REMIND)["skipped"] == 1
    assert codes(rt, "c-storgata", booked.id) == []


def test_r48_no_notice_where_the_clinic_has_them_off(rt):
    catalog = CatalogRepository().load("c-storgata")
    CatalogRepository().put_settings("c-storgata", replace(catalog.settings, notices=False))
    booked = book(rt)
    assert notices(rt).run(NOW)["enqueued"] == 0
    assert codes(rt, "c-storgata", booked.id) == []


def test_two_overlapping_runs_claim_each_stage_once(rt):
    """Run A reads the index; run B claims and handles everything first; A's claims are refused."""
    for day in range(3):
        book(rt, START + timedelta(minutes=20 * day))
    a, b = notices(rt), notices(rt)
    seen = list(a._due.due(NOW, rt.clock.now()))      # A has read its page ...
    assert len(seen) == 3
    assert b.run(NOW)["enqueued"] == 3                # ... B runs to the end meanwhile
    assert not any(a._due.claim(d, "run-a", rt.clock.now(), timedelta(seconds=60)) for d in seen)
    assert OutboxRecord.count() == 3


class CrashAfterEnqueue(Outbox):
    def enqueue(self, notice, dedupe_key):
        super().enqueue(notice, dedupe_key)
        raise RuntimeError("the Lambda died here")


def test_a_run_that_crashes_after_enqueueing_is_finished_by_the_next_run_without_a_second_notice(rt):
    booked = book(rt)
    with pytest.raises(RuntimeError):
        notices(rt, outbox=CrashAfterEnqueue(rt.clock)).run(NOW)
    assert notices(rt).run(NOW)["busy"] == 1          # the crashed run's lease still holds
    rt.clock.advance(seconds=61)
    counts = notices(rt).run(NOW)
    assert counts["handled"] == 1                     # taken over after the lease ...
    assert codes(rt, "c-storgata", booked.id) == ["appointment_booked"]   # ... and nothing twice


def test_m3_the_job_reads_one_query_per_page_of_due_appointments(rt):
    for day in range(5):
        book(rt, START + timedelta(minutes=20 * day))
    counts = notices(rt, page=2).run(NOW)
    assert counts["handled"] == 5
    assert counts["queries"] == 3                     # pages of 2, 2 and 1


def test_r47_clinic_lists_what_was_sent_without_content_and_logs_the_read(rt):
    booked = book(rt)
    notices(rt).run(NOW)
    rows = services.build(rt).notices.sent_for(STORGATA, booked.id)
    assert [r["kind"] for r in rows] == [notice_model.BOOKED_NOTICE]
    assert set(rows[0]) == {"kind", "channel", "created_at", "sent_at", "outcome"}
    assert rows[0]["outcome"] == "pending"
    other = replace(STORGATA, clinic_id="c-fjordheim", actor_id="s-anne")
    assert services.build(rt).notices.sent_for(other, booked.id) == []
    entries, _ = rt.access_log.page("p-kari", None)
    assert any(e.what == "what_notices" for e in entries)
