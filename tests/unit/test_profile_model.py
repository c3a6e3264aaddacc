"""Pure profile and consent rules (R5-R10)."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from functions.accounts import model
from functions.accounts.model import Address, Contact, Phone, Profile
from functions.core.errors import Invalid, NotFound

NOW = datetime(2026, 11, 23, 8, tzinfo=UTC)


def profile(**kw) -> Profile:
    base = dict(patient_id="p1", national_id="x", birth_date=date(1985, 5, 12), first_name="Kari",
                last_name="Nordmann", email="kari@example.no", phones=(Phone("t1", "+4791234567"),),
                addresses=(Address("a1", "Storgata 1", "0155", "Oslo"),), contact=Contact("sms", "t1", "a1"))
    base.update(kw)
    return Profile(**base)


@pytest.mark.parametrize("text,expected", [("91234567", "+4791234567"), ("+47 912 34 567", "+4791234567"),
                                           ("0047 91234567", "+4791234567"), ("+46 70 123 45 67", "+46701234567")])
def test_R7_phone_numbers_are_normalised(text, expected):
    assert model.normalize_phone(text) == expected


@pytest.mark.parametrize("text", ["123", "+47123", "1234567", "+4712345678", "abc", "+0123456789"])
def test_R7_invalid_phone_numbers_are_refused(text):
    with pytest.raises(Invalid):
        model.normalize_phone(text)


def test_R5_national_id_and_nationality_cannot_be_renamed():
    p = model.rename(profile(), "Kari Anne", None, None, None)
    assert p.first_name == "Kari Anne" and p.national_id == "x" and p.nationality == "Norsk"
    with pytest.raises(Invalid):
        model.rename(profile(), None, None, "", None)


def test_R6_addresses_are_appended_and_capped():
    p = profile()
    for n in range(model.MAX_ADDRESSES - 1):
        p = model.add_address(p, Address(f"a{n + 2}", "X", "0001", "Y"))
    with pytest.raises(Invalid):
        model.add_address(p, Address("a99", "X", "0001", "Y"))


def test_R7_deleting_the_sms_phone_falls_back_to_email():
    p = model.delete_phone(profile(), "t1")
    assert p.phones == () and p.contact == Contact("email", None, "a1")


def test_R7_duplicate_and_unknown_phones():
    with pytest.raises(Invalid):
        model.add_phone(profile(), Phone("t2", "+4791234567"))
    with pytest.raises(NotFound):
        model.edit_phone(profile(), "t9", "+4791234568")


def test_R9_contact_settings_only_choose_registered_entries():
    assert model.set_contact(profile(), "email", None, "a1").contact.channel == "email"
    with pytest.raises(NotFound):
        model.set_contact(profile(), "sms", "t9", None)
    with pytest.raises(NotFound):
        model.set_contact(profile(), "email", None, "a9")
    with pytest.raises(Invalid):
        model.set_contact(profile(), "sms", None, None)
    with pytest.raises(Invalid):
        model.set_contact(profile(), "pigeon", None, None)


def test_R10_consent_is_recorded_with_version_and_time_and_can_be_withdrawn():
    p = model.give_consent(profile(), "2026-01", "2026-01", NOW)
    assert model.has_consent(p, "2026-01") and p.consent_at == NOW
    assert not model.has_consent(p, "2027-01")
    assert not model.has_consent(model.withdraw_consent(p), "2026-01")
    with pytest.raises(Invalid):
        model.give_consent(profile(), "2025-01", "2026-01", NOW)


def test_R28_email_change_notice_only_when_the_address_changes():
    before = profile()
    assert model.notice_needed(before, model.rename(before, None, None, None, "new@example.no"))
    assert not model.notice_needed(before, model.rename(before, "K", None, None, None))
