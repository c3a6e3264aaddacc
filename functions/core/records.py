"""Base of every PynamoDB record, and the binding of records to their tables.

Records are persistence shapes only; repositories translate them to domain objects.
Each record class names its logical table; `bind(settings)` points them at the real table
(prefix, region, endpoint) so one code base serves local moto, dev and prod."""
from __future__ import annotations

import threading
from pathlib import Path

from pynamodb.exceptions import DeleteError, PutError, UpdateError
from pynamodb.models import Model

from functions.core.config import Settings

_REGISTRY: dict[type[Model], str] = {}
USER_AGENT = "pasientportal/0.1"
# botocore's endpoints.json trimmed to DynamoDB (scripts/trim_endpoints.py): the records' session
# parses 14 KB on a cold start instead of 1.2 MB.
BOTOCORE_DATA = Path(__file__).resolve().parent / "botocore_data"


class Refused(Exception):
    """A conditional write that DynamoDB refused because its condition did not hold."""


class SharedClient:
    """One botocore DynamoDB client for every record class.

    PynamoDB gives each model its own connection, and each connection its own botocore session
    and client: every table touched on a cold start would parse botocore's service model and
    endpoint rules again. One client (botocore clients are thread-safe) parses them once. A fixed
    User-Agent (botocore's documented `Config(user_agent=...)`) spares rebuilding the header twice
    per call."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._client = None
        self._where: tuple[str, str | None] | None = None

    def configure(self, region: str, endpoint: str | None) -> None:
        with self._lock:
            self._where, self._client = (region, endpoint), None

    def get(self):
        with self._lock:
            if self._client is None:
                self._client = _make_client(*(self._where or ("eu-north-1", None)))
            return self._client


def _make_client(region: str, endpoint: str | None):
    import botocore.session
    from botocore.config import Config

    config = Config(parameter_validation=False, connect_timeout=2, read_timeout=5, user_agent=USER_AGENT,
                    retries={"total_max_attempts": 3, "mode": "standard"})
    session = botocore.session.get_session()
    session.set_config_variable("data_path", str(BOTOCORE_DATA))
    return session.create_client("dynamodb", region, endpoint_url=endpoint, config=config)


CLIENT = SharedClient()


def table(logical_name: str):
    """Class decorator: this record lives in the logical table `logical_name`."""

    def mark(cls: type[Model]) -> type[Model]:
        _REGISTRY[cls] = logical_name
        # Each record gets its own Meta: an inherited one would be shared by every table.
        cls.Meta = type("Meta", (), {k: v for k, v in vars(BaseRecord.Meta).items()
                                     if not k.startswith("__") and k != "abstract"})
        return cls

    return mark


class BaseRecord(Model):
    class Meta:
        abstract = True
        table_name = "unbound"
        region = "eu-north-1"
        max_retry_attempts = 2
        connect_timeout_seconds = 2
        read_timeout_seconds = 5

    # Conditional writes: a refusal by the condition (a race lost, a retry seen) is `Refused`, the
    # caller's to answer; any other failure (throttling, a missing table) goes on up unchanged.
    def save(self, *args, **kwargs):
        try:
            return super().save(*args, **kwargs)
        except PutError as exc:
            if condition_failed(exc):
                raise Refused() from exc
            raise

    def update(self, *args, **kwargs):
        try:
            return super().update(*args, **kwargs)
        except UpdateError as exc:
            if condition_failed(exc):
                raise Refused() from exc
            raise

    def delete(self, *args, **kwargs):
        try:
            return super().delete(*args, **kwargs)
        except DeleteError as exc:
            if condition_failed(exc):
                raise Refused() from exc
            raise

    @classmethod
    def _get_connection(cls):
        """PynamoDB's table connection, on the one shared botocore client (see SharedClient)."""
        connection = super()._get_connection()
        if connection.connection._client is None:  # noqa: SLF001 - PynamoDB has no public way to pass a client
            connection.connection._client = CLIENT.get()  # noqa: SLF001
        return connection


def condition_failed(exc: Exception) -> bool:
    """Did DynamoDB refuse this write because its condition did not hold (and for no other reason)?"""
    return getattr(exc, "cause_response_code", None) == "ConditionalCheckFailedException"


def registered() -> dict[type[Model], str]:
    return dict(_REGISTRY)


def bind(settings: Settings) -> None:
    CLIENT.configure(settings.region, settings.aws_endpoint)
    for cls, logical in _REGISTRY.items():
        cls.Meta.table_name = settings.table(logical)
        cls.Meta.region = settings.region
        cls.Meta.host = settings.aws_endpoint
        cls._connection = None
        for index in cls._indexes.values():
            index._connection = None
