"""The accounts package's services, wired from a Runtime (dependencies as arguments)."""
from __future__ import annotations

import functools
from dataclasses import dataclass

from functions.accounts.clinic_service import ClinicPatients
from functions.accounts.consent_service import ConsentService, PrivacyService
from functions.accounts.login_service import LoginService
from functions.accounts.oidc import OidcClient
from functions.accounts.oidc_client_auth import client_auth
from functions.accounts.oidc_http import UrllibFetcher
from functions.accounts.pictures import PictureStore
from functions.accounts.profile_service import ProfileService
from functions.accounts.relations import NoRegister, PopulationRegister, RelationWriter
from functions.accounts.relations_service import RelationsService
from functions.accounts.repository import ConsentRepository, ProfileRepository
from functions.core.files import S3FileStore
from functions.core.runtime import Runtime


@dataclass
class AccountServices:
    login: LoginService
    profile: ProfileService
    consent: ConsentService
    privacy: PrivacyService
    clinic: ClinicPatients
    relations: RelationsService


def oidc_factory(runtime: Runtime, fetcher=None):
    """The relying party, created on first use (its client secret or key comes from SSM)."""

    @functools.cache
    def make() -> OidcClient:
        s = runtime.settings
        auth = client_auth(s, runtime.secrets.get, runtime.clock)
        return OidcClient(s.oidc_issuer, s.oidc_client_id, auth, fetcher or UrllibFetcher(), runtime.clock)

    return make


def build(runtime: Runtime, fetcher=None, register: PopulationRegister | None = None) -> AccountServices:
    """`register`: the population register (the demo families locally; none yet when deployed)."""
    settings = runtime.settings
    profiles, consents, writer = ProfileRepository(), ConsentRepository(), RelationWriter()
    relations = RelationsService(runtime.relations, writer, profiles, register or NoRegister(), runtime.sessions,
                                 runtime.clock, lambda: runtime.pepper, not settings.production,
                                 directory=runtime.directory, access_log=runtime.access_log)
    pictures = PictureStore(S3FileStore(lambda: runtime.client("s3"), settings.bucket("pictures"),
                                        settings.picture_url_seconds))
    lazy = _Lazy(runtime, profiles, pictures)
    return AccountServices(
        login=LoginService(settings, oidc_factory(runtime, fetcher), runtime.login_states, runtime.sessions,
                           profiles, lambda: runtime.pepper, relations.sync_children),
        profile=ProfileService(profiles, pictures, runtime.outbox, settings),
        consent=ConsentService(profiles, consents, runtime.sessions, settings.terms_version, runtime.clock, writer),
        privacy=lazy.privacy(consents),
        clinic=lazy.clinic(),
        relations=relations,
    )


class _Lazy:
    """Services that need the pepper are built on first use, so a cold start reads no secret."""

    def __init__(self, runtime: Runtime, profiles: ProfileRepository, pictures: PictureStore) -> None:
        self._runtime, self._profiles, self._pictures = runtime, profiles, pictures

    def privacy(self, consents: ConsentRepository) -> PrivacyService:
        r = self._runtime
        return _Deferred(lambda: PrivacyService(self._profiles, consents, r.access_log, r.directory, r.cursors))

    def clinic(self) -> ClinicPatients:
        r = self._runtime
        return _Deferred(lambda: ClinicPatients(self._profiles, r.directory, r.access_log, self._pictures,
                                                r.pepper, not r.settings.production))


class _Deferred:
    def __init__(self, make) -> None:
        self._make, self._target = make, None

    def __getattr__(self, name: str):
        if self._target is None:
            self._target = self._make()
        return getattr(self._target, name)
