"""Login, callback and logout (R1-R4). Failures land on a clear page and create no session."""
from __future__ import annotations

from flask import Blueprint, Response, g, jsonify, redirect, request

from functions.accounts.login_service import LoginFailed, language_of, safe_next
from functions.core.errors import TooManyRequests
from functions.core.web import COOKIE, client_ip, ctx

bp = Blueprint("login", __name__, url_prefix="/api/accounts")


def _limit() -> None:
    settings = ctx().runtime.settings
    ctx().runtime.limiter.hit(f"login:{client_ip()}", settings.login_rate_per_minute)


def _failed(reason: str, next_path: str | None) -> Response:
    lang = language_of(safe_next(next_path))
    response = redirect(f"/{lang}/innlogging-feilet.html?reason={reason}", code=302)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/login")
def login():
    next_path = request.args.get("next")
    try:
        _limit()
    except TooManyRequests:  # a page, not JSON: this is a browser navigation
        return _failed("rate_limited", next_path)
    url = ctx().services.login.start(request.args.get("level"), next_path)
    return redirect(url, code=302)


@bp.get("/callback")
def callback():
    try:
        _limit()
        done = ctx().services.login.finish(request.args.get("code"), request.args.get("state"),
                                           request.args.get("error"))
    except LoginFailed as exc:
        return _failed(exc.reason, None)
    except TooManyRequests:
        return _failed("rate_limited", None)
    old = request.cookies.get(COOKIE)
    if old and g.session is not None:
        ctx().runtime.sessions.end(old)  # rotation: the pre-login session never survives
    response = redirect(done.next_path, code=302)
    settings = ctx().runtime.settings
    response.set_cookie(COOKIE, done.token, httponly=True, secure=settings.cookie_secure, samesite="Lax",
                        path="/", max_age=settings.session_absolute_hours * 3600)
    return response


@bp.post("/logout")
def logout():
    url = ctx().services.login.logout(request.cookies.get(COOKIE), g.lang)
    response = jsonify({"redirect": url})
    response.delete_cookie(COOKIE, path="/")
    return response
