"""Everything a function app needs, built once from settings and a clock (dependencies as arguments)."""
from __future__ import annotations

import functools
from dataclasses import dataclass, field

from functions.core import aws, records
from functions.core.access_log import AccessLog
from functions.core.clinic_auth import ClinicAuth
from functions.core.clock import Clock, SystemClock
from functions.core.config import Settings, settings_from_env
from functions.core.cursor import LazyCursors
from functions.core.directory import Directory
from functions.core.outbox import Outbox
from functions.core.ratelimit import RateLimiter
from functions.core.relations import RelationReader, Relations
from functions.core.sessions import LoginStates, SessionStore


@dataclass
class Runtime:
    settings: Settings
    clock: Clock
    sessions: SessionStore
    login_states: LoginStates
    limiter: RateLimiter
    directory: Directory
    access_log: AccessLog
    outbox: Outbox
    relations: RelationReader = field(default_factory=Relations)
    _secrets: aws.Secrets | None = field(default=None, repr=False)

    def client(self, service: str):
        return aws.for_settings(self.settings, service)

    @property
    def secrets(self) -> aws.Secrets:
        if self._secrets is None:
            self._secrets = aws.Secrets(self.client("ssm"))
        return self._secrets

    @functools.cached_property
    def pepper(self) -> bytes:
        return self.secrets.get(self.settings.pepper_param).encode()

    @functools.cached_property
    def cursors(self) -> LazyCursors:
        return LazyCursors(lambda: self.pepper)

    @functools.cached_property
    def clinic_auth(self) -> ClinicAuth:
        return ClinicAuth(self.pepper, self.limiter, self.directory, self.settings.clinic_rate_per_minute)


def build_runtime(settings: Settings, clock: Clock) -> Runtime:
    records.bind(settings)
    directory = Directory()
    return Runtime(settings=settings, clock=clock, sessions=SessionStore(settings, clock),
                   login_states=LoginStates(clock), limiter=RateLimiter(clock), directory=directory,
                   access_log=AccessLog(clock, directory), outbox=Outbox(clock))


def runtime_from_env() -> Runtime:
    """The deployed functions: settings from the environment, the system clock."""
    return build_runtime(settings_from_env(), SystemClock())
