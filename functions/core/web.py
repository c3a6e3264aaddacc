"""The app factory every function uses: sessions, CSRF, JSON errors, security headers.

Routes stay thin: parse input, take the actor from here, call one service."""
from __future__ import annotations

import hmac
import logging
import re
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, Flask, Response, current_app, g, jsonify, request
from werkzeug.exceptions import HTTPException

from functions.core import messages, representation, security
from functions.core.actor import PATIENT, REPRESENTATIVE, Actor
from functions.core.errors import BadRequest, Forbidden, PortalError, TooLarge, Unauthenticated, UnsupportedMedia
from functions.core.runtime import Runtime

COOKIE = "portal_session"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
log = logging.getLogger("portal")

_HTTP_CODES = {400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found",
               405: "method_not_allowed", 413: "too_large", 415: "unsupported_media", 429: "rate_limited"}


@dataclass
class Context:
    runtime: Runtime
    services: Any
    headers: dict[bool, list[tuple[str, str]]] = field(default_factory=dict)  # personal? -> security headers


def ctx() -> Context:
    return current_app.extensions["portal"]


def error_response(error: PortalError) -> Response:
    lang = getattr(g, "lang", "nb")
    body = {**error.extra, "error": error.code, "message": messages.text(error.code, lang, **error.params),
            "field": error.field}
    response = jsonify(body)
    response.status_code = error.status
    return response


def _load_session() -> None:
    g.lang = messages.pick_language(request.headers.get("Accept-Language"))
    g.session = None
    token = request.cookies.get(COOKIE)
    if token and len(token) < 200:
        g.session_token = token
        g.session = ctx().runtime.sessions.load(token)
    if request.method in UNSAFE and token:
        sent = request.headers.get("X-CSRF-Token", "")
        if g.session is None:
            raise Unauthenticated()
        if not hmac.compare_digest(sent.encode(), g.session.csrf.encode()):
            raise Forbidden("csrf")


def _headers(response: Response) -> Response:
    """The security headers a route did not set itself (computed once per app)."""
    present = {name.lower() for name, _ in response.headers}
    wanted = ctx().headers[request.path.startswith("/api/")]
    response.headers.extend([(name, value) for name, value in wanted if name.lower() not in present])
    return response


def _http_error(exc: HTTPException) -> Response:
    code = _HTTP_CODES.get(exc.code or 500, "internal")
    # The only bodies larger than JSON_MAX_BYTES that a route takes are pictures (MAX_CONTENT_LENGTH).
    params = {"max_mb": ctx().runtime.settings.picture_max_bytes // (1024 * 1024)} if exc.code == 413 else {}
    error = PortalError(code, **params)
    error.status = exc.code or 500
    return error_response(error)


# DynamoDB (or another AWS service) asking us to slow down: the request may simply be tried again.
_BUSY = {"ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded"}


def _aws_code(exc: Exception) -> str | None:
    """The AWS error code of a botocore ClientError, or of one wrapped by PynamoDB."""
    code = getattr(exc, "cause_response_code", None)
    response = getattr(exc, "response", None)
    if code is None and isinstance(response, dict):
        code = response.get("Error", {}).get("Code")
    return code


def _unexpected(exc: Exception) -> Response:
    busy = _aws_code(exc) in _BUSY
    log.error("%s %s on %s %s", "throttled" if busy else "unhandled", type(exc).__name__, request.method,
              request.url_rule)
    error = PortalError("busy" if busy else "internal")
    error.status = 503 if busy else 500
    response = error_response(error)
    if busy:
        response.headers["Retry-After"] = "2"
    return response


def create_app(blueprint: Blueprint, runtime: Runtime, services: Any, extra: tuple[Blueprint, ...] = ()) -> Flask:
    app = Flask(blueprint.import_name)
    app.config["MAX_CONTENT_LENGTH"] = runtime.settings.picture_max_bytes + 64 * 1024
    app.json.ensure_ascii = False
    app.extensions["portal"] = Context(runtime, services, {
        personal: list(security.headers(runtime.settings, personal).items()) for personal in (False, True)})
    app.before_request(_load_session)
    app.after_request(_headers)
    app.register_error_handler(PortalError, error_response)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
    for bp in (blueprint, *extra):
        app.register_blueprint(bp)
    return app


def self_actor() -> Actor:
    """The logged-in patient as themselves, whoever they act for now: their own profile, consent,
    relations, access log and export."""
    session = g.get("session")
    if session is None:
        raise Unauthenticated()
    current = ctx().runtime.settings.terms_version
    return Actor(kind=PATIENT, actor_id=session.patient_id, on_behalf_of=session.patient_id,
                 level=session.level, consent=session.consent_version == current,
                 session_id=session.token_hash)


def patient_actor() -> Actor:
    """Whose data a health page shows: the logged-in patient, or the person they chose to act for
    (the session's switch). The relation is read once per request, here: its scopes at the portal
    clock (age bands, a fullmakt's period), the SUBJECT's consent, never more than the session's
    level (R37). No route or service looks relations up itself."""
    own = self_actor()
    subject_id = g.session.acting_for
    if not subject_id:
        return own
    return representative_actor(own, subject_id)


def representative_actor(own: Actor, subject_id: str) -> Actor:
    runtime = ctx().runtime
    relation = runtime.relations.between(own.actor_id, subject_id)
    scopes = representation.scopes(relation, runtime.clock.now()) if relation else frozenset()
    if not scopes:
        raise Forbidden("relation_ended")
    return Actor(kind=REPRESENTATIVE, actor_id=own.actor_id, on_behalf_of=subject_id, level=own.level,
                 consent=own.consent and relation.subject_consent == runtime.settings.terms_version,
                 session_id=own.session_id, actor_name=relation.holder_name, scopes=scopes,
                 subject_name=relation.subject_name)


def staff_actor() -> Actor:
    return ctx().runtime.clinic_auth.authenticate(request.headers.get("Authorization"),
                                                 request.headers.get("X-Staff-Id"))


JSON_MAX_BYTES = 256 * 1024
JSON_MAX_DEPTH = 32


def json_body() -> dict:
    """The request's JSON, bounded in size (413) and nesting depth (400) before it is parsed:
    Python's parser recurses, so a body nested 100,000 deep would otherwise end in RecursionError."""
    if not request.is_json:
        raise UnsupportedMedia() if request.data else BadRequest()
    if (request.content_length or 0) > JSON_MAX_BYTES:
        raise TooLarge("request_too_large", max_kb=JSON_MAX_BYTES // 1024)
    raw = request.get_data(cache=True)
    if len(raw) > JSON_MAX_BYTES:
        raise TooLarge("request_too_large", max_kb=JSON_MAX_BYTES // 1024)
    if json_depth(raw) > JSON_MAX_DEPTH:
        raise BadRequest("too_deep", max_depth=JSON_MAX_DEPTH)
    payload = request.get_json(silent=True)
    if payload is None:
        raise BadRequest()
    return payload


# A string (an unterminated one runs to the end, so every byte is looked at once) or a bracket.
_TOKEN = re.compile(rb'"(?:[^"\\]|\\.)*+"?|[\[\]{}]')


def json_depth(raw: bytes) -> int:
    """How deep arrays and objects nest in a JSON text (strings skipped); cheap for ordinary
    bodies, which hold fewer brackets than the limit and are not walked at all."""
    if raw.count(b"[") + raw.count(b"{") <= JSON_MAX_DEPTH:
        return 0
    depth = deepest = 0
    for token in _TOKEN.finditer(raw):
        first = token.group()[0]
        if first in b"[{":
            depth += 1
            deepest = max(deepest, depth)
        elif first in b"]}":
            depth -= 1
    return deepest


def client_ip() -> str:
    """The caller's address as the platform saw it (API Gateway's source IP via Zappa); never
    a client-supplied X-Forwarded-For, which would let a caller dodge the rate limit."""
    return request.remote_addr or "unknown"
