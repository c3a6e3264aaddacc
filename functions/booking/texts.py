"""Texts of the booking package, nb and en."""
from functions.core import messages

STATUS = {
    "requested": {"nb": "Under arbeid", "en": "In progress"},
    "booked": {"nb": "Bestilt", "en": "Booked"},
    "cancelled_by_patient": {"nb": "Avbestilt av pasient", "en": "Cancelled by patient"},
    "cancelled_by_staff": {"nb": "Avbestilt av personell", "en": "Cancelled by staff"},
    "rejected": {"nb": "Avvist", "en": "Rejected"},
    "expired": {"nb": "Utløpt", "en": "Expired"},
    "no_show": {"nb": "Ikke møtt", "en": "Did not attend"},
    "completed": {"nb": "Gjennomført", "en": "Completed"},
}

messages.register({f"status_{k}": v for k, v in STATUS.items()})
messages.register({
    "waitlist_timebok_only": {"nb": "Venteliste for en tidligere time finnes bare for bestilte timer i en timebok.",
                              "en": "Waiting for an earlier time is only possible for times booked in a timebok."},
    "waitlist_not_booked": {"nb": "Timen er ikke lenger bestilt, eller den har passert.",
                            "en": "The appointment is no longer booked, or it has passed."},
    "invalid_weekdays": {"nb": "Velg ukedager fra mandag til søndag.", "en": "Choose weekdays from Monday to Sunday."},
    "waitlist_before_past": {"nb": "Datoen må være etter i dag.", "en": "The date must be after today."},
    "slot_taken": {"nb": "Noen andre har nettopp bestilt denne timen. Velg en av de neste ledige timene.",
                   "en": "Someone else has just booked this time. Choose one of the next free times."},
    "past_time": {"nb": "Tidspunktet har passert og kan ikke bestilles.",
                  "en": "That time has passed and cannot be booked."},
    "past_interval": {"nb": "Tidsintervallet har passert. Velg et senere intervall.",
                      "en": "That time interval has passed. Choose a later one."},
    "invalid_interval": {"nb": "Ukjent tidsintervall.", "en": "Unknown time interval."},
    "invalid_range": {"nb": "Til-datoen må være etter fra-datoen og høyst ett år senere.",
                      "en": "The end date must be after the start date and at most a year later."},
    "too_many_bookings": {"nb": "Du kan ha høyst {max} kommende timer ved denne klinikken.",
                          "en": "You can have at most {max} upcoming appointments at this clinic."},
    "call_clinic_to_cancel": {"nb": "Denne klinikken bruker timeforespørsler. Ring klinikken for å avbestille: {phone}",
                              "en": "This clinic uses appointment requests. Call the clinic to cancel: {phone}"},
    "cancel_deadline_passed": {"nb": "Fristen for å avbestille eller flytte på nett er ute. Ring klinikken: {phone}",
                               "en": "The deadline to cancel or move online has passed. Call the clinic: {phone}"},
    "not_cancellable": {"nb": "Denne timen kan ikke avbestilles eller flyttes.",
                        "en": "This appointment cannot be cancelled or moved."},
    "not_video": {"nb": "Dette er ikke en videokonsultasjon.", "en": "This is not a video consultation."},
    "wrong_booking_mode": {"nb": "Klinikken tar ikke imot denne typen bestilling.",
                           "en": "The clinic does not take this kind of booking."},
    "not_web_bookable": {"nb": "Denne timetypen kan ikke bestilles på nett.",
                         "en": "This appointment type cannot be booked online."},
    "video_not_enabled": {"nb": "Klinikken tilbyr ikke videokonsultasjon.",
                          "en": "The clinic does not offer video consultations."},
    "already_answered": {"nb": "Forespørselen er allerede besvart.", "en": "The request has already been answered."},
    "slot_not_free": {"nb": "Timen er bestilt og kan ikke trekkes tilbake.",
                      "en": "The time is booked and cannot be withdrawn."},
    "no_calendar": {"nb": "Bare godkjente timer fram i tid kan legges til i kalenderen.",
                    "en": "Only approved future appointments can be added to the calendar."},
    "timebok_taken": {"nb": "Timebok-id-en er allerede i bruk. Velg en annen.",
                      "en": "That timebok id is already in use. Choose another one."},
    "type_required": {"nb": "Velg type time.", "en": "Choose an appointment type."},
    "overlap": {"nb": "Tidspunktet overlapper en annen time.", "en": "The time overlaps another appointment."},
})


def status_text(status: str, lang: str) -> str:
    return messages.text(f"status_{status}", lang)
