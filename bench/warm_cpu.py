"""M2: warm CPU per request of the month calendar against a Flask hello-world that makes one Query.

Subject: `GET /api/booking/timebooks/tb-lise/month` through the booking app's Flask test client,
as a logged-in, consented, level-high patient (session GetItem + one Query of the `free` index).
Baseline: a Flask hello-world endpoint making one botocore DynamoDB Query with the very same
request parameters. Neither side touches a network or moto while timed: the real responses of
the month request (session GetItem and Query) are recorded once against moto in-process, then a
botocore `before-send` handler replays them to both sides (a canned transport), so the ratio is the
CPU our code adds on top of Flask + botocore. CPU is `time.process_time()` over batches of
requests; the value is the median of the paired batch ratios."""
from __future__ import annotations

import gc
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from botocore.awsrequest import AWSResponse

from bench import stats
from bench.report import Result

BENCH = "M2"
GOAL = 1.5
ADDED_GOAL = 1.2   # proposed replacement: the month's two requests are a given; our code on top of them
BATCH = 100  # requests per timed batch (each side)
PATIENT = "p-kari"
PATH = "/api/booking/timebooks/tb-lise/month?month={month}&type=ordinar"


@dataclass(frozen=True)
class Exchange:
    """One recorded DynamoDB call: what was asked, and the raw answer."""

    operation: str
    request: dict
    status: int
    headers: dict
    body: bytes


def target_operation(headers) -> str | None:
    """"Query" from the request's `X-Amz-Target: DynamoDB_20120810.Query`."""
    target = headers.get("X-Amz-Target") if headers is not None else None
    if isinstance(target, bytes):
        target = target.decode()
    return target.rsplit(".", 1)[-1] if target else None


@dataclass
class Recorder:
    """Records every DynamoDB call's parameters and raw answer (botocore `before-call` + `after-call`)."""

    exchanges: list[Exchange] = field(default_factory=list)
    _pending: dict = field(default_factory=dict)

    @property
    def unique_id(self) -> str:
        return f"bench-recorder-{id(self)}"

    def on_before_call(self, model, params=None, context=None, **_) -> None:
        body = (params or {}).get("body") or b"{}"
        self._pending[id(context)] = json.loads(body)

    def on_after_call(self, http_response, model, context=None, **_) -> None:
        request = self._pending.pop(id(context), {})
        self.exchanges.append(Exchange(model.name, request, http_response.status_code,
                                       dict(http_response.headers), http_response.content))

    def attach(self, client) -> None:
        client.meta.events.register("before-call.dynamodb", self.on_before_call, unique_id=self.unique_id + "-b")
        client.meta.events.register("after-call.dynamodb", self.on_after_call, unique_id=self.unique_id + "-a")

    def detach(self, client) -> None:
        client.meta.events.unregister("before-call.dynamodb", unique_id=self.unique_id + "-b")
        client.meta.events.unregister("after-call.dynamodb", unique_id=self.unique_id + "-a")


class _Raw:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_):
        yield self._body


class UnexpectedCall(RuntimeError):
    pass


@dataclass
class Replayer:
    """A canned transport: answers each DynamoDB request with the recorded answer of its operation
    (a `before-send` handler registered first, so nothing is sent anywhere)."""

    answers: dict[str, Exchange]
    replayed: int = 0

    @classmethod
    def of(cls, exchanges: list[Exchange]) -> Replayer:
        answers: dict[str, Exchange] = {}
        for exchange in exchanges:
            if exchange.operation in answers:
                raise ValueError(f"two recorded answers for {exchange.operation}: the replay would be ambiguous")
            answers[exchange.operation] = exchange
        return cls(answers)

    @property
    def unique_id(self) -> str:
        return f"bench-replayer-{id(self)}"

    def on_before_send(self, request, **_) -> AWSResponse:
        operation = target_operation(request.headers)
        exchange = self.answers.get(operation or "")
        if exchange is None:
            raise UnexpectedCall(f"no recorded answer for {operation}")
        self.replayed += 1
        return AWSResponse(request.url, exchange.status, exchange.headers, _Raw(exchange.body))

    def attach(self, client) -> None:
        client.meta.events.register_first("before-send.dynamodb", self.on_before_send, unique_id=self.unique_id)

    def detach(self, client) -> None:
        client.meta.events.unregister("before-send.dynamodb", unique_id=self.unique_id)


def hello_app(client, params: dict, session_read: dict | None = None):
    """The baseline: Flask's hello world plus the one Query (and, for the second figure, the
    session's GetItem first: the same two requests the month calendar must make)."""
    from flask import Flask, jsonify

    app = Flask("hello")

    @app.get("/hello")
    def hello():
        if session_read is not None:
            client.get_item(**session_read)
        answer = client.query(**params)
        return jsonify({"hello": "world", "items": len(answer["Items"])})

    return app


def cpu_per_request(send: Callable[[], object], requests: int) -> float:
    """CPU seconds per request over a batch; every answer must be a 200 (a request that failed,
    e.g. one the replay did not answer, must not pass for a cheap one)."""
    gc.collect()
    failed = 0
    start = time.process_time()
    for _ in range(requests):
        failed += send().status_code != 200
    seconds = time.process_time() - start
    if failed:
        raise RuntimeError(f"{failed} of {requests} timed requests did not answer 200")
    return seconds / requests


def record(runtime, booking_app, token: str, path: str) -> tuple[list[Exchange], dict]:
    """The month request once against moto, recorded; returns the exchanges and its JSON."""
    from bench.counter import hooked
    from functions.core.web import COOKIE

    recorder = Recorder()
    client = booking_app.test_client()
    client.set_cookie(COOKIE, token)
    with hooked(recorder):
        answer = client.get(path)
    if answer.status_code != 200:
        raise RuntimeError(f"month request while recording: HTTP {answer.status_code}")
    return recorder.exchanges, answer.get_json()


def check(answer, expected: dict | None = None) -> None:
    if answer.status_code != 200:
        raise RuntimeError(f"replayed request: HTTP {answer.status_code} {answer.get_data(as_text=True)[:200]}")
    if expected is not None and answer.get_json() != expected:
        raise RuntimeError("the replayed month request answered differently from the recorded one")


def measure(runs: int) -> list[Result]:
    import botocore.session

    import functions.booking.app  # noqa: F401 - its import-time binding comes first, as in the tests
    from bench.counter import hooked
    from devstack import demo, demo_booking
    from functions.booking.app import make_app
    from functions.core.clock import OSLO
    from functions.core.web import COOKIE
    from tests.support.aws_stack import PEPPER, moto_runtime

    with moto_runtime(frozen=True) as runtime:  # frozen: the session is never "touched" (a write)
        now = runtime.clock.now()
        demo.load_clinics(PEPPER.encode(), now)
        demo.load_people(PEPPER.encode(), now)
        demo_booking.load(runtime)
        token, _ = runtime.sessions.create(PATIENT, "high", runtime.settings.terms_version)
        path = PATH.format(month=now.astimezone(OSLO).strftime("%Y-%m"))
        app = make_app(runtime)
        exchanges, expected = record(runtime, app, token, path)
    operations = [e.operation for e in exchanges]
    if operations != ["GetItem", "Query"]:
        raise RuntimeError(f"the month request made {operations}, expected GetItem + Query")
    query = next(e for e in exchanges if e.operation == "Query")
    items = json.loads(query.body).get("Count", 0)

    replayer = Replayer.of(exchanges)
    with hooked(replayer):  # moto is stopped: only the replay answers
        subject_client = app.test_client()
        subject_client.set_cookie(COOKIE, token)
        botocore_client = botocore.session.get_session().create_client(
            "dynamodb", region_name=runtime.settings.region, aws_access_key_id="test",
            aws_secret_access_key="test")  # noqa: S106 - never sent anywhere
        hello = hello_app(botocore_client, query.request).test_client()
        session_read = next(e for e in exchanges if e.operation == "GetItem").request
        bare = hello_app(botocore_client, query.request, session_read).test_client()
        check(subject_client.get(path), expected)
        check(hello.get("/hello"))
        check(bare.get("/hello"))
        for _ in range(BATCH):  # warm: every lazy import, client and cache built
            subject_client.get(path)
            hello.get("/hello")
        subjects, baselines = stats.alternate(lambda: cpu_per_request(lambda: subject_client.get(path), BATCH),
                                              lambda: cpu_per_request(lambda: hello.get("/hello"), BATCH), runs)
        ours, bares = stats.alternate(lambda: cpu_per_request(lambda: subject_client.get(path), BATCH),
                                      lambda: cpu_per_request(lambda: bare.get("/hello"), BATCH), runs)
        check(subject_client.get(path), expected)
    added = Result(BENCH, "warm CPU month calendar ÷ hello + the same GetItem + Query (what our code adds)",
                   stats.median_ratio(ours, bares), "x", ADDED_GOAL,
                   f"median of {runs} pairs, middle half {stats.quartiles(ours, bares)},"
                   f" all {stats.spread(ours, bares)}")
    detail = (f"GET month ({items} free slots; GetItem+Query replayed) {stats.median(subjects) * 1000:.2f} ms CPU"
              f" vs hello-world + 1 Query {stats.median(baselines) * 1000:.2f} ms; median of {runs} pairs of {BATCH}"
              f" requests, middle half {stats.quartiles(subjects, baselines)}, all {stats.spread(subjects, baselines)}")
    return [Result(BENCH, "warm CPU GET /api/booking/timebooks/tb-lise/month", stats.median_ratio(subjects, baselines),
                   "x", GOAL, detail), added]


INBOX_PATH = "/api/dialogs/inbox"
INBOX_ROWS = 20   # a full first page of Innboks


def _fill_inbox(runtime) -> None:
    """Kari's Innboks with a full page (the demo has one answered dialog; these are set-up, not timed)."""
    from devstack.demo_dialogs import _patient
    from functions.dialogs.patient_service import NewDialog
    from functions.dialogs.services import build

    patient = build(runtime).patient
    for n in range(INBOX_ROWS - 1):
        patient.start(_patient(PATIENT), NewDialog("c-storgata", "annen", f"Spørsmål nummer {n + 1}."),
                      f"bench-inbox-{n:04d}")


def measure_inbox(runs: int) -> list[Result]:
    """Innboks (one page) ÷ a Flask hello-world making the very same two botocore calls."""
    import botocore.session

    import functions.accounts.app  # noqa: F401 - their import-time binding comes first, as in the tests
    import functions.dialogs.app  # noqa: F401
    from bench.counter import hooked
    from devstack import demo, demo_dialogs
    from functions.core.web import COOKIE
    from functions.dialogs.app import make_app
    from tests.support.aws_stack import PEPPER, moto_runtime

    with moto_runtime(frozen=True) as runtime:
        now = runtime.clock.now()
        demo.load_clinics(PEPPER.encode(), now)
        demo.load_people(PEPPER.encode(), now)
        demo_dialogs.load(runtime)
        _fill_inbox(runtime)
        token, _ = runtime.sessions.create(PATIENT, "high", runtime.settings.terms_version)
        app = make_app(runtime)
        exchanges, expected = record(runtime, app, token, INBOX_PATH)
    operations = [e.operation for e in exchanges]
    if operations != ["GetItem", "Query"]:
        raise RuntimeError(f"Innboks made {operations}, expected GetItem + Query")
    rows = len(expected["dialogs"])
    query = next(e for e in exchanges if e.operation == "Query")
    session_read = next(e for e in exchanges if e.operation == "GetItem").request
    with hooked(Replayer.of(exchanges)):
        subject = app.test_client()
        subject.set_cookie(COOKIE, token)
        botocore_client = botocore.session.get_session().create_client(
            "dynamodb", region_name=runtime.settings.region, aws_access_key_id="test",
            aws_secret_access_key="test")  # noqa: S106 - never sent anywhere
        bare = hello_app(botocore_client, query.request, session_read).test_client()
        check(subject.get(INBOX_PATH), expected)
        check(bare.get("/hello"))
        for _ in range(BATCH):
            subject.get(INBOX_PATH)
            bare.get("/hello")
        ours, bares = stats.alternate(lambda: cpu_per_request(lambda: subject.get(INBOX_PATH), BATCH),
                                      lambda: cpu_per_request(lambda: bare.get("/hello"), BATCH), runs)
        check(subject.get(INBOX_PATH), expected)
    detail = (f"GET Innboks ({rows} dialogs; GetItem+Query replayed) {stats.median(ours) * 1000:.2f} ms CPU vs"
              f" hello-world + the same GetItem + Query {stats.median(bares) * 1000:.2f} ms; median of {runs} pairs"
              f" of {BATCH} requests, middle half {stats.quartiles(ours, bares)}, all {stats.spread(ours, bares)}")
    return [Result(BENCH, "warm CPU GET /api/dialogs/inbox ÷ hello + the same GetItem + Query",
                   stats.median_ratio(ours, bares), "x", GOAL, detail)]


PAIRS = 31  # the month calendar's figure swung 1.24-2.27x over seven pairs on a busy machine


def run(runs: int = stats.MIN_RUNS) -> list[Result]:
    return measure(max(runs, PAIRS)) + measure_inbox(max(runs, PAIRS))
