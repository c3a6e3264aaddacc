"""Dialogs' ports, each case run twice: against the hand-written fakes (tests/support/dialogs_fakes.py)
and against the real DialogRepository (with core Idempotency, Outbox and Billing) on moto
(tests/support/aws_stack.py), so the fakes the unit tests lean on stay honest. A fixture yields a
`World`: one dialog store and one price store on one frozen clock, and what a write carried."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from functions.core.billing import Billing, Charge
from functions.core.clock import SettableClock
from functions.core.idempotency import Idempotency
from functions.dialogs.model import OPEN, PATIENT, PORTAL, WHOLE_CLINIC, Attachment, Dialog, Message
from functions.dialogs.repository import Claim, DialogRepository, Upload
from tests.support.aws_stack import FIXED_NOW, moto_runtime
from tests.support.dialogs_fakes import FakeDialogs, FakePrices

NOW = FIXED_NOW                      # 2026-11-23 09:00 Oslo, a Monday
CLINIC, OTHER_CLINIC = "c-storgata", "c-fjordheim"
KARI_OWNER = "patient:p-kari:p-kari"


@dataclass
class World:
    kind: str                  # fake | moto
    clock: SettableClock       # frozen at NOW
    repo: object               # Dialogs
    prices: object             # Prices + put_tariffs / put_invoice
    _about: object             # ref -> [(patient id, code)] of the notices enqueued about it
    _charge: object            # source -> Charge | None

    def notices_about(self, ref: str) -> list[tuple[str, str]]:
        return self._about(ref)

    def charge(self, source: str) -> Charge | None:
        return self._charge(source)


def at(days: float = 0, hours: float = 0, minutes: float = 0) -> datetime:
    """An instant relative to NOW, in UTC."""
    return (NOW + timedelta(days=days, hours=hours, minutes=minutes)).astimezone(UTC)


def dialog(dialog_id: str, minutes: float = 0, kind: str = "annen", patient_id: str | None = "p-kari",
           clinic_id: str = CLINIC, boxes: tuple[str, ...] = (WHOLE_CLINIC,), **fields) -> Dialog:
    """A dialog as a service makes it, started `minutes` after NOW."""
    start = at(minutes=minutes)
    values = dict(channel=PORTAL, origin=PATIENT, status=OPEN, title="", patient_name="Kari Nordmann",
                  from_name="Storgata legesenter", clinic_name="Storgata legesenter")
    values.update(fields)
    return Dialog(dialog_id, clinic_id, values.pop("clinic_name"), kind, values.pop("channel"), values.pop("origin"),
                  values.pop("status"), values.pop("title"), start, start, patient_id=patient_id, boxes=boxes,
                  **values)


def message(message_id: str, minutes: float = 0, author: str = PATIENT, text: str = "Hei",
            attachments: tuple[Attachment, ...] = (), **fields) -> Message:
    return Message(message_id, at(minutes=minutes), author, "p-kari" if author == PATIENT else "s-lise",
                   "Kari Nordmann" if author == PATIENT else "Lise Lege", text, attachments, **fields)


def upload(upload_id: str, owner: str = KARI_OWNER, size: int = 1000, name: str = "bilde.jpg") -> Upload:
    return Upload(upload_id, owner, Attachment(upload_id, name, "image/jpeg", size,
                                               f"attachments/p-kari/{upload_id}.jpg"))


def claim(key: str, payload: object = None, dialog_id: str = "", scope: str = "dialogs:p-kari") -> Claim:
    return Claim(scope, key, payload if payload is not None else {"key": key}, {"dialog_id": dialog_id})


def fake_world() -> World:
    repo = FakeDialogs()
    return World("fake", SettableClock(NOW, frozen=True), repo, FakePrices(),
                 lambda ref: [(n.patient_id, n.code) for n in repo.about(ref)], repo.charge)


@pytest.fixture(params=["fake", "moto"])
def world(request):
    if request.param == "fake":
        yield fake_world()
        return
    with moto_runtime(frozen=True) as runtime:
        billing = Billing()
        yield World("moto", runtime.clock, DialogRepository(Idempotency(runtime.clock), runtime.outbox, billing),
                    billing, lambda ref: [(m.patient_id, m.code) for m in runtime.outbox.about(ref)], billing.charge)
