"""Scheduled jobs of the booking function (EventBridge -> Zappa). Thin: one service call each."""
from __future__ import annotations

from functions.booking import services
from functions.booking.notice_model import NOW, REMIND
from functions.core.jobs import Job, handler
from functions.core.runtime import Runtime


def _expire(runtime: Runtime) -> dict:
    return {"expired": services.build(runtime).clinic.expire_requests()}


def _now(runtime: Runtime) -> dict:
    """Confirmations, cancellations and "it is time" (R24, R47): due at once, so every minute."""
    return services.build(runtime).notices.run(NOW)


def _reminders(runtime: Runtime) -> dict:
    """The reminders 48-24 hours before (R47): every 15 minutes is early enough."""
    return services.build(runtime).notices.run(REMIND)


JOBS = (Job("expire_requests", "rate(1 hour)", _expire),
        Job("appointment_notices", "rate(1 minute)", _now),
        Job("send_reminders", "rate(15 minutes)", _reminders))
expire_requests, appointment_notices, send_reminders = (handler(job) for job in JOBS)
