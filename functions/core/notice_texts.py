"""Every notice text, in one place that the outbox drain (its own Lambda) always has: a notice is
rendered where it is sent, not where it was enqueued.

Content-free by construction (R28, R56): a subject and body say only that there is something, with
the clinic's name, a time and the link to log in; never a diagnosis, a remark, a practitioner's
speciality or a national id. `<code>_sms` is the short form for SMS."""
from functions.core import messages

messages.register({
    "email_changed_subject": {"nb": "Din e-postadresse er endret", "en": "Your e-mail address has changed"},
    "email_changed_body": {"nb": "E-postadressen din i Pasientportalen er endret. Logg inn for å se "
                                 "profilen din: {url}\n\nHar du ikke gjort dette selv? Kontakt klinikken.",
                           "en": "Your e-mail address in the patient portal has changed. Log in to see your "
                                 "profile: {url}\n\nDid you not do this? Contact your clinic."},
    # appointments (R47, R48, R24): functions/booking/notice_model.py
    "appointment_booked_subject": {"nb": "Timen din er bestilt", "en": "Your appointment is booked"},
    "appointment_booked_body": {
        "nb": "Du har fått time hos {clinic} {time}. Logg inn for å se eller endre timen: {url}",
        "en": "You have an appointment at {clinic} on {time}. Log in to see or change it: {url}"},
    "appointment_booked_sms": {"nb": "Time hos {clinic} {time}. Se timen: {url}",
                               "en": "Appointment at {clinic} {time}. See it: {url}"},
    "appointment_moved_subject": {"nb": "Timen din er flyttet", "en": "Your appointment has moved"},
    "appointment_moved_body": {
        "nb": "Timen din hos {clinic} er flyttet til {time}. Logg inn for å se timen: {url}",
        "en": "Your appointment at {clinic} has moved to {time}. Log in to see it: {url}"},
    "appointment_moved_sms": {"nb": "Timen hos {clinic} er flyttet til {time}. Se timen: {url}",
                              "en": "Appointment at {clinic} moved to {time}. See it: {url}"},
    "appointment_cancelled_subject": {"nb": "Timen din er avbestilt", "en": "Your appointment is cancelled"},
    "appointment_cancelled_body": {
        "nb": "Timen din hos {clinic} {time} er avbestilt. Logg inn for å bestille en ny time: {url}",
        "en": "Your appointment at {clinic} on {time} is cancelled. Log in to book a new one: {url}"},
    "appointment_cancelled_sms": {"nb": "Timen hos {clinic} {time} er avbestilt. {url}",
                                  "en": "Appointment at {clinic} {time} cancelled. {url}"},
    "appointment_reminder_subject": {"nb": "Påminnelse om time", "en": "Appointment reminder"},
    "appointment_reminder_body": {
        "nb": "Påminnelse: du har time hos {clinic} {time}. Logg inn for å se timen: {url}",
        "en": "Reminder: you have an appointment at {clinic} on {time}. Log in to see it: {url}"},
    "appointment_reminder_sms": {"nb": "Påminnelse: time hos {clinic} {time}. {url}",
                                 "en": "Reminder: appointment at {clinic} {time}. {url}"},
    "video_time_subject": {"nb": "Det er snart tid for videokonsultasjonen",
                           "en": "Your video consultation starts soon"},
    "video_time_body": {
        "nb": "Videokonsultasjonen hos {clinic} starter {time}. Logg inn og trykk Start videokonsultasjon: {url}",
        "en": "Your video consultation at {clinic} starts {time}. Log in and press Start video consultation: "
              "{url}"},
    "video_time_sms": {"nb": "Videokonsultasjon hos {clinic} {time}. Start her: {url}",
                       "en": "Video consultation at {clinic} {time}. Start here: {url}"},
    "waitlist_offer_subject": {"nb": "En tidligere time er ledig", "en": "An earlier time is free"},
    "waitlist_offer_body": {
        "nb": "En tidligere time hos {clinic} er blitt ledig: {time}. Den som først tar den, får den. "
              "Logg inn for å flytte timen din: {url}",
        "en": "An earlier time at {clinic} is free: {time}. The first to take it gets it. Log in to move "
              "your appointment: {url}"},
    "waitlist_offer_sms": {"nb": "Ledig tidligere time hos {clinic} {time}. Flytt her: {url}",
                           "en": "Earlier time free at {clinic} {time}. Move here: {url}"},
    # messages from the clinic (R28): only that a message is waiting, never what it is about
    "dialog_message_subject": {"nb": "Du har fått en ny melding", "en": "You have a new message"},
    "dialog_message_body": {
        "nb": "Du har fått en ny melding fra {clinic} i Pasientportalen. Logg inn med BankID for å lese den: "
              "{url}\n\nVi sender aldri helseopplysninger på e-post eller SMS.",
        "en": "You have a new message from {clinic} in the patient portal. Log in with BankID to read it: "
              "{url}\n\nWe never send health information by e-mail or SMS."},
    "dialog_message_sms": {"nb": "Ny melding fra {clinic}. Logg inn for å lese: {url}",
                           "en": "New message from {clinic}. Log in to read it: {url}"},
    # E-apotek (R40, R28): that an order was received or processed, never a medicine or a vendor's detail
    "pharmacy_order_received_subject": {"nb": "Vi har mottatt bestillingen din", "en": "We have received your order"},
    "pharmacy_order_received_body": {
        "nb": "Bestillingen din av levering fra apotek er mottatt og sendt videre. Logg inn med BankID for å se "
              "den: {url}\n\nVi sender aldri helseopplysninger på e-post eller SMS.",
        "en": "Your order for delivery from a pharmacy has been received and passed on. Log in with BankID to see "
              "it: {url}\n\nWe never send health information by e-mail or SMS."},
    "pharmacy_order_processed_subject": {"nb": "Bestillingen din er behandlet", "en": "Your order has been processed"},
    "pharmacy_order_processed_body": {
        "nb": "Apoteket har behandlet bestillingen din. Logg inn med BankID for å se den: {url}\n\n"
              "Vi sender aldri helseopplysninger på e-post eller SMS.",
        "en": "The pharmacy has processed your order. Log in with BankID to see it: {url}\n\n"
              "We never send health information by e-mail or SMS."},
    "pharmacy_order_processed_sms": {"nb": "Bestillingen din er behandlet av apoteket. Se den: {url}",
                                     "en": "Your order has been processed by the pharmacy. See it: {url}"},
})
