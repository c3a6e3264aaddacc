"""WCAG 2.1 A/AA (forskrift om universell utforming av IKT) with axe-core — the release pinned in
package-lock.json, loaded by tests/e2e/axe.py — on every page of the site (site/templates/pages),
in bokmål and English, logged out and logged in (BankID, consent given), plus the states a scan of
a freshly loaded page never sees: a field error on Min profil and the open withdraw dialog on
Samtykke."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.axe import assert_accessible, pinned_version, violations
from tests.e2e.portal import LANGS, PAGES, ensure_consent, login, open_page

pytestmark = pytest.mark.e2e

PERSON = "Ola Hansen"  # only reads here; test_journeys changes Ola only with a valid middle name
EVERY_PAGE = [pytest.param(lang, name, id=f"{lang}-{name}") for lang in LANGS for name in PAGES]


def log_in(page: Page, base: str, lang: str = "nb") -> None:
    login(page, base, PERSON, "BankID", lang=lang)
    ensure_consent(page, lang)


def test_axe_is_the_release_pinned_in_package_lock_with_the_label_in_name_rule(page: Page, base_url: str):
    open_page(page, base_url, "nb", "index")
    assert violations(page) == []
    version, rules = page.evaluate("[axe.version, axe.getRules(['wcag21a']).map((r) => r.ruleId)]")
    assert version == pinned_version()
    assert "label-content-name-mismatch" in rules  # WCAG 2.5.3, missing from the copies PyPI wrappers bundle


def test_the_pages_are_discovered():
    assert {"index", "profil", "samtykke", "tilgangslogg", "innlogging-feilet", "relasjoner"} <= set(PAGES)


@pytest.mark.parametrize("lang,name", EVERY_PAGE)
def test_WCAG21AA_every_page_logged_out(page: Page, base_url: str, lang: str, name: str):
    open_page(page, base_url, lang, name)
    expect(page.locator("html")).to_have_attribute("lang", lang)
    assert_accessible(page, f"/{lang}/{name}.html (logged out)")


@pytest.mark.parametrize("lang,name", EVERY_PAGE)
def test_WCAG21AA_every_page_logged_in_with_bankid_and_consent(page: Page, base_url: str, lang: str, name: str):
    log_in(page, base_url)
    open_page(page, base_url, lang, name)
    expect(page.locator("#login-prompt")).to_be_hidden()
    expect(page.locator("#step-up")).to_be_hidden()
    assert_accessible(page, f"/{lang}/{name}.html (logged in)")


@pytest.mark.parametrize("lang", LANGS)
def test_WCAG21AA_min_profil_with_a_field_error_showing(page: Page, base_url: str, browser_problems, lang: str):
    browser_problems.allow_status(422)  # the invalid e-mail address below, shown at the field
    log_in(page, base_url)
    open_page(page, base_url, lang, "profil")
    page.locator("#personal-edit").click()
    page.locator("#email").fill("not-an-address")
    page.locator("#personal-form button[type=submit]").click()
    expect(page.locator("#email-error")).to_be_visible()
    expect(page.locator("#email")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, f"/{lang}/profil.html with a field error")


@pytest.mark.parametrize("lang", LANGS)
def test_WCAG21AA_samtykke_with_the_withdraw_dialog_open(page: Page, base_url: str, lang: str):
    log_in(page, base_url)
    open_page(page, base_url, lang, "samtykke")
    page.locator("#consent-withdraw").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("#withdraw-cancel")).to_be_focused()
    assert_accessible(page, f"/{lang}/samtykke.html with the withdraw dialog open")
    dialog.locator("#withdraw-cancel").click()  # leave the consent as it was
    expect(dialog).to_be_hidden()
