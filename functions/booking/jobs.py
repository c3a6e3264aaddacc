"""Scheduled jobs of the booking function (EventBridge -> Zappa). Thin wrappers only."""
from __future__ import annotations

import functools

from functions.booking import services
from functions.core.runtime import runtime_from_env


@functools.cache
def _services():
    return services.build(runtime_from_env())


def expire_requests(event, context):
    return {"expired": _services().clinic.expire_requests()}
