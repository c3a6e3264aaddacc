"""Texts of the accounts package (errors and access-log descriptions), nb and en."""
from functions.core import messages

messages.register({
    "too_many": {"nb": "Du kan ha høyst {max}.", "en": "You can have at most {max}."},
    "duplicate_phone": {"nb": "Nummeret er allerede registrert.", "en": "That number is already registered."},
    "sms_needs_phone": {"nb": "Velg et telefonnummer for SMS.", "en": "Choose a phone number for SMS."},
    "email_needs_address": {"nb": "Legg inn en e-postadresse først.", "en": "Add an e-mail address first."},
    "terms_outdated": {"nb": "Vilkårene er oppdatert. Last inn siden og les dem på nytt.",
                       "en": "The terms have been updated. Reload the page and read them again."},
    "fullmakt_to_self": {"nb": "Du kan ikke gi fullmakt til deg selv.", "en": "You cannot give a power of attorney "
                                                                              "to yourself."},
    "invalid_fullmakt_period": {"nb": "Til-datoen må være etter fra-datoen og høyst fem år senere.",
                                "en": "The end date must be after the start date and at most five years later."},
    "date_in_past": {"nb": "Datoen er passert.", "en": "The date has passed."},
    "fullmakt_giver_too_young": {"nb": "Du må være minst 16 år for å gi fullmakt.",
                                 "en": "You must be at least 16 to give a power of attorney."},
    "fullmakt_holder_too_young": {"nb": "Den som får fullmakt, må være minst 18 år.",
                                  "en": "The person receiving a power of attorney must be at least 18."},
    "bad_cursor": {"nb": "Ugyldig sidemarkør.", "en": "Invalid page cursor."},
    "bad_level": {"nb": "Ukjent innloggingsnivå.", "en": "Unknown login level."},
})
