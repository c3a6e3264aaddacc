"""Kvittering and faktura as PDF (fpdf2: pure Python, no native libraries, so it runs on Lambda as is).

fpdf2 is imported inside `render` only: a cold start that makes no PDF never loads it (M1). The text
is DejaVu Sans (bundled in fonts/, Bitstream Vera licence in fonts/LICENSE), so æ, ø, å and the
non-breaking spaces of Norwegian amounts render; the document's title and language are set."""
from __future__ import annotations

import re
from pathlib import Path

from functions.core.billing import kroner
from functions.core.clock import OSLO
from functions.payments.model import Bill
from functions.payments.texts import method_label, status_label

FONTS = Path(__file__).resolve().parent / "fonts"
WORDS = {
    "nb": {"receipt": "Kvittering", "invoice": "Faktura", "org": "Org.nr.", "patient": "Pasient",
           "practitioner": "Behandler", "number": "Fakturanummer", "date": "Dato", "code": "Takst",
           "text": "Tekst", "amount": "Beløp", "total": "Sum", "paid": "Betalt", "method": "Betalingsmåte",
           "due": "Forfallsdato", "kid": "KID", "status": "Status", "none": "–"},
    "en": {"receipt": "Receipt", "invoice": "Invoice", "org": "Org. no.", "patient": "Patient",
           "practitioner": "Practitioner", "number": "Invoice number", "date": "Date", "code": "Tariff",
           "text": "Text", "amount": "Amount", "total": "Total", "paid": "Paid", "method": "Payment method",
           "due": "Due date", "kid": "KID", "status": "Status", "none": "–"},
}


def title(bill: Bill, lang: str = "nb") -> str:
    w = WORDS.get(lang, WORDS["nb"])
    kind = w["receipt"] if bill.is_receipt else w["invoice"]
    return f"{kind} {bill.number}" if bill.number else kind


def filename(bill: Bill) -> str:
    """A safe download name: letters, digits and dashes only (nothing a header could be split by)."""
    kind = "kvittering" if bill.is_receipt else "faktura"
    return re.sub(r"[^A-Za-z0-9-]", "-", f"{kind}-{bill.number or bill.invoice_id}") + ".pdf"


def _document(doc_title: str, lang: str):
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_title(doc_title)
    pdf.set_lang("nb-NO" if lang == "nb" else "en")
    pdf.set_creator("Pasientportal")
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    return pdf


def bare(lang: str = "nb") -> bytes:
    """A one-page document with the same library, fonts and metadata and one line (the benchmark's yardstick)."""
    pdf = _document("Kvittering", lang)
    pdf.set_font("DejaVu", "", 11)
    pdf.cell(0, 8, "Kvittering", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def render(bill: Bill, lang: str = "nb") -> bytes:
    w = WORDS.get(lang, WORDS["nb"])
    pdf = _document(title(bill, lang), lang)

    def row(label: str, value: str, bold: bool = False) -> None:
        pdf.set_font("DejaVu", "B" if bold else "", 10)
        pdf.cell(50, 6, label)
        pdf.cell(0, 6, value, new_x="LMARGIN", new_y="NEXT")

    pdf.set_font("DejaVu", "B", 18)
    pdf.cell(0, 10, title(bill, lang), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 12)
    pdf.cell(0, 7, bill.clinic_name, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    pdf.cell(0, 6, f"{w['org']} {bill.org_number}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    row(w["patient"], bill.patient_name)
    if bill.practitioner_name:
        row(w["practitioner"], bill.practitioner_name)
    row(w["number"], bill.number or w["none"])
    row(w["date"], bill.issued.strftime("%d.%m.%Y"))
    row(w["status"], status_label(bill.status, lang))
    pdf.ln(4)
    pdf.set_font("DejaVu", "B", 10)
    pdf.cell(25, 7, w["code"], border="B")
    pdf.cell(100, 7, w["text"], border="B")
    pdf.cell(0, 7, w["amount"], border="B", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    for line in bill.lines:
        pdf.cell(25, 7, line.code)
        pdf.cell(100, 7, line.text)
        pdf.cell(0, 7, kroner(line.amount_ore), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 10)
    pdf.cell(125, 8, w["total"], border="T")
    pdf.cell(0, 8, kroner(bill.total_ore), border="T", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    if bill.is_receipt:
        row(w["paid"], f"{kroner(bill.paid_ore)} ({bill.paid_at.astimezone(OSLO).strftime('%d.%m.%Y')})", bold=True)
        row(w["method"], method_label(bill.method, lang))
    else:
        row(w["due"], bill.due.strftime("%d.%m.%Y") if bill.due else w["none"], bold=True)
        row(w["kid"], bill.kid or w["none"], bold=True)
        row(w["method"], method_label(bill.method, lang))
    return bytes(pdf.output())
