"""M9: the time to make one receipt and one invoice PDF ÷ a bare one-page document of the same
library (fpdf2, the same bundled fonts and metadata, one line) in the same run. What it measures
is what our layout adds on top of what any fpdf2 document with those fonts costs (most of either
is reading the TrueType fonts)."""
from __future__ import annotations

from datetime import date, datetime, time

from bench import stats
from bench.report import Result

BENCH = "M9"
GOAL = 3.0


def bills():
    from functions.core.clock import OSLO
    from functions.payments import model
    from functions.payments.model import Bill, Line

    lines = (Line("2ad", "Konsultasjon, allmennlege", 29_400), Line("701a", "Laboratorieundersøkelse", 5_600))
    day = date(2026, 11, 12)
    common = dict(clinic_id="c-storgata", clinic_name="Storgata legesenter", org_number="923609016",
                  patient_id="p-kari", patient_name="Kari Nordmann – Ærø Østby", practitioner_name="Lise Lege",
                  issued=day, lines=lines)
    receipt = Bill("inv-bench-1", number="2026-0140", status=model.PAID, method=model.KORT,
                   paid_at=datetime.combine(day, time(10, 15), tzinfo=OSLO), **common)
    invoice = Bill("inv-bench-2", number="2026-0141", status=model.OPEN, method=model.FAKTURA,
                   due=model.due_date(day), kid=model.make_kid("2026-0141"), **common)
    return {"kvittering": receipt, "faktura": invoice}


def run(runs: int = stats.MIN_RUNS) -> list[Result]:
    from functions.payments import pdf

    results = []
    for name, bill in bills().items():
        subjects, baselines = stats.alternate(lambda b=bill: stats.timed(lambda: pdf.render(b)),
                                              lambda: stats.timed(pdf.bare), runs)
        detail = (f"median {stats.median(subjects) * 1000:.0f} ms vs a bare one-page fpdf2 document "
                  f"{stats.median(baselines) * 1000:.0f} ms; {runs} pairs, middle half "
                  f"{stats.quartiles(subjects, baselines)}, all {stats.spread(subjects, baselines)}")
        results.append(Result(BENCH, f"PDF {name}", stats.median_ratio(subjects, baselines), "x", GOAL, detail))
    return results
