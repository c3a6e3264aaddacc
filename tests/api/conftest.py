from __future__ import annotations

import pytest

from devstack.idporten import create_idporten_app
from functions.accounts.app import make_app
from functions.accounts.oidc_client_auth import public_jwk
from functions.core.web import COOKIE
from tests.support.aws_stack import CLIENT_SECRET, client_key
from tests.unit.test_oidc import AppFetcher


class PatientClient:
    """A Flask test client logged in as one patient (session made directly; login is tested apart)."""

    def __init__(self, app, runtime, patient_id: str, level: str = "high", consent: bool = True) -> None:
        self.client = app.test_client()
        self.token, self.session = runtime.sessions.create(patient_id, level, None)
        self.client.set_cookie(COOKIE, self.token)
        if consent:
            answer = self.send("POST", "/api/accounts/consent", json={"version": runtime.settings.terms_version})
            assert answer.status_code == 200, answer.get_json()

    def _headers(self, extra=None):
        return {"X-CSRF-Token": self.session.csrf, **(extra or {})}

    def get(self, path, **kw):
        return self.client.get(path, **kw)

    def send(self, method, path, json=None, headers=None, **kw):
        return self.client.open(path, method=method, json=json, headers=self._headers(headers), **kw)


def on_feature(feature_app, app, runtime, patient_id: str, acting_for: str | None = None,
               level: str = "high") -> PatientClient:
    """A patient logged in (consent given on the accounts app `app`), calling a feature package's
    app with the same cookie; acting for `acting_for` when given (the session's switch, made on the
    accounts app, which stays reachable as `.accounts`)."""
    patient = PatientClient(app, runtime, patient_id, level=level)
    if acting_for:
        switched = patient.send("POST", "/api/accounts/acting-for", json={"patient_id": acting_for})
        assert switched.status_code == 200, switched.get_json()
    patient.accounts = patient.client
    patient.client = feature_app.test_client()
    patient.client.set_cookie(COOKIE, patient.token)
    return patient


@pytest.fixture
def app(runtime):
    return make_app(runtime)


@pytest.fixture
def kari(app, runtime):
    return PatientClient(app, runtime, "p-kari")


@pytest.fixture
def ola(app, runtime):
    return PatientClient(app, runtime, "p-ola")


@pytest.fixture
def anon(app):
    return app.test_client()


def new_pid() -> str:
    """A synthetic national id no demo person has (a first login)."""
    from datetime import date

    from functions.core.national_id import synthetic
    return synthetic(date(1993, 9, 9), 407)


def stand_in_for(runtime):
    """The stand-in ID-porten for a runtime's settings, its client registered with the test secret
    and the test key (so any PORTAL_OIDC_CLIENT_AUTH works), the demo persons plus a new one."""
    s = runtime.settings
    clients = {s.oidc_client_id: {"secret": CLIENT_SECRET, "jwks": [public_jwk(client_key())],
                                  "redirect_uris": [f"{s.base_url}/api/accounts/callback"],
                                  "post_logout_redirect_uris": [f"{s.base_url}/nb/logget-ut.html"]}}
    persons = [*runtime.persons, {"pid": new_pid(), "name": "Ny Bruker", "label": "ny"}]
    return create_idporten_app(s.oidc_issuer, clients, persons, runtime.clock)


@pytest.fixture
def provider(runtime):
    return stand_in_for(runtime)


@pytest.fixture
def portal(runtime, provider):
    """The accounts app whose relying party talks to the stand-in in-process."""
    return make_app(runtime, fetcher=AppFetcher(provider))
