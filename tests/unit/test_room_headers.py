"""Only the video room pages may use the camera and the microphone (R23): the Permissions-Policy
of core/security.headers(media=...) and the local site server's choice by path. The CSP is the
same strict one for both (no inline script or style)."""
from __future__ import annotations

from werkzeug.test import Client

from devstack.server import StaticSite
from functions.core import security
from tests.support.aws_stack import make_settings

MEDIA = "camera=(self), microphone=(self), geolocation=()"
NO_MEDIA = "camera=(), microphone=(), geolocation=()"


def test_R23_the_media_flag_allows_camera_and_microphone_for_the_page_itself_only():
    settings = make_settings()
    plain, media = security.headers(settings, personal=False), security.headers(settings, personal=False, media=True)
    assert plain["Permissions-Policy"] == NO_MEDIA
    assert media["Permissions-Policy"] == MEDIA
    for values in (plain, media):
        csp = values["Content-Security-Policy"]
        assert "script-src 'self';" in csp and "style-src 'self';" in csp and "unsafe-inline" not in csp
    assert {k: v for k, v in plain.items() if k != "Permissions-Policy"} == \
        {k: v for k, v in media.items() if k != "Permissions-Policy"}


def test_R23_the_site_server_grants_media_to_the_videorom_pages_and_to_no_other(tmp_path):
    for relative in ("nb/videorom.html", "en/klinikk/videorom.html", "nb/konsultasjoner.html", "nb/videorom.js"):
        target = tmp_path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("<!doctype html><title>x</title>", encoding="utf-8")
    client = Client(StaticSite(tmp_path, make_settings()))
    policy = {path: client.get(path).headers["Permissions-Policy"]
              for path in ("/nb/videorom.html", "/en/klinikk/videorom.html", "/nb/konsultasjoner.html",
                           "/nb/videorom.js")}
    assert policy == {"/nb/videorom.html": MEDIA, "/en/klinikk/videorom.html": MEDIA,
                      "/nb/konsultasjoner.html": NO_MEDIA, "/nb/videorom.js": NO_MEDIA}
