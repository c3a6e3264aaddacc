"""Login with ID-porten (R1-R4): code flow with PKCE, state and nonce; the national id from `pid`
maps to an opaque patient id; a fresh server-side session on every login."""
from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from functions.accounts.model import Profile
from functions.accounts.oidc import OidcClient, OidcError, make_pkce, random_token
from functions.accounts.repository import ProfileRepository
from functions.core import national_id
from functions.core.actor import HIGH, SUBSTANTIAL
from functions.core.config import Settings
from functions.core.errors import Invalid, PortalError
from functions.core.sessions import LoginState, LoginStates, Session, SessionStore

SAFE_NEXT = re.compile(r"^/(nb|en)/[a-z0-9-]+\.html$")
CALLBACK = "/api/accounts/callback"


class LoginFailed(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class LoginDone:
    token: str
    session: Session
    next_path: str


def safe_next(path: str | None) -> str:
    """Only our own pages: an open redirect would leak the login to another site."""
    return path if path and SAFE_NEXT.match(path) else "/nb/oversikt.html"


def language_of(path: str) -> str:
    return "en" if path.startswith("/en/") else "nb"


class LoginService:
    def __init__(self, settings: Settings, oidc: Callable[[], OidcClient], states: LoginStates,
                 sessions: SessionStore, profiles: ProfileRepository, pepper: Callable[[], bytes]) -> None:
        self._settings, self._oidc, self._states = settings, oidc, states
        self._sessions, self._profiles, self._pepper = sessions, profiles, pepper

    def start(self, level: str | None, next_path: str | None) -> str:
        level = level or HIGH
        if level not in (HIGH, SUBSTANTIAL):
            raise Invalid("bad_level", field="level")
        state, nonce = random_token(), random_token()
        verifier, challenge = make_pkce()
        target = safe_next(next_path)
        self._states.put(state, LoginState(nonce, verifier, level, target))
        acr = "idporten-loa-high" if level == HIGH else "idporten-loa-substantial"
        return self._oidc().authorization_url(self.redirect_uri, state, nonce, challenge, acr,
                                              language_of(target))

    @property
    def redirect_uri(self) -> str:
        return self._settings.base_url + CALLBACK

    def finish(self, code: str | None, state: str | None, error: str | None) -> LoginDone:
        pending = self._states.take(state) if state and len(state) < 200 else None
        if pending is None:
            raise LoginFailed("state_mismatch")
        if error or not code:
            raise LoginFailed("access_denied" if error == "access_denied" else "unknown")
        try:
            client = self._oidc()
            id_token = client.exchange_code(code, self.redirect_uri, pending.code_verifier)
            claims = client.verify_id_token(id_token, pending.nonce)
        except OidcError as exc:
            raise LoginFailed(exc.reason) from exc
        if pending.level == HIGH and claims.level != HIGH:
            raise LoginFailed("bad_acr")
        profile = self._patient(claims.pid)
        token, session = self._sessions.create(profile.patient_id, claims.level, profile.consent_version)
        return LoginDone(token, session, pending.next_path)

    def _patient(self, pid: str) -> Profile:
        try:
            nid = national_id.parse(pid, allow_synthetic=not self._settings.production)
        except PortalError as exc:
            raise LoginFailed("invalid_national_id") from exc
        key = national_id.lookup_key(nid, self._pepper())
        patient_id = self._profiles.patient_for(key)
        if patient_id is None:
            fresh = Profile(patient_id="p" + secrets.token_hex(8), national_id=nid.value, birth_date=nid.birth_date)
            patient_id = self._profiles.create(key, fresh)
        return self._profiles.get(patient_id)

    def logout(self, token: str | None, lang: str) -> str:
        """Ends our session (R3), then the provider's. No id_token_hint: the id_token carries the
        national id, which must never travel in a URL (R56); client_id identifies us instead."""
        if token:
            self._sessions.end(token)
        return self._oidc().end_session_url(f"{self._settings.base_url}/{lang}/logget-ut.html", None, None)
