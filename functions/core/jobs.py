"""Scheduled jobs: each package's `jobs.py` declares its `JOBS` once, and Zappa's events
(infra/stages.py), the local runner (/__dev/jobs and the local timer) read that list.

A Job's `run` takes a Runtime and calls one service; `handler(job)` is the thin module-level
function Zappa calls as `functions.<pkg>.jobs.<name>(event, context)` (exactly two arguments:
Zappa retries a job with fewer arguments on TypeError, which would hide real errors)."""
from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from dataclasses import dataclass

from functions.core.runtime import Runtime, runtime_from_env


@dataclass(frozen=True)
class Job:
    name: str                          # also the attribute of the package's jobs module
    schedule: str                      # EventBridge: rate(...) or cron(...)
    run: Callable[[Runtime], dict]


@functools.cache
def _runtime() -> Runtime:
    return runtime_from_env()


def handler(job: Job) -> Callable[[dict, object], dict]:
    def handle(event, context):
        return job.run(_runtime())

    handle.__name__ = handle.__qualname__ = job.name
    return handle


def jobs_of(package: str) -> tuple[Job, ...]:
    """The JOBS a function package declares (none when it has no jobs module)."""
    try:
        module = importlib.import_module(f"functions.{package}.jobs")
    except ModuleNotFoundError as exc:
        if exc.name != f"functions.{package}.jobs":
            raise
        return ()
    return tuple(module.JOBS)
