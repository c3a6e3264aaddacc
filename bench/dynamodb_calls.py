"""M3: DynamoDB calls per request, in-process on moto, for a logged-in patient.

Each probe is one request; its goal is a maximum number of DynamoDB API calls (None: informational).
Every probe fails if the request made a Scan or did not succeed. Later packages add probes."""
from __future__ import annotations

from dataclasses import dataclass, field

from bench.counter import SCANS, Call, CallCounter, counting
from bench.report import Result

BENCH = "M3"
PATIENT = "p-kari"


@dataclass(frozen=True)
class Probe:
    name: str
    method: str
    path: str
    max_calls: int | None = None
    body: dict | None = field(default=None, hash=False)


PROBES = [
    Probe("GET /api/accounts/session", "GET", "/api/accounts/session"),
    Probe("GET /api/accounts/profile", "GET", "/api/accounts/profile", max_calls=2),  # session + profile
    Probe("PATCH /api/accounts/profile", "PATCH", "/api/accounts/profile", body={"middle_name": "Bench"}),
]


def evaluate(probe: Probe, calls: list[Call], status: int) -> Result:
    """The row for one probe, from the calls the counter saw and the response status."""
    scans = [call for call in calls if call.operation in SCANS]
    failure = None
    if status >= 400:
        failure = f"HTTP {status}"
    elif scans:
        failure = f"{len(scans)} Scan"
    detail = ", ".join(map(str, calls)) or "no calls"
    return Result(BENCH, f"DynamoDB calls {probe.name}", len(calls), "calls", probe.max_calls,
                  detail, failure, also="no Scan")


class PatientClient:
    """The Flask test client of an app, logged in as one patient with current consent."""

    def __init__(self, app, runtime, patient_id: str) -> None:
        from functions.core.web import COOKIE

        self.client = app.test_client()
        token, self.session = runtime.sessions.create(patient_id, "high", None)
        self.client.set_cookie(COOKIE, token)
        answer = self.send("POST", "/api/accounts/consent", {"version": runtime.settings.terms_version})
        if answer.status_code != 200:
            raise RuntimeError(f"consent for the benchmark patient failed: HTTP {answer.status_code}")

    def send(self, method: str, path: str, body: dict | None = None):
        headers = {"X-CSRF-Token": self.session.csrf} if method != "GET" else {}
        return self.client.open(path, method=method, json=body, headers=headers)


def measure(probes: list[Probe]) -> list[Result]:
    import functions.accounts.app  # noqa: F401 - its import-time binding comes first, as in the tests
    from devstack import demo
    from functions.accounts.app import make_app
    from tests.support.aws_stack import PEPPER, moto_runtime

    counter = CallCounter()
    with counting(counter), moto_runtime() as runtime:
        now = runtime.clock.now()
        demo.load_clinics(PEPPER.encode(), now)
        demo.load_people(PEPPER.encode(), now)
        patient = PatientClient(make_app(runtime), runtime, PATIENT)
        results = []
        for probe in probes:
            counter.reset()
            answer = patient.send(probe.method, probe.path, probe.body)
            results.append(evaluate(probe, counter.take(), answer.status_code))
    return results


def run(runs: int = 1) -> list[Result]:
    """Counts are deterministic: one request per probe (`runs` does not apply)."""
    return measure(PROBES)
