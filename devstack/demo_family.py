"""The demo population register (Folkeregisteret's stand-in): Ola Hansen's children Emma (under 12)
and Jonas (12-15). Local stack only; the relations are made by the same sync a login runs."""
from __future__ import annotations

from datetime import date, datetime

from devstack.demo import PEOPLE, pid_for
from functions.accounts.relations import RegisteredChild, RelationWriter
from functions.accounts.relations_service import RelationsService
from functions.accounts.repository import ProfileRepository
from functions.core import national_id
from functions.core.clock import OSLO, SettableClock
from functions.core.relations import Relations


class DemoRegister:
    """Families by the parent's national id, from devstack.demo.PEOPLE (synthetic ids only)."""

    def __init__(self, today: date) -> None:
        pids = {p.key: pid_for(p, today) for p in PEOPLE}
        self._families: dict[str, list[RegisteredChild]] = {}
        for p in PEOPLE:
            if p.parent:
                child = national_id.parse(pids[p.key], allow_synthetic=True)
                self._families.setdefault(pids[p.parent], []).append(
                    RegisteredChild(pids[p.key], p.first, p.last, child.birth_date))

    def children_of(self, national_id_text: str) -> list[RegisteredChild]:
        return list(self._families.get(national_id_text, []))


def load(pepper: bytes, now: datetime) -> DemoRegister:
    """The register, and the parents' relations as if each parent had logged in once."""
    register = DemoRegister(now.astimezone(OSLO).date())
    profiles = ProfileRepository()
    service = RelationsService(Relations(), RelationWriter(), profiles, register, None,
                               SettableClock(now, frozen=True), lambda: pepper, True)
    for p in PEOPLE:
        if any(c.parent == p.key for c in PEOPLE):
            service.sync_children(profiles.get(f"p-{p.key}"))
    return register
