"""Error and notification texts by code, in bokmål (default) and English.

Packages add their own codes with `register`; the error handler picks the request's language."""
from __future__ import annotations

LANGUAGES = ("nb", "en")

_CATALOG: dict[str, dict[str, str]] = {
    "bad_request": {"nb": "Forespørselen kunne ikke leses.", "en": "The request could not be read."},
    "invalid": {"nb": "Ugyldig verdi.", "en": "Invalid value."},
    "required": {"nb": "Feltet må fylles ut.", "en": "This field is required."},
    "too_long": {"nb": "Teksten er for lang (maks {max} tegn).", "en": "The text is too long (max {max} characters)."},
    "wrong_type": {"nb": "Feltet har feil type.", "en": "The field has the wrong type."},
    "unknown_field": {"nb": "Ukjent felt.", "en": "Unknown field."},
    "invalid_email": {"nb": "Ugyldig e-postadresse.", "en": "Invalid e-mail address."},
    "invalid_phone": {"nb": "Ugyldig telefonnummer.", "en": "Invalid phone number."},
    "invalid_postal_code": {"nb": "Postnummer må være fire siffer.", "en": "Postal code must be four digits."},
    "invalid_month": {"nb": "Måneden må skrives ÅÅÅÅ-MM.", "en": "The month must be written YYYY-MM."},
    "invalid_date": {"nb": "Datoen må skrives ÅÅÅÅ-MM-DD.", "en": "The date must be written YYYY-MM-DD."},
    "invalid_time": {"nb": "Klokkeslettet må skrives TT:MM.", "en": "The time must be written HH:MM."},
    "invalid_datetime": {"nb": "Tidspunktet må skrives ÅÅÅÅ-MM-DDTTT:MM med tidssone.",
                         "en": "The time must be written YYYY-MM-DDTHH:MM with a time zone."},
    "date_out_of_range": {"nb": "Datoen må ligge mellom {earliest} og {latest}.",
                          "en": "The date must be between {earliest} and {latest}."},
    "invalid_characters": {"nb": "Teksten inneholder tegn som ikke er tillatt (kontroll- eller retningstegn).",
                           "en": "The text contains characters that are not allowed (control or direction marks)."},
    "invalid_national_id": {"nb": "Ugyldig fødselsnummer.", "en": "Invalid national identity number."},
    "unauthenticated": {"nb": "Du er ikke logget inn, eller økten er utløpt.",
                        "en": "You are not logged in, or your session has expired."},
    "forbidden": {"nb": "Du har ikke tilgang.", "en": "You do not have access."},
    "csrf": {"nb": "Siden er utløpt. Last inn siden på nytt og prøv igjen.",
             "en": "The page has expired. Reload the page and try again."},
    "step_up_required": {"nb": "Denne siden krever innlogging med BankID (sikkerhetsnivå høyt).",
                         "en": "This page requires logging in with BankID (high assurance level)."},
    "consent_required": {"nb": "Du må samtykke til vilkårene før du kan bruke portalen.",
                         "en": "You must accept the terms before you can use the portal."},
    "not_for_representative": {"nb": "Dette kan du ikke se eller gjøre på vegne av en annen.",
                               "en": "You cannot see or do this on behalf of someone else."},
    "relation_ended": {"nb": "Du har ikke lenger tilgang på vegne av denne personen. Bytt tilbake til deg selv.",
                       "en": "You no longer have access on behalf of this person. Switch back to yourself."},
    "not_found": {"nb": "Fant ikke det du lette etter.", "en": "Not found."},
    "conflict": {"nb": "Noen andre har endret dette samtidig. Last inn på nytt.",
                 "en": "Someone else changed this at the same time. Reload and try again."},
    "too_large": {"nb": "Filen er for stor (maks {max_mb} MB).", "en": "The file is too large (max {max_mb} MB)."},
    "request_too_large": {"nb": "Forespørselen er for stor (maks {max_kb} kB).",
                          "en": "The request is too large (max {max_kb} kB)."},
    "too_deep": {"nb": "Forespørselen er nestet for dypt (maks {max_depth} nivåer).",
                 "en": "The request is nested too deeply (max {max_depth} levels)."},
    "unsupported_media": {"nb": "Filen er ikke et bilde. Bruk JPEG, PNG eller WebP.",
                          "en": "The file is not an image. Use JPEG, PNG or WebP."},
    "unsupported_file": {"nb": "Filtypen er ikke tillatt. Bruk JPEG, PNG eller PDF.",
                         "en": "This file type is not allowed. Use JPEG, PNG or PDF."},
    "invalid_idempotency_key": {"nb": "Ugyldig Idempotency-Key (8–64 tegn: bokstaver, sifre, - _ . :).",
                                "en": "Invalid Idempotency-Key (8–64 characters: letters, digits, - _ . :)."},
    "request_in_progress": {"nb": "Forespørselen behandles allerede. Vent litt og prøv igjen.",
                            "en": "This request is already being handled. Wait a moment and try again."},
    "idempotency_key_reused": {"nb": "Idempotency-Key er brukt før til en annen forespørsel.",
                               "en": "This Idempotency-Key was already used for another request."},
    "rate_limited": {"nb": "For mange forsøk. Vent litt og prøv igjen.",
                     "en": "Too many attempts. Wait a little and try again."},
    "method_not_allowed": {"nb": "Metoden er ikke tillatt.", "en": "Method not allowed."},
    "busy": {"nb": "Det er travelt hos oss akkurat nå. Prøv igjen om litt.",
             "en": "We are busy right now. Try again in a moment."},
    "internal": {"nb": "Noe gikk galt hos oss. Prøv igjen senere.",
                 "en": "Something went wrong on our side. Try again later."},
    "bad_credentials": {"nb": "Ugyldig klientnøkkel.", "en": "Invalid client credentials."},
    "unknown_staff": {"nb": "Ukjent ansatt for denne klinikken.", "en": "Unknown staff member for this clinic."},
    # the access log (R55): what was seen and why; shown by whichever function renders the log
    "what_contact_details": {"nb": "Kontaktopplysninger", "en": "Contact details"},
    "what_patient_lookup": {"nb": "Oppslag på fødselsnummer", "en": "Lookup by national identity number"},
    "what_appointments": {"nb": "Timeavtaler", "en": "Appointments"},
    "what_video": {"nb": "Videokonsultasjon", "en": "Video consultation"},
    "what_clinics": {"nb": "Klinikker du er tilknyttet", "en": "The clinics you are attached to"},
    "why_representative": {"nb": "Foresatt eller fullmektig så på dine vegne",
                           "en": "A parent or proxy looked on your behalf"},
    "why_patient_contact": {"nb": "Kontakt med pasienten", "en": "Contacting the patient"},
    "why_identify_patient": {"nb": "Identifisere pasienten", "en": "Identifying the patient"},
    "why_clinic_schedule": {"nb": "Klinikkens timeliste", "en": "The clinic's schedule"},
    "why_video_consultation": {"nb": "Behandleren gikk inn i videorommet",
                               "en": "The practitioner entered the video room"},
    "why_answer_request": {"nb": "Svar på timeforespørsel", "en": "Answering an appointment request"},
    "why_book_for_patient": {"nb": "Bestilling av time for pasienten", "en": "Booking for the patient"},
    "why_change_appointment": {"nb": "Endring av time", "en": "Changing an appointment"},
    # E-apotek (functions/pharmacy): rendered by accounts' access log, so kept here
    "what_pharmacy_orders": {"nb": "Medisinbestillinger (E-apotek)", "en": "Medicine orders (e-pharmacy)"},
    "what_pharmacy_order": {"nb": "En medisinbestilling med fødselsnummer",
                            "en": "A medicine order with the national identity number"},
    "why_pharmacy_delivery": {"nb": "Apoteket behandler bestillingen", "en": "The pharmacy handles the order"},
    "what_notices": {"nb": "Varsler om timer", "en": "Appointment notices"},
    "why_clinic_notices": {"nb": "Oppfølging av varsler", "en": "Following up notices"},
}


def register(messages: dict[str, dict[str, str]]) -> None:
    for code, texts in messages.items():
        if code in _CATALOG and _CATALOG[code] != texts:
            raise ValueError(f"message code {code} registered twice with different texts")
        _CATALOG[code] = texts


def known(code: str) -> bool:
    return code in _CATALOG


def text(code: str, lang: str, **params: object) -> str:
    texts = _CATALOG.get(code) or _CATALOG["invalid"]
    template = texts.get(lang) or texts["nb"]
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return template


def pick_language(accept_language: str | None) -> str:
    """First supported language in an Accept-Language header; nb by default (no/nn map to nb)."""
    if not accept_language:
        return "nb"
    for part in accept_language.split(","):
        tag = part.split(";")[0].strip().lower()
        primary = tag.split("-")[0]
        if primary in ("nb", "no", "nn"):
            return "nb"
        if primary == "en":
            return "en"
    return "nb"
