"""Scheduled jobs shared by every function: each builds its runtime and calls one service."""
from __future__ import annotations

import functools

from functions.core.contacts import ProfileContacts
from functions.core.outbox import AwsSender
from functions.core.runtime import Runtime, runtime_from_env

SENDER_ADDRESS = "ikke-svar@pasientportal.example"


@functools.cache
def _runtime() -> Runtime:
    return runtime_from_env()


def drain_outbox(runtime: Runtime) -> dict:
    sender = AwsSender(runtime.client("ses"), runtime.client("sns"), SENDER_ADDRESS)
    return {"sent": runtime.outbox.drain(sender, ProfileContacts(), runtime.settings.base_url)}


def drain_outbox_job() -> dict:
    return drain_outbox(_runtime())


JOBS = {"drain_outbox": drain_outbox}
