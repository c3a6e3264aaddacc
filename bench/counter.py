"""Counting the AWS API calls a request makes, with botocore's `before-call` event.

PynamoDB builds its clients from its own botocore sessions (pynamodb/connection/base.py,
`get_session()` per thread) and our boto3 clients come from boto3's default session, so no one
session sees every call. Instead, while `counting()` (or, for any other hook, `hooked()`) is
active, every botocore client created in the process (`Session.create_client`) gets the hook, and
so do the clients of PynamoDB connections that already exist."""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol

import botocore.session

SCANS = frozenset({"Scan"})
WRITES = frozenset({"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"})
_PLACEHOLDER = re.compile(r"[#:][A-Za-z0-9_]+")


class Call(NamedTuple):
    operation: str              # "GetItem"
    table: str | None           # the TableName parameter, when the operation has one
    index: str | None = None    # IndexName (Query, Scan)
    condition: str | None = None  # KeyConditionExpression, names and values filled in
    limit: int | None = None    # Limit

    def __str__(self) -> str:
        where = f"{self.table}[{self.index}]" if self.index else self.table
        return f"{self.operation} {where}" if where else self.operation

    @property
    def is_write(self) -> bool:
        return self.operation in WRITES


def parse_body(body) -> dict:
    """A request body (bytes, text or an already parsed dict) as a dict; {} if it is not JSON."""
    if isinstance(body, bytes | str):
        try:
            body = json.loads(body or "{}")
        except ValueError:
            return {}
    return body if isinstance(body, dict) else {}


def table_of(body) -> str | None:
    """TableName from a request body (bytes, text or an already parsed dict); None if it has none."""
    return parse_body(body).get("TableName")


def _value_text(value) -> str:
    if isinstance(value, dict) and len(value) == 1:
        kind, inner = next(iter(value.items()))
        if kind in ("S", "N"):
            return str(inner)
    return json.dumps(value, sort_keys=True)


def key_condition(body) -> str | None:
    """The KeyConditionExpression with its #names and :values filled in, e.g.
    "(free_pk = TB#tb-lise AND start BETWEEN 2026-11-23T08:00:00Z AND 2026-11-30T23:00:00Z)"."""
    body = parse_body(body)
    expression = body.get("KeyConditionExpression")
    if not expression:
        return None
    names = body.get("ExpressionAttributeNames") or {}
    values = body.get("ExpressionAttributeValues") or {}

    def fill(match: re.Match) -> str:
        token = match.group(0)
        if token.startswith("#"):
            return names.get(token, token)
        return _value_text(values[token]) if token in values else token

    return _PLACEHOLDER.sub(fill, expression)


def call_of(operation: str, body) -> Call:
    """The Call for one request: batch operations name the tables of their RequestItems."""
    parsed = parse_body(body)
    limit = parsed.get("Limit")
    table = parsed.get("TableName")
    if table is None and isinstance(parsed.get("RequestItems"), dict):
        table = ",".join(sorted(parsed["RequestItems"])) or None
    return Call(operation, table, parsed.get("IndexName"), key_condition(parsed),
                int(limit) if limit is not None else None)


@dataclass
class CallCounter:
    """The calls made since the last reset, in order."""

    service: str = "dynamodb"
    calls: list[Call] = field(default_factory=list)

    @property
    def event(self) -> str:
        return f"before-call.{self.service}"

    @property
    def unique_id(self) -> str:
        return f"bench-call-counter-{id(self)}"

    def on_before_call(self, model, params=None, **_) -> None:
        """botocore handler for `before-call.<service>.<Operation>`: `model` is the OperationModel,
        `params` the serialised request (DynamoDB's body is JSON text)."""
        self.calls.append(call_of(model.name, (params or {}).get("body")))

    def reset(self) -> None:
        self.calls.clear()

    def take(self) -> list[Call]:
        """The calls counted so far; starts counting afresh."""
        taken = list(self.calls)
        self.reset()
        return taken

    @property
    def operations(self) -> list[str]:
        return [call.operation for call in self.calls]

    @property
    def count(self) -> int:
        return len(self.calls)

    @property
    def scans(self) -> list[str]:
        return [op for op in self.operations if op in SCANS]

    @property
    def writes(self) -> list[Call]:
        return [call for call in self.calls if call.is_write]

    def attach(self, client) -> None:
        client.meta.events.register(self.event, self.on_before_call, unique_id=self.unique_id)

    def detach(self, client) -> None:
        client.meta.events.unregister(self.event, unique_id=self.unique_id)


def existing_pynamodb_clients() -> list:
    """Clients already built by the bound records' connections (indexes use their model's)."""
    from functions.core import records

    clients = []
    for cls in records.registered():
        table_connection = getattr(cls, "_connection", None)
        client = getattr(getattr(table_connection, "connection", None), "_client", None)
        if client is not None and all(client is not c for c in clients):
            clients.append(client)
    return clients


class Hook(Protocol):
    def attach(self, client) -> None: ...

    def detach(self, client) -> None: ...


@contextmanager
def hooked(hook: Hook) -> Iterator[Hook]:
    """Attach `hook` to every botocore client made meanwhile, and to PynamoDB's existing ones."""
    original = botocore.session.Session.create_client
    attached = existing_pynamodb_clients()

    def create_client(session, *args, **kwargs):
        client = original(session, *args, **kwargs)
        hook.attach(client)
        attached.append(client)
        return client

    for client in attached:
        hook.attach(client)
    botocore.session.Session.create_client = create_client
    try:
        yield hook
    finally:
        botocore.session.Session.create_client = original
        for client in attached:
            hook.detach(client)


@contextmanager
def counting(counter: CallCounter) -> Iterator[CallCounter]:
    """Hook `counter` into every botocore client made meanwhile, and into PynamoDB's existing ones."""
    with hooked(counter):
        yield counter
