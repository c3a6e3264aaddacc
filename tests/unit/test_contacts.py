"""Which channel a notice goes by (core.contacts.reach): R9 the patient's setting, R28 e-mail first."""
from __future__ import annotations

from functions.core.contacts import ContactFields, Reach, reach
from functions.core.outbox import render

PHONES = {"t1": "+4791234567", "t2": "+4740000000"}


def test_R9_the_patients_channel_is_used_when_it_has_an_address():
    assert reach(ContactFields("a@example.no", PHONES, "sms", "t2")) == Reach("sms", "+4740000000")
    assert reach(ContactFields("a@example.no", PHONES, "email", "t2")) == Reach("email", "a@example.no")


def test_R28_email_before_sms_when_the_chosen_channel_has_no_address():
    assert reach(ContactFields("a@example.no", {}, "sms", None)) == Reach("email", "a@example.no")
    assert reach(ContactFields("", PHONES, "email", None)) == Reach("sms", "+4791234567")
    assert reach(ContactFields("", {}, "email", None)) is None
    assert reach(None) is None


def test_only_one_channel_when_the_notice_asks_for_it():
    fields = ContactFields("", PHONES, "sms", "t1")
    assert reach(fields, only="email") is None
    assert reach(ContactFields("a@example.no", PHONES, "sms", "t1"), only="email") == Reach("email", "a@example.no")


def test_a_notice_is_rendered_with_its_link_and_an_sms_uses_the_body_when_it_has_no_short_text():
    subject, body = render("email_changed", {}, "https://portal.example/nb/profil.html", "sms")
    assert subject == "Din e-postadresse er endret" and "https://portal.example/nb/profil.html" in body
