"""Browser security headers, shared by the function apps and the site's origin."""
from __future__ import annotations

from urllib.parse import urlsplit

from functions.core.config import Settings


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy(settings: Settings) -> str:
    img = " ".join(["'self'", "data:", "blob:", *settings.extra_img_origins])
    forms = " ".join(sorted({"'self'", _origin(settings.oidc_issuer)}))
    return (f"default-src 'self'; script-src 'self'; style-src 'self'; img-src {img}; "
            f"connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
            f"form-action {forms}; frame-ancestors 'none'")


NO_MEDIA = "camera=(), microphone=(), geolocation=()"
MEDIA = "camera=(self), microphone=(self), geolocation=()"  # the video room pages only


def headers(settings: Settings, personal: bool, media: bool = False) -> dict[str, str]:
    """`media=True` for the video room pages (site paths ending in /videorom.html): they alone may
    ask for the camera and the microphone. The CSP is the same everywhere (no inline script or style)."""
    values = {
        "Content-Security-Policy": content_security_policy(settings),
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Permissions-Policy": MEDIA if media else NO_MEDIA,
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    if not settings.local:
        values["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
    if personal:
        values["Cache-Control"] = "no-store"
        values["Pragma"] = "no-cache"
    return values
