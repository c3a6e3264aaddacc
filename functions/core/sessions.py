"""Server-side sessions (R4), the id_token kept with each for logout, and one-use login state bound
to the browser that started the login, in the sessions table."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from pynamodb.exceptions import DeleteError

from functions.core.clock import Clock
from functions.core.config import Settings
from functions.core.core_records import IdTokenRecord, LoginStateRecord, SessionRecord
from functions.core.records import Refused, condition_failed


@dataclass
class Session:
    token_hash: str
    patient_id: str
    level: str
    consent_version: str | None
    csrf: str
    created_at: datetime
    last_seen: datetime
    acting_for: str | None = None   # the patient this session acts for (the header's switch)


@dataclass(frozen=True)
class LoginState:
    nonce: str
    code_verifier: str
    level: str
    next_path: str
    browser_hash: str = ""   # browser_hash() of the login cookie; "" matches no browser


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def browser_hash(login_cookie: str) -> str:
    """What a login state keeps of the browser's login cookie (the cookie itself stays a secret)."""
    return _hash(login_cookie)


def _to_session(record: SessionRecord) -> Session:
    return Session(record.pk.removeprefix("SESSION#"), record.patient_id, record.level,
                   record.consent_version, record.csrf, record.created_at, record.last_seen, record.acting_for)


def _from_item(key: str, item: dict) -> Session:
    def text(name: str) -> str | None:
        return item[name]["S"] if name in item and "S" in item[name] else None

    return Session(key.removeprefix("SESSION#"), text("patient_id"), text("level"), text("consent_version"),
                   text("csrf"), SessionRecord.created_at.deserialize(text("created_at")),
                   SessionRecord.last_seen.deserialize(text("last_seen")), text("acting_for"))


class SessionStore:
    def __init__(self, settings: Settings, clock: Clock) -> None:
        self._idle = timedelta(minutes=settings.session_idle_minutes)
        self._absolute = timedelta(hours=settings.session_absolute_hours)
        self._touch = timedelta(seconds=settings.session_touch_seconds)
        self._clock = clock

    def create(self, patient_id: str, level: str, consent_version: str | None,
               id_token: str | None = None) -> tuple[str, Session]:
        """A brand-new session id every login (rotation). Returns the cookie token and the session.
        The provider's id_token, if given, is kept server-side beside it for the logout."""
        token = secrets.token_urlsafe(32)
        now = self._clock.now()
        if id_token:
            IdTokenRecord(f"IDTOKEN#{_hash(token)}", id_token=id_token, expires_at=now + self._absolute).save()
        record = SessionRecord(f"SESSION#{_hash(token)}", patient_id=patient_id, level=level,
                               consent_version=consent_version, csrf=secrets.token_urlsafe(24),
                               created_at=now, last_seen=now, expires_at=now + self._idle)
        record.save(SessionRecord.pk.does_not_exist())
        return token, _to_session(record)

    def load(self, token: str) -> Session | None:
        """The live session for a cookie token, touched at most every few minutes.

        Every request starts here, so the item is read raw (one GetItem, no model instance built)."""
        key = f"SESSION#{_hash(token)}"
        table = SessionRecord._get_connection()
        item = table.connection.client.get_item(TableName=table.table_name, Key={"pk": {"S": key}},
                                                ConsistentRead=True).get("Item")
        if item is None:
            return None
        session = _from_item(key, item)
        now = self._clock.now()
        if now - session.last_seen > self._idle or now - session.created_at > self._absolute:
            self.end(token)
            return None
        if now - session.last_seen > self._touch:
            try:
                SessionRecord(key).update(actions=[SessionRecord.last_seen.set(now),
                                                   SessionRecord.expires_at.set(now + self._idle)],
                                          condition=SessionRecord.pk.exists())
            except Refused:
                return None  # ended meanwhile (logout): never brought back by the touch
            session.last_seen = now
        return session

    def end(self, token: str) -> None:
        SessionRecord(f"SESSION#{_hash(token)}").delete()
        IdTokenRecord(f"IDTOKEN#{_hash(token)}").delete()

    def take_id_token(self, token: str) -> str | None:
        """The id_token kept with a session, deleted as it is read (one call)."""
        answer = IdTokenRecord._get_connection().delete_item(f"IDTOKEN#{_hash(token)}", return_values="ALL_OLD")
        item = answer.get("Attributes")
        return IdTokenRecord.from_raw_data(item).id_token if item else None

    def act_for(self, token: str, subject_id: str | None) -> None:
        """The header's switch: whose data this session shows from the next request on (None: one's own)."""
        action = SessionRecord.acting_for.set(subject_id) if subject_id else SessionRecord.acting_for.remove()
        try:
            SessionRecord(f"SESSION#{_hash(token)}").update(actions=[action], condition=SessionRecord.pk.exists())
        except Refused:
            return   # ended meanwhile: nothing to switch

    def set_consent(self, patient_id: str, consent_version: str | None) -> None:
        """Consent changes reach every live session of the patient (R10)."""
        for key in SessionRecord.by_patient.query(patient_id):
            try:
                SessionRecord(key.pk).update(actions=[SessionRecord.consent_version.set(consent_version)],
                                             condition=SessionRecord.pk.exists())
            except Refused:  # a session that ended meanwhile needs no update
                continue


class LoginStates:
    LIFETIME = timedelta(minutes=10)

    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    def put(self, state: str, value: LoginState) -> None:
        LoginStateRecord(f"LOGIN#{state}", nonce=value.nonce, code_verifier=value.code_verifier,
                         level=value.level, next_path=value.next_path, browser_hash=value.browser_hash or None,
                         expires_at=self._clock.now() + self.LIFETIME).save()

    def take(self, state: str) -> LoginState | None:
        """Delete-and-return in one conditional call: a state can be used once (no replay)."""
        connection = LoginStateRecord._get_connection()
        try:
            answer = connection.delete_item(f"LOGIN#{state}", condition=LoginStateRecord.pk.exists(),
                                            return_values="ALL_OLD")
        except DeleteError as exc:  # the connection, not the model: no Refused here
            if not condition_failed(exc):
                raise
            return None
        record = LoginStateRecord.from_raw_data(answer["Attributes"])
        if record.expires_at < self._clock.now():
            return None
        return LoginState(record.nonce, record.code_verifier, record.level, record.next_path,
                          record.browser_hash or "")
