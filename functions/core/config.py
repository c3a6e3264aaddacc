"""Settings read once from the environment (the only module that reads os.environ)."""
from __future__ import annotations

import os
from dataclasses import dataclass, field

OIDC_CLIENT_AUTH_METHODS = ("client_secret_post", "client_secret_basic", "private_key_jwt")


def _int(env: dict[str, str], name: str, default: int) -> int:
    return int(env.get(name, default))


@dataclass(frozen=True)
class Settings:
    env: str = "local"                        # local | test | dev | prod
    prefix: str = "portal-local"              # table, bucket and parameter prefix
    region: str = "eu-north-1"
    aws_endpoint: str | None = None           # moto server locally; None in AWS
    base_url: str = "http://127.0.0.1:8000"   # the one origin the browser sees
    oidc_issuer: str = "http://127.0.0.1:8000/idporten"
    oidc_client_id: str = "pasientportal-local"
    oidc_client_secret_param: str = "/portal-local/oidc/client-secret"  # noqa: S105 - a parameter name
    oidc_client_auth: str = "client_secret_post"   # one of OIDC_CLIENT_AUTH_METHODS
    oidc_client_key_param: str = "/portal-local/oidc/client-key"  # private_key_jwt: RSA key PEM in SSM
    oidc_client_key_id: str | None = None      # private_key_jwt: the kid registered (default: thumbprint)
    oidc_scopes: str = "openid profile"
    pepper_param: str = "/portal-local/pepper"
    session_idle_minutes: int = 30
    session_absolute_hours: int = 12
    session_touch_seconds: int = 120
    login_rate_per_minute: int = 20
    clinic_rate_per_minute: int = 600
    picture_max_bytes: int = 5 * 1024 * 1024
    picture_url_seconds: int = 300
    terms_version: str = "2026-01"
    extra_img_origins: tuple[str, ...] = field(default_factory=tuple)
    # The video room's ICE servers (README, "Videorommet"): none are needed on loopback.
    stun_urls: tuple[str, ...] = field(default_factory=tuple)     # e.g. stun:stun.klinikk.no:3478
    turn_urls: tuple[str, ...] = field(default_factory=tuple)     # e.g. turns:turn.klinikk.no:5349?transport=tcp
    turn_secret_param: str = "/portal-local/turn-secret"  # noqa: S105 - a parameter name (coturn's auth secret)

    @property
    def local(self) -> bool:
        return self.env in ("local", "test")

    @property
    def production(self) -> bool:
        return self.env == "prod"

    def table(self, name: str) -> str:
        return f"{self.prefix}-{name}"

    def bucket(self, name: str) -> str:
        return f"{self.prefix}-{name}"

    @property
    def cookie_secure(self) -> bool:
        return not self.local


def settings_from_env(environ: dict[str, str] | None = None) -> Settings:
    env = dict(os.environ if environ is None else environ)
    if env.get("PORTAL_ENV", "local") in ("dev", "prod"):
        missing = [k for k in ("PORTAL_OIDC_CLIENT_ID", "PORTAL_OIDC_ISSUER", "PORTAL_BASE_URL") if not env.get(k)]
        if missing:
            raise ValueError(f"deployed stages need {', '.join(missing)}")
    prefix = env.get("PORTAL_PREFIX", "portal-local")
    client_auth = env.get("PORTAL_OIDC_CLIENT_AUTH", "client_secret_post")
    if client_auth not in OIDC_CLIENT_AUTH_METHODS:
        raise ValueError(f"PORTAL_OIDC_CLIENT_AUTH must be one of {', '.join(OIDC_CLIENT_AUTH_METHODS)}")
    base_url = env.get("PORTAL_BASE_URL", "http://127.0.0.1:8000")
    return Settings(
        env=env.get("PORTAL_ENV", "local"),
        prefix=prefix,
        region=env.get("AWS_REGION", env.get("AWS_DEFAULT_REGION", "eu-north-1")),
        aws_endpoint=env.get("PORTAL_AWS_ENDPOINT") or None,
        base_url=base_url,
        oidc_issuer=env.get("PORTAL_OIDC_ISSUER", f"{base_url}/idporten"),
        oidc_client_id=env.get("PORTAL_OIDC_CLIENT_ID", "pasientportal-local"),
        oidc_client_secret_param=env.get("PORTAL_OIDC_SECRET_PARAM", f"/{prefix}/oidc/client-secret"),
        oidc_client_auth=client_auth,
        oidc_client_key_param=env.get("PORTAL_OIDC_KEY_PARAM", f"/{prefix}/oidc/client-key"),
        oidc_client_key_id=env.get("PORTAL_OIDC_CLIENT_KEY_ID") or None,
        pepper_param=env.get("PORTAL_PEPPER_PARAM", f"/{prefix}/pepper"),
        session_idle_minutes=_int(env, "PORTAL_SESSION_IDLE_MINUTES", 30),
        session_absolute_hours=_int(env, "PORTAL_SESSION_ABSOLUTE_HOURS", 12),
        login_rate_per_minute=_int(env, "PORTAL_LOGIN_RATE", 20),
        clinic_rate_per_minute=_int(env, "PORTAL_CLINIC_RATE", 600),
        extra_img_origins=tuple(o for o in env.get("PORTAL_IMG_ORIGINS", "").split(",") if o),
        stun_urls=tuple(u.strip() for u in env.get("PORTAL_STUN_URLS", "").split(",") if u.strip()),
        turn_urls=tuple(u.strip() for u in env.get("PORTAL_TURN_URLS", "").split(",") if u.strip()),
        turn_secret_param=env.get("PORTAL_TURN_SECRET_PARAM", f"/{prefix}/turn-secret"),
    )
