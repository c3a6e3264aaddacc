"""JSON shapes of payments (R33 columns: Dato, Klinikk, Betaling, Status, Fakturanummer, Betalt, Handlinger)."""
from __future__ import annotations

from urllib.parse import urlencode

from functions.core.billing import kroner
from functions.core.clock import OSLO, iso
from functions.payments.model import OPEN, Bill, CreditNote
from functions.payments.texts import method_label, status_label

PDF_LABELS = {"nb": ("Last ned kvittering", "Last ned faktura"), "en": ("Download receipt", "Download invoice")}


def row_json(b: Bill, lang: str) -> dict:
    day = b.paid_at.astimezone(OSLO).date() if b.paid_at else b.issued
    receipt, invoice = PDF_LABELS.get(lang, PDF_LABELS["nb"])
    return {
        "id": b.invoice_id, "date": day.isoformat(), "date_display": day.strftime("%d.%m.%Y"),
        "clinic_id": b.clinic_id, "clinic_name": b.clinic_name, "practitioner_name": b.practitioner_name,
        "clinic_display": ", ".join(x for x in (b.practitioner_name, b.clinic_name) if x),
        "method": b.method, "method_label": method_label(b.method, lang),
        "status": b.status, "status_label": status_label(b.status, lang), "number": b.number,
        "total_ore": b.total_ore, "total_display": kroner(b.total_ore),
        "paid_ore": b.paid_ore, "paid_display": kroner(b.paid_ore),
        "due": b.due.isoformat() if b.due else None, "kid": b.kid if b.status == OPEN else None,
        # a download is a navigation (no Accept-Language of the page's choosing): the language rides along
        "pdf_url": f"/api/payments/payments/{b.invoice_id}/pdf?lang={lang}",
        "pdf_label": receipt if b.is_receipt else invoice,
        "question_url": ("skriv.html?" + urlencode({"type": "faktura", "clinic": b.clinic_id,
                                                     "invoice": b.invoice_id})) if b.status == OPEN else None,
    }


def clinic_json(b: Bill, lang: str = "nb") -> dict:
    return {
        "id": b.invoice_id, "transaction_id": b.transaction_id, "patient_id": b.patient_id,
        "patient_name": b.patient_name, "practitioner_name": b.practitioner_name, "number": b.number,
        "issued": b.issued.isoformat(), "due": b.due.isoformat() if b.due else None, "kid": b.kid,
        "status": b.status, "method": b.method, "total_ore": b.total_ore, "paid_ore": b.paid_ore,
        "paid_at": iso(b.paid_at) if b.paid_at else None, "credit_id": b.credit_id, "source": b.source,
        "lines": [{"code": x.code, "text": x.text, "amount_ore": x.amount_ore} for x in b.lines],
    }


def credit_json(note: CreditNote) -> dict:
    return {"id": note.credit_id, "invoice_id": note.invoice_id, "amount_ore": note.amount_ore,
            "reason": note.reason, "created_at": iso(note.created_at)}
