"""Scheduled jobs of the payments function (EventBridge -> Zappa). Thin: one service call each."""
from __future__ import annotations

from functions.core.jobs import Job, handler
from functions.core.runtime import Runtime
from functions.payments import services


def _invoice_charges(runtime: Runtime) -> dict:
    """The charges of closed e-consultations become open invoices, per clinic (exactly once each)."""
    clinic = services.build(runtime).clinic
    totals: dict[str, int] = {"invoiced": 0, "free": 0, "already": 0}
    for found in runtime.directory.search("", limit=1000):
        for name, count in clinic.invoice_charges_of(found.clinic_id).items():
            if isinstance(count, int):
                totals[name] += count
    return totals


JOBS = (Job("invoice_charges", "rate(1 hour)", _invoice_charges),)
invoice_charges = handler(JOBS[0])
