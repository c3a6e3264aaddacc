"""Writing to a dialog, for patients and clinics alike: one transaction per send (the message, the
dialog's head, its inbox entries, the uploads it takes, the sender's idempotency key, and the
notice or charge it causes), sent once per Idempotency-Key, retried when another writer won the
head in between (R26: a closed dialog then refuses)."""
from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass

from functions.core.billing import Charge
from functions.core.errors import Conflict, NotFound, PortalError
from functions.core.outbox import Notice
from functions.dialogs.model import Dialog, Message
from functions.dialogs.ports import Dialogs
from functions.dialogs.repository import Claim, SentBefore, Stale, Stored, Upload

ATTEMPTS = 3


@dataclass(frozen=True)
class Change:
    """What one send does to a dialog as it was read."""
    dialog: Dialog
    message: Message
    uploads: list[Upload]
    notice: Notice | None = None
    charge: Charge | None = None


def new_id() -> str:
    return secrets.token_urlsafe(12)


class DialogWriter:
    def __init__(self, repo: Dialogs) -> None:
        self._repo = repo

    def start(self, claim: Claim, dialog: Dialog, message: Message, uploads: list[Upload],
              notice: Notice | None = None) -> str:
        """The new dialog's id, or the first one's when this key was sent before."""
        try:
            self._repo.create(dialog, message, uploads, claim, notice)
        except SentBefore:
            return self._earlier(claim)
        return dialog.dialog_id

    def add(self, claim: Claim, stored: Stored, change: Callable[[Stored], Change]) -> str:
        """Adds a message made by `change` from the dialog as read; reads again when the head moved."""
        for _ in range(ATTEMPTS):
            try:
                done = change(stored)
            except PortalError:
                # sent before: the dialog closed since, or its uploads are taken by now (by that send)
                if self._repo.earlier(claim) is not None:
                    return stored.dialog.dialog_id
                raise
            try:
                self._repo.append(stored, done.dialog, done.message, done.uploads, claim, done.notice, done.charge)
                return stored.dialog.dialog_id
            except SentBefore:
                return self._earlier(claim)
            except Stale:
                stored = self._repo.load(stored.dialog.dialog_id)
                if stored is None:
                    raise NotFound() from None
        raise Conflict("busy")

    def _earlier(self, claim: Claim) -> str:
        result = self._repo.earlier(claim)
        if not result:
            raise Conflict("request_in_progress", field="Idempotency-Key")
        return result["dialog_id"]
