"""Builds the local stack: moto's server, tables and buckets from infra/, secrets, demo data."""
from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request

from functions.core import aws
from functions.core.config import Settings
from infra.tables import create_buckets, create_tables

SENDER = "ikke-svar@pasientportal.example"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_moto(port: int) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-m", "devstack.moto_server", "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/moto-api/", timeout=1)
            return process
        except OSError:
            if process.poll() is not None:
                raise RuntimeError("moto server did not start") from None
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("moto server did not answer in 30 s")


def stop_moto(process: subprocess.Popen) -> None:
    """SIGTERM, then SIGKILL if it has not ended after 10 s."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def local_environment(port: int, moto_port: int) -> dict[str, str]:
    moto = f"http://127.0.0.1:{moto_port}"
    return {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_DEFAULT_REGION": "eu-north-1",
            "AWS_REGION": "eu-north-1", "PORTAL_ENV": "local", "PORTAL_PREFIX": "portal-local",
            "PORTAL_AWS_ENDPOINT": moto, "PORTAL_IMG_ORIGINS": moto,
            "PORTAL_BASE_URL": f"http://127.0.0.1:{port}"}


def bootstrap(settings: Settings) -> dict[str, str]:
    """Tables, buckets, SSM secrets and the SES sender. Returns the generated secrets: both a
    client secret and a client key, so the local stack runs with any PORTAL_OIDC_CLIENT_AUTH."""
    create_tables(aws.for_settings(settings, "dynamodb"), settings.prefix)
    create_buckets(aws.for_settings(settings, "s3"), settings.prefix, settings.region)
    values = {"client_secret": secrets.token_urlsafe(32), "pepper": secrets.token_urlsafe(32),
              "client_key": new_client_key()}
    ssm = aws.for_settings(settings, "ssm")
    ssm.put_parameter(Name=settings.oidc_client_secret_param, Value=values["client_secret"],
                      Type="SecureString", Overwrite=True)
    ssm.put_parameter(Name=settings.oidc_client_key_param, Value=values["client_key"],
                      Type="SecureString", Overwrite=True)
    ssm.put_parameter(Name=settings.pepper_param, Value=values["pepper"], Type="SecureString", Overwrite=True)
    aws.for_settings(settings, "ses").verify_email_identity(EmailAddress=SENDER)
    return values


def new_client_key() -> str:
    """A fresh RSA key (PEM) for private_key_jwt; its public JWK goes to the stand-in's client."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode("ascii")


def apply_environment(values: dict[str, str]) -> None:
    for key, value in values.items():
        os.environ.setdefault(key, value)
