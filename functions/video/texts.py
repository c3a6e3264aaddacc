"""Texts of the signalling function, nb and en (the room token's texts are core's: core/rooms.py)."""
from functions.core import messages

messages.register({
    "signal_not_allowed": {"nb": "Denne meldingen kan ikke sendes herfra.",
                           "en": "This message cannot be sent from here."},
    "invalid_offer_id": {"nb": "Ugyldig samtale-id.", "en": "Invalid call id."},
    "invalid_sdp": {"nb": "Ugyldig sesjonsbeskrivelse (SDP).", "en": "Invalid session description (SDP)."},
    "sdp_too_large": {"nb": "Sesjonsbeskrivelsen er for stor (maks {max_kb} kB).",
                      "en": "The session description is too large (max {max_kb} kB)."},
    "invalid_candidate": {"nb": "Ugyldig ICE-kandidat.", "en": "Invalid ICE candidate."},
    "too_many_candidates": {"nb": "For mange ICE-kandidater i én melding (maks {max}).",
                            "en": "Too many ICE candidates in one message (max {max})."},
    "invalid_wait": {"nb": "Ventetiden må være mellom 0 og {max} sekunder.",
                     "en": "The wait must be between 0 and {max} seconds."},
})
