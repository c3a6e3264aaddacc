"""Mine betalinger demo: each clinic's payee and tariff table, and payments relative to the portal
clock: Kari's two invoices at Storgata (the ones Spørsmål om faktura offers, now with lines, a method
and a KID) and Nora's, and for Emma (Ola's daughter, under 12) open and paid ones at Storgata across
this year and last year, enough for several pages. Written straight to the store (history: no access
log lines), after demo_dialogs (whose invoices it completes with the same ids, numbers and amounts)."""
from __future__ import annotations

from datetime import datetime, time, timedelta

from functions.core.billing import Billing, Tariff, oslo_date, period_start
from functions.core.clock import OSLO
from functions.core.runtime import Runtime
from functions.payments import model
from functions.payments.model import Bill, Line, Payee
from functions.payments.repository import PaymentRepository

PAYEES = (Payee("c-storgata", "Storgata legesenter AS", "987654325"),
          Payee("c-fjordheim", "Fjordheim legekontor", "922334455"))
# per tariff period (this one, last one): code -> (text, fee in øre)
TARIFFS = {0: {"2ae": ("E-konsultasjon", 18_700), "2ad": ("Konsultasjon, allmennlege", 29_400),
               "701a": ("Laboratorieundersøkelse", 5_600), "2cd": ("Tillegg for prosedyre", 6_800)},
           -1: {"2ae": ("E-konsultasjon", 17_900), "2ad": ("Konsultasjon, allmennlege", 28_000),
                "701a": ("Laboratorieundersøkelse", 5_400), "2cd": ("Tillegg for prosedyre", 6_500)}}
METHODS = ("kort", "vipps", "kontant", "faktura")
EMMA_PAID = 24          # every 23 days back: this year and last year, more than one page of each tab


def load(runtime: Runtime) -> None:
    repo, billing = PaymentRepository(), Billing()
    now = runtime.clock.now()
    today = oslo_date(now)
    for payee in PAYEES:
        repo.put_payee(payee)
        for back, codes in TARIFFS.items():
            start = period_start(today).replace(year=period_start(today).year + back)
            billing.put_tariffs(payee.clinic_id, start, {c: Tariff(c, t, f) for c, (t, f) in codes.items()})
    storgata = PAYEES[0]

    def bill(invoice_id: str, patient_id: str, name: str, number: str, days: int, lines: tuple[Line, ...],
             paid_with: str | None, practitioner: str = "Lise Lege") -> Bill:
        issued = today - timedelta(days=days)
        paid_at = datetime.combine(issued, time(10, 15), tzinfo=OSLO) if paid_with else None
        return Bill(invoice_id, storgata.clinic_id, storgata.name, storgata.org_number, patient_id, name, practitioner,
                    number, issued, lines, model.PAID if paid_with else model.OPEN, paid_with or model.FAKTURA,
                    None if paid_with else model.due_date(issued), None if paid_with else model.make_kid(number),
                    paid_at, f"demo-{invoice_id}", model.fingerprint({"demo": invoice_id}), created_at=now)

    consult, lab, econsult, extra = (Line("2ad", "Konsultasjon, allmennlege", 29_400),
                                     Line("701a", "Laboratorieundersøkelse", 5_600),
                                     Line("2ae", "E-konsultasjon", 18_700), Line("2cd", "Tillegg for prosedyre", 6_800))
    rows = [bill("inv-demo-1", "p-kari", "Kari Nordmann", "2026-0140", 48, (consult, lab), "kort"),
            bill("inv-demo-2", "p-kari", "Kari Nordmann", "2026-0141", 12, (econsult, extra), None),
            bill("inv-demo-3", "p-nora", "Nora Berg", "2026-0142", 30, (econsult,), None, "Per Persen")]
    for n in range(EMMA_PAID):
        days = 5 + 23 * n
        year = (today - timedelta(days=days)).year
        rows.append(bill(f"inv-emma-{n + 1:02d}", "p-emma", "Emma Hansen", f"{year}-{2000 + n:04d}", days,
                         (consult,) if n % 3 else (consult, lab), METHODS[n % len(METHODS)]))
    for n, days in enumerate((3, 20, 41)):
        rows.append(bill(f"inv-emma-open-{n + 1}", "p-emma", "Emma Hansen", f"{today.year}-{3000 + n:04d}", days,
                         (econsult, lab), None, "Per Persen"))
    for row in rows:   # history, written whole (the dialogs demo's three invoices completed in place)
        repo.put(row)
