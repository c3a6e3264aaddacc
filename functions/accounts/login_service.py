"""Login with ID-porten (R1-R4): code flow with PKCE, state and nonce; the national id from `pid`
maps to an opaque patient id; a fresh server-side session on every login.

Login CSRF / session swap: the login state is bound to the browser that started the login. The
start hands that browser a random login cookie (the route sets it HttpOnly, SameSite=Lax,
`__Host-` and Secure outside local); the state keeps only its hash. A callback whose browser does
not hold the cookie of its state is refused before the code is exchanged, so an attacker cannot
finish their own login in a victim's browser."""
from __future__ import annotations

import hmac
import logging
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
from functions.core.sessions import LoginState, LoginStates, Session, SessionStore, browser_hash

log = logging.getLogger("portal")
SAFE_NEXT = re.compile(r"^/(nb|en)/[a-z0-9-]+\.html$")
CALLBACK = "/api/accounts/callback"
SWITCHED = "switched=1"   # the landing page's query when the login ended another person's session
_BROWSER = re.compile(r"[A-Za-z0-9_-]{43,100}")


class LoginFailed(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class LoginStarted:
    url: str            # the provider's authorize URL
    browser: str        # the login cookie's value: the only proof that this browser started it


@dataclass(frozen=True)
class LoginDone:
    token: str
    session: Session
    next_path: str
    switched: bool = False   # the browser was logged in as someone else; that session has ended

    @property
    def location(self) -> str:
        return f"{self.next_path}?{SWITCHED}" if self.switched else self.next_path


@dataclass(frozen=True)
class CurrentSession:
    """The session the browser already has when a login comes back (cookie token + session)."""
    token: str
    session: Session


def safe_next(path: str | None) -> str:
    """Only our own pages: an open redirect would leak the login to another site."""
    return path if path and SAFE_NEXT.match(path) else "/nb/oversikt.html"


def language_of(path: str) -> str:
    return "en" if path.startswith("/en/") else "nb"


class LoginService:
    def __init__(self, settings: Settings, oidc: Callable[[], OidcClient], states: LoginStates,
                 sessions: SessionStore, profiles: ProfileRepository, pepper: Callable[[], bytes],
                 after_login: Callable[[Profile], object] = lambda profile: None) -> None:
        self._settings, self._oidc, self._states = settings, oidc, states
        self._sessions, self._profiles, self._pepper = sessions, profiles, pepper
        self._after_login = after_login   # the relations sync from the population register

    def start(self, level: str | None, next_path: str | None, browser: str | None = None) -> LoginStarted:
        """`browser` is the login cookie the browser already holds, if any: kept, so logins
        started in two tabs of one browser both work."""
        level = level or HIGH
        if level not in (HIGH, SUBSTANTIAL):
            raise Invalid("bad_level", field="level")
        state, nonce = random_token(), random_token()
        verifier, challenge = make_pkce()
        target = safe_next(next_path)
        browser = browser if browser and _BROWSER.fullmatch(browser) else random_token()
        self._states.put(state, LoginState(nonce, verifier, level, target, browser_hash(browser)))
        acr = "idporten-loa-high" if level == HIGH else "idporten-loa-substantial"
        url = self._oidc().authorization_url(self.redirect_uri, state, nonce, challenge, acr, language_of(target))
        return LoginStarted(url, browser)

    @property
    def redirect_uri(self) -> str:
        return self._settings.base_url + CALLBACK

    def finish(self, code: str | None, state: str | None, error: str | None, browser: str | None = None,
               current: CurrentSession | None = None) -> LoginDone:
        """`browser` is the login cookie sent with the callback, `current` the browser's session.

        A refused login leaves `current` alone. A login that succeeds ends `current` first (the
        session id is rotated, R4) and says so when it belonged to another person."""
        pending = self._states.take(state) if state and len(state) < 200 else None
        if pending is None or not _same_browser(pending, browser):
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
        self._sync(profile)
        switched = current is not None and current.session.patient_id != profile.patient_id
        if current is not None:
            self._sessions.end(current.token)
        token, session = self._sessions.create(profile.patient_id, claims.level, profile.consent_version, id_token)
        return LoginDone(token, session, pending.next_path, switched)

    def _sync(self, profile: Profile) -> None:
        """A register that is down never stops a login: the relations are checked again next time."""
        try:
            self._after_login(profile)
        except Exception as exc:  # noqa: BLE001 - logged by type only (no personal data)
            log.warning("relations sync failed at login: %s", type(exc).__name__)

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
        """Ends our session (R3), then the provider's, with the session's id_token as id_token_hint
        and our logged-out page as post_logout_redirect_uri.

        Trade-off, decided for ID-porten, which requires the hint: its id_token contains the `pid`
        (national id), base64-encoded, so the end-session URL carries it, against the rule of no
        national ids in URLs (R56). It goes only to the logged-out browser (in this no-store JSON
        answer, then one top-level navigation to the provider, which issued the token and knows
        the pid anyway): the browser's history and the provider's own logs see it; Referrer-Policy
        no-referrer keeps it from anyone else, and we never log it. The id_token is kept
        server-side with the session (never in a cookie or a log) and deleted at this logout. A
        session without one (created before this change) logs out with client_id alone."""
        hint = None
        if token:
            hint = self._sessions.take_id_token(token)
            self._sessions.end(token)
        return self._oidc().end_session_url(f"{self._settings.base_url}/{lang}/logget-ut.html", hint, None)


def _same_browser(pending: LoginState, browser: str | None) -> bool:
    if not pending.browser_hash or not browser or len(browser) > 200:
        return False
    return hmac.compare_digest(browser_hash(browser).encode(), pending.browser_hash.encode())
