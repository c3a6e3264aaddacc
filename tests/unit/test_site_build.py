"""The static site build (site/build.py): both languages, CSP-safe HTML, translations enforced."""
from __future__ import annotations

import importlib.util
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "site"
PAGES = sorted(p.stem for p in (SITE / "templates" / "pages").glob("*.html"))
NAV_LABELS_NB = ["Oversikt", "Min profil", "Relasjoner", "Samtykke", "Hvem har sett mine opplysninger",
                 "Offentlige tjenester", "Innboks", "Start helsehjelp", "E-apotek", "Mine betalinger"]
NAV_LABELS_EN = ["Overview", "My profile", "Relations", "Consent", "Who has seen my information", "Public services",
                 "Inbox", "Start health care", "E-pharmacy", "My payments"]


def _load_build_module():
    spec = importlib.util.spec_from_file_location("site_build", SITE / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


site_build = _load_build_module()


class Page(HTMLParser):
    """The parts of a page the checks need: elements with attributes, and visible text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.script_bodies: list[tuple[dict[str, str | None], str]] = []
        self._in_script: dict[str, str | None] | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.elements.append((tag, attributes))
        if tag == "script":
            self._in_script = attributes
            self.script_bodies.append((attributes, ""))

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None

    def handle_data(self, data):
        if self._in_script is not None:
            attributes, body = self.script_bodies[-1]
            self.script_bodies[-1] = (attributes, body + data)
        elif data.strip():
            self.text.append(" ".join(data.split()))

    def find(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for t, attrs in self.elements if t == tag]

    @property
    def visible_text(self) -> str:
        return "\n".join(self.text)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    site_build.build(out)
    return out


def _pages(out: Path) -> dict[str, Page]:
    return {str(p.relative_to(out)): Page(p.read_text(encoding="utf-8")) for p in sorted(out.rglob("*.html"))}


def test_both_languages_have_every_page(built):
    for lang in ("nb", "en"):
        for page in PAGES:
            assert (built / lang / f"{page}.html").is_file(), f"{lang}/{page}.html missing"
    assert {"index", "profil", "samtykke", "tilgangslogg", "oversikt", "offentlige-tjenester",
            "innlogging-feilet", "logget-ut", "vilkar", "personvern", "tilgjengelighet", "relasjoner"} <= set(PAGES)
    assert (built / "static" / "js" / "app.js").is_file()
    assert (built / "static" / "js" / "api.js").is_file()
    assert (built / "static" / "css" / "site.css").is_file()


def test_root_index_sends_the_visitor_to_nb_without_script(built):
    root = (built / "index.html").read_text(encoding="utf-8")
    page = Page(root)
    refresh = [m for m in page.find("meta") if m.get("http-equiv") == "refresh"]
    assert refresh and refresh[0]["content"].endswith("url=/nb/")
    assert not page.find("script")


def test_no_inline_executable_script_anywhere(built):
    for name, page in _pages(built).items():
        for attrs, body in page.script_bodies:
            if "src" in attrs:
                assert not body.strip(), f"{name}: script with src and a body"
            else:
                assert attrs.get("type") == "application/json", f"{name}: inline executable script"
                json.loads(body)  # a data block must be valid JSON


def test_no_style_attributes_and_no_inline_handlers(built):
    for name, page in _pages(built).items():
        for tag, attrs in page.elements:
            assert "style" not in attrs, f"{name}: style attribute on <{tag}>"
            assert not [a for a in attrs if a.startswith("on")], f"{name}: inline event handler on <{tag}>"
            assert tag != "style", f"{name}: <style> element"


def test_no_external_script_or_stylesheet_sources(built):
    for name, page in _pages(built).items():
        sources = [a.get("src") or "" for a in page.find("script")]
        sources += [a.get("href") or "" for a in page.find("link") if "stylesheet" in (a.get("rel") or "")]
        for source in sources:
            assert not re.match(r"(?i)^(https?:)?//", source), f"{name}: external source {source}"
    for path in (built / "static").rglob("*"):
        if path.suffix in {".js", ".css"}:
            text = path.read_text(encoding="utf-8")
            external = r"""(?i)(import\s[^;]*from\s*['"]https?:|@import\s+url\(\s*['"]?https?:)"""
            assert not re.search(external, text), path
            assert "eval(" not in text and "new Function" not in text, path


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_every_page_has_lang_one_h1_landmarks_and_body_attributes(built, lang):
    for page_name in PAGES:
        page = Page((built / lang / f"{page_name}.html").read_text(encoding="utf-8"))
        assert page.find("html")[0].get("lang") == lang
        assert len(page.find("h1")) == 1, f"{lang}/{page_name}: not exactly one h1"
        body = page.find("body")[0]
        assert body["data-page"] == page_name
        assert body["data-auth"] in {"none", "required"}
        assert body["data-level"] in {"substantial", "high"}
        assert body["data-consent"] in {"required", "exempt"}
        assert body["data-lang"] == lang
        assert [m for m in page.find("main") if m.get("id") == "main"]
        assert any(a.get("href") == "#main" for a in page.find("a")), "skip link"
        ids = [attrs["id"] for _, attrs in page.elements if attrs.get("id")]
        assert len(ids) == len(set(ids)), f"{lang}/{page_name}: duplicate ids"
        labelled = {a.get("for") for a in page.find("label")}
        for control in page.find("input") + page.find("select"):
            if control.get("type") in {"hidden", "submit", "button"}:
                continue
            assert control.get("id") in labelled or control.get("aria-label"), f"{lang}/{page_name}: unlabelled"


def test_page_access_attributes_follow_the_contract(built):
    expected = {
        "index": ("none", "exempt"), "oversikt": ("required", "required"), "profil": ("required", "required"),
        "samtykke": ("required", "exempt"), "tilgangslogg": ("required", "exempt"),
        "offentlige-tjenester": ("none", "exempt"), "relasjoner": ("required", "required"),
    }
    for page_name, (auth, consent) in expected.items():
        body = Page((built / "nb" / f"{page_name}.html").read_text(encoding="utf-8")).find("body")[0]
        assert (body["data-auth"], body["data-consent"]) == (auth, consent), page_name
    for page_name in ("tilgangslogg", "relasjoner"):
        body = Page((built / "nb" / f"{page_name}.html").read_text(encoding="utf-8")).find("body")[0]
        assert body["data-level"] == "high", page_name


def test_health_pages_say_whose_data_they_show_and_every_header_has_the_switch_and_meny(built):
    """data-shows: "subject" on the pages that show the data of the person the header's switch
    chose (app.js then shows "Du ser nå opplysningene til …"), "own" on the other logged-in pages."""
    for lang in ("nb", "en"):
        for page_name in PAGES:
            page = Page((built / lang / f"{page_name}.html").read_text(encoding="utf-8"))
            body = page.find("body")[0]
            wanted = "subject" if page_name in {"oversikt", "konsultasjoner", "bestill", "innboks", "dialog",
                                                "helsehjelp", "skriv", "levering", "betalinger"} else \
                "own" if body["data-auth"] == "required" else "none"
            assert body["data-shows"] == wanted, f"{lang}/{page_name}"
            by_id = {attrs["id"]: (tag, attrs) for tag, attrs in page.elements if attrs.get("id")}
            for toggle in ("acting-toggle", "menu-toggle"):
                tag, attrs = by_id[toggle]
                assert tag == "button" and attrs["aria-expanded"] == "false", f"{lang}/{page_name}: {toggle}"
                assert attrs["aria-controls"] in by_id, f"{lang}/{page_name}: {toggle} controls nothing"
            assert "acting-line" in by_id and "acting-ended" in by_id, f"{lang}/{page_name}"


def test_english_pages_are_english(built):
    for page_name in PAGES:
        page = Page((built / "en" / f"{page_name}.html").read_text(encoding="utf-8"))
        text = page.visible_text
        for english in NAV_LABELS_EN:
            assert english in text, f"en/{page_name}: {english!r} missing"
        lines = set(text.splitlines())
        for norwegian in NAV_LABELS_NB + ["Logg ut", "Logg inn", "Rediger", "Legg til", "Lagre", "Personvern"]:
            assert norwegian not in lines, f"en/{page_name}: untranslated {norwegian!r}"
    profile = (built / "en" / "profil.html").read_text(encoding="utf-8")
    assert "My profile" in profile and "National identity number" in profile
    assert "Min profil" in (built / "nb" / "profil.html").read_text(encoding="utf-8")


def test_language_switch_links_the_same_page_in_the_other_language(built):
    page = Page((built / "nb" / "profil.html").read_text(encoding="utf-8"))
    switch = [a for a in page.find("a") if a.get("id") == "lang-switch"][0]
    assert (switch["href"], switch["lang"], switch["hreflang"]) == ("/en/profil.html", "en", "en")


def test_login_links_and_public_services(built):
    index = (built / "nb" / "index.html").read_text(encoding="utf-8")
    assert "/api/accounts/login?level=high&amp;next=/nb/oversikt.html" in index
    assert "/api/accounts/login?level=substantial&amp;next=/nb/oversikt.html" in index
    services = (built / "nb" / "offentlige-tjenester.html").read_text(encoding="utf-8")
    for url in ("https://www.helsenorge.no/legemidler/mine-resepter/", "https://www.helsenorge.no/vaksinasjon/",
                "https://www.helsenorge.no/fastlegen/bytte-fastlege/"):
        assert url in services


def test_i18n_block_holds_the_javascript_texts_translated(built):
    page = Page((built / "en" / "profil.html").read_text(encoding="utf-8"))
    (block,) = [body for attrs, body in page.script_bodies if attrs.get("id") == "i18n"]
    messages = json.loads(block)
    assert messages["Lagret"] == "Saved"
    assert set(messages) == set(site_build.js_message_ids())
    nb = Page((built / "nb" / "profil.html").read_text(encoding="utf-8"))
    (nb_block,) = [body for attrs, body in nb.script_bodies if attrs.get("id") == "i18n"]
    assert json.loads(nb_block)["Lagret"] == "Lagret"


def _t_texts(paths) -> set[str]:
    used: set[str] = set()
    for path in paths:
        used |= set(re.findall(r"\bt\(\s*'([^']+)'", path.read_text(encoding="utf-8")))
    return used


def test_every_text_the_javascript_uses_is_in_the_message_list():
    """The site's modules use translations/js-messages.json; the video room's (static/js/room/, its
    own i18n block) use translations/room-messages.json, with room texts in the room's strings too."""
    js = SITE / "static" / "js"
    room = js / "room"
    used = _t_texts(p for p in js.rglob("*.js") if room not in p.parents)
    listed = set(site_build.js_message_ids())
    assert used - listed == set(), "t() texts missing from translations/js-messages.json"
    assert listed - used == set(), "unused ids in translations/js-messages.json"
    room_used, room_listed = _t_texts(room.rglob("*.js")), set(site_build.js_message_ids(site_build.ROOM_MESSAGES))
    tables = "".join(p.read_text(encoding="utf-8") for p in room.glob("*.js"))
    room_used |= set(re.findall(r"\b\w+: '([^']+)'", tables)) & room_listed  # the STATUS tables: t(STATUS[state])
    assert room_used - room_listed == set(), "t() texts missing from translations/room-messages.json"
    assert room_listed - room_used == set(), "unused ids in translations/room-messages.json"


def test_pages_hold_no_personal_data(built):
    for name, page in _pages(built).items():
        assert not re.search(r"\b\d{11}\b", page.visible_text), f"{name}: looks like a national id"


def _po_without(tmp_path: Path, msgid: str) -> Path:
    translations = tmp_path / "translations"
    shutil.copytree(SITE / "translations", translations)
    po = translations / "en" / "LC_MESSAGES" / "messages.po"
    text = po.read_text(encoding="utf-8")
    entry = f'msgid "{msgid}"\nmsgstr "'
    assert entry in text
    start = text.index(entry)
    end = text.index("\n\n", start)
    po.write_text(text[:start] + text[end + 2:], encoding="utf-8")
    return translations


def test_missing_translation_of_a_template_text_fails_the_build(tmp_path):
    translations = _po_without(tmp_path, "Min profil")
    with pytest.raises(site_build.MissingTranslation) as info:
        site_build.render_all(translations)
    assert "Min profil" in info.value.message_ids
    out = tmp_path / "out"
    with pytest.raises(site_build.MissingTranslation):
        site_build.build(out, translations)
    assert not (out / "en").exists()


def test_missing_translation_of_a_javascript_text_fails_the_build(tmp_path):
    translations = _po_without(tmp_path, "Lagret")
    with pytest.raises(site_build.MissingTranslation) as info:
        site_build.render_all(translations)
    assert info.value.message_ids == ["Lagret"]


def test_strict_translations_raise_at_render_time_too():
    strict = site_build.StrictTranslations("en", {"Ja": "Yes"}, {})
    env = site_build.make_environment(strict)
    assert env.from_string("{{ _('Ja') }}").render() == "Yes"
    with pytest.raises(site_build.MissingTranslation):
        env.from_string("{{ _('Nei') }}").render()


def test_render_all_matches_what_build_writes(tmp_path):
    rendered = site_build.render_all()
    written = site_build.build(tmp_path)
    html = {str(p.relative_to(tmp_path)): p.read_text(encoding="utf-8") for p in written if p.suffix == ".html"}
    assert html == rendered


# ----------------------------------------------------------------------------- the video room pages

ROOM_PAGES = ("videorom", "klinikk/videorom")
ROOM_BUDGET = 60 * 1024  # issue 11: HTML + CSS + JS of a room page
_IMPORT = re.compile(r"""(?:import|export)\s[^;]*?from\s*['"](\.[^'"]+)['"]""")


def _module_closure(entry: Path) -> set[Path]:
    seen: set[Path] = set()
    todo = [entry.resolve()]
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        todo.extend((module.parent / m).resolve() for m in _IMPORT.findall(module.read_text(encoding="utf-8")))
    return seen


def room_weight(built: Path, lang: str, room: str) -> tuple[int, set[str]]:
    """Bytes of the page, its stylesheets and every module its scripts import; the files loaded."""
    html = (built / lang / f"{room}.html").read_text(encoding="utf-8")
    page = Page(html)
    css = [a["href"] for a in page.find("link") if "stylesheet" in (a.get("rel") or "")]
    scripts = [a["src"] for a in page.find("script") if a.get("src")]
    modules: set[Path] = set()
    for src in scripts:
        modules |= _module_closure(built / src.lstrip("/"))
    files = [built / c.lstrip("/") for c in css] + sorted(modules)
    size = len(html.encode("utf-8")) + sum(f.stat().st_size for f in files)
    return size, {str(f.relative_to(built.resolve()) if f.is_absolute() else f.relative_to(built)) for f in files}


@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize("room", ROOM_PAGES)
def test_R23_the_room_pages_are_lean_own_layout_own_texts_within_60_kb(built, lang, room):
    page = Page((built / lang / f"{room}.html").read_text(encoding="utf-8"))
    assert page.find("html")[0]["lang"] == lang and len(page.find("h1")) == 1
    assert not page.find("nav"), "no patient menu in the room"
    assert any(a.get("href") == "#main" for a in page.find("a")), "skip link"
    size, files = room_weight(built, lang, room)
    assert size <= ROOM_BUDGET, f"{lang}/{room}.html weighs {size} bytes with {sorted(files)}"
    assert "static/css/room.css" in files and "static/css/site.css" not in files
    for forbidden in ("app.js", "acting.js", "clinics.js", "api.js", "ui.js"):
        assert f"static/js/{forbidden}" not in files, f"{room} loads {forbidden}"
    (block,) = [body for attrs, body in page.script_bodies if attrs.get("id") == "i18n"]
    messages = json.loads(block)
    assert set(messages) == set(site_build.js_message_ids(site_build.ROOM_MESSAGES))
    if lang == "en":
        assert messages["Venter på behandler"] == "Waiting for the practitioner"
    ids = [attrs["id"] for _, attrs in page.elements if attrs.get("id")]
    assert len(ids) == len(set(ids)), f"{lang}/{room}: duplicate ids"
    for control in page.find("input"):
        assert control["id"] in {a.get("for") for a in page.find("label")}, f"{lang}/{room}: unlabelled input"
    for button in ("mic-toggle", "camera-toggle"):
        (attrs,) = [a for t, a in page.elements if a.get("id") == button]
        assert attrs["aria-pressed"] == "false"


def test_R23_the_practitioner_room_is_not_linked_from_the_patient_site(built):
    for name, page in _pages(built).items():
        if name.endswith("klinikk/videorom.html"):
            continue
        assert not [a for a in page.find("a") if "klinikk/" in (a.get("href") or "")], name
    assert (built / "nb" / "klinikk" / "videorom.html").is_file()
    assert (built / "en" / "klinikk" / "videorom.html").is_file()
