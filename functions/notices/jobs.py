"""Scheduled jobs of the notices function: the outbox drain (R28, R48 through our own channels)."""
from __future__ import annotations

from functions.core.contacts import ProfileContacts
from functions.core.jobs import Job, handler
from functions.core.outbox import AwsSender
from functions.core.runtime import Runtime

SENDER_ADDRESS = "ikke-svar@pasientportal.example"


def drain(runtime: Runtime) -> dict:
    """Every pending notice: claimed, addressed (the patient's contact settings), sent once."""
    sender = AwsSender(runtime.client("ses"), runtime.client("sns"), SENDER_ADDRESS)
    return {"sent": runtime.outbox.drain(sender, ProfileContacts(), runtime.settings.base_url)}


JOBS = (Job("drain_outbox", "rate(1 minute)", drain),)
drain_outbox = handler(JOBS[0])
