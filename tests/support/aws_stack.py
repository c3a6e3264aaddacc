"""An in-process AWS (moto) with the real tables from infra/, secrets and (optionally) demo data.

Creating the tables and loading the demo costs seconds; it is done once per process and kept as
a snapshot of moto's DynamoDB state, which every later test restores into a fresh mock."""
from __future__ import annotations

import copy
import functools
import os
from contextlib import contextmanager
from datetime import datetime

from moto import mock_aws
from moto.core import DEFAULT_ACCOUNT_ID
from moto.dynamodb.models import dynamodb_backends

from functions.core import aws
from functions.core.clock import SettableClock
from functions.core.config import Settings
from functions.core.runtime import Runtime, build_runtime
from infra.tables import create_buckets, create_tables

FIXED_NOW = datetime.fromisoformat("2026-11-23T09:00:00+01:00")
PEPPER = "test-pepper-0123456789"
CLIENT_SECRET = "test-client-secret"  # noqa: S105
_SNAPSHOTS: dict[tuple, tuple[dict, list]] = {}


def make_settings(**overrides) -> Settings:
    values = dict(env="test", prefix="portal-test", region="eu-north-1", aws_endpoint=None,
                  base_url="http://127.0.0.1:8000", oidc_issuer="http://127.0.0.1:8000/idporten",
                  oidc_client_id="pasientportal-test", oidc_client_secret_param="/portal-test/oidc/client-secret",
                  oidc_client_key_param="/portal-test/oidc/client-key",
                  pepper_param="/portal-test/pepper", clinic_rate_per_minute=120)
    values.update(overrides)
    return Settings(**values)


@functools.cache
def client_key() -> str:
    """The test client's RSA key (PEM) for private_key_jwt, made once per test process."""
    from devstack.stack import new_client_key

    return new_client_key()


def _load_demo(runtime: Runtime) -> list:
    from devstack import demo, demo_booking, demo_dialogs, demo_family, demo_payments

    now = runtime.clock.now()
    demo.load_clinics(PEPPER.encode(), now)
    persons = demo.load_people(PEPPER.encode(), now)
    demo_family.load(PEPPER.encode(), now)
    demo_booking.load(runtime)
    demo_dialogs.load(runtime)
    demo_payments.load(runtime)
    return persons


def _secrets_and_buckets(settings: Settings) -> None:
    create_buckets(aws.for_settings(settings, "s3"), settings.prefix, settings.region)
    ssm = aws.for_settings(settings, "ssm")
    ssm.put_parameter(Name=settings.pepper_param, Value=PEPPER, Type="SecureString")
    ssm.put_parameter(Name=settings.oidc_client_secret_param, Value=CLIENT_SECRET, Type="SecureString")
    ssm.put_parameter(Name=settings.oidc_client_key_param, Value=client_key(), Type="SecureString")
    aws.for_settings(settings, "ses").verify_email_identity(EmailAddress="ikke-svar@pasientportal.example")


@contextmanager
def moto_runtime(settings: Settings | None = None, now: datetime = FIXED_NOW, frozen: bool = False,
                 demo: bool = False):
    for key, value in {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
                       "AWS_DEFAULT_REGION": "eu-north-1"}.items():
        os.environ[key] = value
    settings = settings or make_settings()
    key = (settings.prefix, settings.region, now, demo)
    with mock_aws():
        aws.client.cache_clear()
        backend = dynamodb_backends[DEFAULT_ACCOUNT_ID][settings.region]
        _secrets_and_buckets(settings)
        runtime: Runtime = build_runtime(settings, SettableClock(now, frozen=frozen))
        if key in _SNAPSHOTS:
            tables, persons = _SNAPSHOTS[key]
            backend.tables = copy.deepcopy(tables)
        else:
            create_tables(aws.for_settings(settings, "dynamodb"), settings.prefix)
            persons = _load_demo(runtime) if demo else []
            _SNAPSHOTS[key] = (copy.deepcopy(backend.tables), persons)
        runtime.persons = list(persons)
        yield runtime
    aws.client.cache_clear()
