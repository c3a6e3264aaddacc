#!/usr/bin/env python3
"""Build the static patient site: `python site/build.py [--out DIR]`.

Renders every `templates/pages/*.html` for each language (nb default, en) into
`<out>/<lang>/<page>.html`, and the video room pages `templates/rooms/**/*.html` (their own lean
layout `templates/room_base.html`, their own texts `translations/room-messages.json`) into
`<out>/<lang>/<same path>` (e.g. `rooms/klinikk/videorom.html` -> `nb/klinikk/videorom.html`);
copies `static/` to `<out>/static/` and writes `<out>/index.html`, which sends the visitor to `/nb/`.

Translations: message ids are the bokmål texts; `translations/en/LC_MESSAGES/messages.po` holds
English. A string used by a template (or listed in `translations/js-messages.json`, the texts the
JavaScript needs at run time) without an English translation fails the build, so the English site
never silently shows Norwegian.

This is a script, not a package: a package named `site` would clash with Python's stdlib module.
"""
from __future__ import annotations

import argparse
import gettext
import json
import shutil
import sys
from pathlib import Path
from urllib.parse import quote

from babel.messages.pofile import read_po
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

SITE = Path(__file__).resolve().parent
TEMPLATES = SITE / "templates"
PAGES = TEMPLATES / "pages"
ROOMS = TEMPLATES / "rooms"
STATIC = SITE / "static"
TRANSLATIONS = SITE / "translations"
JS_MESSAGES = TRANSLATIONS / "js-messages.json"
ROOM_MESSAGES = TRANSLATIONS / "room-messages.json"  # the run-time texts of the video room pages
DEFAULT_OUT = SITE / "_build"

LANGUAGES = ("nb", "en")
DEFAULT_LANGUAGE = "nb"
LANGUAGE_NAMES = {"nb": "Norsk (bokmål)", "en": "English"}


class MissingTranslation(LookupError):
    """A message id used by the site has no translation for a language."""

    def __init__(self, lang: str, message_ids: list[str]) -> None:
        self.lang = lang
        self.message_ids = message_ids
        listing = "\n".join(f"  - {m!r}" for m in message_ids)
        super().__init__(f"{len(message_ids)} message(s) without a translation for {lang!r}:\n{listing}")


class StrictTranslations(gettext.NullTranslations):
    """Translations that raise instead of falling back to the message id."""

    def __init__(self, lang: str, messages: dict[str, str], plurals: dict[str, list[str]]) -> None:
        super().__init__()
        self.lang = lang
        self.messages = messages
        self.plurals = plurals

    def gettext(self, message: str) -> str:
        try:
            return self.messages[message]
        except KeyError:
            raise MissingTranslation(self.lang, [message]) from None

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        forms = self.plurals.get(msgid1)
        if not forms:
            raise MissingTranslation(self.lang, [msgid1])
        return forms[0] if n == 1 else forms[-1]

    def has(self, message: str) -> bool:
        return message in self.messages or message in self.plurals


def load_translations(lang: str, translations_dir: Path = TRANSLATIONS) -> gettext.NullTranslations:
    """NullTranslations for bokmål (the ids are bokmål); the .po catalogue for other languages."""
    if lang == DEFAULT_LANGUAGE:
        return gettext.NullTranslations()
    po_path = translations_dir / lang / "LC_MESSAGES" / "messages.po"
    with po_path.open("rb") as fh:
        catalog = read_po(fh, locale=lang, ignore_obsolete=True)
    messages: dict[str, str] = {}
    plurals: dict[str, list[str]] = {}
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        if isinstance(message.id, tuple):
            forms = [s for s in message.string if s]
            if len(forms) == len(message.string):
                plurals[message.id[0]] = forms
        elif message.string:
            messages[message.id] = message.string
    return StrictTranslations(lang, messages, plurals)


def js_message_ids(path: Path = JS_MESSAGES) -> list[str]:
    ids = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise ValueError(f"{path} must be a JSON list of message ids")
    return ids


def page_names() -> list[str]:
    return sorted(p.stem for p in PAGES.glob("*.html"))


def room_pages() -> list[str]:
    """The video room pages, as paths below templates/rooms without .html ("klinikk/videorom")."""
    return sorted(p.relative_to(ROOMS).with_suffix("").as_posix() for p in ROOMS.rglob("*.html"))


def page_url(lang: str, page: str) -> str:
    return f"/{lang}/" if page == "index" else f"/{lang}/{page}.html"


def login_url(level: str, next_path: str) -> str:
    return f"/api/accounts/login?level={quote(level)}&next={quote(next_path, safe='/')}"


def json_block(data: object) -> Markup:
    """JSON safe to embed in a <script type="application/json"> element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)  # noqa: S704 - escaped above; JSON, not HTML


def make_environment(translations: gettext.NullTranslations) -> Environment:
    env = Environment(  # noqa: S701 - autoescape is on
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.install_gettext_translations(translations, newstyle=True)
    env.globals.update(page_url=page_url, login_url=login_url)
    return env


def template_message_ids(env: Environment) -> set[str]:
    """Every literal message id the templates pass to gettext; a non-literal one is an error."""
    ids: set[str] = set()
    for path in sorted(TEMPLATES.rglob("*.html")):
        source = path.read_text(encoding="utf-8")
        for lineno, func, message in env.extract_translations(source):
            strings = message if isinstance(message, tuple) else (message,)
            if any(s is None for s in strings):
                raise ValueError(f"{path}:{lineno}: {func}() needs a literal message id")
            ids.add(strings[0])
    return ids


def check_translations(lang: str, translations: gettext.NullTranslations, env: Environment) -> list[str]:
    """Raise MissingTranslation listing every id without a translation; return the JS ids."""
    js_ids = js_message_ids()
    if isinstance(translations, StrictTranslations):
        needed = template_message_ids(env) | set(js_ids) | set(js_message_ids(ROOM_MESSAGES))
        missing = sorted(m for m in needed if not translations.has(m))
        if missing:
            raise MissingTranslation(lang, missing)
    return js_ids


def render_language(lang: str, translations_dir: Path = TRANSLATIONS) -> dict[str, str]:
    translations = load_translations(lang, translations_dir)
    env = make_environment(translations)
    js_ids = check_translations(lang, translations, env)
    i18n = json_block({m: translations.gettext(m) for m in js_ids})
    other = next(code for code in LANGUAGES if code != lang)
    rendered: dict[str, str] = {}
    for page in page_names():
        module = page if (STATIC / "js" / "pages" / f"{page}.js").is_file() else ""
        context = {
            "lang": lang,
            "page": page,
            "page_path": page_url(lang, page),
            "other_lang": other,
            "other_lang_name": LANGUAGE_NAMES[other],
            "other_url": page_url(other, page),
            "module": module,
            "i18n_json": i18n,
        }
        rendered[f"{lang}/{page}.html"] = env.get_template(f"pages/{page}.html").render(context)
    rendered.update(render_rooms(lang, translations, env, other))
    return rendered


def render_rooms(lang: str, translations: gettext.NullTranslations, env: Environment, other: str) -> dict[str, str]:
    """The video room pages: only the room's texts in their i18n block (translations checked above)."""
    i18n = json_block({m: translations.gettext(m) for m in js_message_ids(ROOM_MESSAGES)})
    rendered: dict[str, str] = {}
    for room in room_pages():
        context = {"lang": lang, "page": room, "page_path": page_url(lang, room), "other_lang": other,
                   "other_lang_name": LANGUAGE_NAMES[other], "other_url": page_url(other, room), "i18n_json": i18n}
        rendered[f"{lang}/{room}.html"] = env.get_template(f"rooms/{room}.html").render(context)
    return rendered


ROOT_INDEX = """<!doctype html>
<html lang="nb">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="0; url=/nb/">
<title>Pasientportalen</title>
<link rel="canonical" href="/nb/">
</head>
<body>
<main>
<h1>Pasientportalen</h1>
<p><a href="/nb/">Gå til Pasientportalen</a> · <a href="/en/" lang="en" hreflang="en">Go to the patient portal</a></p>
</main>
</body>
</html>
"""


def render_all(translations_dir: Path = TRANSLATIONS) -> dict[str, str]:
    """Every page of the site, keyed by its path relative to the output directory."""
    rendered = {"index.html": ROOT_INDEX}
    for lang in LANGUAGES:
        rendered.update(render_language(lang, translations_dir))
    return rendered


def build(out_dir: Path = DEFAULT_OUT, translations_dir: Path = TRANSLATIONS) -> list[Path]:
    """Render and write the site into out_dir; return the files written (pages and static)."""
    out_dir = Path(out_dir)
    rendered = render_all(translations_dir)  # renders (and may fail) before anything is removed
    for owned in (*LANGUAGES, "static"):
        shutil.rmtree(out_dir / owned, ignore_errors=True)
    written: list[Path] = []
    for relative, html in rendered.items():
        target = out_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
        written.append(target)
    shutil.copytree(STATIC, out_dir / "static")
    written.extend(sorted(p for p in (out_dir / "static").rglob("*") if p.is_file()))
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory (default site/_build)")
    args = parser.parse_args(argv)
    try:
        written = build(args.out)
    except MissingTranslation as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return 1
    pages = sum(1 for p in written if p.suffix == ".html")
    print(f"built {pages} pages and {len(written) - pages} static files into {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
