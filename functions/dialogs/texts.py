"""Texts of the dialogs package, nb and en (labels and error messages; notice texts are in
core/notice_texts.py, where the drain renders them)."""
from functions.core import messages

KIND_LABELS = {
    "ekonsultasjon": {"nb": "E-konsultasjon", "en": "E-consultation"},
    "annen": {"nb": "Annen henvendelse", "en": "Other inquiry"},
    "faktura": {"nb": "Fakturaspørsmål", "en": "Invoice question"},
    "resept": {"nb": "Reseptforespørsel", "en": "Prescription request"},
    "edialog": {"nb": "E-dialog", "en": "E-dialogue"},
    "ekontakt": {"nb": "e-Kontakt", "en": "e-Contact"},
}
STATUS_LABELS = {"open": {"nb": "Åpen", "en": "Open"}, "closed": {"nb": "Avsluttet", "en": "Closed"}}
ANSWER_LABELS = {
    "avvist": {"nb": "Forespørsel avvist", "en": "Request rejected"},
    "fornyet": {"nb": "Resept fornyet", "en": "Prescription renewed"},
    "kan_ikke": {"nb": "Resept kan ikke fornyes", "en": "Prescription cannot be renewed"},
    "delvis": {"nb": "Resepter delvis fornyet", "en": "Prescriptions partly renewed"},
}

messages.register({f"dialog_kind_{k}": v for k, v in KIND_LABELS.items()})
messages.register({f"dialog_status_{k}": v for k, v in STATUS_LABELS.items()})
messages.register({f"dialog_answer_{k}": v for k, v in ANSWER_LABELS.items()})
messages.register({
    "dialog_title_faktura": {"nb": "Fakturaspørsmål: faktura {number}", "en": "Invoice question: invoice {number}"},
    "dialog_closed": {"nb": "Dialogen er avsluttet. Du kan ikke svare på denne meldingen.",
                      "en": "The dialogue is closed. You cannot reply to this message."},
    "kind_not_offered": {"nb": "Klinikken tilbyr ikke denne typen henvendelse.",
                         "en": "The clinic does not offer this kind of inquiry."},
    "invalid_kind": {"nb": "Ukjent type henvendelse.", "en": "Unknown kind of inquiry."},
    "invalid_recipient": {"nb": "Velg fastlegen din eller fastlegens vikar som tilbyr e-konsultasjon.",
                          "en": "Choose your GP or the GP's substitute who offers e-consultation."},
    "unknown_invoice": {"nb": "Velg en av fakturaene dine fra denne klinikken.",
                        "en": "Choose one of your invoices from this clinic."},
    "no_tariff": {"nb": "Klinikken har ikke registrert pris for e-konsultasjon for denne perioden. Kontakt klinikken.",
                  "en": "The clinic has no price for e-consultation registered for this period. Contact the clinic."},
    "too_many_files": {"nb": "Du kan legge ved høyst {max} filer.", "en": "You can attach at most {max} files."},
    "attachments_too_large": {"nb": "Vedleggene kan til sammen være høyst {max_mb} MB.",
                              "en": "The attachments can be at most {max_mb} MB in total."},
    "unknown_attachment": {"nb": "Vedlegget finnes ikke eller er allerede sendt. Legg det ved på nytt.",
                           "en": "The attachment does not exist or was already sent. Attach it again."},
    "attachment_used": {"nb": "Et av vedleggene er allerede sendt. Legg det ved på nytt.",
                        "en": "One of the attachments was already sent. Attach it again."},
    "answer_code_not_resept": {"nb": "Svarkode brukes bare på reseptforespørsler.",
                               "en": "An answer code is only for prescription requests."},
    "invalid_answer_code": {"nb": "Ukjent svarkode.", "en": "Unknown answer code."},
    "cannot_convert": {"nb": "Denne dialogen kan ikke gjøres om til den typen.",
                       "en": "This dialogue cannot be converted to that kind."},
    "convert_after_answer": {"nb": "Svar på reseptforespørselen før den gjøres om.",
                             "en": "Answer the prescription request before converting it."},
    "invalid_inbox": {"nb": "Ukjent innboks.", "en": "Unknown inbox."},
    "inbox_not_yours": {"nb": "Du har ikke tilgang til denne innboksen.", "en": "You have no access to this inbox."},
    "not_here": {"nb": "Denne dialogen besvares på helsenorge.no.",
                 "en": "This dialogue is answered on helsenorge.no."},
    "unknown_patient": {"nb": "Pasienten er ikke knyttet til klinikken.", "en": "The patient is not at this clinic."},
    "unknown_colleague": {"nb": "Ukjent kollega.", "en": "Unknown colleague."},
    "raw_file_expected": {"nb": "Send filen som den er (JPEG, PNG eller PDF), ikke som skjema eller JSON.",
                          "en": "Send the file as it is (JPEG, PNG or PDF), not as a form or JSON."},
    "invalid_settings": {"nb": "Ugyldig innstilling.", "en": "Invalid setting."},
    "what_dialogs": {"nb": "Innboks (meldinger)", "en": "Inbox (messages)"},
    "what_dialog": {"nb": "En melding (dialog)", "en": "A message (dialogue)"},
    "what_journal": {"nb": "E-konsultasjon til journal", "en": "E-consultation for the record"},
    "why_answer_dialog": {"nb": "Behandling av henvendelsen", "en": "Handling the inquiry"},
    "why_journal": {"nb": "Journalføring", "en": "Keeping the medical record"},
})


def kind_label(kind: str, lang: str) -> str:
    return messages.text(f"dialog_kind_{kind}", lang)


def status_label(status: str, lang: str) -> str:
    return messages.text(f"dialog_status_{status}", lang)


def answer_label(code: str | None, lang: str) -> str | None:
    return messages.text(f"dialog_answer_{code}", lang) if code else None
