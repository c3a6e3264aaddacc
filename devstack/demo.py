"""Demo data for the local stack, generated relative to the portal's clock.

Synthetic national ids only (Skatteetaten Tenor, month +80). Two clinics: one Timebok, one
Timeforespørsel; each patient has a fastlege (GP) link; a parent with children aged under 12 and
12-15."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from functions.accounts.model import Address, Contact, Phone, Profile
from functions.accounts.repository import ProfileRepository
from functions.core import national_id
from functions.core.clinic_auth import hash_secret
from functions.core.clock import OSLO
from functions.core.config import Settings
from functions.core.core_records import ClinicRecord, CredentialRecord, MembershipRecord, StaffRecord

DEMO_KEY_ID = "ck_demo_storgata"
DEMO_SECRET = "demo-storgata-secret-not-for-production"  # noqa: S105 - local demo only
OTHER_KEY_ID = "ck_demo_fjordheim"
OTHER_SECRET = "demo-fjordheim-secret-not-for-production"  # noqa: S105 - local demo only
# (clinic name, key id, secret, a staff member) of each demo clinic credential: `make run` prints them all
CREDENTIALS = (("Storgata legesenter", DEMO_KEY_ID, DEMO_SECRET, "s-lise"),
               ("Fjordheim legekontor", OTHER_KEY_ID, OTHER_SECRET, "s-anne"))

CLINICS = [
    {"id": "c-storgata", "name": "Storgata legesenter", "place": "Oslo", "phone": "+4722001100",
     "website": "https://storgata-legesenter.example", "booking_mode": "timebok",
     "features": {"video": True, "e_consultation": True, "prescription": True, "invoice_question": True,
                  "other_inquiry": True, "payments": True},
     "staff": [("s-lise", "Lise Lege", "lege"), ("s-per", "Per Persen", "lege"),
               ("s-resepsjon", "Randi Resepsjon", "resepsjon")]},
    {"id": "c-fjordheim", "name": "Fjordheim legekontor", "place": "Bergen", "phone": "+4755002200",
     "website": None, "booking_mode": "request",
     "features": {"video": False, "e_consultation": True, "prescription": True, "invoice_question": False,
                  "other_inquiry": True, "payments": False},
     "staff": [("s-anne", "Anne Andersen", "lege"), ("s-bjorn", "Bjørn Berg", "sykepleier")]},
]


@dataclass(frozen=True)
class DemoPerson:
    key: str
    first: str
    last: str
    label: str
    age_years: int
    age_days: int
    individual: int
    clinic: str
    gp: str
    email: str = ""
    phone: str = ""
    parent: str = ""   # the key of the parent (the demo population register's families)


PEOPLE = [
    DemoPerson("kari", "Kari", "Nordmann", "Voksen pasient", 41, 120, 101, "c-storgata", "s-lise",
               "kari.nordmann@example.no", "+4791234567"),
    DemoPerson("ola", "Ola", "Hansen", "Forelder med to barn", 44, 30, 202, "c-fjordheim", "s-anne",
               "ola.hansen@example.no", "+4792345678"),
    DemoPerson("emma", "Emma", "Hansen", "Barn under 12 år", 9, 200, 503, "c-fjordheim", "s-anne", parent="ola"),
    DemoPerson("jonas", "Jonas", "Hansen", "Barn 12–15 år", 14, 60, 604, "c-fjordheim", "s-anne", parent="ola"),
    DemoPerson("nora", "Nora", "Berg", "Pasient ved begge klinikker", 29, 10, 305, "c-storgata", "s-per",
               "nora.berg@example.no", ""),
]


def birth_date(today: date, years: int, days: int) -> date:
    from datetime import timedelta

    anchor = today - timedelta(days=days)
    try:
        return anchor.replace(year=anchor.year - years)
    except ValueError:  # 29 February
        return anchor.replace(year=anchor.year - years, day=28)


def pid_for(person: DemoPerson, today: date) -> str:
    born = birth_date(today, person.age_years, person.age_days)
    for individual in range(person.individual, person.individual + 40):
        if person.age_years < 20 and individual < 500:
            continue
        try:
            return national_id.synthetic(born, individual)
        except ValueError:
            continue
    raise RuntimeError("no synthetic id found")


def load_clinics(pepper: bytes, now: datetime) -> None:
    for c in CLINICS:
        ClinicRecord(f"CLINIC#{c['id']}", "PROFILE", name_key=f"{c['name'].lower()}#{c['id']}", name=c["name"],
                     place=c["place"], phone=c["phone"],
                     website=c["website"], booking_mode=c["booking_mode"], features=c["features"]).save()
        for staff_id, name, role in c["staff"]:
            StaffRecord(f"CLINIC#{c['id']}", f"STAFF#{staff_id}", name=name, role=role).save()
    for key_id, secret, clinic in ((DEMO_KEY_ID, DEMO_SECRET, "c-storgata"),
                                   (OTHER_KEY_ID, OTHER_SECRET, "c-fjordheim")):
        CredentialRecord(f"CRED#{key_id}", "CRED", clinic_id=clinic, label="demo",
                         secret_hash=hash_secret(secret, pepper)).save()


def load_people(pepper: bytes, now: datetime) -> list[dict]:
    today = now.astimezone(OSLO).date()
    profiles = ProfileRepository()
    persons = []
    for n, p in enumerate(PEOPLE):
        pid = pid_for(p, today)
        nid = national_id.parse(pid, allow_synthetic=True)
        phones = (Phone("t1", p.phone),) if p.phone else ()
        profile = Profile(
            patient_id=f"p-{p.key}", national_id=pid, birth_date=nid.birth_date, first_name=p.first,
            last_name=p.last, email=p.email, phones=phones,
            addresses=(Address("a1", f"Demoveien {n + 1}", "0150", "Oslo"),),
            contact=Contact("email" if p.email else "sms", "t1" if p.phone else None, "a1"),
            # the children's consent to the terms was given by their parent (under 16)
            consent_version=Settings().terms_version if p.parent else None, consent_at=now if p.parent else None)
        profiles.create(national_id.lookup_key(nid, pepper), profile)
        MembershipRecord(f"PAT#p-{p.key}", f"CLINIC#{p.clinic}", clinic_id=p.clinic, gp_practitioner_id=p.gp,
                         since=now).save()
        persons.append({"pid": pid, "name": f"{p.first} {p.last}", "label": p.label})
    MembershipRecord("PAT#p-nora", "CLINIC#c-fjordheim", clinic_id="c-fjordheim", gp_practitioner_id=None,
                     since=now).save()
    return persons


def new_person(today: date) -> dict:
    """Someone who has never logged in: the first login creates the patient."""
    person = DemoPerson("ny", "Ny", "Bruker", "Første innlogging", 33, 77, 407, "", "")
    return {"pid": pid_for(person, today), "name": "Ny Bruker", "label": person.label}
