"""Base of every PynamoDB record, and the binding of records to their tables.

Records are persistence shapes only; repositories translate them to domain objects.
Each record class names its logical table; `bind(settings)` points them at the real table
(prefix, region, endpoint) so one code base serves local moto, dev and prod."""
from __future__ import annotations

from pynamodb.models import Model

from functions.core.config import Settings

_REGISTRY: dict[type[Model], str] = {}


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


def registered() -> dict[type[Model], str]:
    return dict(_REGISTRY)


def bind(settings: Settings) -> None:
    for cls, logical in _REGISTRY.items():
        cls.Meta.table_name = settings.table(logical)
        cls.Meta.region = settings.region
        cls.Meta.host = settings.aws_endpoint
        cls._connection = None
        for index in cls._indexes.values():
            index._connection = None
