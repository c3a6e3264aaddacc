"""/__dev: the local mailbox, scheduled jobs on demand and the portal clock. Never deployed."""
from __future__ import annotations

from flask import Flask, jsonify, render_template_string, request

from functions.core.clock import SettableClock, iso, parse_instant
from functions.core.runtime import Runtime

MAILBOX = """<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>Lokal postkasse</title>
<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/css/site.css"></head><body><main id="main" class="container">
<h1>Lokal postkasse</h1><p>E-post og SMS portalen har sendt (moto SES/SNS). Klokke: {{ now }}</p>
{% if not messages %}<p>Ingen meldinger ennå.</p>{% endif %}
<ul class="mailbox">{% for m in messages %}<li><article><h2>{{ m.subject or "SMS" }}</h2>
<p><strong>Til:</strong> {{ m.recipient }} ({{ m.channel }}) · <strong>Status:</strong>
{{ "sendt " ~ m.sent if m.sent else "venter" }}</p><pre>{{ m.body }}</pre></article></li>{% endfor %}</ul>
</main></body></html>"""


def create_devtools(runtime: Runtime, clock: SettableClock, jobs: dict) -> Flask:
    app = Flask("devtools")

    @app.get("/__dev/mailbox")
    def mailbox():
        found = [{"subject": m.subject, "recipient": m.recipient, "channel": m.channel, "body": m.body,
                  "sent": iso(m.sent_at) if m.sent_at else None} for m in runtime.outbox.recent()]
        if request.args.get("format") == "json":
            return jsonify({"messages": found})
        return render_template_string(MAILBOX, messages=found, now=iso(clock.now()))

    @app.post("/__dev/jobs/<name>")
    def run_job(name: str):
        if name not in jobs:
            return jsonify({"error": "not_found", "message": f"unknown job {name}", "field": "name"}), 404
        return jsonify({"job": name, "result": jobs[name](runtime)})

    @app.get("/__dev/clock")
    def get_clock():
        return jsonify({"now": iso(clock.now())})

    @app.post("/__dev/clock")
    def set_clock():
        body = request.get_json(silent=True) or {}
        try:
            clock.set(parse_instant(str(body.get("now"))))
        except ValueError:
            return jsonify({"error": "invalid", "message": "now must be ISO 8601", "field": "now"}), 422
        return jsonify({"now": iso(clock.now())})

    return app
