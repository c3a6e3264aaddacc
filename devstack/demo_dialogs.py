"""Kommunikasjon demo: each clinic's dialog settings and tariff table, some invoices, and a few
dialogs (an answered one for Kari; for Ola's children one Emma's parent may read and, for Jonas,
one prescription matter and one message that stays his own), made through the services exactly
as patients and clinics would, relative to the portal clock. The demo is history: it leaves no notice in
the outbox and no line in an access log (those begin with what a user does after `make run`)."""
from __future__ import annotations

import dataclasses
from datetime import timedelta

from functions.core.actor import HIGH, PATIENT, STAFF, Actor
from functions.core.billing import Billing, Invoice, Tariff, oslo_date, period_start
from functions.core.runtime import Runtime
from functions.dialogs.model import DialogSettings, Group, Route
from functions.dialogs.patient_service import NewDialog
from functions.dialogs.services import build

LISE = Actor(kind=STAFF, actor_id="s-lise", on_behalf_of=None, clinic_id="c-storgata")
RANDI = Actor(kind=STAFF, actor_id="s-resepsjon", on_behalf_of=None, clinic_id="c-storgata")
ANNE = Actor(kind=STAFF, actor_id="s-anne", on_behalf_of=None, clinic_id="c-fjordheim")

STORGATA = DialogSettings(
    patient_kinds=frozenset({"ekonsultasjon", "faktura", "resept", "annen"}),
    offered_by=frozenset({"s-lise", "s-per"}), substitutes={"s-lise": ("s-per",), "s-per": ("s-lise",)},
    routing={"ekonsultasjon": Route("gp"), "resept": Route("both", ("clinic",)),
             "annen": Route("fixed", ("group:resepsjon",)), "faktura": Route("fixed", ("group:resepsjon",)),
             "ekontakt": Route("fixed", ("clinic",))},
    groups={"resepsjon": Group("Resepsjonen", ("s-resepsjon",))})
FJORDHEIM = DialogSettings(
    patient_kinds=frozenset({"ekonsultasjon", "resept", "annen"}), offered_by=frozenset({"s-anne"}))
# The e-consultation's patient fee per tariff period (1 July-30 June), as a clinic would load it.
FEES = {0: 18_700, -1: 17_900}


class _Quiet:
    """Stands in for the outbox and the access log while the demo's history is written."""

    def enqueue_in(self, transaction, notice, dedupe_key) -> int:
        return -1

    def record(self, actor, patient_id, what, why) -> None:
        return None


def load(runtime: Runtime) -> None:
    services = build(dataclasses.replace(runtime, outbox=_Quiet(), access_log=_Quiet()))
    clinic, patient = services.clinic, services.patient
    clinic.put_settings(LISE, STORGATA)
    clinic.put_settings(ANNE, FJORDHEIM)
    today = oslo_date(runtime.clock.now())
    billing = Billing()
    for clinic_id in ("c-storgata", "c-fjordheim"):
        for back, fee in FEES.items():
            start = period_start(today).replace(year=period_start(today).year + back)
            billing.put_tariffs(clinic_id, start, {"2ae": Tariff("2ae", "E-konsultasjon", fee)})
    for n, (who, days, amount, status) in enumerate((("p-kari", 48, 35_000, "paid"), ("p-kari", 12, 25_500, "open"),
                                                     ("p-nora", 30, 18_700, "open"))):
        billing.put_invoice(who, Invoice(f"inv-demo-{n + 1}", "c-storgata", f"2026-{140 + n:04d}",
                                         today - timedelta(days=days), amount, status))
    kari = _patient("p-kari")
    first = patient.start(kari, NewDialog("c-storgata", "annen", "Hei! Har dere åpent i romjulen?"), "demo-kari-1")
    clinic.reply(RANDI, first, "Hei, Kari. Vi har åpent 27.–30. desember kl. 08–15. Hilsen resepsjonen.", True,
                 None, None, "demo-kari-1-answer")
    clinic.start(ANNE, "edialog", "p-emma", [], "Time for kontroll",
                 "Hei! Det er på tide med en ny kontroll for Emma. Bestill gjerne en time i portalen.", None,
                 "demo-emma-1")
    jonas = _patient("p-jonas")
    asked = patient.start(jonas, NewDialog("c-fjordheim", "resept", "", medicine="Ventoline", dose="0,1 mg/dose",
                                           amount="1 inhalator"), "demo-jonas-1")
    clinic.reply(ANNE, asked, "Resepten er fornyet og ligger klar på apoteket.", True, "fornyet", None,
                 "demo-jonas-1-answer")
    patient.start(jonas, NewDialog("c-fjordheim", "annen", "Kan jeg få en bekreftelse på at jeg var hos dere?"),
                  "demo-jonas-2")


def _patient(patient_id: str) -> Actor:
    return Actor(kind=PATIENT, actor_id=patient_id, on_behalf_of=patient_id, level=HIGH)
