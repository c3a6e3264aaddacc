"""M3: DynamoDB calls per request, in-process on moto, for a logged-in patient.

Each probe is one request (or one Python call, method CALL); its goal is a maximum number of
DynamoDB API calls (None: informational). Every probe fails if it made a Scan or did not succeed.
A probe may further demand that its Queries read one index within a window of the demo data
(`index`, `within`, `limit`), that it makes exactly the writes named in `writes` (then reads and
writes get a row each), or that a call returning N makes at most ceil(N / `per_batch`) of the
`counted` operations. Later packages add probes."""
from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import time, timedelta

from bench.counter import SCANS, Call, CallCounter, counting
from bench.report import Result
from functions.core import dates

BENCH = "M3"
PATIENT = "p-kari"
CALL = "CALL"  # the probe calls Python (its path names the call in Demo.calls) instead of sending HTTP
BATCH_WRITE = 25  # items per BatchWriteItem request (DynamoDB's limit)


@dataclass(frozen=True)
class Probe:
    name: str
    method: str                               # HTTP method, or CALL
    path: str                                 # may hold {month} and {slot_id}, filled from the demo data
    max_calls: int | None = None
    body: dict | None = field(default=None, hash=False)
    app: str = "accounts"                     # the function app that serves the path
    counted: frozenset[str] | None = None     # the operations the goal counts (None: every call)
    index: str | None = None                  # every Query must read this index ...
    within: str | None = None                 # ... with its range key inside this window of the demo ("month")
    limit: int | None = None                  # ... and ask for at most this many items
    writes: tuple[str, ...] | None = None     # exactly these write operations: reads and writes get a row each
    max_reads: int | None = None              # with `writes`: goal for the reads row (None: informational)
    per_batch: int | None = None              # goal: ceil(N / per_batch) counted calls, N what the call returns
    patient: str = PATIENT                    # who sends it (a representative: acting_for is set first)
    acting_for: str | None = None
    headers: dict | None = field(default=None, hash=False)   # e.g. an Idempotency-Key

    @property
    def also(self) -> str:
        parts = ["no Scan"]
        if self.index:
            query = f"Query index {self.index}"
            query += f" within the {self.within}" if self.within else ""
            query += f" limit {self.limit}" if self.limit else ""
            parts.append(query)
        return ", ".join(parts)


MONTH_PATH = "/api/booking/timebooks/tb-lise/month?month={month}&type=ordinar"

PROBES = [
    Probe("GET /api/accounts/session", "GET", "/api/accounts/session"),
    Probe("GET /api/accounts/profile", "GET", "/api/accounts/profile", max_calls=2),  # session + profile
    Probe("PATCH /api/accounts/profile", "PATCH", "/api/accounts/profile", body={"middle_name": "Bench"}),
    # month calendar: session + 1 Query of the sparse `free` index, that month only
    Probe("GET /api/booking/timebooks/tb-lise/month (demo month, ordinar)", "GET", MONTH_PATH, max_calls=2,
          app="booking", index="free", within="month"),
    # clinic-wide first free time: 1 Query of `clinic_free`, limit 1
    Probe("first free time c-storgata (BookingRepository.first_free)", CALL, "first_free", max_calls=1,
          index="clinic_free", limit=1),
    # booking: a place under the patient's cap, then the slot: two conditional UpdateItems. The first
    # booking of a function reads what it caches (the timebok's clinic, the clinic, its catalogue) ...
    Probe("POST /api/booking/appointments (caches cold)", "POST", "/api/booking/appointments", app="booking",
          body={"slot_id": "{slot_id}", "remark": "Bench"}, writes=("UpdateItem", "UpdateItem")),
    # ... a warm one reads the session only
    Probe("POST /api/booking/appointments (caches warm)", "POST", "/api/booking/appointments", app="booking",
          body={"slot_id": "{slot_id_2}", "remark": "Bench"}, writes=("UpdateItem", "UpdateItem"), max_reads=1),
    # Relasjoner (R35): the session, then one Query of the parent's relations
    Probe("GET /api/accounts/relations (Ola: two children)", "GET", "/api/accounts/relations", max_calls=2,
          patient="p-ola"),
    # acting for someone: the same list as for oneself plus at most one read (the relation) and the
    # access-log entry of the child (R55) as the one write
    Probe("GET /api/booking/appointments (Ola for himself)", "GET", "/api/booking/appointments?tab=booked",
          app="booking", patient="p-ola"),
    Probe("GET /api/booking/appointments (Ola acting for Emma)", "GET", "/api/booking/appointments?tab=booked",
          app="booking", patient="p-ola", acting_for="p-emma", writes=("PutItem",), max_reads=3),
    # Kommunikasjon (docs/dialogs.md): Innboks is the session and one Query of `by_patient` (a page of 20)
    Probe("GET /api/dialogs/inbox", "GET", "/api/dialogs/inbox", max_calls=2, app="dialogs", index="by_patient",
          limit=20),
    Probe("GET /api/dialogs/unread", "GET", "/api/dialogs/unread", max_calls=2, app="dialogs", index="unread"),
    # opening an unread dialog: the session and one Query of its partition; marking it read is the write
    Probe("GET /api/dialogs/dialogs/<id> (unread)", "GET", "/api/dialogs/dialogs/{dialog_id}", app="dialogs",
          writes=("UpdateItem",), max_reads=2),
    # starting a dialog: the reads are the session, the clinic, its dialog settings, the patient's clinics
    # (the GP), the patient's name and the dialog for the answer; the write is the one transaction
    Probe("POST /api/dialogs/dialogs (Annen henvendelse)", "POST", "/api/dialogs/dialogs", app="dialogs",
          body={"clinic_id": "c-storgata", "kind": "annen", "text": "Har dere parkering?"},
          headers={"Idempotency-Key": "bench-start-0001"}, writes=("TransactWriteItems",)),
    # sending a reply: one transaction (message, head, inbox entries, idempotency key); the reads are the
    # session, the dialog (ownership and state) and, for the answer, the dialog once more
    Probe("POST /api/dialogs/dialogs/<id>/messages", "POST", "/api/dialogs/dialogs/{open_dialog_id}/messages",
          app="dialogs", body={"text": "Takk for svaret."}, headers={"Idempotency-Key": "bench-reply-0001"},
          writes=("TransactWriteItems",)),
    # the reminder job over N due appointments: one Query of the `due` index per page of 10 (the job's
    # page is 100; 10 here to have several pages), never a Scan
    Probe("send_reminders over N due reminders, page 10 (AppointmentNotices.run)", CALL, "send_reminders",
          counted=frozenset({"Query"}), per_batch=10, index="due"),
    # publishing N slots: ceil(N/25) BatchWriteItem requests
    Probe("publish 2 weeks Mon-Fri 08-16 every 20 min (ClinicBooking.publish)", CALL, "publish",
          counted=frozenset({"BatchWriteItem"}), per_batch=BATCH_WRITE),
    # E-apotek (docs/pharmacy.md): accepting a vendor's terms is one PutItem; placing an order is ONE
    # transaction (order, idempotency key, confirmation notice); Mine bestillinger is the session and one
    # Query of `by_patient`
    Probe("PUT /api/pharmacy/vendors/<v>/consent", "PUT", "/api/pharmacy/vendors/v-nordlys/consent", app="pharmacy",
          writes=("PutItem",)),
    Probe("POST /api/pharmacy/orders (Send bestilling til apoteket)", "POST", "/api/pharmacy/orders",
          app="pharmacy", body={"vendor_id": "v-nordlys", "phone": "91234567", "email": "kari.nordmann@example.no",
                                "substitution": True, "address_id": "reg-a1", "delivery": "pa_doren",
                                "medicines": ["Paracet 500 mg"]},
          headers={"Idempotency-Key": "bench-order-0001"}, writes=("TransactWriteItems",)),
    Probe("GET /api/pharmacy/orders", "GET", "/api/pharmacy/orders", max_calls=2, app="pharmacy",
          index="by_patient"),
    # Mine betalinger (docs/payments.md): each tab is the session and ONE Query of a sparse index, a page of
    # 20; Betalt i år reads the Oslo calendar year as a key range (no filter); a PDF is the session + 1 GetItem
    Probe("GET /api/payments/list?tab=utestaende", "GET", "/api/payments/list?tab=utestaende", max_calls=2,
          app="payments", index="open_by_patient", limit=20),
    Probe("GET /api/payments/list?tab=betalt-i-aar", "GET", "/api/payments/list?tab=betalt-i-aar", max_calls=2,
          app="payments", index="paid_by_patient", within="year", limit=20),
    Probe("GET /api/payments/list?tab=alt-betalt", "GET", "/api/payments/list?tab=alt-betalt", max_calls=2,
          app="payments", index="paid_by_patient", limit=20),
    Probe("GET /api/payments/payments/<id>/pdf (Last ned faktura)", "GET", "/api/payments/payments/inv-demo-2/pdf",
          max_calls=2, app="payments"),
    # acting for Emma (under 12): her page, plus the relation read and her access-log entry (R55)
    Probe("GET /api/payments/list?tab=alt-betalt (Ola acting for Emma)", "GET", "/api/payments/list?tab=alt-betalt",
          app="payments", index="paid_by_patient", limit=20, patient="p-ola", acting_for="p-emma",
          writes=("PutItem",), max_reads=3),
]


def describe(calls: list[Call]) -> str:
    """"GetItem s, BatchWriteItem t ×10": the calls in order, runs of the same call folded."""
    parts: list[tuple[str, int]] = []
    for text in map(str, calls):
        if parts and parts[-1][0] == text:
            parts[-1] = (text, parts[-1][1] + 1)
        else:
            parts.append((text, 1))
    return ", ".join(text if n == 1 else f"{text} ×{n}" for text, n in parts) or "no calls"


_BETWEEN = re.compile(r"BETWEEN (\S+) AND ([^\s)]+)")
_COMPARE = re.compile(r"(>=|<=|>|<) ([^\s)]+)")


def range_bounds(condition: str | None) -> tuple[str | None, str | None]:
    """The (low, high) a key condition puts on the range key; None where it sets no bound."""
    if not condition:
        return None, None
    between = _BETWEEN.search(condition)
    if between:
        return between.group(1), between.group(2)
    low = high = None
    for operator, value in _COMPARE.findall(condition):
        if operator.startswith(">"):
            low = value
        else:
            high = value
    return low, high


def query_problem(probe: Probe, calls: list[Call], window: tuple[str, str] | None = None) -> str | None:
    """Why the probe's Queries break its index/window/limit demands; None if they keep them."""
    if probe.index is None:
        return None
    queries = [call for call in calls if call.operation == "Query" and call.index == probe.index]
    if not queries:
        return f"no Query of index {probe.index}"
    for query in queries:
        if probe.limit is not None and (query.limit is None or query.limit > probe.limit):
            return f"Query of {probe.index} without limit {probe.limit}"
        if window is not None:
            low, high = range_bounds(query.condition)
            if low is None or high is None or low < window[0] or high > window[1]:
                return f"Query of {probe.index} reads outside the {probe.within}: {query.condition}"
    return None


def _failure(probe: Probe, calls: list[Call], status: int, outcome: object,
             window: tuple[str, str] | None) -> str | None:
    scans = [call for call in calls if call.operation in SCANS]
    if status >= 400:
        return f"HTTP {status}"
    if probe.method == CALL and outcome is None:
        return "the call found nothing"
    if scans:
        return f"{len(scans)} Scan"
    return query_problem(probe, calls, window)


def _queries(probe: Probe, calls: list[Call]) -> str:
    shown = [c.condition for c in calls if c.operation == "Query" and c.index == probe.index and c.condition]
    return "; key " + " | ".join(shown) if probe.index and shown else ""


def evaluate(probe: Probe, calls: list[Call], status: int, outcome: object = None,
             window: tuple[str, str] | None = None) -> Result:
    """The row for one probe, from the calls the counter saw and the response status (for a CALL
    probe: 200, and what the call returned)."""
    failure = _failure(probe, calls, status, outcome, window)
    counted = [call for call in calls if (probe.counted is None or call.operation in probe.counted)
               and (probe.per_batch is None or probe.index is None or call.index == probe.index)]
    limit = probe.max_calls
    detail = describe(calls) + _queries(probe, calls)
    if probe.per_batch:
        items = outcome if isinstance(outcome, int) else 0
        limit = math.ceil(items / probe.per_batch)
        counted_ops = ", ".join(sorted(probe.counted or ())) or "every call"
        detail = f"N={items}, goal ceil(N/{probe.per_batch})={limit} {counted_ops}; {detail}"
        if items <= 0 and failure is None:
            failure = "nothing was written"
    return Result(BENCH, f"DynamoDB calls {probe.name}", len(counted), "calls", limit, detail, failure,
                  also=probe.also)


def evaluate_rows(probe: Probe, calls: list[Call], status: int, outcome: object = None,
                  window: tuple[str, str] | None = None) -> list[Result]:
    """One row, or for a probe with `writes` a reads row (informational) and a writes row (goal:
    exactly those writes)."""
    if probe.writes is None:
        return [evaluate(probe, calls, status, outcome, window)]
    failure = _failure(probe, calls, status, outcome, window)
    reads = [call for call in calls if not call.is_write]
    writes = [call for call in calls if call.is_write]
    expected = list(probe.writes)
    write_failure = failure
    if write_failure is None and [call.operation for call in writes] != expected:
        write_failure = f"writes {[call.operation for call in writes]}, expected exactly {expected}"
    name = f"DynamoDB calls {probe.name}"
    return [Result(BENCH, f"{name} reads", len(reads), "calls", probe.max_reads, describe(reads), failure,
                   also=probe.also),
            Result(BENCH, f"{name} writes", len(writes), "calls", len(expected), describe(writes), write_failure,
                   also=f"exactly {' + '.join(expected)}, no Scan")]


class PatientClient:
    """Flask test clients of the function apps, logged in as one patient with current consent
    (given through the accounts app; every app gets the same session cookie)."""

    def __init__(self, apps: dict, runtime, patient_id: str, acting_for: str | None = None) -> None:
        from functions.core.web import COOKIE

        token, self.session = runtime.sessions.create(patient_id, "high", None)
        self.clients = {}
        for name, app in apps.items():
            self.clients[name] = app.test_client()
            self.clients[name].set_cookie(COOKIE, token)
        answer = self.send("POST", "/api/accounts/consent", {"version": runtime.settings.terms_version})
        if answer.status_code != 200:
            raise RuntimeError(f"consent for the benchmark patient failed: HTTP {answer.status_code}")
        if acting_for:
            answer = self.send("POST", "/api/accounts/acting-for", {"patient_id": acting_for})
            if answer.status_code != 200:
                raise RuntimeError(f"acting for {acting_for} failed: HTTP {answer.status_code}")

    def send(self, method: str, path: str, body: dict | None = None, app: str = "accounts",
             headers: dict | None = None):
        sent = {"X-CSRF-Token": self.session.csrf} if method != "GET" else {}
        return self.clients[app].open(path, method=method, json=body, headers={**sent, **(headers or {})})


@dataclass
class Demo:
    """What the probes need from the demo data: values for their paths and bodies, the windows
    their Queries must stay within, and the Python calls of CALL probes."""

    values: dict[str, str] = field(default_factory=dict)
    windows: dict[str, tuple[str, str]] = field(default_factory=dict)
    calls: dict[str, Callable[[], object]] = field(default_factory=dict)
    prepare: dict[str, Callable[[], object]] = field(default_factory=dict)   # set-up of a CALL, not counted

    def fill(self, value):
        if isinstance(value, str):
            return value.format(**self.values)
        if isinstance(value, dict):
            return {k: self.fill(v) for k, v in value.items()}
        return value


def booking_demo(runtime) -> Demo:
    """Month of the demo clock, a free slot to book, and the clinic-wide calls (not counted)."""
    from devstack.demo_booking import STORGATA
    from functions.booking import model
    from functions.booking.repository import BookingRepository, stamp
    from functions.booking.services import build
    from functions.booking.slot_ids import slot_id
    from functions.core.clock import OSLO

    services = build(runtime)
    now = runtime.clock.now()
    month = now.astimezone(OSLO).strftime("%Y-%m")
    low, high = model.month_bounds(dates.parse_month(month))
    free = services.patient.next_free("tb-lise", now + timedelta(days=1), "ordinar")
    if len(free) < 2:
        raise RuntimeError("the booking demo has fewer than 2 free ordinar times in tb-lise")
    today = now.astimezone(OSLO).date()
    after_demo = today + timedelta(days=36)  # devstack.demo_booking publishes 35 days ahead
    first = after_demo + timedelta(days=(7 - after_demo.weekday()) % 7)  # a Monday
    weekdays = tuple(model.TemplateBlock(day, time(8), time(16)) for day in range(5))
    return Demo(
        values={"month": month, "slot_id": slot_id(free[0].timebok_id, free[0].start),
                "slot_id_2": slot_id(free[1].timebok_id, free[1].start)},
        windows={"month": (stamp(low), stamp(high))},
        calls={"first_free": lambda: BookingRepository().first_free("c-storgata", runtime.clock.now()),
               "send_reminders": lambda: _reminders(runtime),
               "publish": lambda: services.clinic.publish(STORGATA, "tb-per", "ordinar", first,
                                                          first + timedelta(days=11), weekdays)},
        prepare={"send_reminders": lambda: _book_due(runtime, services)})


def dialogs_demo(runtime) -> dict[str, str]:
    """Kari's unread (answered) dialog, and an open one of hers to reply to (made here, not counted)."""
    from devstack.demo_dialogs import _patient
    from functions.core.billing import Billing
    from functions.core.idempotency import Idempotency
    from functions.dialogs.patient_service import NewDialog
    from functions.dialogs.repository import DialogRepository
    from functions.dialogs.services import build

    unread = DialogRepository(Idempotency(runtime.clock), runtime.outbox, Billing()).unread_of(PATIENT)
    if not unread:
        raise RuntimeError("the dialogs demo has no unread dialog for Kari")
    opened = build(runtime).patient.start(_patient(PATIENT), NewDialog("c-storgata", "annen", "Et spørsmål."),
                                          "bench-open-dialog")
    return {"dialog_id": unread[0].dialog_id, "open_dialog_id": opened}


DUE = 25   # reminders due in the send_reminders probe: three pages of 10


def _book_due(runtime, services) -> None:
    """Set-up of the send_reminders probe (not counted): DUE staff bookings three days ahead,
    confirmed, and the clock moved to where all their reminders are due."""
    from devstack.demo_booking import STORGATA
    from functions.booking.notice_model import NOW
    from functions.booking.slot_ids import slot_id

    free = services.patient.next_free("tb-lise", runtime.clock.now() + timedelta(days=3), "ordinar", count=DUE)
    for slot in free:
        services.clinic.book(STORGATA, "p-nora", slot_id(slot.timebok_id, slot.start), None, None, None, "", False)
    services.notices.run(NOW)
    runtime.clock.set(max(s.start for s in free) - timedelta(hours=47))


def _reminders(runtime) -> int:
    """The job as send_reminders runs it, with a page of 10: how many due reminders it handled."""
    from functions.booking.catalog import CatalogRepository
    from functions.booking.due_repository import DueRepository
    from functions.booking.notice_model import REMIND
    from functions.booking.notices_service import AppointmentNotices

    job = AppointmentNotices(DueRepository(page=10), CatalogRepository(), runtime.directory, runtime.outbox,
                             runtime.access_log, runtime.clock)
    return job.run(REMIND)["handled"]


def probe_once(probe: Probe, patient: PatientClient, demo: Demo, counter: CallCounter) -> list[Result]:
    window = demo.windows.get(probe.within) if probe.within else None
    outcome, status = None, 200
    if probe.method == CALL and probe.path in demo.prepare:
        demo.prepare[probe.path]()
    counter.reset()
    if probe.method == CALL:
        try:
            outcome = demo.calls[probe.path]()
        except Exception as exc:  # noqa: BLE001 - a failed row, the other probes still run
            return [Result(BENCH, f"DynamoDB calls {probe.name}", None, "calls", probe.max_calls,
                           failure=f"error: {type(exc).__name__}: {exc}"[:200])]
    else:
        status = patient.send(probe.method, demo.fill(probe.path), demo.fill(probe.body), probe.app,
                              probe.headers).status_code
    return evaluate_rows(probe, counter.take(), status, outcome, window)


def measure(probes: list[Probe]) -> list[Result]:
    import functions.accounts.app  # noqa: F401 - their import-time binding comes first, as in the tests
    import functions.booking.app  # noqa: F401
    import functions.dialogs.app  # noqa: F401
    import functions.payments.app  # noqa: F401
    import functions.pharmacy.app  # noqa: F401
    from devstack import demo, demo_booking, demo_dialogs, demo_family, demo_payments, demo_pharmacy
    from functions.accounts.app import make_app as accounts_app
    from functions.booking.app import make_app as booking_app
    from functions.core.clock import OSLO
    from functions.dialogs.app import make_app as dialogs_app
    from functions.payments.app import make_app as payments_app
    from functions.payments.model import year_bounds
    from functions.pharmacy.app import make_app as pharmacy_app
    from tests.support.aws_stack import PEPPER, moto_runtime

    counter = CallCounter()
    with counting(counter), moto_runtime() as runtime:
        now = runtime.clock.now()
        demo.load_clinics(PEPPER.encode(), now)
        demo.load_people(PEPPER.encode(), now)
        demo_family.load(PEPPER.encode(), now)
        demo_booking.load(runtime)
        demo_dialogs.load(runtime)
        demo_pharmacy.load(PEPPER.encode())
        demo_payments.load(runtime)
        data = booking_demo(runtime)
        data.values.update(dialogs_demo(runtime))
        data.windows["year"] = year_bounds(now.astimezone(OSLO).year)   # Betalt i år: the Oslo calendar year
        apps = {"accounts": accounts_app(runtime), "booking": booking_app(runtime), "dialogs": dialogs_app(runtime),
                "pharmacy": pharmacy_app(runtime)}
        apps["payments"] = payments_app(runtime)
        patients: dict[tuple[str, str | None], PatientClient] = {}
        results = []
        for probe in probes:
            who = (probe.patient, probe.acting_for)
            if who not in patients:   # logging in (and choosing whom to act for) is not counted
                patients[who] = PatientClient(apps, runtime, probe.patient, probe.acting_for)
            results.extend(probe_once(probe, patients[who], data, counter))
            if probe.path in data.prepare:   # its set-up moved the clock (sessions idle out): log in afresh
                patients.clear()
                data.windows["year"] = year_bounds(runtime.clock.now().astimezone(OSLO).year)
    return results


def run(runs: int = 1) -> list[Result]:
    """Counts are deterministic: one request per probe (`runs` does not apply)."""
    return measure(PROBES)
