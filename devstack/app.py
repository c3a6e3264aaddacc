"""Assembles the local origin from the real function apps and the stand-ins."""
from __future__ import annotations

from pathlib import Path

from devstack import demo, demo_booking, demo_dialogs, demo_family, demo_payments, demo_pharmacy, stack
from devstack.devtools import create_devtools
from devstack.idporten import create_idporten_app
from devstack.server import Origin, StaticSite
from functions.accounts.app import make_app as accounts_app
from functions.accounts.oidc_client_auth import public_jwk
from functions.booking.app import make_app as booking_app
from functions.core.clock import SettableClock, iso
from functions.core.config import settings_from_env
from functions.core.jobs import jobs_of
from functions.core.runtime import build_runtime
from functions.dialogs.app import make_app as dialogs_app
from functions.payments.app import make_app as payments_app
from functions.pharmacy.app import make_app as pharmacy_app
from functions.video.app import make_app as video_app
from infra.stages import PACKAGES

# Every package's declared jobs, run on demand (POST /__dev/jobs/<name>) and the drain on a timer.
JOBS = {job.name: job.run for package in PACKAGES for job in jobs_of(package.name)}


def assemble(clock: SettableClock, site_root: Path) -> tuple[Origin, dict]:
    settings = settings_from_env()
    secrets = stack.bootstrap(settings)
    runtime = build_runtime(settings, clock)
    pepper = secrets["pepper"].encode()
    now = clock.now()
    demo.load_clinics(pepper, now)
    persons = demo.load_people(pepper, now)
    persons.append(demo.new_person(now.date()))
    demo_booking.load(runtime)
    register = demo_family.load(pepper, now)
    demo_dialogs.load(runtime)
    demo_payments.load(runtime)
    demo_pharmacy.load(pepper)
    clients = {settings.oidc_client_id: {
        "secret": secrets["client_secret"],
        "jwks": [public_jwk(secrets["client_key"], settings.oidc_client_key_id)],
        "redirect_uris": [f"{settings.base_url}/api/accounts/callback"],
        "post_logout_redirect_uris": [f"{settings.base_url}/{lang}/logget-ut.html" for lang in ("nb", "en")]}}
    routes = {
        "/api/accounts": accounts_app(runtime, register=register),
        "/api/booking": booking_app(runtime),
        "/api/dialogs": dialogs_app(runtime),
        "/api/payments": payments_app(runtime),
        "/api/pharmacy": pharmacy_app(runtime),
        "/api/video": video_app(runtime),
        # Always there; the portal uses it unless PORTAL_OIDC_ISSUER names another provider.
        "/idporten": create_idporten_app(f"{settings.base_url}/idporten", clients, persons, clock),
        "/__dev": create_devtools(runtime, clock, JOBS),
    }
    origin = Origin(routes, StaticSite(site_root, settings))
    return origin, {"runtime": runtime, "jobs": JOBS, "persons": persons, "now": iso(now),
                    "clinic_credentials": demo.CREDENTIALS,
                    "vendor_credentials": demo_pharmacy.CREDENTIALS}
