"""The patient side of Kommunikasjon through the Flask test client (docs/dialogs.md): the Innboks and
its paging (R25), unread and read, starting each kind (R27, R29-R31, R34), replies and Svar og avslutt
(R26), attachments (R27, R30, R42: checked by content, pictures re-encoded without metadata, limits,
the presigned download), idempotency, text rules, level high (R1) and ownership: another patient's
dialog is not found."""
from __future__ import annotations

import io
from urllib.parse import parse_qs, quote, urlsplit

from PIL import Image

from tests.api.dialogs.conftest import (
    BASE,
    annen,
    error,
    jpeg_with_exif,
    key,
    pdf_bytes,
    png_bytes,
    reply,
    start,
    upload,
)

MB = 1024 * 1024
SAMI = "Buorre beaivi! Mun lean Áile Čáhppes-Šovvon: ŋ ŧ đ ž ǯ ǧ ǩ — 🙂👍🏽❤️ 北京"


def inbox(patient, cursor: str | None = None) -> dict:
    answer = patient.get(f"{BASE}/inbox" + (f"?cursor={cursor}" if cursor else ""))
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def unread(patient) -> int:
    answer = patient.get(f"{BASE}/unread")
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()["count"]


def stored_object(runtime, location: str) -> bytes:
    """The file a presigned URL points at, read from (moto's) S3."""
    url = urlsplit(location)
    bucket = url.netloc.split(".s3", 1)[0]
    return runtime.client("s3").get_object(Bucket=bucket, Key=url.path.lstrip("/"))["Body"].read()


def test_R25_innboks_is_newest_first_in_pages_of_20_with_a_cursor_only_its_owner_may_use(d_kari, d_nora):
    [demo] = inbox(d_kari)["dialogs"]                       # the demo's answered question
    made = [start(d_kari, annen(f"Spørsmål nummer {n}")).get_json()["id"] for n in range(20)]
    first = inbox(d_kari)
    assert [d["id"] for d in first["dialogs"]] == made[::-1]          # newest first, 20 a page
    assert first["next"]
    second = inbox(d_kari, first["next"])
    assert [d["id"] for d in second["dialogs"]] == [demo["id"]] and second["next"] is None
    summary = first["dialogs"][0]
    assert set(summary) == {"id", "kind", "kind_label", "title", "status", "status_label", "updated_at",
                            "updated_display", "from", "clinic_id", "unread"}
    assert (summary["kind_label"], summary["status"], summary["status_label"], summary["from"]) == (
        "Annen henvendelse", "open", "Åpen", "Storgata legesenter")
    assert summary["updated_at"].endswith("Z") and summary["updated_display"].startswith("23.11.2026 kl. ")
    # Kari's cursor is hers: Nora gets no page with it, and a forged one is refused too
    error(d_nora.get(f"{BASE}/inbox?cursor={first['next']}"), 400, "bad_cursor", "cursor")
    error(d_kari.get(f"{BASE}/inbox?cursor={first['next'][:-2]}xx"), 400, "bad_cursor", "cursor")
    assert inbox(d_nora)["dialogs"] == []


def test_R25_R26_unread_counts_clinic_answers_and_opening_a_dialog_marks_it_read(d_kari, randi):
    [demo] = inbox(d_kari)["dialogs"]
    assert demo["unread"] is True and unread(d_kari) == 1              # the clinic's answer, not yet read
    opened = d_kari.get(f"{BASE}/dialogs/{demo['id']}")
    assert opened.status_code == 200 and opened.get_json()["unread"] is False
    assert unread(d_kari) == 0 and inbox(d_kari)["dialogs"][0]["unread"] is False
    asked = start(d_kari, annen()).get_json()["id"]
    assert unread(d_kari) == 0                                          # her own message is not news
    assert randi.post(f"/dialogs/{asked}/messages", {"text": "Ja, hele påsken."}).status_code == 201
    assert unread(d_kari) == 1
    assert [d["unread"] for d in inbox(d_kari)["dialogs"]] == [True, False]
    assert d_kari.get(f"{BASE}/dialogs/{asked}").get_json()["messages"][-1]["text"] == "Ja, hele påsken."
    assert unread(d_kari) == 0


def test_R27_R34_an_ekonsultasjon_goes_to_the_gp_or_a_substitute_with_its_price(d_kari, lise, per):
    options = d_kari.get(f"{BASE}/clinics/c-storgata/start")
    assert options.status_code == 200
    body = options.get_json()
    assert body["kinds"] == ["ekonsultasjon", "faktura", "resept", "annen"]
    assert body["recipients"] == [{"id": "s-lise", "name": "Lise Lege"}, {"id": "s-per", "name": "Per Persen"}]
    assert body["price"] == {"tariff_code": "2ae", "fee_ore": 18_700, "fee_display": "187,00\u00a0kr",
                             "free_reason": None}
    assert body["answer_days"] == 5
    assert body["clinic"].items() >= {"id": "c-storgata", "name": "Storgata legesenter", "video": True,
                                      "booking_mode": "timebok",
                                      "website": "https://storgata-legesenter.example"}.items()
    new = {"clinic_id": "c-storgata", "kind": "ekonsultasjon", "text": "Utslett på armen i tre dager"}
    error(start(d_kari, new, status=0), 422, "required", "recipient_id")
    error(start(d_kari, {**new, "recipient_id": "s-resepsjon"}, status=0), 422, "invalid_recipient",
          "recipient_id")                                             # not a GP who offers e-consultation
    sent = start(d_kari, {**new, "recipient_id": "s-per"}).get_json()   # Lise's substitute
    assert (sent["kind"], sent["kind_label"], sent["from"]) == ("ekonsultasjon", "E-konsultasjon",
                                                                "Per Persen, Storgata legesenter")
    assert [d["id"] for d in per.get("/inbox?inbox=staff:s-per").get_json()["dialogs"]] == [sent["id"]]
    assert sent["id"] not in {d["id"] for d in lise.get("/inbox?inbox=staff:s-lise").get_json()["dialogs"]}
    # at a clinic where she has no GP there is nobody to ask
    elsewhere = d_kari.get(f"{BASE}/clinics/c-fjordheim/start").get_json()
    assert elsewhere["kinds"] == ["ekonsultasjon", "resept", "annen"] and elsewhere["recipients"] == []
    error(start(d_kari, {**new, "clinic_id": "c-fjordheim", "recipient_id": "s-anne"}, status=0), 422,
          "invalid_recipient", "recipient_id")
    error(d_kari.get(f"{BASE}/clinics/c-nowhere/start"), 404, "not_found", "clinic_id")


def test_R29_R25_a_fakturasporsmal_names_one_of_her_invoices_there_and_fjordheim_offers_none(d_kari):
    listed = d_kari.get(f"{BASE}/clinics/c-storgata/invoices").get_json()["invoices"]
    assert [(i["id"], i["number"], i["amount_ore"], i["amount_display"], i["status"]) for i in listed] == [
        ("inv-demo-2", "2026-0141", 25_500, "255,00\u00a0kr", "open"),
        ("inv-demo-1", "2026-0140", 35_000, "350,00\u00a0kr", "paid")]      # newest first, hers only
    question = {"clinic_id": "c-storgata", "kind": "faktura", "text": "Hvorfor to linjer?"}
    error(start(d_kari, question, status=0), 422, "required", "invoice_id")
    error(start(d_kari, {**question, "invoice_id": "inv-demo-3"}, status=0), 422, "unknown_invoice",
          "invoice_id")                                              # Nora's invoice
    sent = start(d_kari, {**question, "invoice_id": "inv-demo-2"}).get_json()
    assert sent["invoice"] == {"id": "inv-demo-2", "number": "2026-0141"}
    assert sent["title"] == "Fakturaspørsmål: faktura 2026-0141"
    assert "faktura" not in d_kari.get(f"{BASE}/clinics/c-fjordheim/start").get_json()["kinds"]
    error(start(d_kari, {**question, "clinic_id": "c-fjordheim", "invoice_id": "inv-demo-2"}, status=0), 403,
          "kind_not_offered", "kind")


def test_R30_R31_resept_and_annen_with_the_text_rules_at_the_right_field(d_kari, lise):
    renewal = {"clinic_id": "c-storgata", "kind": "resept", "text": "", "medicine": "Ventoline",
               "dose": "0,1 mg/dose", "amount": "2 inhalatorer"}
    sent = start(d_kari, renewal).get_json()                     # the text may be empty
    assert sent["prescription"] == {"medicine": "Ventoline", "dose": "0,1 mg/dose", "amount": "2 inhalatorer"}
    assert sent["messages"][0]["text"] == "" and sent["kind_label"] == "Reseptforespørsel"
    assert sent["id"] in {d["id"] for d in lise.get("/inbox").get_json()["dialogs"]}   # both: GP and clinic
    error(start(d_kari, {**renewal, "dose": "  "}, status=0), 422, "required", "dose")
    error(start(d_kari, {**renewal, "medicine": "x" * 201}, status=0), 422, "too_long", "medicine")
    for text, code in (("", "required"), (" \n\t ", "required"), ("x" * 5001, "too_long"),
                       ("Hei\u202eevil", "invalid_characters")):
        error(start(d_kari, annen(text), status=0), 422, code, "text")
    error(start(d_kari, annen(5), status=0), 400, "wrong_type", "text")
    error(start(d_kari, annen(priority="høy"), status=0), 422, "unknown_field", "priority")
    error(start(d_kari, {**annen(), "kind": "edialog"}, status=0), 422, "invalid_kind", "kind")
    error(start(d_kari, {"kind": "annen", "text": "Hei"}, status=0), 422, "required", "clinic_id")
    longest = start(d_kari, annen("x" * 5000)).get_json()
    assert len(longest["messages"][0]["text"]) == 5000
    for text, code in (("", "required"), ("   ", "required"), ("y" * 5001, "too_long")):
        error(reply(d_kari, longest["id"], text), 422, code, "text")
    error(d_kari.send("POST", f"{BASE}/dialogs/{longest['id']}/messages", json={"text": "Takk", "close": True},
                      headers={"Idempotency-Key": key()}), 422, "unknown_field", "close")   # only the clinic closes
    assert len(d_kari.get(f"{BASE}/dialogs/{longest['id']}").get_json()["messages"]) == 1


def test_R27_a_message_keeps_its_line_breaks_and_still_refuses_other_control_characters(d_kari, randi):
    sent = start(d_kari, annen("Hei!\r\nTo linjer:\n\t- en\n\t- to")).get_json()
    assert sent["messages"][0]["text"] == "Hei!\nTo linjer:\n\t- en\n\t- to"
    answered = randi.post(f"/dialogs/{sent['id']}/messages", {"text": "Hei,\n\nsvar her."})
    assert answered.status_code == 201 and answered.get_json()["messages"][-1]["text"] == "Hei,\n\nsvar her."
    for bad in ("Hei\x00", "Hei\x1b[31m", "Hei\u2028der"):
        error(start(d_kari, annen(bad), status=0), 422, "invalid_characters", "text")
        error(reply(d_kari, sent["id"], bad), 422, "invalid_characters", "text")


def test_R25_sami_and_emoji_text_round_trips_to_the_clinic_and_back(d_kari, randi):
    sent = start(d_kari, annen(SAMI)).get_json()
    assert sent["messages"][0]["text"] == SAMI
    seen = randi.get(f"/dialogs/{sent['id']}").get_json()
    assert seen["messages"][0]["text"] == SAMI
    assert randi.post(f"/dialogs/{sent['id']}/messages", {"text": "Giitu! 🙏 Čálli fas."}).status_code == 201
    name = "Áile_ŋ_🙂.pdf"
    up = upload(d_kari, pdf_bytes(), "application/pdf", quote(name)).get_json()
    assert up["name"] == name
    answer = reply(d_kari, sent["id"], "ŧ đ ž 👍🏽", [up["id"]])
    assert answer.status_code == 201
    texts = [m["text"] for m in answer.get_json()["messages"]]
    assert texts == [SAMI, "Giitu! 🙏 Čálli fas.", "ŧ đ ž 👍🏽"]
    assert answer.get_json()["messages"][-1]["attachments"][0]["name"] == name


def test_R26_svar_keeps_it_open_svar_og_avslutt_refuses_a_reply_and_nothing_is_lost(d_kari, randi):
    asked = start(d_kari, annen("Kan jeg få en kopi av journalen?")).get_json()["id"]
    assert randi.post(f"/dialogs/{asked}/messages", {"text": "Hvilken periode?", "close": False}).status_code == 201
    after_svar = d_kari.get(f"{BASE}/dialogs/{asked}").get_json()
    assert (after_svar["status"], after_svar["can_reply"]) == ("open", True)
    photo = upload(d_kari, png_bytes(), "image/png", "bilde.png").get_json()["id"]
    answered = reply(d_kari, asked, "Fra 2020", [photo])
    assert answered.status_code == 201
    assert [m["author"] for m in answered.get_json()["messages"]] == ["patient", "clinic", "patient"]
    closing = randi.post(f"/dialogs/{asked}/messages", {"text": "Sendt i posten.", "close": True})
    assert closing.status_code == 201 and closing.get_json()["messages"][-1]["closes"] is True
    closed = d_kari.get(f"{BASE}/dialogs/{asked}").get_json()
    assert (closed["status"], closed["status_label"], closed["can_reply"]) == ("closed", "Avsluttet", False)
    late = upload(d_kari, pdf_bytes(), "application/pdf").get_json()["id"]
    error(reply(d_kari, asked, "Og fra 2019?", [late]), 409, "dialog_closed")
    again = d_kari.get(f"{BASE}/dialogs/{asked}").get_json()
    assert again["messages"] == closed["messages"] and len(again["messages"]) == 4     # nothing lost, nothing added
    assert again["messages"][2]["attachments"][0]["id"] == photo
    # the refused reply took neither its upload nor its key: both still work
    retried = start(d_kari, annen("Og fra 2019?", attachments=[late]))
    assert retried.get_json()["messages"][0]["attachments"][0]["id"] == late


def test_R27_R30_pictures_are_re_encoded_without_metadata_and_files_are_checked_by_content(d_kari, runtime):
    original = jpeg_with_exif()
    assert Image.open(io.BytesIO(original)).getexif().get(0x010F) == "SecretCam"   # it does carry EXIF + GPS
    jpeg = upload(d_kari, original, "image/jpeg", "foto.jpg")
    png = upload(d_kari, png_bytes(), "image/png", "skjerm.png")
    pdf = upload(d_kari, pdf_bytes(), "application/pdf", "epikrise.pdf")
    assert [a.status_code for a in (jpeg, png, pdf)] == [201, 201, 201]
    assert [(a.get_json()["kind"], a.get_json()["name"]) for a in (jpeg, png, pdf)] == [
        ("image/jpeg", "foto.jpg"), ("image/png", "skjerm.png"), ("application/pdf", "epikrise.pdf")]
    sent = start(d_kari, annen("Se vedlegg", attachments=[a.get_json()["id"] for a in (jpeg, png, pdf)])).get_json()
    files = {}
    for a in (jpeg, png, pdf):
        link = d_kari.get(f"{BASE}/dialogs/{sent['id']}/attachments/{a.get_json()['id']}")
        assert link.status_code == 302
        files[a.get_json()["kind"]] = stored_object(runtime, link.headers["Location"])
        assert len(files[a.get_json()["kind"]]) == a.get_json()["size"]
    stripped = Image.open(io.BytesIO(files["image/jpeg"]))
    assert stripped.format == "JPEG" and dict(stripped.getexif()) == {} and b"SecretCam" not in files["image/jpeg"]
    assert Image.open(io.BytesIO(files["image/png"])).format == "PNG" and b"SecretComment" not in files["image/png"]
    assert files["application/pdf"] == pdf_bytes()
    # by content, never by name or header: text renamed .jpg, a JPEG header on garbage, an HTML "PNG"
    for data, kind, name in ((b"Dette er ikke et bilde", "image/jpeg", "bilde.jpg"),
                             (b"\xff\xd8\xff\xe0 not really a jpeg at all", "image/jpeg", "bilde.jpg"),
                             (b"<html><script>alert(1)</script></html>", "image/png", "x.png")):
        error(upload(d_kari, data, kind, name), 415, "unsupported_file", "attachments")
    error(upload(d_kari, pdf_bytes(5 * MB), "application/pdf"), 413, field="attachments")   # over 5 MB a file
    error(upload(d_kari, b"", "application/pdf"), 422, "required", "attachments")
    error(d_kari.send("POST", f"{BASE}/attachments", json={"file": "x"}), 400, "raw_file_expected", "attachments")


def test_R42_at_most_10_files_12_mb_a_dialog_and_only_her_own_unused_uploads(d_kari, d_nora):
    small = [upload(d_kari, pdf_bytes(n), "application/pdf").get_json()["id"] for n in range(11)]
    error(start(d_kari, annen(attachments=small), status=0), 422, "too_many_files", "attachments")
    ten = start(d_kari, annen(attachments=small[:10])).get_json()
    assert len(ten["messages"][0]["attachments"]) == 10
    error(start(d_kari, annen(attachments=[small[0]]), status=0), 422, "unknown_attachment", "attachments")  # used
    noras = upload(d_nora, pdf_bytes(), "application/pdf").get_json()["id"]
    error(start(d_kari, annen(attachments=[noras]), status=0), 422, "unknown_attachment", "attachments")
    error(start(d_kari, annen(attachments=small[10]), status=0), 422, "invalid", "attachments")
    # 12 MB in total per dialog, over its messages
    big = [upload(d_kari, pdf_bytes(int(4.9 * MB)), "application/pdf").get_json()["id"] for _ in range(2)]
    sent = start(d_kari, annen("To store filer", attachments=big)).get_json()
    over = upload(d_kari, pdf_bytes(int(2.5 * MB)), "application/pdf").get_json()["id"]
    error(reply(d_kari, sent["id"], "En til", [over]), 413, "attachments_too_large", "attachments")
    fits = upload(d_kari, pdf_bytes(2 * MB), "application/pdf").get_json()["id"]
    assert reply(d_kari, sent["id"], "En mindre", [fits]).status_code == 201
    three = [over] + [upload(d_kari, pdf_bytes(int(4.9 * MB)), "application/pdf").get_json()["id"]
                      for _ in range(2)]
    error(start(d_kari, annen(attachments=three), status=0), 413, "attachments_too_large", "attachments")


def test_R56_an_attachment_is_a_302_to_a_short_presigned_url_with_a_safe_filename_and_hers_only(
        d_kari, d_nora):
    tricky = upload(d_kari, pdf_bytes(), "application/pdf", quote('rapport "2026";<script>.pdf')).get_json()
    assert tricky["name"] == 'rapport "2026";<script>.pdf'               # shown as data, as it was given
    broken = upload(d_kari, pdf_bytes(), "application/pdf", "a%0D%0AX-Injected:%20yes.pdf").get_json()
    assert broken["name"] == "vedlegg.pdf"                               # control characters: a neutral name
    path = upload(d_kari, pdf_bytes(), "application/pdf", "..%2F..%2Fetc%2Fpasswd.pdf").get_json()
    assert path["name"] == "passwd.pdf"                                  # never a path
    sent = start(d_kari, annen(attachments=[tricky["id"], broken["id"]])).get_json()
    link = d_kari.get(f"{BASE}/dialogs/{sent['id']}/attachments/{tricky['id']}")
    assert link.status_code == 302 and link.headers["Cache-Control"] == "no-store"
    url = urlsplit(link.headers["Location"])
    query = parse_qs(url.query)
    assert url.scheme == "https" and url.netloc.startswith("portal-test-attachments.")
    assert query["X-Amz-Expires"] == ["300"]                             # 5 minutes
    assert query["response-content-disposition"] == [
        "attachment; filename=\"rapport_2026script.pdf\"; filename*=UTF-8''rapport%202026script.pdf"]
    assert "rapport" not in url.path and url.path.endswith(".pdf")       # the key is the server's own
    other = d_kari.get(f"{BASE}/dialogs/{sent['id']}/attachments/{broken['id']}")
    assert parse_qs(urlsplit(other.headers["Location"]).query)["response-content-disposition"] == [
        "attachment; filename=\"vedlegg.pdf\"; filename*=UTF-8''vedlegg.pdf"]
    # another patient, another dialog's attachment, no such attachment: not found
    error(d_nora.get(f"{BASE}/dialogs/{sent['id']}/attachments/{tricky['id']}"), 404, "not_found")
    [demo] = [d for d in inbox(d_kari)["dialogs"] if d["id"] != sent["id"]]
    error(d_kari.get(f"{BASE}/dialogs/{demo['id']}/attachments/{tricky['id']}"), 404, "not_found")
    error(d_kari.get(f"{BASE}/dialogs/{sent['id']}/attachments/AAAAAAAAAAAAAAAA"), 404, "not_found")


def test_R25_another_patients_dialog_is_not_found_to_read_reply_or_download(d_kari, d_nora, lise):
    sent = start(d_kari, annen("Privat")).get_json()
    for answer in (d_nora.get(f"{BASE}/dialogs/{sent['id']}"), reply(d_nora, sent["id"], "Hei"),
                   d_nora.get(f"{BASE}/dialogs/{sent['id']}/attachments/AAAAAAAAAAAAAAAA"),
                   d_kari.get(f"{BASE}/dialogs/AAAAAAAAAAAAAAAA"), reply(d_kari, "AAAAAAAAAAAAAAAA", "Hei")):
        error(answer, 404, "not_found")
    assert len(d_kari.get(f"{BASE}/dialogs/{sent['id']}").get_json()["messages"]) == 1
    # an e-Kontakt to her goes by HelseNorge: not hers to read or answer here
    ekontakt = lise.post("/dialogs", {"kind": "ekontakt", "patient_id": "p-kari", "title": "Prøvesvar",
                                      "text": "Ring oss."}).get_json()["id"]
    error(d_kari.get(f"{BASE}/dialogs/{ekontakt}"), 404, "not_found")
    error(reply(d_kari, ekontakt, "Hei"), 404, "not_found")


def test_idempotency_key_repeats_answer_the_first_dialog_and_a_reused_key_is_refused(d_kari):
    body = annen("Én gang, takk")
    first = start(d_kari, body, idem="kari-send-0001").get_json()
    repeat = start(d_kari, body, idem="kari-send-0001")
    assert repeat.status_code == 201 and repeat.get_json()["id"] == first["id"]
    assert [d["id"] for d in inbox(d_kari)["dialogs"]].count(first["id"]) == 1 and len(inbox(d_kari)["dialogs"]) == 2
    error(start(d_kari, annen("En annen tekst"), idem="kari-send-0001", status=0), 409, "idempotency_key_reused",
          "Idempotency-Key")
    for bad in (None, "short", "has a space", "x" * 65, "nøkkel-12345"):
        headers = {} if bad is None else {"Idempotency-Key": bad}
        answer = d_kari.send("POST", f"{BASE}/dialogs", json=body, headers=headers)
        error(answer, 422, "invalid_idempotency_key", "Idempotency-Key")
    assert len(inbox(d_kari)["dialogs"]) == 2
    # a reply with a file, sent twice (a lost answer): one message, the second answered like the first
    photo = upload(d_kari, png_bytes(), "image/png").get_json()["id"]
    once = reply(d_kari, first["id"], "Bilde", [photo], idem="kari-reply-01")
    twice = reply(d_kari, first["id"], "Bilde", [photo], idem="kari-reply-01")
    assert (once.status_code, twice.status_code) == (201, 201)
    assert twice.get_json()["messages"] == once.get_json()["messages"] and len(once.get_json()["messages"]) == 2
    error(reply(d_kari, first["id"], "Noe annet", idem="kari-reply-01"), 409, "idempotency_key_reused")
    error(d_kari.send("POST", f"{BASE}/dialogs/{first['id']}/messages", json={"text": "x"}), 422,
          "invalid_idempotency_key", "Idempotency-Key")
