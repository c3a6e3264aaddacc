"""M6: the booking write against moto's server, and two races (bench/booking_race.py).

Requests: with warm caches a booking (`PatientBooking.book`, the service call, no HTTP) makes at
most 2 DynamoDB requests, neither of them a read: the conditional UpdateItem that takes a place
under the patient's cap at the clinic, and the slot's conditional UpdateItem. Latency: p50 of the
service call against p50 of THE SAME two requests issued bare with botocore (the parameters our
code sent, captured from a warm booking, replayed on the same botocore client with another
patient's cap item and another free slot), alternating, many pairs: the ratio is what our code
adds to the requests it must make. Each pair uses a fresh patient and fresh slots, so neither the
slot nor the cap interferes. Contention: 20 patients race for one slot; one patient races 10
threads for 10 different times at a cap of 3."""
from __future__ import annotations

import copy
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import time as clock_time
from datetime import timedelta

from bench import stats
from bench.booking_race import RaceOutcome, cap_race, one_slot_race, patient, race_result
from bench.report import Result

__all__ = ["RaceOutcome", "measure", "race_result", "run"]  # the race's verdict lives in bench/booking_race.py
BENCH = "M6"
GOAL = 1.2          # service p50 / bare p50 of the same requests
MAX_REQUESTS = 2    # per warm booking, none of them a read
MIN_PAIRS = 200
WARMUP = 5
CAP = 3
TIMEBOK = "tb-per"  # the bench publishes its own free times here, after the demo's
READS = frozenset({"GetItem", "BatchGetItem", "Query", "Scan", "TransactGetItems"})


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


def bench_slots(services, repo, runtime, count: int) -> list:
    """`count` free patient-bookable times of their own, published in tb-per after the demo's month,
    earliest first; the clinic's cap set to CAP."""
    from dataclasses import replace

    from devstack.demo_booking import STORGATA
    from functions.booking import model
    from functions.core.clock import OSLO

    catalog = services.clinic.catalog(STORGATA)
    services.clinic.put_settings(STORGATA, replace(catalog.settings, max_future_bookings=CAP))
    first = runtime.clock.now().astimezone(OSLO).date() + timedelta(days=40)
    weekdays = tuple(model.TemplateBlock(day, clock_time(8), clock_time(16)) for day in range(5))
    days = 7 * (count // (24 * 5) + 1)  # 24 times a weekday (08-16, 20 minutes)
    services.clinic.publish(STORGATA, TIMEBOK, "ordinar", first, first + timedelta(days=days), weekdays)
    lo, hi = model.day_bounds(first)[0], model.day_bounds(first + timedelta(days=days))[1]
    slots = repo.free_slots(TIMEBOK, "ordinar", lo, hi)
    if len(slots) < count:
        raise RuntimeError(f"published {len(slots)} free times in {TIMEBOK}, {count} needed")
    return slots


def capture_updates(client, action) -> list[dict]:
    """The UpdateItem parameters `action()` sends through `client`, as our code built them."""
    seen: list[dict] = []

    def keep(params, **_):
        seen.append(copy.deepcopy(params))

    event = "provide-client-params.dynamodb.UpdateItem"
    client.meta.events.register(event, keep, unique_id="bench-m6-capture")
    try:
        action()
    finally:
        client.meta.events.unregister(event, unique_id="bench-m6-capture")
    return seen


def bare_pair(client, requests: list[dict], patient_id: str, slot) -> float:
    """The captured cap and slot UpdateItems again, for another patient and another free slot."""
    cap, booking = (copy.copy(r) for r in requests)
    cap["Key"] = {**cap["Key"], "pk": {"S": f"CAP#{patient_id}"}}
    booking["Key"] = {"pk": {"S": f"TB#{slot.timebok_id}"}, "sk": {"S": slot.key}}
    start = time.perf_counter()
    client.update_item(**cap)
    client.update_item(**booking)
    return time.perf_counter() - start


def quartiles(values: list[float]) -> str:
    q1, _, q3 = statistics.quantiles(values, n=4)
    return f"{q1:.2f}-{q3:.2f}x"


def latency_results(subjects: list[float], baselines: list[float], calls: str, problem: str | None,
                    count: int) -> list[Result]:
    p50, base = stats.median(subjects), stats.median(baselines)
    ratios = stats.paired_ratios(subjects, baselines)
    detail = (f"p50 {p50 * 1000:.2f} ms vs bare p50 {base * 1000:.2f} ms; {len(subjects)} alternating pairs, "
              f"paired ratios median {stats.median(ratios):.2f}x, quartiles {quartiles(ratios)}, "
              f"range {stats.spread(subjects, baselines)}")
    return [
        Result(BENCH, "booking PatientBooking.book vs the same 2 requests bare (botocore, moto server)",
               stats.ratio(p50, base), "x", GOAL, detail),
        Result(BENCH, "DynamoDB requests per booking, caches warm", count, "requests", MAX_REQUESTS, calls, problem,
               also="none a read"),
    ]


def warm_booking(client, book) -> tuple[list[dict], list, str | None]:
    """Two warm bookings: the UpdateItem parameters of the first (the baseline replays them), the
    calls of the second, and what is wrong with them (None: at most 2 requests, no read)."""
    from bench.counter import CallCounter, counting

    requests = capture_updates(client, book)
    counter = CallCounter()
    with counting(counter):
        book()
    seen = counter.take()
    reads = [c for c in seen if c.operation in READS]
    if reads:
        return requests, seen, f"{len(reads)} read(s)"
    return requests, seen, None if len(requests) == MAX_REQUESTS else f"captured {len(requests)} UpdateItem"


def races(services, repo, places, free: Iterator) -> list[Result]:
    one = one_slot_race(services, repo, places, next(free))
    capped = cap_race(services, repo, places, [next(free) for _ in range(10)], CAP)
    return [race_result(one),
            capped.result(f"cap race, 1 patient 10 times at cap {CAP}: winners")]


def measure(pairs: int) -> list[Result]:
    import functions.booking.app  # noqa: F401 - its import-time binding comes first, as in the tests
    from bench.dynamodb_calls import describe
    from functions.booking.cap_repository import CapRepository
    from functions.booking.repository import BookingRepository
    from functions.booking.services import build
    from functions.booking.slot_ids import slot_id
    from functions.core.records import CLIENT

    with moto_server_runtime() as runtime:
        services, repo, client = build(runtime), BookingRepository(), CLIENT.get()
        free = iter(bench_slots(services, repo, runtime, 2 * (pairs + WARMUP) + 2 + 10 + 1))
        serial = iter(range(1_000_000))

        def book() -> None:
            slot, n = next(free), next(serial)
            services.patient.book(patient(f"p-bench-{n:04d}"), slot_id(slot.timebok_id, slot.start), "", None)

        book()  # warms the caches: the timebok's clinic, the clinic, its catalogue
        requests, seen, problem = warm_booking(client, book)
        subjects, baselines = stats.alternate(
            lambda: stats.timed(book),
            lambda: bare_pair(client, requests, f"p-bare-{next(serial):04d}", next(free)), pairs, warmup=WARMUP)
        raced = races(services, repo, CapRepository(), free)
    return [*latency_results(subjects, baselines, describe(seen), problem, len(seen)), *raced]


def run(runs: int = MIN_PAIRS) -> list[Result]:
    return measure(max(runs, MIN_PAIRS))
