"""Scheduled jobs of the booking function (EventBridge -> Zappa). Thin: one service call each."""
from __future__ import annotations

from functions.booking import services
from functions.core.jobs import Job, handler
from functions.core.runtime import Runtime


def _expire(runtime: Runtime) -> dict:
    return {"expired": services.build(runtime).clinic.expire_requests()}


JOBS = (Job("expire_requests", "rate(1 hour)", _expire),)
expire_requests = handler(JOBS[0])
