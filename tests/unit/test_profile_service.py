"""ProfileService with hand-written fakes: no AWS."""
from __future__ import annotations

import io
from datetime import date

import pytest
from PIL import Image

from functions.accounts.model import Profile
from functions.accounts.profile_service import ProfileService
from functions.core.actor import Actor
from functions.core.errors import Forbidden, UnsupportedMedia
from tests.support.aws_stack import make_settings
from tests.support.fakes import FakeOutbox, FakePictures, FakeProfileRepository

KARI = Actor(kind="patient", actor_id="p1", on_behalf_of="p1", level="high")


@pytest.fixture
def parts():
    repo, pictures, outbox = FakeProfileRepository(), FakePictures(), FakeOutbox()
    repo.save(Profile(patient_id="p1", national_id="x", birth_date=date(1985, 5, 12), first_name="Kari",
                      last_name="Nordmann", email="kari@example.no"))
    return ProfileService(repo, pictures, outbox, make_settings()), repo, pictures, outbox


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (900, 600), "white").save(out, format="JPEG")
    return out.getvalue()


def test_R28_email_change_sends_a_notice_without_health_data(parts):
    service, _, _, outbox = parts
    service.update(KARI, None, None, None, "ny@example.no")
    service.update(KARI, "Kari", None, None, None)
    assert len(outbox.messages) == 1
    notice = outbox.messages[0]
    assert (notice.patient_id, notice.code, notice.link, notice.only) == ("p1", "email_changed", "/nb/profil.html",
                                                                          "email")
    assert notice.params == {}   # nothing from the profile travels with the notice


def test_R8_new_picture_replaces_the_old_one_after_saving(parts):
    service, repo, pictures, _ = parts
    first = service.set_picture(KARI, jpeg()).picture_key
    second = service.set_picture(KARI, jpeg()).picture_key
    assert first != second and list(pictures.objects) == [second]
    stored = Image.open(io.BytesIO(pictures.objects[second]))
    assert max(stored.size) == 512


def test_R8_failed_picture_changes_nothing(parts):
    service, repo, pictures, _ = parts
    before = repo.get("p1")
    with pytest.raises(UnsupportedMedia):
        service.set_picture(KARI, b"GIF89a not really")
    assert repo.get("p1") == before and pictures.objects == {}


def test_staff_cannot_use_patient_profile_service(parts):
    service = parts[0]
    with pytest.raises(Forbidden):
        service.get(Actor(kind="staff", actor_id="s1", on_behalf_of=None, clinic_id="c1"))
