"""M6: the booking write against moto's server, and 20 patients racing for one time.

Latency: p50 of `PatientBooking.book(...)` (the service call, no HTTP; a different free slot and a
different patient each time, so neither the slot nor the per-patient cap interferes) against p50
of a plain boto3 `get_item` on the booking table of the same moto server, alternating. The
repository's single conditional UpdateItem (`BookingRepository.book`) is shown beside it, for
information, and so is the cap's Query (the patient's future bookings) alone. Contention: 20
threads call the service's `book` for the SAME slot at once (a threading.Barrier): exactly one may
win, the other 19 must get Conflict `slot_taken`, and the slot must then hold the winner's
appointment."""
from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from bench import stats
from bench.report import Result

BENCH = "M6"
GOAL = 1.5
MIN_ITERATIONS = 30
RACERS = 20
TIMEBOK = "tb-lise"


@contextmanager
def moto_server_runtime() -> Iterator:
    """moto's server on a free port with the tables, secrets and demo data (booking included);
    yields a Runtime bound to it. The environment stays pointed at it meanwhile."""
    from bench.cold_start import patched_environ
    from devstack import demo, demo_booking, stack
    from functions.core import aws
    from functions.core.clock import SettableClock
    from functions.core.config import settings_from_env
    from functions.core.runtime import build_runtime
    from tests.support.aws_stack import FIXED_NOW

    moto_port = stack.free_port()
    moto = stack.start_moto(moto_port)
    try:
        with patched_environ(stack.local_environment(stack.free_port(), moto_port)):
            aws.client.cache_clear()
            settings = settings_from_env()
            pepper = stack.bootstrap(settings)["pepper"].encode()
            runtime = build_runtime(settings, SettableClock(FIXED_NOW))
            now = runtime.clock.now()
            demo.load_clinics(pepper, now)
            demo.load_people(pepper, now)
            demo_booking.load(runtime)
            yield runtime
    finally:
        aws.client.cache_clear()
        stack.stop_moto(moto)


def patient(patient_id: str):
    from functions.core.actor import PATIENT, Actor

    return Actor(kind=PATIENT, actor_id=patient_id, on_behalf_of=patient_id, level="high", consent=True)


@dataclass(frozen=True)
class RaceOutcome:
    """What each racer got: "won" or the Conflict's code (or an exception's name)."""

    outcomes: tuple[str, ...]
    winner: str | None = None      # the winning patient
    slot_holder: str | None = None  # the patient the slot's item names afterwards
    slot_status: str | None = None

    @property
    def winners(self) -> int:
        return self.outcomes.count("won")

    @property
    def taken(self) -> int:
        return self.outcomes.count("slot_taken")

    @property
    def problem(self) -> str | None:
        racers = len(self.outcomes)
        if self.winners != 1:
            return f"{self.winners} winners"
        if self.taken != racers - 1:
            others = sorted({o for o in self.outcomes if o not in ("won", "slot_taken")})
            return f"{self.taken} slot_taken of {racers - 1} (also {', '.join(others)})"
        if self.slot_status != "booked" or self.slot_holder != self.winner:
            return f"slot afterwards {self.slot_status} for {self.slot_holder}, winner {self.winner}"
        return None


def race_result(outcome: RaceOutcome) -> Result:
    racers = len(outcome.outcomes)
    detail = (f"{racers} threads, same slot: {outcome.winners} won ({outcome.winner}), "
              f"{outcome.taken} × Conflict slot_taken; slot item afterwards {outcome.slot_status} "
              f"for {outcome.slot_holder}")
    return Result(BENCH, f"{racers}-way race for one slot: winners", outcome.winners, "winners", 1, detail,
                  outcome.problem, also=f"exactly 1, {racers - 1} × slot_taken")


def race(services, repo, raw_slot_id: str, timebok_id: str, key: str, racers: int = RACERS) -> RaceOutcome:
    from functions.core.errors import Conflict

    barrier = threading.Barrier(racers)
    outcomes: list[str] = ["not run"] * racers

    def racer(n: int) -> None:
        actor = patient(f"p-race-{n:02d}")
        barrier.wait()
        try:
            services.patient.book(actor, raw_slot_id, "", f"race-key-{n:02d}")
            outcomes[n] = "won"
        except Conflict as exc:
            outcomes[n] = exc.code
        except Exception as exc:  # noqa: BLE001 - reported as the racer's outcome
            outcomes[n] = type(exc).__name__

    threads = [threading.Thread(target=racer, args=(n,), name=f"racer-{n}") for n in range(racers)]
    pool_log = logging.getLogger("urllib3.connectionpool")  # 20 threads > botocore's 10 pooled connections
    level = pool_log.level
    pool_log.setLevel(logging.ERROR)
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        pool_log.setLevel(level)
    winner = next((f"p-race-{n:02d}" for n, o in enumerate(outcomes) if o == "won"), None)
    slot = repo.slot(timebok_id, key)
    return RaceOutcome(tuple(outcomes), winner, slot.patient_id, slot.status)


def free_slots(services, runtime, count: int) -> list:
    now = runtime.clock.now()
    slots = services.patient.next_free(TIMEBOK, now + timedelta(hours=1), "ordinar", count=10_000)
    if len(slots) < count:
        raise RuntimeError(f"the booking demo has {len(slots)} free ordinar times in {TIMEBOK}, {count} needed")
    return slots  # every free ordinar time within 31 days, earliest first


def measure(runs: int) -> list[Result]:
    import functions.booking.app  # noqa: F401 - its import-time binding comes first, as in the tests
    from bench.counter import CallCounter, counting
    from bench.dynamodb_calls import describe
    from functions.booking.patient_service import slot_id
    from functions.booking.repository import BookingRepository
    from functions.booking.services import build

    iterations = max(runs, MIN_ITERATIONS)
    with moto_server_runtime() as runtime:
        services, repo = build(runtime), BookingRepository()
        table = runtime.settings.table("booking")
        dynamodb = runtime.client("dynamodb")
        warmup = 2
        free = free_slots(services, runtime, 1 + 1 + warmup + 2 * iterations)
        # The race is for the latest free time: each loser's 409 carries the next free times (a Query
        # of up to 31 days), which moto's one-at-a-time server answers in time proportional to its size.
        contested = free.pop()  # also what the GetItem baseline reads
        slots, serial = iter(free), iter(range(1_000_000))

        def book_service() -> float:
            slot, n = next(slots), next(serial)
            raw = slot_id(slot.timebok_id, slot.start)
            return stats.timed(lambda: services.patient.book(patient(f"p-bench-{n:04d}"), raw, "", None))

        def book_repository() -> float:
            slot, n = next(slots), next(serial)
            return stats.timed(lambda: repo.book(slot, f"p-bench-{n:04d}", f"abench{n:04d}", "", "bench",
                                                 runtime.clock.now()))

        def cap_query() -> float:
            n = next(serial)
            return stats.timed(lambda: repo.of_patient(f"p-bench-{n:04d}", after=runtime.clock.now()))

        key = {"pk": {"S": f"TB#{TIMEBOK}"}, "sk": {"S": contested.key}}  # an existing (free) slot item

        def get_item() -> float:
            return stats.timed(lambda: dynamodb.get_item(TableName=table, Key=key))

        counter = CallCounter()
        with counting(counter):
            book_service()
        calls = describe(counter.take())
        subjects, baselines = stats.alternate(book_service, get_item, iterations, warmup=warmup)
        writes, write_baselines = stats.alternate(book_repository, get_item, iterations, warmup=0)
        reads, read_baselines = stats.alternate(cap_query, get_item, iterations, warmup=0)
        outcome = race(services, repo, slot_id(contested.timebok_id, contested.start), contested.timebok_id,
                       contested.key)

    p50, base = stats.median(subjects), stats.median(baselines)
    write_p50, write_base = stats.median(writes), stats.median(write_baselines)
    read_p50, read_base = stats.median(reads), stats.median(read_baselines)
    return [
        Result(BENCH, "booking write PatientBooking.book vs GetItem (moto server)", stats.ratio(p50, base), "x",
               GOAL, f"p50 {p50 * 1000:.2f} ms vs GetItem p50 {base * 1000:.2f} ms; {iterations} pairs, paired "
                     f"ratios {stats.spread(subjects, baselines)}; one book = {calls}"),
        Result(BENCH, "booking write BookingRepository.book alone (1 UpdateItem) vs GetItem",
               stats.ratio(write_p50, write_base), "x", None,
               f"p50 {write_p50 * 1000:.2f} ms vs GetItem p50 {write_base * 1000:.2f} ms; {iterations} pairs, "
               f"paired ratios {stats.spread(writes, write_baselines)}"),
        Result(BENCH, "the cap's Query alone (by_patient, future only) vs GetItem",
               stats.ratio(read_p50, read_base), "x", None,
               f"p50 {read_p50 * 1000:.2f} ms vs GetItem p50 {read_base * 1000:.2f} ms; {iterations} pairs, "
               f"paired ratios {stats.spread(reads, read_baselines)}"),
        race_result(outcome),
    ]


def run(runs: int = MIN_ITERATIONS) -> list[Result]:
    return measure(max(runs, MIN_ITERATIONS))

