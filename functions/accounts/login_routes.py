"""Login, callback and logout (R1-R4). Failures land on a clear page and create no session.

The login is bound to the browser that starts it: /login sets a short-lived login cookie
(HttpOnly, SameSite=Lax; `__Host-` prefixed and Secure outside local; it expires with the login
state), and /callback refuses a state that comes without it (login_service). The cookie is never
deleted by a callback: a forged one must not break a real login in progress in another tab."""
from __future__ import annotations

from flask import Blueprint, Response, g, jsonify, redirect, request

from functions.accounts.login_service import CurrentSession, LoginFailed, language_of, safe_next
from functions.core.errors import TooManyRequests
from functions.core.sessions import LoginStates
from functions.core.web import COOKIE, client_ip, ctx

bp = Blueprint("login", __name__, url_prefix="/api/accounts")
LOGIN_COOKIE = "portal_login"


def login_cookie_name() -> str:
    """`__Host-` (Secure, Path=/, no Domain: no subdomain can set or overwrite it) outside local,
    where the site is served over https; plain http locally cannot hold a Secure cookie."""
    return f"__Host-{LOGIN_COOKIE}" if ctx().runtime.settings.cookie_secure else LOGIN_COOKIE


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
    started = ctx().services.login.start(request.args.get("level"), next_path,
                                         request.cookies.get(login_cookie_name()))
    response = redirect(started.url, code=302)
    response.headers["Cache-Control"] = "no-store"
    response.set_cookie(login_cookie_name(), started.browser, httponly=True, samesite="Lax", path="/",
                        secure=ctx().runtime.settings.cookie_secure,
                        max_age=int(LoginStates.LIFETIME.total_seconds()))
    return response


@bp.get("/callback")
def callback():
    token = request.cookies.get(COOKIE)
    current = CurrentSession(token, g.session) if token and g.session is not None else None
    try:
        _limit()
        done = ctx().services.login.finish(request.args.get("code"), request.args.get("state"),
                                           request.args.get("error"), request.cookies.get(login_cookie_name()),
                                           current)
    except LoginFailed as exc:
        return _failed(exc.reason, None)
    except TooManyRequests:
        return _failed("rate_limited", None)
    response = redirect(done.location, code=302)
    response.headers["Cache-Control"] = "no-store"
    settings = ctx().runtime.settings
    response.set_cookie(COOKIE, done.token, httponly=True, secure=settings.cookie_secure, samesite="Lax",
                        path="/", max_age=settings.session_absolute_hours * 3600)
    return response  # the login cookie stays until it expires: other tabs may be logging in too


@bp.post("/logout")
def logout():
    url = ctx().services.login.logout(request.cookies.get(COOKIE), g.lang)
    response = jsonify({"redirect": url})
    response.headers["Cache-Control"] = "no-store"
    response.delete_cookie(COOKIE, path="/")
    return response
