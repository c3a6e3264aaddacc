"""Fixtures shared by the OIDC unit tests: our stand-in ID-porten served in-process, at a frozen
clock, and the relying party talking to it (a module may override any of them)."""
from __future__ import annotations

import pytest

from devstack.idporten import create_idporten_app
from functions.accounts.oidc import OidcClient
from functions.accounts.oidc_client_auth import SecretPost
from functions.core.clock import SettableClock
from tests.unit.test_oidc import CLIENT_ID, CLIENTS, ISSUER, PERSONS, SECRET, START, AppFetcher


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock(START, frozen=True)


@pytest.fixture
def provider(clock):
    return create_idporten_app(ISSUER, CLIENTS, PERSONS, clock)


@pytest.fixture
def fetcher(provider) -> AppFetcher:
    return AppFetcher(provider)


@pytest.fixture
def rp(fetcher, clock) -> OidcClient:
    return OidcClient(ISSUER, CLIENT_ID, SecretPost(SECRET), fetcher, clock)
