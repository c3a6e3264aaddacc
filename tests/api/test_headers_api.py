"""Security headers on every API answer and the JSON error shape for unknown routes."""
from __future__ import annotations


def test_api_answers_carry_strict_security_headers(kari):
    headers = kari.get("/api/accounts/profile").headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert headers["Referrer-Policy"] == "no-referrer" and headers["Cache-Control"] == "no-store"
    assert "Strict-Transport-Security" not in headers  # local/test only; see the production test


def test_hsts_outside_local():
    from functions.core import security
    from tests.support.aws_stack import make_settings

    assert "Strict-Transport-Security" in security.headers(make_settings(env="prod"), personal=True)


def test_unknown_route_and_method_are_json_errors(anon):
    missing = anon.get("/api/accounts/nothing")
    assert missing.status_code == 404 and set(missing.get_json()) == {"error", "message", "field"}
    wrong = anon.post("/api/accounts/session")
    assert wrong.status_code == 405 and wrong.get_json()["error"] == "method_not_allowed"
