"""'This request (or message) was already handled': one conditional put with a TTL, in the
sessions table beside the other short-lived records.

A sender names the request with a key of its own (an Idempotency-Key header, a clinic's
transaction id, a HelseNorge message id). `begin` claims it once; a repeat gets the first
request's stored result, or `InFlight` while the first is still running; the same key with a
different payload is refused (a key is for one request, not a slot to reuse)."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import timedelta

from functions.core.clock import Clock
from functions.core.core_records import IdempotencyRecord
from functions.core.errors import Conflict, Invalid
from functions.core.records import Refused
from functions.core.transactions import Transaction

KEY_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.:")


@dataclass(frozen=True)
class Done:
    result: dict


class InFlight(Conflict):
    status = 409
    code = "request_in_progress"


def check_key(key: object, field: str = "Idempotency-Key") -> str:
    if not isinstance(key, str) or not 8 <= len(key) <= 64 or not set(key) <= KEY_CHARS:
        raise Invalid("invalid_idempotency_key", field=field)
    return key


def fingerprint(payload: object) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()[:32]


class Idempotency:
    IN_FLIGHT = timedelta(seconds=60)   # longer than a function may run

    def __init__(self, clock: Clock, keep: timedelta = timedelta(hours=24)) -> None:
        self._clock, self._keep = clock, keep

    @staticmethod
    def _pk(scope: str, key: str) -> str:
        return f"IDEM#{scope}#{hashlib.sha256(key.encode()).hexdigest()[:40]}"

    def begin(self, scope: str, key: str, payload: object) -> Done | None:
        """None: this call is the first and must run (then `finish`). Done: it ran; here is its result."""
        now, print_ = self._clock.now(), fingerprint(payload)
        record = IdempotencyRecord(self._pk(scope, key), fingerprint=print_, state="running",
                                   started_at=now, expires_at=now + self._keep)
        stale = IdempotencyRecord.started_at < now - self.IN_FLIGHT
        try:
            record.save(IdempotencyRecord.pk.does_not_exist() | ((IdempotencyRecord.state == "running") & stale))
            return None
        except Refused:
            pass
        earlier = IdempotencyRecord.get(self._pk(scope, key), consistent_read=True)
        if earlier.fingerprint != print_:
            raise Conflict("idempotency_key_reused", field="Idempotency-Key")
        if earlier.state != "done":
            raise InFlight(field="Idempotency-Key")
        return Done(json.loads(earlier.result or "{}"))

    def finish(self, scope: str, key: str, result: dict) -> None:
        IdempotencyRecord(self._pk(scope, key)).update(actions=[
            IdempotencyRecord.state.set("done"), IdempotencyRecord.result.set(json.dumps(result))])

    def abandon(self, scope: str, key: str) -> None:
        """The first call failed without effect: a retry may run it again."""
        IdempotencyRecord(self._pk(scope, key)).delete(condition=IdempotencyRecord.state == "running")

    def claim_in(self, transaction: Transaction, scope: str, key: str, payload: object, result: dict) -> int:
        """Claim the key inside the caller's own transaction, already done: the write and its key
        stand or fall together, so there is no "running" state to recover from. Returns the item's
        position in the transaction (a refusal there means: sent before, see `earlier`)."""
        now = self._clock.now()
        record = IdempotencyRecord(self._pk(scope, key), fingerprint=fingerprint(payload), state="done",
                                   result=json.dumps(result), started_at=now, expires_at=now + self._keep)
        return transaction.put(record, IdempotencyRecord.pk.does_not_exist())

    def earlier(self, scope: str, key: str, payload: object) -> Done | None:
        """The first result of a key, if there is one; a different payload under it is refused."""
        try:
            record = IdempotencyRecord.get(self._pk(scope, key), consistent_read=True)
        except IdempotencyRecord.DoesNotExist:
            return None
        if record.fingerprint != fingerprint(payload):
            raise Conflict("idempotency_key_reused", field="Idempotency-Key")
        if record.state != "done":
            raise InFlight(field="Idempotency-Key")
        return Done(json.loads(record.result or "{}"))
