"""One TransactWriteItems call over records of any table, in the order the caller adds items, and
which of them a refusal came from (their conditions did not hold).

Transactions are for writes that must stand or fall together (a message, its dialog's head and
its idempotency key). Where a race decides, prefer single-item conditional writes (DESIGN.md)."""
from __future__ import annotations

from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action
from pynamodb.models import Model


class TransactionRefused(Exception):
    """Some item's condition did not hold; `positions` are the indexes `put`/`update` returned."""

    def __init__(self, positions: frozenset[int]) -> None:
        super().__init__(f"refused at {sorted(positions)}")
        self.positions = positions


class Transaction:
    MAX_ITEMS = 100

    def __init__(self) -> None:
        self._items: list[tuple[str, Model, object, Condition | None]] = []

    def put(self, record: Model, condition: Condition | None = None) -> int:
        self._items.append(("put", record, None, condition))
        return len(self._items) - 1

    def update(self, record: Model, actions: list[Action], condition: Condition | None = None) -> int:
        self._items.append(("update", record, actions, condition))
        return len(self._items) - 1

    def __len__(self) -> int:
        return len(self._items)

    def commit(self) -> None:
        """All or nothing; TransactionRefused names the items whose condition failed."""
        if not self._items:
            return
        if len(self._items) > self.MAX_ITEMS:
            raise ValueError("too many items for one transaction")
        client = type(self._items[0][1])._get_connection().connection.client
        try:
            client.transact_write_items(TransactItems=[_item(*entry) for entry in self._items])
        except client.exceptions.TransactionCanceledException as exc:
            reasons = exc.response.get("CancellationReasons") or []
            failed = frozenset(i for i, r in enumerate(reasons) if r.get("Code") == "ConditionalCheckFailed")
            if not failed:
                raise
            raise TransactionRefused(failed) from exc


def _item(op: str, record: Model, actions, condition: Condition | None) -> dict:
    if op == "put":
        kwargs = record.get_save_kwargs_from_instance(condition=condition)
        body = {"TableName": record.Meta.table_name, "Item": kwargs["Item"]}
        name = "Put"
    else:
        kwargs = record.get_update_kwargs_from_instance(actions=actions, condition=condition)
        body = {"TableName": record.Meta.table_name, "Key": kwargs["Key"],
                "UpdateExpression": kwargs["UpdateExpression"]}
        name = "Update"
    for extra in ("ConditionExpression", "ExpressionAttributeNames", "ExpressionAttributeValues"):
        if extra in kwargs:
            body[extra] = kwargs[extra]
    return {name: body}

