"""Who may act for whom, and what they may see (R35-R37): pure rules, no I/O, the clock passed in.

A parent represents a child under 16 (age from the birth date, Europe/Oslo, so the 12th and 16th
birthdays begin at Oslo midnight). Under 12 the parent sees and does what the child could; from 12
to 16 only appointments and prescription matters, unless the clinic marked an item shareable;
from the 16th birthday nothing (pasient- og brukerrettighetsloven § 3-4). A fullmakt is given by
an adult (16+) to another adult (18+) for a period, and can be revoked by the giver at any time.
A representative never gets more than the represented person has (R37), and never sees a
hidden appointment ("Skjult time")."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from functions.core.clock import OSLO

PARENT = "parent"        # the holder is the subject's parent (from the population register)
FULLMAKT = "fullmakt"    # the subject gave the holder a power of attorney

# What a representative may reach; services ask for one of these.
APPOINTMENTS = "appointments"
PRESCRIPTIONS = "prescriptions"
MESSAGES = "messages"
PAYMENTS = "payments"
PROFILE = "profile"
ALL_SCOPES = frozenset({APPOINTMENTS, PRESCRIPTIONS, MESSAGES, PAYMENTS, PROFILE})
TEEN_SCOPES = frozenset({APPOINTMENTS, PRESCRIPTIONS})

CHILD_UNTIL, TEEN_UNTIL = 12, 16
FULLMAKT_GIVER_FROM, FULLMAKT_HOLDER_FROM = 16, 18


@dataclass(frozen=True)
class Relation:
    """The holder may act for the subject. Stored once per direction by accounts."""
    holder_id: str
    subject_id: str
    kind: str                        # parent | fullmakt
    holder_name: str
    subject_name: str
    subject_birth_date: date
    subject_consent: str | None      # the subject's accepted terms version (never the holder's)
    valid_from: date | None = None   # fullmakt period, Oslo dates, both ends included
    valid_until: date | None = None


def oslo_day(now: datetime) -> date:
    return now.astimezone(OSLO).date()


def age_on(birth: date, day: date) -> int:
    """Whole years on an Oslo day; someone born on 29 February turns a year older on 1 March."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def band(birth: date, now: datetime) -> str:
    """child (under 12) | teen (12-15) | adult (16 and over), at Oslo midnight."""
    age = age_on(birth, oslo_day(now))
    return "child" if age < CHILD_UNTIL else "teen" if age < TEEN_UNTIL else "adult"


def scopes(relation: Relation, now: datetime) -> frozenset[str]:
    """What the holder may reach for the subject now; empty when the relation gives nothing (ended)."""
    if relation.kind == PARENT:
        return {"child": ALL_SCOPES, "teen": TEEN_SCOPES, "adult": frozenset()}[band(relation.subject_birth_date, now)]
    if relation.kind == FULLMAKT:
        today = oslo_day(now)
        started = relation.valid_from is None or relation.valid_from <= today
        ended = relation.valid_until is not None and today > relation.valid_until
        return ALL_SCOPES if started and not ended else frozenset()
    return frozenset()


def access_until(relation: Relation) -> date | None:
    """The last Oslo day the relation gives access (a parent's ends the day before the 16th birthday)."""
    if relation.kind == PARENT:
        b = relation.subject_birth_date
        try:
            sixteenth = b.replace(year=b.year + TEEN_UNTIL)
        except ValueError:   # 29 February
            sixteenth = date(b.year + TEEN_UNTIL, 3, 1)
        return date.fromordinal(sixteenth.toordinal() - 1)
    return relation.valid_until


def may_give_fullmakt(giver_birth: date, holder_birth: date, now: datetime) -> str | None:
    """None if a fullmakt may be given; else the refusal's code."""
    today = oslo_day(now)
    if age_on(giver_birth, today) < FULLMAKT_GIVER_FROM:
        return "fullmakt_giver_too_young"
    if age_on(holder_birth, today) < FULLMAKT_HOLDER_FROM:
        return "fullmakt_holder_too_young"
    return None
