"""M9: PDF time per receipt (Last ned kvittering) ÷ a bare one-page document of the same library.

Both sides run in this process, alternately (stats.alternate, one untimed warm-up pair so fpdf2 and
the fonts are loaded before timing): the subject renders a paid receipt with two tariff lines
(functions.payments.pdf.render), the baseline the one-line document pdf.bare() with the same
fonts and metadata. Goal: the median of the paired ratios ≤ 3×."""
from __future__ import annotations

from datetime import date, datetime, time

from bench import stats
from bench.report import Result

BENCH = "M9"
GOAL = 3.0


def receipt():
    from functions.core.clock import OSLO
    from functions.payments import model
    from functions.payments.model import Bill, Line

    issued = date(2026, 10, 6)
    return Bill("inv-bench-1", "c-storgata", "Storgata legesenter AS", "987654325", "p-kari", "Kari Nordmann",
                "Lise Lege", "2026-0140", issued,
                (Line("2ad", "Konsultasjon, allmennlege", 29_400), Line("701a", "Laboratorieundersøkelse", 5_600)),
                model.PAID, "kort", None, None, datetime.combine(issued, time(10, 15), tzinfo=OSLO),
                "bench-1", model.fingerprint({"bench": 1}), created_at=datetime.combine(issued, time(10, 15),
                                                                                      tzinfo=OSLO))


def run(runs: int = stats.MIN_RUNS) -> list[Result]:
    from functions.payments import pdf

    bill = receipt()
    body = pdf.render(bill)
    if not body.startswith(b"%PDF"):
        return [Result(BENCH, "PDF time per receipt", None, "x", GOAL, failure="render made no PDF")]
    subjects, baselines = stats.alternate(lambda: stats.timed(lambda: pdf.render(bill)),
                                          lambda: stats.timed(pdf.bare), runs)
    detail = (f"fpdf2 receipt (2 lines) median {stats.median(subjects) * 1000:.1f} ms vs bare one-page "
              f"{stats.median(baselines) * 1000:.1f} ms; {runs} pairs, ratios {stats.spread(subjects, baselines)}")
    ratio = stats.median_ratio(subjects, baselines)
    return [Result(BENCH, "PDF time per receipt ÷ bare one-page fpdf2 document", ratio, "x", GOAL, detail)]
