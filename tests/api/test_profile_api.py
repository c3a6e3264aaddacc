"""Min profil through the HTTP API (R5-R9): happy paths, every error status, ownership."""
from __future__ import annotations

import io

from PIL import Image


def png_bytes(size=(64, 48), exif: bool = False) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, (30, 120, 60))
    if exif:
        data = Image.Exif()
        data[0x010F] = "SecretCam"  # Make
        image.save(out, format="JPEG", exif=data.tobytes())
    else:
        image.save(out, format="PNG")
    return out.getvalue()


def test_R5_profile_shows_read_only_national_id_and_nationality(kari):
    body = kari.get("/api/accounts/profile").get_json()
    assert body["first_name"] == "Kari" and body["nationality"] == "Norsk"
    assert len(body["national_id"]) == 11 and body["national_id"][2] in "89"  # synthetic, month +80
    answer = kari.send("PATCH", "/api/accounts/profile", json={"national_id": "01010112345"})
    assert answer.status_code == 422 and answer.get_json()["field"] == "national_id"
    assert kari.get("/api/accounts/profile").get_json()["national_id"] == body["national_id"]


def test_R5_names_and_email_are_editable(kari):
    answer = kari.send("PATCH", "/api/accounts/profile",
                       json={"first_name": "Kari Anne", "middle_name": "M", "email": "KARI@Example.no"})
    assert answer.status_code == 200
    body = answer.get_json()
    assert (body["first_name"], body["middle_name"], body["email"]) == ("Kari Anne", "M", "kari@example.no")


def test_bad_input_gets_field_errors_and_loses_nothing(kari):
    before = kari.get("/api/accounts/profile").get_json()
    cases = [({"email": "not-an-email"}, 422, "email"), ({"first_name": 7}, 400, "first_name"),
             ({"last_name": "x" * 101}, 422, "last_name"), ({"first_name": ""}, 422, "first_name")]
    for payload, status, field in cases:
        answer = kari.send("PATCH", "/api/accounts/profile", json=payload)
        assert answer.status_code == status, payload
        body = answer.get_json()
        assert set(body) == {"error", "message", "field"} and body["field"] == field and body["message"]
    after = kari.get("/api/accounts/profile").get_json()
    assert after == before


def test_error_message_follows_the_request_language(kari):
    nb = kari.send("PATCH", "/api/accounts/profile", json={"email": "x"}).get_json()["message"]
    en = kari.send("PATCH", "/api/accounts/profile", json={"email": "x"},
                   headers={"Accept-Language": "en"}).get_json()["message"]
    assert nb == "Ugyldig e-postadresse." and en == "Invalid e-mail address."


def test_unreadable_json_and_wrong_content_type(kari):
    assert kari.send("PATCH", "/api/accounts/profile", data="{bad", content_type="application/json"
                     ).status_code == 400
    assert kari.send("PATCH", "/api/accounts/profile", data="a=b", content_type="text/plain").status_code == 415


def test_R6_addresses_are_added_not_edited(kari):
    answer = kari.send("POST", "/api/accounts/profile/addresses",
                       json={"street": "Fjellveien 2", "postal_code": "5003", "city": "Bergen"})
    assert answer.status_code == 201
    assert [a["street"] for a in answer.get_json()["addresses"]][-1] == "Fjellveien 2"
    bad = kari.send("POST", "/api/accounts/profile/addresses",
                    json={"street": "X", "postal_code": "12", "city": "Y"})
    assert bad.status_code == 422 and bad.get_json()["field"] == "postal_code"
    assert kari.send("PUT", "/api/accounts/profile/addresses/a1", json={"street": "Z"}).status_code == 404
    assert kari.get("/api/accounts/profile").get_json()["addresses"][0]["street"] == "Demoveien 1"


def test_R7_phone_numbers_are_added_edited_and_deleted(kari):
    added = kari.send("POST", "/api/accounts/profile/phones", json={"number": "41 23 45 67"})
    assert added.status_code == 201
    phone = [p for p in added.get_json()["phones"] if p["number"] == "+4741234567"][0]
    assert phone["display"] == "+47 41 23 45 67"     # stored in E.164, shown in Norwegian groups
    edited = kari.send("PUT", f"/api/accounts/profile/phones/{phone['id']}", json={"number": "+46701234567"})
    assert [p["display"] for p in edited.get_json()["phones"] if p["number"] == "+46701234567"] == ["+46 70 123 45 67"]
    deleted = kari.send("DELETE", f"/api/accounts/profile/phones/{phone['id']}")
    assert all(p["id"] != phone["id"] for p in deleted.get_json()["phones"])
    assert kari.send("POST", "/api/accounts/profile/phones", json={"number": "123"}).status_code == 422
    assert kari.send("DELETE", "/api/accounts/profile/phones/nope").status_code == 404


def test_R9_contact_settings_choose_registered_phone_and_address(kari):
    body = kari.get("/api/accounts/profile").get_json()
    ok = kari.send("PUT", "/api/accounts/profile/contact",
                   json={"channel": "sms", "phone_id": body["phones"][0]["id"], "address_id": "a1"})
    assert ok.status_code == 200 and ok.get_json()["contact"]["channel"] == "sms"
    foreign = kari.send("PUT", "/api/accounts/profile/contact", json={"channel": "sms", "phone_id": "t999"})
    assert foreign.status_code == 404 and foreign.get_json()["field"] == "phone_id"


def test_R8_picture_is_reencoded_without_exif_and_served_by_presigned_url(kari, runtime):
    answer = kari.send("PUT", "/api/accounts/profile/picture", data=png_bytes(exif=True),
                       headers={"Content-Type": "image/jpeg"})
    assert answer.status_code == 200
    url = answer.get_json()["picture_url"]
    assert "X-Amz-Signature" in url and "Expires=300" not in url or "X-Amz-Expires=300" in url
    s3 = runtime.client("s3")
    objects = s3.list_objects_v2(Bucket="portal-test-pictures")["Contents"]
    stored = s3.get_object(Bucket="portal-test-pictures", Key=objects[0]["Key"])["Body"].read()
    image = Image.open(io.BytesIO(stored))
    assert image.format == "JPEG" and not image.getexif()


def test_R8_renamed_non_image_and_oversized_pictures_are_refused(kari, runtime):
    fake = kari.send("PUT", "/api/accounts/profile/picture", data=b"%PDF-1.4 not an image",
                     headers={"Content-Type": "image/png"})
    assert fake.status_code == 415 and fake.get_json()["field"] == "picture"
    big = kari.send("PUT", "/api/accounts/profile/picture", data=b"\0" * (runtime.settings.picture_max_bytes + 1),
                    headers={"Content-Type": "image/png"})
    assert big.status_code == 413
    assert kari.get("/api/accounts/profile").get_json()["picture_url"] is None


def test_missing_or_forged_csrf_token_is_refused(kari):
    for token in (None, "forged"):
        headers = {"X-CSRF-Token": token} if token else {}
        answer = kari.client.patch("/api/accounts/profile", json={"first_name": "Mallory"}, headers=headers)
        assert answer.status_code == 403 and answer.get_json()["error"] == "csrf"
    assert kari.get("/api/accounts/profile").get_json()["first_name"] == "Kari"


def test_anonymous_tampered_and_expired_sessions_get_401(anon, kari, runtime):
    assert anon.get("/api/accounts/profile").status_code == 401
    kari.client.set_cookie("portal_session", kari.token + "x")
    assert kari.get("/api/accounts/profile").status_code == 401
    kari.client.set_cookie("portal_session", kari.token)
    runtime.clock.advance(minutes=31)
    assert kari.get("/api/accounts/profile").status_code == 401


def test_R4_session_lives_while_used_but_never_past_12_hours(kari, runtime):
    for _ in range(24):  # 24 x 29 min = 11 h 36 min: each use keeps it alive
        runtime.clock.advance(minutes=29)
        assert kari.get("/api/accounts/profile").status_code == 200
    runtime.clock.advance(minutes=29)
    assert kari.get("/api/accounts/profile").status_code == 401


def test_R1_substantial_session_sees_profile_but_not_the_access_log(app, runtime):
    from tests.api.conftest import PatientClient

    minid = PatientClient(app, runtime, "p-nora", level="substantial")
    assert minid.get("/api/accounts/profile").status_code == 200
    answer = minid.get("/api/accounts/access-log")
    assert answer.status_code == 403 and answer.get_json()["error"] == "step_up_required"
    assert minid.get("/api/accounts/export").status_code == 403
