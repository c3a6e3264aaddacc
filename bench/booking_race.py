"""M6 contention, through the service against moto's server: threads released together by a
threading.Barrier.

  one slot:  20 patients book the SAME time -> exactly 1 wins, 19 get Conflict `slot_taken`, the
             slot holds the winner's appointment and no loser is left holding a place under the cap.
  the cap:   ONE patient books 10 DIFFERENT times at a cap (max_future_bookings) of 3 -> exactly 3
             win, 7 get Conflict `too_many_bookings`; the 3 won hold the patient's appointments,
             the 7 others are free and offered again, and the places are exactly the 3 won."""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from bench.report import Result

BENCH = "M6"


def patient(patient_id: str):
    from functions.core.actor import PATIENT, Actor

    return Actor(kind=PATIENT, actor_id=patient_id, on_behalf_of=patient_id, level="high", consent=True)


def run_together(racers: int, attempt: Callable[[int], None]) -> list[str]:
    """`attempt(n)` in `racers` threads released at once: "won", a Conflict's code or an exception's name."""
    from functions.core.errors import Conflict

    barrier = threading.Barrier(racers)
    outcomes = ["not run"] * racers

    def racer(n: int) -> None:
        barrier.wait()
        try:
            attempt(n)
            outcomes[n] = "won"
        except Conflict as exc:
            outcomes[n] = exc.code
        except Exception as exc:  # noqa: BLE001 - reported as the racer's outcome
            outcomes[n] = type(exc).__name__

    threads = [threading.Thread(target=racer, args=(n,), name=f"racer-{n}") for n in range(racers)]
    pool_log = logging.getLogger("urllib3.connectionpool")  # 20 threads > botocore's 10 pooled connections
    level = pool_log.level
    pool_log.setLevel(logging.ERROR)
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        pool_log.setLevel(level)
    return outcomes


@dataclass(frozen=True)
class CapOutcome:
    """The cap race: what each racer got ("won" or a code), the expected numbers, and what was
    wrong with the items afterwards."""

    outcomes: tuple[str, ...]
    winners_expected: int
    loser_code: str
    after: str | None = None   # a problem with the items afterwards (None: all as expected)
    detail: str = ""

    @property
    def winners(self) -> int:
        return self.outcomes.count("won")

    @property
    def problem(self) -> str | None:
        losers = len(self.outcomes) - self.winners_expected
        if self.winners != self.winners_expected:
            return f"{self.winners} winners"
        if self.outcomes.count(self.loser_code) != losers:
            others = sorted({o for o in self.outcomes if o not in ("won", self.loser_code)})
            return f"{self.outcomes.count(self.loser_code)} {self.loser_code} of {losers} (also {', '.join(others)})"
        return self.after

    def result(self, name: str) -> Result:
        losers = len(self.outcomes) - self.winners_expected
        return Result(BENCH, name, self.winners, "winners", self.winners_expected, self.detail, self.problem,
                      also=f"exactly {self.winners_expected}, {losers} × {self.loser_code}")


@dataclass(frozen=True)
class RaceOutcome:
    """The one-slot race: what each racer got, who won, and the slot's item (and the racers still
    holding a place under the cap) afterwards."""

    outcomes: tuple[str, ...]
    winner: str | None = None       # the winning patient
    slot_holder: str | None = None  # the patient the slot's item names afterwards
    slot_status: str | None = None
    holding: tuple[str, ...] | None = None  # racers holding a place afterwards (None: not checked)

    @property
    def winners(self) -> int:
        return self.outcomes.count("won")

    @property
    def taken(self) -> int:
        return self.outcomes.count("slot_taken")

    @property
    def problem(self) -> str | None:
        racers = len(self.outcomes)
        if self.winners != 1:
            return f"{self.winners} winners"
        if self.taken != racers - 1:
            others = sorted({o for o in self.outcomes if o not in ("won", "slot_taken")})
            return f"{self.taken} slot_taken of {racers - 1} (also {', '.join(others)})"
        if self.slot_status != "booked" or self.slot_holder != self.winner:
            return f"slot afterwards {self.slot_status} for {self.slot_holder}, winner {self.winner}"
        if self.holding is not None and list(self.holding) != [self.winner]:
            return f"places held afterwards by {list(self.holding)}, winner {self.winner}"
        return None


def race_result(outcome: RaceOutcome) -> Result:
    racers = len(outcome.outcomes)
    detail = (f"{racers} threads, same slot: {outcome.winners} won ({outcome.winner}), "
              f"{outcome.taken} × Conflict slot_taken; slot item afterwards {outcome.slot_status} "
              f"for {outcome.slot_holder}; places held by {list(outcome.holding or ())}")
    return Result(BENCH, f"{racers}-way race for one slot: winners", outcome.winners, "winners", 1, detail,
                  outcome.problem, also=f"exactly 1, {racers - 1} × slot_taken")


def one_slot_race(services, repo, places, slot, racers: int = 20) -> RaceOutcome:
    from functions.booking.slot_ids import slot_id

    raw = slot_id(slot.timebok_id, slot.start)
    outcomes = run_together(racers, lambda n: services.patient.book(patient(f"p-race-{n:02d}"), raw, "",
                                                                    f"race-key-{n:02d}"))
    winner = next((f"p-race-{n:02d}" for n, o in enumerate(outcomes) if o == "won"), None)
    after = repo.slot(slot.timebok_id, slot.key)
    holding = tuple(f"p-race-{n:02d}" for n in range(racers) if places.held(f"p-race-{n:02d}", slot.clinic_id)[0])
    return RaceOutcome(tuple(outcomes), winner, after.patient_id, after.status, holding)


def cap_race(services, repo, places, slots: list, cap: int) -> CapOutcome:
    """One patient, `len(slots)` different times at once; the clinic's cap must be `cap`."""
    from functions.booking.slot_ids import slot_id

    who = "p-cap-race"
    outcomes = run_together(len(slots), lambda n: services.patient.book(
        patient(who), slot_id(slots[n].timebok_id, slots[n].start), "", f"cap-key-{n:02d}"))
    after = [repo.slot(s.timebok_id, s.key) for s in slots]
    won = [a for a, o in zip(after, outcomes, strict=True) if o == "won"]
    offered = {s.key for s in repo.free_slots(slots[0].timebok_id, slots[0].type_id, slots[0].start,
                                              slots[-1].end)}
    held = places.held(who, slots[0].clinic_id)[0]
    problem = None
    if any(a.status != "booked" or a.patient_id != who for a in won):
        problem = "a won time is not the patient's"
    elif [a.key for a in after if a.status != "free"] != [a.key for a in won]:
        problem = "a time not won was left booked"
    elif {a.key for a in after if a.status == "free"} - offered:
        problem = "a time not won is not offered again"
    elif held != {a.cap_entry for a in won}:
        problem = f"places afterwards {sorted(held)}"
    detail = (f"1 patient, {len(slots)} threads, {len(slots)} different times, cap {cap}: "
              f"{outcomes.count('won')} won, {outcomes.count('too_many_bookings')} × too_many_bookings; "
              f"booked afterwards {sum(a.status != 'free' for a in after)}, places held {len(held)}")
    return CapOutcome(tuple(outcomes), cap, "too_many_bookings", problem, detail)
