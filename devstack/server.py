"""One local origin: the built site, every function app under /api/<package>, the stand-in
ID-porten under /idporten and the developer tools under /__dev. Apps keep their full paths."""
from __future__ import annotations

from pathlib import Path

from werkzeug.exceptions import NotFound
from werkzeug.security import safe_join
from werkzeug.utils import redirect
from werkzeug.wrappers import Request, Response

from functions.core import security
from functions.core.config import Settings


class StaticSite:
    """Serves site/_build with the same security headers CloudFront adds in AWS."""

    TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript",
             ".json": "application/json", ".svg": "image/svg+xml", ".png": "image/png", ".ico": "image/x-icon"}

    def __init__(self, root: Path, settings: Settings) -> None:
        self._root, self._settings = root, settings

    def __call__(self, environ, start_response):
        request = Request(environ)
        path = request.path
        if path in ("/", ""):
            return redirect("/nb/", 302)(environ, start_response)
        if path.endswith("/"):
            path += "index.html"
        target = safe_join(str(self._root), path.lstrip("/"))
        if target is None or not Path(target).is_file():
            return NotFound()(environ, start_response)
        file = Path(target)
        response = Response(file.read_bytes(), content_type=self.TYPES.get(file.suffix, "application/octet-stream"))
        media = path.endswith("/videorom.html")  # the video room pages: camera and microphone allowed
        for name, value in security.headers(self._settings, personal=False, media=media).items():
            response.headers[name] = value
        response.headers["Cache-Control"] = "no-cache"
        return response(environ, start_response)


class Origin:
    """Path-prefix dispatch without stripping the prefix (each app owns its full path)."""

    def __init__(self, routes: dict[str, object], fallback) -> None:
        self._routes = sorted(routes.items(), key=lambda kv: -len(kv[0]))
        self._fallback = fallback

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        for prefix, app in self._routes:
            if path == prefix or path.startswith(prefix + "/"):
                return app(environ, start_response)
        return self._fallback(environ, start_response)
