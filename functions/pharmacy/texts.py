"""Texts of the pharmacy package, nb and en (labels and error messages; notice texts are in
core/notice_texts.py, where the drain renders them)."""
from functions.core import messages

DELIVERY_LABELS = {"post_i_butikk": {"nb": "Post i butikk", "en": "Parcel to a shop"},
                   "pa_doren": {"nb": "På døren", "en": "To your door"}}
STATUS_LABELS = {"sendt": {"nb": "Sendt til apoteket", "en": "Sent to the pharmacy"},
                 "behandlet": {"nb": "Behandlet av apoteket", "en": "Processed by the pharmacy"}}

messages.register({f"pharmacy_delivery_{k}": v for k, v in DELIVERY_LABELS.items()})
messages.register({f"pharmacy_status_{k}": v for k, v in STATUS_LABELS.items()})
messages.register({
    "vendor_consent_required": {
        "nb": "Du må godta at apoteket bruker fødselsnummeret ditt før du kan bestille herfra.",
        "en": "You must accept that the pharmacy uses your national identity number before ordering from it."},
    "unknown_vendor": {"nb": "Ukjent leverandør.", "en": "Unknown vendor."},
    "unknown_address": {"nb": "Velg en av dine leveringsadresser.", "en": "Choose one of your delivery addresses."},
    "invalid_delivery": {"nb": "Velg Post i butikk eller På døren.", "en": "Choose parcel to a shop or to your door."},
    "no_medicines": {"nb": "Skriv minst én medisin.", "en": "Write at least one medicine."},
    "too_many_medicines": {"nb": "For mange medisiner i én bestilling (maks {max}).",
                           "en": "Too many medicines in one order (max {max})."},
    "too_many_addresses": {"nb": "Du har lagt til for mange adresser (maks {max}).",
                           "en": "You have added too many addresses (max {max})."},
    "invalid_price": {"nb": "Beløpet må være et helt antall øre, større enn null.",
                       "en": "The amount must be a whole number of øre, above zero."},
    "door_must_cost_more": {"nb": "Levering på døren må koste mer enn Post i butikk.",
                            "en": "Door delivery must cost more than parcel to a shop."},
    "order_not_open": {"nb": "Bestillingen kan ikke endres.", "en": "The order cannot be changed."},
    "consent_withdrawn": {"nb": "Pasienten har trukket tilbake samtykket til dette apoteket.",
                          "en": "The patient has withdrawn the consent to this pharmacy."},
    "bad_vendor_credentials": {"nb": "Ugyldig leverandørnøkkel.", "en": "Invalid vendor credential."},
})
