"""Kommunikasjon against moto end to end below the browser: DynamoDB (one transaction per send),
S3 (attachments under server-made keys, pictures without EXIF) and SES (the notice of an answer,
drained by the notices job, holds nothing but the clinic's name and the link: R28, R56)."""
from __future__ import annotations

import io
import re

import pytest
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends
from PIL import Image

from functions.core.web import COOKIE
from functions.dialogs.app import make_app
from functions.notices.jobs import drain
from tests.conftest import basic
from tests.support.aws_stack import moto_runtime

STORGATA = {"Authorization": basic("ck_demo_storgata", "demo-storgata-secret-not-for-production"),
            "X-Staff-Id": "s-lise"}


@pytest.fixture
def rt():
    with moto_runtime(demo=True) as runtime:
        yield runtime


def _patient(app, rt, patient_id: str):
    client = app.test_client()
    token, session = rt.sessions.create(patient_id, "high", rt.settings.terms_version)
    client.set_cookie(COOKIE, token)
    return client, {"X-CSRF-Token": session.csrf}


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), "tan")
    exif = Image.Exif()
    exif[0x010F] = "KameraMerke"          # Make
    exif[0x8825] = {2: (59.0, 54.0, 0.0)}  # GPSInfo: latitude
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_R27_R28_an_e_consultation_with_a_photo_answered_and_closed_notifies_without_content(rt):
    app = make_app(rt)
    kari, csrf = _patient(app, rt, "p-kari")
    photo = _jpeg_with_gps()
    assert b"KameraMerke" in photo
    upload = kari.post("/api/dialogs/attachments", data=photo,
                       headers={**csrf, "Content-Type": "image/jpeg", "X-File-Name": "h%C3%A5nd.jpg"})
    assert upload.status_code == 201, upload.get_json()
    sent = kari.post("/api/dialogs/dialogs", headers={**csrf, "Idempotency-Key": "moto-econsult-1"},
                     json={"clinic_id": "c-storgata", "kind": "ekonsultasjon", "recipient_id": "s-lise",
                           "text": "Et rødt utslett på hånden i tre dager.", "attachments": [upload.get_json()["id"]]})
    assert sent.status_code == 201, sent.get_json()
    dialog = sent.get_json()

    # S3: under a server-made key, re-encoded without the EXIF block
    [key] = [o["Key"] for o in rt.client("s3").list_objects_v2(
        Bucket=rt.settings.bucket("attachments"), Prefix="attachments/p-kari/")["Contents"]]
    stored = rt.client("s3").get_object(Bucket=rt.settings.bucket("attachments"), Key=key)["Body"].read()
    assert "hånd" not in key and key.endswith(".jpg")
    assert b"KameraMerke" not in stored and not Image.open(io.BytesIO(stored)).getexif()

    clinic = app.test_client()
    answer = clinic.post(f"/api/dialogs/clinic/dialogs/{dialog['id']}/messages",
                         headers={**STORGATA, "Idempotency-Key": "moto-answer-1"},
                         json={"text": "Dette ser ut som eksem. Smør med fuktighetskrem.", "close": True})
    assert answer.status_code == 201, answer.get_json()

    ses = ses_backends[DEFAULT_ACCOUNT_ID][rt.settings.region]
    before = len(ses.sent_messages)
    assert drain(rt)["sent"] >= 1
    mails = [m for m in ses.sent_messages[before:] if "kari.nordmann@example.no" in m.destinations["ToAddresses"]
             and dialog["id"] in m.body]
    assert len(mails) == 1
    text = f"{mails[0].subject}\n{mails[0].body}"
    assert "Storgata legesenter" in text and f"/nb/dialog.html?id={dialog['id']}" in text
    for secret in ("eksem", "utslett", "Lise", "E-konsultasjon", "fuktighetskrem"):
        assert secret not in text
    assert not re.search(r"\d{11}", text)   # no national id

    # the charge of the closed e-consultation: once, with this period's fee for an adult (R27)
    from functions.core.billing import Billing

    charge = Billing().charge(f"dialog:{dialog['id']}")
    assert (charge.tariff_code, charge.fee_ore, charge.patient_id) == ("2ae", 18_700, "p-kari")

    reread = kari.get(f"/api/dialogs/dialogs/{dialog['id']}").get_json()
    assert reread["status"] == "closed" and reread["can_reply"] is False
    assert [m["author"] for m in reread["messages"]] == ["patient", "clinic"]
