"""The waitlist against moto, "Gi meg beskjed om en tidligere time" (beyond the seeds; issue 8 §4):
a freed time reaches the patients waiting for it in sign-up order, with a link to move; the first
to move wins and the old time is freed for the next; at most one notice per patient per day; the
wish ends with the appointment, and weekday / before filters hold."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from functions.booking import services
from functions.booking.notice_model import NOW
from functions.booking.notices_service import ref_of
from functions.booking.waitlist_repository import WaitlistRepository
from functions.core.actor import HIGH, PATIENT, Actor
from functions.core.core_records import OutboxRecord
from functions.core.errors import Conflict, Invalid, NotFound
from tests.support.aws_stack import moto_runtime

WED = datetime.fromisoformat("2026-11-25T08:00:00+01:00")   # the clock: Monday 23 November 09:00 (Storgata
THU = datetime.fromisoformat("2026-11-26T08:00:00+01:00")   # lets patients cancel until 24 hours before)
FRI = datetime.fromisoformat("2026-11-27T10:00:00+01:00")


@pytest.fixture
def rt():
    with moto_runtime(demo=True, frozen=True) as runtime:
        yield runtime


def patient(patient_id: str) -> Actor:
    return Actor(kind=PATIENT, actor_id=patient_id, on_behalf_of=patient_id, level=HIGH)


def slot(start: datetime, timebok: str = "tb-lise") -> str:
    return f"{timebok}~{start.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"


def book(rt, who: str, start: datetime):
    return services.build(rt).patient.book(patient(who), slot(start), "", None).appointment


def offers(rt, patient_id: str) -> list[OutboxRecord]:
    return [r for r in OutboxRecord.scan() if r.code == "waitlist_offer" and r.patient_id == patient_id]


def cancel_and_run(rt, who: str, appointment_id: str) -> dict:
    services.build(rt).patient.cancel(patient(who), appointment_id)
    return services.build(rt).notices.run(NOW)


def test_a_freed_earlier_time_reaches_everyone_waiting_in_sign_up_order_with_a_link_to_move(rt):
    nora = book(rt, "p-nora", WED)
    kari, emma = book(rt, "p-kari", FRI), book(rt, "p-emma", FRI + timedelta(minutes=20))
    waitlist = services.build(rt).waitlist
    waitlist.wait(patient("p-emma"), emma.id, [], None)      # Emma signs up first, although her time is later
    rt.clock.advance(minutes=1)
    waitlist.wait(patient("p-kari"), kari.id, [], None)
    assert [w.patient_id for w in WaitlistRepository().waiting("tb-lise")] == ["p-emma", "p-kari"]
    counts = cancel_and_run(rt, "p-nora", nora.id)
    assert counts["offered"] == 2                             # told in that order, both of them
    [to_kari], [_] = offers(rt, "p-kari"), offers(rt, "p-emma")
    link = urlsplit(to_kari.link)
    assert link.path == "/nb/konsultasjoner.html"
    assert parse_qs(link.query) == {"flytt": [kari.id], "til": [slot(WED)]}
    assert to_kari.params.as_dict() == {"clinic": "Storgata legesenter", "time": "onsdag 25. november 2026 kl. 08:00"}
    assert to_kari.ref == ref_of("c-storgata", kari.id)


def test_the_first_to_move_wins_the_other_gets_slot_taken_and_the_winners_old_time_is_offered_on(rt):
    nora = book(rt, "p-nora", WED)
    kari, emma = book(rt, "p-kari", THU), book(rt, "p-emma", FRI)
    waitlist = services.build(rt).waitlist
    waitlist.wait(patient("p-kari"), kari.id, [], None)
    waitlist.wait(patient("p-emma"), emma.id, [], None)
    cancel_and_run(rt, "p-nora", nora.id)
    moved = services.build(rt).patient.move(patient("p-kari"), kari.id, slot(WED)).appointment
    assert (moved.id, moved.start, moved.wish) == (kari.id, WED.astimezone(UTC), None)   # the wish ended
    with pytest.raises(Conflict) as lost:
        services.build(rt).patient.move(patient("p-emma"), emma.id, slot(WED))
    assert lost.value.code == "slot_taken"
    # Kari's old Wednesday time is free again: the job offers it to Emma (still waiting) ... but
    # Emma was already told today (one notice a day), so nothing more is sent to her today.
    counts = services.build(rt).notices.run(NOW)
    assert counts.get("offered", 0) == 0 and len(offers(rt, "p-emma")) == 1
    rt.clock.advance(days=1)
    book_and_free = book(rt, "p-nora", THU + timedelta(minutes=20))
    assert cancel_and_run(rt, "p-nora", book_and_free.id)["offered"] == 1   # a new day: Emma hears again
    assert len(offers(rt, "p-emma")) == 2


def test_only_earlier_times_of_the_same_type_on_the_wished_weekdays_and_before_the_wished_day(rt):
    kari = book(rt, "p-kari", FRI)
    waitlist = services.build(rt).waitlist
    waitlist.wait(patient("p-kari"), kari.id, [3], "2026-11-27")          # Thursdays before 27 Nov
    wednesday = book(rt, "p-nora", WED)
    assert cancel_and_run(rt, "p-nora", wednesday.id).get("offered", 0) == 0   # a Wednesday
    later = book(rt, "p-nora", FRI + timedelta(minutes=40))
    assert cancel_and_run(rt, "p-nora", later.id).get("offered", 0) == 0     # later than Kari's own
    thursday = book(rt, "p-nora", THU)
    assert cancel_and_run(rt, "p-nora", thursday.id)["offered"] == 1


def test_the_wish_ends_with_the_appointment(rt):
    kari = book(rt, "p-kari", FRI)
    services.build(rt).waitlist.wait(patient("p-kari"), kari.id, [], None)
    services.build(rt).patient.cancel(patient("p-kari"), kari.id)
    services.build(rt).notices.run(NOW)
    nora = book(rt, "p-nora", WED)
    assert cancel_and_run(rt, "p-nora", nora.id).get("offered", 0) == 0
    assert offers(rt, "p-kari") == []


def test_stopping_keeps_nothing_and_changing_the_filters_keeps_the_place(rt):
    kari = book(rt, "p-kari", FRI)
    waitlist = services.build(rt).waitlist
    first = waitlist.wait(patient("p-kari"), kari.id, [], None).appointment.wish
    rt.clock.advance(minutes=5)
    changed = waitlist.wait(patient("p-kari"), kari.id, [1, 2], None).appointment.wish
    assert changed.since == first.since and changed.weekdays == (1, 2)
    assert waitlist.stop(patient("p-kari"), kari.id).appointment.wish is None
    nora = book(rt, "p-nora", WED)
    assert cancel_and_run(rt, "p-nora", nora.id).get("offered", 0) == 0


def test_refused_wishes_say_why(rt):
    kari = book(rt, "p-kari", FRI)
    waitlist = services.build(rt).waitlist
    for weekdays, before, field in (([7], None, "weekdays"), ("1", None, "weekdays"), ([True], None, "weekdays"),
                                    ([], "2026-11-23", "before"), ([], "26.11.2026", "before")):
        with pytest.raises(Invalid) as bad:
            waitlist.wait(patient("p-kari"), kari.id, weekdays, before)
        assert bad.value.field == field
    with pytest.raises(NotFound):
        waitlist.wait(patient("p-nora"), kari.id, [], None)              # someone else's appointment
