"""Stand-in ID-porten OpenID provider for the local stack (never deployed): code flow with PKCE,
RS256 id_tokens, times from the injected clock, client authentication by secret or
private_key_jwt (idporten_clients), logout that returns to a registered URI only with a valid
id_token_hint (as ID-porten requires), and `/__switch` to break every token issued from then on
in one chosen way. It owns full paths under the issuer's path (no prefix stripping)."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
import threading
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit, urlunsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Flask, Request, Response, jsonify, redirect, request

from devstack.idporten_clients import METHODS, ClientAuthenticator
from devstack.idporten_pages import PAGES as _PAGES

MODES = ("normal", "bad_signature", "wrong_iss", "wrong_aud", "bad_nonce", "expired")
LEVELS = {"high": ("idporten-loa-high", "BankID"), "substantial": ("idporten-loa-substantial", "MinID")}
CODE_SECONDS, TOKEN_SECONDS = 60, 120
REQUIRED = ("client_id", "redirect_uri", "response_type", "state", "nonce", "code_challenge",
            "code_challenge_method")
FORWARDED = (*REQUIRED, "scope", "acr_values", "ui_locales")
_CHALLENGE = re.compile(r"[A-Za-z0-9_-]{43}")
_VERIFIER = re.compile(r"[A-Za-z0-9._~-]{43,128}")

@dataclass(frozen=True)
class _Grant:
    params: dict[str, str]   # the validated authorize request
    pid: str
    level: str
    auth_time: int
    expires_at: float
    sid: str


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _with_query(url: str, **params: str) -> str:
    parts = urlsplit(url)
    query = "&".join(q for q in (parts.query, urlencode(params)) if q)
    return urlunsplit(parts._replace(query=query))


class _Provider:
    def __init__(self, issuer: str, clients: dict[str, dict], persons: list[dict], clock) -> None:
        self.issuer, self.base = issuer, issuer.rstrip("/")
        self.clients, self.persons, self.clock = clients, persons, clock
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.rogue = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid, self.mode = secrets.token_urlsafe(9), "normal"
        self.auth = ClientAuthenticator(issuer, f"{self.base}/token", clients, clock)
        self._codes: dict[str, _Grant] = {}
        self._lock = threading.Lock()

    def discovery(self) -> dict:
        base = self.base
        return {
            "issuer": self.issuer, "authorization_endpoint": f"{base}/authorize",
            "token_endpoint": f"{base}/token", "jwks_uri": f"{base}/jwks",
            "end_session_endpoint": f"{base}/endsession",
            "response_types_supported": ["code"], "response_modes_supported": ["query"],
            "grant_types_supported": ["authorization_code"], "subject_types_supported": ["pairwise"],
            "code_challenge_methods_supported": ["S256"],
            "acr_values_supported": ["idporten-loa-substantial", "idporten-loa-high"],
            "token_endpoint_auth_methods_supported": list(METHODS),
            "token_endpoint_auth_signing_alg_values_supported": ["RS256"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "profile"], "ui_locales_supported": ["nb", "nn", "en", "se"],
        }

    def jwks(self) -> dict:
        jwk = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return {"keys": [{**jwk, "kid": self.kid, "use": "sig", "alg": "RS256"}]}

    def authorize_problem(self, p: dict[str, str]) -> str | None:
        """What is wrong with an authorize request (never redirects to an unchecked redirect_uri)."""
        client = self.clients.get(p.get("client_id", ""))
        missing = ", ".join(name for name in REQUIRED if not p.get(name))
        pkce = p.get("code_challenge_method") == "S256" and _CHALLENGE.fullmatch(p.get("code_challenge", ""))
        checks = ((client is None, "Ukjent klient (client_id)."),
                  (p.get("redirect_uri") not in (client or {}).get("redirect_uris", []),
                   "redirect_uri er ikke registrert for klienten."),
                  (bool(missing), f"Påkrevde parametere mangler: {missing}."),
                  (p.get("response_type") != "code", "response_type må være code."),
                  (not pkce, "PKCE krever code_challenge med code_challenge_method=S256."),
                  ("openid" not in p.get("scope", "openid").split(), "scope må inneholde openid."))
        return next((message for failed, message in checks if failed), None)

    def issue_code(self, params: dict[str, str], person_index: str, level: str) -> str | None:
        if not person_index.isdigit() or int(person_index) >= len(self.persons) or level not in LEVELS:
            return None
        now = self.clock.now().timestamp()
        grant = _Grant(params=params, pid=self.persons[int(person_index)]["pid"], level=level,
                       auth_time=int(now), expires_at=now + CODE_SECONDS, sid=secrets.token_urlsafe(16))
        code = secrets.token_urlsafe(32)
        with self._lock:
            self._codes = {c: g for c, g in self._codes.items() if g.expires_at > now}
            self._codes[code] = grant
        return code

    def authenticate(self, req: Request) -> str | None:
        """client_secret_basic, client_secret_post or private_key_jwt: the client id, or None."""
        return self.auth.authenticate(req)

    def logout_client(self, id_token_hint: str) -> dict | None:
        """The registered client an id_token_hint of ours was issued to (expired hints count)."""
        try:
            claims = jwt.decode(id_token_hint, self.key.public_key(), algorithms=["RS256"],
                                options={"verify_exp": False, "verify_aud": False, "verify_iat": False})
        except jwt.PyJWTError:
            return None
        aud = claims.get("aud")
        return self.clients.get(aud) if claims.get("iss") == self.issuer and isinstance(aud, str) else None

    def redeem(self, code: str, client_id: str, redirect_uri: str, verifier: str) -> _Grant | None:
        """The grant behind a code, consumed on first presentation (a replay finds nothing)."""
        with self._lock:
            grant = self._codes.pop(code, None)
        if grant is None or grant.expires_at <= self.clock.now().timestamp():
            return None
        if (grant.params["client_id"], grant.params["redirect_uri"]) != (client_id, redirect_uri):
            return None
        if not _VERIFIER.fullmatch(verifier):
            return None
        challenge = _b64(hashlib.sha256(verifier.encode("ascii")).digest())
        return grant if hmac.compare_digest(challenge, grant.params["code_challenge"]) else None

    def token_response(self, grant: _Grant) -> dict:
        return {"access_token": secrets.token_urlsafe(32), "token_type": "Bearer",
                "expires_in": TOKEN_SECONDS, "id_token": self.id_token(grant),
                "scope": grant.params.get("scope") or "openid"}

    def id_token(self, grant: _Grant) -> str:
        mode, client_id = self.mode, grant.params["client_id"]
        iat = int(self.clock.now().timestamp()) - (10 * TOKEN_SECONDS if mode == "expired" else 0)
        acr, amr = LEVELS[grant.level]
        claims = {
            "iss": self.issuer + "/feil" if mode == "wrong_iss" else self.issuer,
            "aud": client_id + "-annen" if mode == "wrong_aud" else client_id,
            "sub": _b64(hashlib.sha256(f"{self.issuer}\n{grant.pid}".encode()).digest()),
            "pid": grant.pid, "acr": acr, "amr": [amr],
            "nonce": secrets.token_urlsafe(16) if mode == "bad_nonce" else grant.params["nonce"],
            "iat": iat, "exp": iat + TOKEN_SECONDS, "auth_time": grant.auth_time, "sid": grant.sid,
        }
        key = self.rogue if mode == "bad_signature" else self.key
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": self.kid})


def _page(heading: str, message: str, status: int = 200) -> Response:
    body = _PAGES.get_template("layout.html").render(heading=heading, message=message)
    return Response(body, status=status, mimetype="text/html", headers={"Cache-Control": "no-store"})


def _json(payload: dict, status: int = 200) -> Response:
    headers = {"Cache-Control": "no-store", **({"WWW-Authenticate": "Basic"} if status == 401 else {})}
    return Response(json.dumps(payload), status=status, mimetype="application/json", headers=headers)


def _authorize_routes(app: Flask, provider: _Provider, prefix: str) -> None:
    @app.route(f"{prefix}/authorize", methods=["GET", "POST"])
    def authorize() -> Response:
        source = request.args if request.method == "GET" else request.form
        params = {k: source[k] for k in FORWARDED if k in source}
        problem = provider.authorize_problem(params)
        if problem:
            return _page("Innloggingen kan ikke starte", problem, 400)
        if request.method == "GET":
            acr = params.get("acr_values", "").split()
            page = _PAGES.get_template("authorize.html").render(
                action=f"{prefix}/authorize", params=params, persons=provider.persons,
                high=not acr or "idporten-loa-high" in acr)
            return Response(page, mimetype="text/html", headers={"Cache-Control": "no-store"})
        if request.form.get("action") == "cancel":
            return redirect(_with_query(params["redirect_uri"], error="access_denied", state=params["state"]))
        code = provider.issue_code(params, request.form.get("person", ""), request.form.get("level", ""))
        if code is None:
            return _page("Innloggingen kan ikke starte", "Velg en testperson og en innloggingsmetode.", 400)
        return redirect(_with_query(params["redirect_uri"], code=code, state=params["state"]))


def _endpoint_routes(app: Flask, provider: _Provider, prefix: str) -> None:
    app.add_url_rule(f"{prefix}/.well-known/openid-configuration", "discovery",
                     lambda: jsonify(provider.discovery()))
    app.add_url_rule(f"{prefix}/jwks", "jwks", lambda: jsonify(provider.jwks()))

    @app.post(f"{prefix}/token")
    def token() -> Response:
        client_id, form = provider.authenticate(request), request.form
        if client_id is None:
            return _json({"error": "invalid_client"}, 401)
        if form.get("grant_type") != "authorization_code":
            return _json({"error": "unsupported_grant_type"}, 400)
        grant = provider.redeem(form.get("code", ""), client_id, form.get("redirect_uri", ""),
                                form.get("code_verifier", ""))
        return _json({"error": "invalid_grant"}, 400) if grant is None else _json(provider.token_response(grant))

    @app.route(f"{prefix}/endsession", methods=["GET", "POST"])
    def endsession() -> Response:
        target, state = request.values.get("post_logout_redirect_uri", ""), request.values.get("state")
        client = provider.logout_client(request.values.get("id_token_hint", ""))
        if target and client is not None and target in client.get("post_logout_redirect_uris", []):
            return redirect(_with_query(target, **({"state": state} if state else {})))
        return _page("Du er logget ut", "Du er logget ut av ID-porten (lokal testinnlogging).")

    @app.route(f"{prefix}/__switch", methods=["GET", "POST"])
    def switch() -> Response:
        if request.method == "POST":
            body = request.get_json(silent=True)
            mode = body.get("mode") if isinstance(body, dict) else None
            if mode not in MODES:
                return jsonify(error="invalid_mode", modes=list(MODES)), 400
            provider.mode = mode
        return jsonify(mode=provider.mode)


def create_idporten_app(issuer: str, clients: dict[str, dict], persons: list[dict], clock) -> Flask:
    """The stand-in provider as a Flask app owning every path under the issuer's path."""
    provider = _Provider(issuer, clients, persons, clock)
    app = Flask(__name__, static_folder=None)
    app.extensions["idporten"] = provider
    prefix = urlsplit(provider.base).path
    _authorize_routes(app, provider, prefix)
    _endpoint_routes(app, provider, prefix)
    return app
