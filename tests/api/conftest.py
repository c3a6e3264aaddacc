from __future__ import annotations

import pytest

from functions.accounts.app import make_app
from functions.core.web import COOKIE


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
