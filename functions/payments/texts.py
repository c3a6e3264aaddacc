"""Texts of the payments package, nb and en (labels and error messages)."""
from functions.core import messages

STATUS_LABELS = {"open": {"nb": "Utestående", "en": "Outstanding"}, "paid": {"nb": "Betalt", "en": "Paid"},
                 "credited": {"nb": "Kreditert", "en": "Credited"}}
METHOD_LABELS = {"kort": {"nb": "Kort", "en": "Card"}, "vipps": {"nb": "Vipps", "en": "Vipps"},
                 "faktura": {"nb": "Faktura", "en": "Invoice"}, "kontant": {"nb": "Kontant", "en": "Cash"}}

messages.register({f"payment_status_{k}": v for k, v in STATUS_LABELS.items()})
messages.register({f"payment_method_{k}": v for k, v in METHOD_LABELS.items()})
messages.register({
    # the same text as pharmacy's code of the same name (core.messages refuses two texts for one code)
    "invalid_amount": {"nb": "Beløpet må være et helt antall øre, større enn null.",
                       "en": "The amount must be a whole number of øre, above zero."},
    "amount_not_positive": {"nb": "Beløpet må være større enn null.", "en": "The amount must be more than zero."},
    "amount_too_large": {"nb": "Beløpet er for stort (maks {max}).", "en": "The amount is too large (max {max})."},
    "invalid_invoice_number": {"nb": "Fakturanummeret må skrives ÅÅÅÅ-NNNN (4–8 sifre etter året).",
                               "en": "The invoice number must be written YYYY-NNNN (4–8 digits after the year)."},
    "invalid_transaction_id": {"nb": "Ugyldig transaksjons-id (4–64 tegn: bokstaver, sifre, . _ : -).",
                               "en": "Invalid transaction id (4–64 characters: letters, digits, . _ : -)."},
    "invalid_method": {"nb": "Ukjent betalingsmåte.", "en": "Unknown payment method."},
    "invalid_kid": {"nb": "KID-nummeret har feil kontrollsiffer.", "en": "The KID number has a wrong check digit."},
    "invalid_org_number": {"nb": "Ugyldig organisasjonsnummer.", "en": "Invalid organisation number."},
    "invalid_tab": {"nb": "Ukjent fane.", "en": "Unknown tab."},
    "invalid_lines": {"nb": "Fakturaen må ha 1–20 linjer.", "en": "The invoice must have 1–20 lines."},
    "unknown_tariff": {"nb": "Takstkoden finnes ikke i klinikkens takster for perioden.",
                       "en": "The tariff code is not in the clinic's tariff table for the period."},
    "transaction_reused": {"nb": "Transaksjons-id-en er brukt før med et annet innhold.",
                           "en": "This transaction id was already used with other content."},
    "number_taken": {"nb": "Fakturanummeret er allerede brukt.", "en": "The invoice number is already used."},
    "already_paid": {"nb": "Fakturaen er allerede betalt på en annen måte.",
                     "en": "The invoice is already paid another way."},
    "invoice_credited": {"nb": "Fakturaen er kreditert.", "en": "The invoice is credited."},
    "no_payee": {"nb": "Klinikken har ikke registrert organisasjonsnummer for betalinger.",
                 "en": "The clinic has not registered an organisation number for payments."},
    "payments_not_offered": {"nb": "Klinikken bruker ikke betalinger i portalen.",
                             "en": "The clinic does not use payments in the portal."},
    "unknown_patient": {"nb": "Pasienten er ikke knyttet til klinikken.", "en": "The patient is not at this clinic."},
    "invalid_period": {"nb": "En takstperiode begynner 1. juli.", "en": "A tariff period starts on 1 July."},
    "what_payments": {"nb": "Mine betalinger", "en": "My payments"},
    "what_payment_pdf": {"nb": "Kvittering eller faktura (PDF)", "en": "Receipt or invoice (PDF)"},
})


def status_label(status: str, lang: str) -> str:
    return messages.text(f"payment_status_{status}", lang)


def method_label(method: str, lang: str) -> str:
    return messages.text(f"payment_method_{method}", lang)
