"""An in-process AWS (moto) with the real tables from infra/, secrets and (optionally) demo data.

Creating the tables and loading the demo costs seconds; it is done once per process and kept as
a snapshot of moto's DynamoDB state, which every later test restores into a fresh mock. The
template's YAML is parsed once per process too, and `share_botocore_data()` (called by
tests/conftest.py) lets every botocore session of the test process read botocore's JSON models
once: each test's fresh mock starts a fresh boto3 session and fresh clients, which would otherwise
parse the endpoint rules and service models again (most of a test's setup)."""
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
from infra.tables import create_buckets, create_tables, load_template

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


@functools.cache
def _template() -> dict:
    """infra/template.yaml, parsed once per test process (it does not change during a run)."""
    return load_template()


def share_botocore_data() -> None:
    """One botocore data loader per search path for every session of this process.

    botocore caches what it reads from its data files per loader, and makes one loader per session;
    moto resets boto3's default session on every `mock_aws()`, so each test would parse the same
    files again. The files are read-only for a run, and a loader's cache is already shared by every
    client of its session, so sharing it between sessions changes nothing but the time."""
    import botocore.loaders
    import botocore.session

    if getattr(botocore.session.create_loader, "shared", False):
        return
    shared = functools.cache(botocore.loaders.create_loader)
    shared.shared = True
    botocore.session.create_loader = shared


def _load_demo(runtime: Runtime) -> list:
    from devstack import demo, demo_booking, demo_dialogs, demo_family, demo_payments, demo_pharmacy

    now = runtime.clock.now()
    demo.load_clinics(PEPPER.encode(), now)
    persons = demo.load_people(PEPPER.encode(), now)
    demo_family.load(PEPPER.encode(), now)
    demo_booking.load(runtime)
    demo_dialogs.load(runtime)
    demo_payments.load(runtime)
    demo_pharmacy.load(PEPPER.encode())
    return persons


def _secrets_and_buckets(settings: Settings) -> None:
    create_buckets(aws.for_settings(settings, "s3"), settings.prefix, settings.region, template=_template())
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
            create_tables(aws.for_settings(settings, "dynamodb"), settings.prefix, template=_template())
            persons = _load_demo(runtime) if demo else []
            _SNAPSHOTS[key] = (copy.deepcopy(backend.tables), persons)
        runtime.persons = list(persons)
        yield runtime
    aws.client.cache_clear()
