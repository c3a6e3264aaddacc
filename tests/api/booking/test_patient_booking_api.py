"""Bestill konsultasjon and Mine konsultasjoner through the HTTP API (R11-R21, R20a)."""
from __future__ import annotations

from tests.api.booking.conftest import first_free


def book(client, slot_id, remark="Vondt i ryggen", key=None):
    headers = {"Idempotency-Key": key} if key else {}
    return client.send("POST", "/api/booking/appointments", json={"slot_id": slot_id, "remark": remark},
                       headers=headers)


def test_R16_attached_clinic_comes_first_and_search_finds_by_place(b_kari):
    body = b_kari.get("/api/booking/clinics?q=bergen").get_json()
    assert body["attached"][0]["id"] == "c-storgata"
    assert [c["id"] for c in body["results"]] == ["c-fjordheim"]


def test_R16_clinic_lists_practitioners_with_timebooks_and_web_bookable_types(b_kari):
    body = b_kari.get("/api/booking/clinics/c-storgata").get_json()
    assert body["booking_mode"] == "timebok" and body["video"] is True
    lise = next(p for p in body["practitioners"] if p["id"] == "s-lise")
    assert {t["id"] for t in lise["timebooks"]} == {"tb-lise", "tb-lise-kveld"}
    assert {t["id"] for t in body["types"]} == {"ordinar", "video"}  # "Skjult time" is not web-bookable


def test_R17_month_calendar_counts_free_times_per_day_and_never_the_past(b_kari):
    days = b_kari.get("/api/booking/timebooks/tb-lise/month?month=2026-11&type=ordinar").get_json()["days"]
    counts = {d["date"]: d["free"] for d in days}
    assert counts["2026-11-24"] == 9 and "2026-11-22" not in counts
    assert counts["2026-11-23"] == 5  # today after the clock (09:00): 09:20 ... 10:40
    assert "2026-11-28" not in counts  # Saturday


def test_R17_day_shows_nearest_four_and_all_on_request(b_kari):
    nearest = b_kari.get("/api/booking/timebooks/tb-lise/day?date=2026-11-24&type=ordinar").get_json()["slots"]
    assert len(nearest) == 4 and nearest[0]["start"] == "2026-11-24T07:00:00Z"  # 08:00 Oslo
    assert len(first_free(b_kari)) == 9


def test_R17_booking_appears_under_bestilte_with_remark(b_kari):
    slot = first_free(b_kari)[0]
    answer = book(b_kari, slot["id"])
    assert answer.status_code == 201
    body = answer.get_json()
    assert body["status"] == "booked" and body["status_text"] == "Bestilt" and body["remark"] == "Vondt i ryggen"
    items = b_kari.get("/api/booking/appointments?tab=booked").get_json()["items"]
    assert [i["id"] for i in items] == [body["id"]]
    assert items[0]["practitioner"]["name"] == "Lise Lege" and items[0]["can_cancel"] and items[0]["can_calendar"]
    assert slot["id"] not in [s["id"] for s in first_free(b_kari)]


def test_R18_a_taken_time_gives_409_and_the_next_free_times(b_kari, b_nora):
    slot = first_free(b_kari)[0]
    assert book(b_kari, slot["id"]).status_code == 201
    taken = book(b_nora, slot["id"])
    body = taken.get_json()
    assert taken.status_code == 409 and body["error"] == "slot_taken" and body["field"] == "slot_id"
    assert body["next"] and slot["id"] not in [s["id"] for s in body["next"]]
    assert b_nora.get("/api/booking/appointments?tab=all").get_json()["items"] == []


def test_R18_past_and_unknown_times_are_refused(b_kari, runtime):
    past = "tb-lise~2026-11-23T07:00:00Z"  # 08:00 today, before the clock's 09:00
    assert book(b_kari, past).status_code in (404, 422)
    assert book(b_kari, "tb-lise~2026-11-24T07:05:00Z").status_code == 404
    assert book(b_kari, "garbage").status_code == 422
    assert book(b_kari, 17).status_code == 422
    assert book(b_kari, first_free(b_kari)[0]["id"], remark="x" * 501).status_code == 422
    assert b_kari.get("/api/booking/appointments?tab=all").get_json()["items"] == []


def test_R18_retried_booking_with_the_same_idempotency_key_books_once(b_kari):
    slot = first_free(b_kari)[0]
    first = book(b_kari, slot["id"], key="k-123456789")
    again = book(b_kari, slot["id"], key="k-123456789")
    assert first.status_code == again.status_code == 201 and first.get_json()["id"] == again.get_json()["id"]


def test_per_patient_cap_on_future_bookings_per_clinic(b_kari):
    slots = first_free(b_kari)
    for slot in slots[:3]:
        assert book(b_kari, slot["id"]).status_code == 201
    capped = book(b_kari, slots[3]["id"])
    assert capped.status_code == 409 and capped.get_json()["error"] == "too_many_bookings"


def test_R14_timebok_patient_cancels_and_the_time_is_free_again(b_kari):
    slot = first_free(b_kari)[0]
    booked = book(b_kari, slot["id"]).get_json()
    cancelled = b_kari.send("POST", f"/api/booking/appointments/{booked['id']}/cancel")
    assert cancelled.status_code == 200 and cancelled.get_json()["status_text"] == "Avbestilt av pasient"
    tabs = {t: [i["id"] for i in b_kari.get(f"/api/booking/appointments?tab={t}").get_json()["items"]]
            for t in ("booked", "cancelled", "all")}
    assert tabs == {"booked": [], "cancelled": [booked["id"]], "all": [booked["id"]]}
    assert slot["id"] in [s["id"] for s in first_free(b_kari)]


def test_cancel_after_the_clinic_deadline_is_refused_with_the_phone(b_kari):
    today = first_free(b_kari, date="2026-11-23")[0]  # within 24 h
    booked = book(b_kari, today["id"]).get_json()
    assert booked["can_cancel"] is False and "22001100" in booked["cancel_info"].replace(" ", "")
    refused = b_kari.send("POST", f"/api/booking/appointments/{booked['id']}/cancel")
    assert refused.status_code == 409 and refused.get_json()["error"] == "cancel_deadline_passed"


def test_move_wins_the_new_time_before_releasing_the_old(b_kari):
    slots = first_free(b_kari)
    booked = book(b_kari, slots[0]["id"]).get_json()
    moved = b_kari.send("POST", f"/api/booking/appointments/{booked['id']}/move", json={"slot_id": slots[2]["id"]})
    assert moved.status_code == 200
    body = moved.get_json()
    assert body["id"] == booked["id"] and body["start"] == slots[2]["start"]
    free = [s["id"] for s in first_free(b_kari)]
    assert slots[0]["id"] in free and slots[2]["id"] not in free
    items = b_kari.get("/api/booking/appointments?tab=all").get_json()["items"]
    assert [i["start"] for i in items] == [slots[2]["start"]]


def test_moving_to_a_taken_time_changes_nothing(b_kari, b_nora):
    slots = first_free(b_kari)
    mine = book(b_kari, slots[0]["id"]).get_json()
    book(b_nora, slots[1]["id"])
    refused = b_kari.send("POST", f"/api/booking/appointments/{mine['id']}/move", json={"slot_id": slots[1]["id"]})
    assert refused.status_code == 409
    assert b_kari.get("/api/booking/appointments?tab=booked").get_json()["items"][0]["start"] == slots[0]["start"]


def test_R1_substantial_level_can_neither_see_nor_book(booking_app, app, runtime):
    from tests.api.booking.conftest import _same_cookie
    from tests.api.conftest import PatientClient

    minid = PatientClient(app, runtime, "p-nora", level="substantial")
    minid.client = _same_cookie(booking_app, minid)
    for answer in (minid.get("/api/booking/appointments"), minid.get("/api/booking/clinics"),
                   book(minid, "tb-lise~2026-11-24T07:00:00Z")):
        assert answer.status_code == 403 and answer.get_json()["error"] == "step_up_required"


def test_another_patients_appointment_is_not_found(b_kari, b_nora):
    booked = book(b_kari, first_free(b_kari)[0]["id"]).get_json()
    for path in (f"/api/booking/appointments/{booked['id']}/cancel", f"/api/booking/appointments/{booked['id']}/video"):
        assert b_nora.send("POST", path).status_code == 404
    assert b_nora.get(f"/api/booking/appointments/{booked['id']}/calendar.ics").status_code == 404
    assert b_kari.get("/api/booking/appointments?tab=booked").get_json()["items"][0]["status"] == "booked"


def test_bad_query_input_is_a_clear_4xx(b_kari):
    assert b_kari.get("/api/booking/timebooks/tb-lise/month?month=2026-13").status_code == 422
    assert b_kari.get("/api/booking/timebooks/tb-lise/day?date=nope").get_json()["field"] == "date"
    assert b_kari.get("/api/booking/appointments?tab=weird").status_code == 422
    assert b_kari.get("/api/booking/clinics/c-nowhere").status_code == 404


def test_a_write_failing_for_another_reason_than_its_condition_is_an_error_not_a_taken_time(b_kari):
    """Throttling (or any failure but a refused condition) must not pass for "someone else took it":
    it is a 503 that may be tried again, and nothing was written."""
    from botocore.awsrequest import AWSResponse

    from functions.booking.records import BookingItemRecord

    slot = first_free(b_kari, date="2026-11-24")[0]["id"]
    client = BookingItemRecord._get_connection().connection.client

    def throttled(**_):
        error = {"Code": "ProvisionedThroughputExceededException", "Message": "Rate of requests exceeds the limit"}
        return AWSResponse("http://dynamodb", 400, {}, None), {"Error": error, "ResponseMetadata": {}}

    client.meta.events.register("before-call.dynamodb.UpdateItem", throttled, unique_id="throttled")
    try:
        answer = b_kari.send("POST", "/api/booking/appointments", json={"slot_id": slot})
    finally:
        client.meta.events.unregister("before-call.dynamodb.UpdateItem", unique_id="throttled")
    assert (answer.status_code, answer.headers.get("Retry-After")) == (503, "2")
    assert answer.get_json() == {"error": "busy", "field": None,
                                 "message": "Det er travelt hos oss akkurat nå. Prøv igjen om litt."}
    assert slot in [s["id"] for s in first_free(b_kari, date="2026-11-24")]  # nothing written
    assert b_kari.get("/api/booking/appointments?tab=booked").get_json()["items"] == []
