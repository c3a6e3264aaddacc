"""The stand-in ID-porten's two HTML pages (the authorize form and a message page): no script, no
inline style, labelled inputs, the site's stylesheet."""
from __future__ import annotations

from jinja2 import DictLoader, Environment

_LAYOUT = """<!doctype html>
<html lang="nb"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>ID-porten (lokal testinnlogging)</title>
<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/css/site.css">
</head><body><main class="idporten"><h1>{% block heading %}{{ heading }}{% endblock %}</h1>
{% block content %}<p>{{ message }}</p>{% endblock %}</main></body></html>"""
_AUTHORIZE = """{% extends "layout.html" %}{% block heading %}Logg inn med ID-porten{% endblock %}
{% macro radio(name, value, text, checked) %}<div class="choice"><input type="radio" \
id="{{ name }}-{{ value }}" name="{{ name }}" value="{{ value }}" required{{ " checked" if checked }}>
<label for="{{ name }}-{{ value }}">{{ text }}</label></div>{% endmacro %}
{% block content %}<p>Lokal testinnlogging med syntetiske testpersoner.</p>
<form method="post" action="{{ action }}">
{% for name, value in params.items() %}<input type="hidden" name="{{ name }}" value="{{ value }}">
{% endfor %}<fieldset><legend>Velg testperson</legend>
{% for p in persons %}{{ radio("person", loop.index0, p.name ~ " – " ~ p.label, loop.first) }}
{% endfor %}</fieldset><fieldset><legend>Innloggingsmetode</legend>
{{ radio("level", "high", "BankID (høyt sikkerhetsnivå)", high) }}
{{ radio("level", "substantial", "MinID (betydelig sikkerhetsnivå)", not high) }}</fieldset>
<button type="submit" name="action" value="login">Logg inn</button>
<button type="submit" name="action" value="cancel" formnovalidate>Avbryt</button>
</form>{% endblock %}"""
PAGES = Environment(loader=DictLoader({"layout.html": _LAYOUT, "authorize.html": _AUTHORIZE}),
                     autoescape=True)
