"""Bestill konsultasjon and Mine konsultasjoner through the HTTP API (R11-R21, R20a)."""
from __future__ import annotations

from functions.booking.cap_repository import CapRepository
from tests.api.booking.conftest import _same_cookie, first_free
from tests.api.conftest import PatientClient


def book(client, slot_id, remark="Vondt i ryggen", key=None):
    headers = {"Idempotency-Key": key} if key else {}
    return client.send("POST", "/api/booking/appointments", json={"slot_id": slot_id, "remark": remark},
                       headers=headers)


def places(patient_id: str, clinic_id: str = "c-storgata") -> frozenset[str]:
    """The patient's places under the clinic's cap (max_future_bookings), as stored."""
    return CapRepository().held(patient_id, clinic_id)[0]


def login_again(booking_app, app, runtime, patient_id: str = "p-kari") -> PatientClient:
    patient = PatientClient(app, runtime, patient_id)
    patient.client = _same_cookie(booking_app, patient)
    return patient


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


def test_max_future_bookings_caps_a_patients_future_bookings_at_a_clinic(b_kari):
    slots = first_free(b_kari)
    booked = [book(b_kari, slot["id"]).get_json() for slot in slots[:3]]
    capped = book(b_kari, slots[3]["id"])
    assert capped.status_code == 409 and capped.get_json()["error"] == "too_many_bookings"
    assert slots[3]["id"] in [s["id"] for s in first_free(b_kari)]  # the refused time was never taken
    # one place per booking, each the entry its slot keeps
    assert {e.split("#")[0] for e in places("p-kari")} == {b["id"] for b in booked}


def test_max_future_bookings_a_taken_time_is_slot_taken_even_at_the_cap(b_kari, b_nora):
    slots = first_free(b_kari)
    assert book(b_nora, slots[5]["id"]).status_code == 201
    for slot in slots[:3]:
        assert book(b_kari, slot["id"]).status_code == 201
    taken = book(b_kari, slots[5]["id"])
    assert taken.status_code == 409 and taken.get_json()["error"] == "slot_taken"


def test_max_future_bookings_cancelling_gives_the_place_back(b_kari):
    slots = first_free(b_kari)
    booked = [book(b_kari, slot["id"]).get_json() for slot in slots[:3]]
    assert book(b_kari, slots[3]["id"]).get_json()["error"] == "too_many_bookings"
    assert b_kari.send("POST", f"/api/booking/appointments/{booked[0]['id']}/cancel").status_code == 200
    assert len(places("p-kari")) == 2
    assert book(b_kari, slots[3]["id"]).status_code == 201


def test_max_future_bookings_a_retried_booking_at_the_cap_answers_the_same_appointment(b_kari):
    slots = first_free(b_kari)
    book(b_kari, slots[0]["id"])
    book(b_kari, slots[1]["id"])
    first = book(b_kari, slots[2]["id"], key="k-third-booking")
    again = book(b_kari, slots[2]["id"], key="k-third-booking")  # at the cap now: the slow path answers it
    assert (first.status_code, again.status_code) == (201, 201) and first.get_json()["id"] == again.get_json()["id"]
    assert len(places("p-kari")) == 3


def test_max_future_bookings_a_move_keeps_its_place_and_works_at_the_cap(b_kari):
    slots = first_free(b_kari)
    booked = [book(b_kari, slot["id"]).get_json() for slot in slots[:3]]
    before = places("p-kari")
    moved = b_kari.send("POST", f"/api/booking/appointments/{booked[0]['id']}/move", json={"slot_id": slots[4]["id"]})
    assert moved.status_code == 200
    assert places("p-kari") == before
    assert book(b_kari, slots[3]["id"]).get_json()["error"] == "too_many_bookings"


def test_max_future_bookings_past_appointments_stop_counting(b_kari, booking_app, app, runtime):
    today = first_free(b_kari, date="2026-11-23")  # 09:20 ... 10:40 Oslo, the clock at 09:00
    for slot in today[:3]:
        assert book(b_kari, slot["id"]).status_code == 201
    runtime.clock.advance(hours=2)  # 11:00: all three are over
    kari = login_again(booking_app, app, runtime)
    assert book(kari, first_free(kari)[0]["id"]).status_code == 201
    assert len(places("p-kari")) == 1  # the refusal healed the places: the past ones dropped out


def test_max_future_bookings_a_crashed_booking_blocks_a_place_only_until_the_grace_passes(b_kari, runtime):
    """A booking that took its place and never wrote its slot (its function crashed between the
    two writes) holds that place while it might still be in flight; the next refusal after the
    grace drops it."""
    from functions.booking import cap_model

    slots = first_free(b_kari)
    book(b_kari, slots[0]["id"])
    book(b_kari, slots[1]["id"])
    orphan = cap_model.entry("a-crashed", runtime.clock.now(), "tb-lise~SLOT#2026-11-24T09:00:00Z")
    assert CapRepository().take("p-kari", "c-storgata", orphan, 3)
    assert book(b_kari, slots[2]["id"]).get_json()["error"] == "too_many_bookings"
    runtime.clock.advance(seconds=cap_model.GRACE.total_seconds() + 1)
    assert book(b_kari, slots[2]["id"]).status_code == 201
    assert orphan not in places("p-kari") and len(places("p-kari")) == 3


def test_max_future_bookings_another_tab_booking_the_same_time_makes_it_taken(b_kari, runtime):
    """A place held by another booking of the same patient for the very same time (still in flight):
    this one cannot win that time, so it is answered as taken, not as over the cap."""
    from functions.booking import cap_model

    slots = first_free(b_kari)
    book(b_kari, slots[0]["id"])
    book(b_kari, slots[1]["id"])
    timebok, start = slots[2]["id"].split("~")
    sibling = cap_model.entry("a-other-tab", runtime.clock.now(), f"{timebok}~SLOT#{start}")
    assert CapRepository().take("p-kari", "c-storgata", sibling, 3)
    taken = book(b_kari, slots[2]["id"])
    assert taken.status_code == 409 and taken.get_json()["error"] == "slot_taken"
    assert book(b_kari, slots[3]["id"]).get_json()["error"] == "too_many_bookings"


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
