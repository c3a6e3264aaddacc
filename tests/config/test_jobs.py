"""One job list per package: functions/<pkg>/jobs.py declares JOBS, and Zappa's events, the local
runner and the handlers Zappa calls all come from it."""
from __future__ import annotations

import importlib
import inspect
import json

from devstack.app import JOBS as LOCAL_JOBS
from infra import stages


def declared() -> dict[str, list]:
    return {p.name: list(p.jobs) for p in stages.PACKAGES}


def test_every_declared_job_has_its_zappa_handler_taking_event_and_context():
    for package, jobs in declared().items():
        for job in jobs:
            module = importlib.import_module(f"functions.{package}.jobs")
            handle = getattr(module, job.name)
            assert list(inspect.signature(handle).parameters) == ["event", "context"], (package, job.name)


def test_zappa_events_are_exactly_the_declared_jobs():
    settings = json.loads(stages.SETTINGS_PATH.read_text(encoding="utf-8"))
    for package, jobs in declared().items():
        for env in stages.ENVIRONMENTS:
            events = settings[f"{env}_{package}"].get("events", [])
            assert [(e["function"], e["expression"]) for e in events] == [
                (f"functions.{package}.jobs.{j.name}", j.schedule) for j in jobs]


def test_the_local_runner_knows_every_declared_job_and_no_other():
    assert sorted(LOCAL_JOBS) == sorted(j.name for jobs in declared().values() for j in jobs)
    assert {"drain_outbox", "expire_requests"} <= set(LOCAL_JOBS)


def test_the_outbox_drain_is_a_function_of_its_own_not_inside_accounts():
    assert [j.name for j in declared()["notices"]] == ["drain_outbox"]
    assert declared()["accounts"] == []


def test_send_reminders_is_a_zappa_event_every_15_minutes_and_notices_every_minute():
    """R47: the reminder job every 15 minutes; confirmations, cancellations and "it is time" (R24)
    every minute, in the booking function (it owns the due index)."""
    schedules = {j.name: j.schedule for j in declared()["booking"]}
    assert schedules["send_reminders"] == "rate(15 minutes)"
    assert schedules["appointment_notices"] == "rate(1 minute)"
