"""Fixtures of the dialogs API tests: patients on the dialogs app (consent given through the accounts
app, the same session cookie), a parent acting for a child, and clinic systems with their credential."""
from __future__ import annotations

import io
import secrets
from datetime import timedelta

import pytest

from functions.dialogs.app import make_app
from tests.api.conftest import on_feature
from tests.support.aws_stack import FIXED_NOW

BASE = "/api/dialogs"
CLINIC_BASE = "/api/dialogs/clinic"


@pytest.fixture(autouse=True)
def after_the_demo(runtime):
    """Each test a minute after the demo was made: the snapshot is restored with the clock at FIXED_NOW
    again, while the demo's dialogs were written seconds after it (so they would look newer)."""
    runtime.clock.set(FIXED_NOW + timedelta(minutes=1))


@pytest.fixture
def dialogs_app(runtime):
    return make_app(runtime)


def key() -> str:
    """A fresh Idempotency-Key."""
    return "k-" + secrets.token_hex(8)


on_dialogs = on_feature   # the dialogs app with the patient's cookie (tests/api/conftest.py)


@pytest.fixture
def d_kari(dialogs_app, app, runtime):
    return on_dialogs(dialogs_app, app, runtime, "p-kari")


@pytest.fixture
def d_nora(dialogs_app, app, runtime):
    return on_dialogs(dialogs_app, app, runtime, "p-nora")


class StaffClient:
    """A clinic system calling the dialogs clinic API with its credential and the acting staff member."""

    def __init__(self, app, headers: dict) -> None:
        self.client, self.headers = app.test_client(), headers

    def get(self, path: str, headers: dict | None = None):
        return self.client.get(CLINIC_BASE + path, headers={**self.headers, **(headers or {})})

    def send(self, method: str, path: str, json=None, headers: dict | None = None, **kw):
        return self.client.open(CLINIC_BASE + path, method=method, json=json,
                                headers={**self.headers, **(headers or {})}, **kw)

    def post(self, path: str, json=None, idem: str | None = None, **kw):
        return self.send("POST", path, json=json, headers={"Idempotency-Key": idem or key()}, **kw)


@pytest.fixture
def lise(dialogs_app, clinic_headers):
    return StaffClient(dialogs_app, clinic_headers)


@pytest.fixture
def randi(dialogs_app, clinic_headers):
    return StaffClient(dialogs_app, {**clinic_headers, "X-Staff-Id": "s-resepsjon"})


@pytest.fixture
def per(dialogs_app, clinic_headers):
    return StaffClient(dialogs_app, {**clinic_headers, "X-Staff-Id": "s-per"})


@pytest.fixture
def anne(dialogs_app, other_clinic_headers):
    return StaffClient(dialogs_app, other_clinic_headers)


def error(answer, status: int, code: str | None = None, field: str | None = None) -> dict:
    body = answer.get_json()
    assert answer.status_code == status, (answer.status_code, body)
    assert set(body) >= {"error", "message", "field"} and body["message"], body
    if code is not None:
        assert body["error"] == code, body
    if field is not None:
        assert body["field"] == field, body
    return body


def start(patient, body: dict, idem: str | None = None, status: int = 201):
    answer = patient.send("POST", f"{BASE}/dialogs", json=body, headers={"Idempotency-Key": idem or key()})
    if status:
        assert answer.status_code == status, answer.get_json()
    return answer


def reply(patient, dialog_id: str, text: str, attachments=None, idem: str | None = None):
    body = {"text": text} if attachments is None else {"text": text, "attachments": attachments}
    return patient.send("POST", f"{BASE}/dialogs/{dialog_id}/messages", json=body,
                        headers={"Idempotency-Key": idem or key()})


def upload(sender, data: bytes, content_type: str, name: str | None = None, clinic: bool = False):
    headers = {"Content-Type": content_type, **({"X-File-Name": name} if name else {})}
    if clinic:
        return sender.send("POST", "/attachments", data=data, headers=headers)
    return sender.send("POST", f"{BASE}/attachments", data=data, headers=headers)


def annen(text: str = "Har dere åpent i påsken?", clinic: str = "c-storgata", **extra) -> dict:
    return {"clinic_id": clinic, "kind": "annen", "text": text, **extra}


def jpeg_with_exif(size=(64, 48), noise: bool = False) -> bytes:
    """A JPEG carrying EXIF with a GPS position and a camera maker (what re-encoding must strip)."""
    from PIL import Image

    image = Image.effect_noise(size, 80).convert("RGB") if noise else Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"                  # Make
    exif[0x8825] = {1: "N", 2: (59.0, 54.0, 0.0), 3: "E", 4: (10.0, 45.0, 0.0)}   # GPSInfo
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, quality=95)
    return out.getvalue()


def png_bytes(size=(40, 30), noise: bool = False) -> bytes:
    from PIL import Image, PngImagePlugin

    image = Image.effect_noise(size, 80).convert("RGB") if noise else Image.new("RGB", size, (10, 120, 200))
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "SecretComment")
    out = io.BytesIO()
    image.save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def pdf_bytes(pad: int = 0) -> bytes:
    body = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"
    return body + b"%" + b"0" * pad + b"\ntrailer << /Root 1 0 R >>\n%%EOF\n"
