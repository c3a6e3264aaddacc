"""Counting the AWS API calls a request makes, with botocore's `before-call` event.

PynamoDB builds its clients from its own botocore sessions (pynamodb/connection/base.py,
`get_session()` per thread) and our boto3 clients come from boto3's default session, so no one
session sees every call. Instead, while `counting()` is active, every botocore client created in
the process (`Session.create_client`) gets the counter's hook, and so do the clients of PynamoDB
connections that already exist."""
from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import NamedTuple

import botocore.session

SCANS = frozenset({"Scan"})


class Call(NamedTuple):
    operation: str          # "GetItem"
    table: str | None       # the TableName parameter, when the operation has one

    def __str__(self) -> str:
        return f"{self.operation} {self.table}" if self.table else self.operation


def table_of(body) -> str | None:
    """TableName from a request body (bytes, text or an already parsed dict); None if it has none."""
    if isinstance(body, bytes | str):
        try:
            body = json.loads(body or "{}")
        except ValueError:
            return None
    return body.get("TableName") if isinstance(body, dict) else None


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
        self.calls.append(Call(model.name, table_of((params or {}).get("body"))))

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


@contextmanager
def counting(counter: CallCounter) -> Iterator[CallCounter]:
    """Hook `counter` into every botocore client made meanwhile, and into PynamoDB's existing ones."""
    original = botocore.session.Session.create_client
    attached = existing_pynamodb_clients()

    def create_client(session, *args, **kwargs):
        client = original(session, *args, **kwargs)
        counter.attach(client)
        attached.append(client)
        return client

    for client in attached:
        counter.attach(client)
    botocore.session.Session.create_client = create_client
    try:
        yield counter
    finally:
        botocore.session.Session.create_client = original
        for client in attached:
            counter.detach(client)
