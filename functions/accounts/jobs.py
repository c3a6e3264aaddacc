"""Scheduled jobs of the accounts function (EventBridge -> Zappa). Thin wrappers only."""
from __future__ import annotations

from functions.core.jobs import drain_outbox_job


def drain_outbox(event, context):
    return drain_outbox_job()
