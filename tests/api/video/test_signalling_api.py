"""The video room's signalling through the Flask clients on moto (R21–R23): the whole exchange,
and every refusal — someone else's room, an expired token, a token outside the window or after
the end, oversized SDP, malformed candidates — as a clear 4xx at the field."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.api.conftest import on_feature
from tests.api.video.conftest import SDP, Side, patient_token, set_clock

HOST = "candidate:842163049 1 udp 1677729535 127.0.0.1 54321 typ host generation 0"


def error(answer, status: int, code: str, field: str | None = None) -> dict:
    body = answer.get_json()
    assert answer.status_code == status, body
    assert body["error"] == code and body["message"] and body["field"] == field, body
    return body


def test_R22_R23_waiting_then_offer_answer_candidates_each_read_once(room):
    joined = room.patient.join()
    assert joined.status_code == 200, joined.get_json()
    assert joined.get_json() == {"role": "patient", "peer_present": False, "ice_servers": [], "wait_seconds": 20}
    assert room.practitioner.join().get_json()["peer_present"] is True   # R22: Kari waits; the practitioner sees it
    told = room.patient.poll().get_json()
    assert told == {"messages": [{"kind": "joined"}], "peer_present": True, "ended": False}
    offer = {"kind": "offer", "offer_id": "o-1", "sdp": SDP}
    assert room.patient.send(offer).status_code == 202
    candidates = {"kind": "candidates", "offer_id": "o-1",
                  "candidates": [{"candidate": HOST, "sdpMid": "0", "sdpMLineIndex": 0}]}
    assert room.patient.send(candidates).status_code == 202
    got = room.practitioner.poll("5").get_json()["messages"]
    assert [m["kind"] for m in got] == ["offer", "candidates"] and got[0]["sdp"] == SDP
    assert got[1]["candidates"] == [{"candidate": HOST, "sdpMid": "0", "sdpMLineIndex": 0}]
    assert room.practitioner.poll().get_json()["messages"] == []          # read once
    assert room.practitioner.send({"kind": "answer", "offer_id": "o-1", "sdp": SDP}).status_code == 202
    assert room.patient.poll().get_json()["messages"] == [{"kind": "answer", "offer_id": "o-1", "sdp": SDP}]


def test_R22_the_clinic_list_shows_who_waits_and_who_is_in_the_call(room, clinic_headers):
    def listed():
        answer = room.staff.get("/api/booking/clinic/video", headers=clinic_headers)
        assert answer.status_code == 200, answer.get_json()
        body = answer.get_json()
        assert body["date"] == "2026-11-24"
        return next(i for i in body["items"] if i["id"] == room.appointment_id)

    before = listed()
    assert (before["waiting"], before["in_call"], before["open"]) == (False, False, True)
    assert before["patient_name"] == "Kari Nordmann" and before["start"] == "2026-11-24T12:00:00Z"
    room.patient.join()
    waiting = listed()
    assert waiting["waiting"] is True and waiting["waiting_since"] == "2026-11-24T11:50:00Z"
    room.practitioner.join()
    assert (listed()["waiting"], listed()["in_call"]) == (False, True)
    room.practitioner.leave(end=True)
    assert listed()["ended"] is True


def test_R22_another_clinic_sees_none_of_it_and_another_practitioner_gets_no_token(room, other_clinic_headers,
                                                                                     clinic_headers):
    other = room.staff.get("/api/booking/clinic/video", headers=other_clinic_headers).get_json()
    assert room.appointment_id not in [i["id"] for i in other["items"]]
    path = f"/api/booking/clinic/appointments/{room.appointment_id}/video"
    error(room.staff.post(path, json={}, headers=other_clinic_headers), 404, "not_found")
    error(room.staff.post(path, json={}, headers={**clinic_headers, "X-Staff-Id": "s-per"}), 403,
          "not_your_appointment")
    assert room.staff.post(path, json={}).status_code == 401


def test_R21_someone_elses_room_is_refused(room, runtime, app, video_app, booking_app, clinic_headers,
                                           other_clinic_headers):
    nora = on_feature(video_app, app, runtime, "p-nora")
    as_nora = Side(nora.client, room.patient.token, csrf=nora.session.csrf)
    error(as_nora.join(), 403, "room_not_yours", "X-Room-Token")
    error(as_nora.poll(), 403, "room_not_yours", "X-Room-Token")
    # Nora cannot get a token for Kari's appointment either
    nora_booking = on_feature(booking_app, app, runtime, "p-nora")
    assert nora_booking.send("POST", f"/api/booking/appointments/{room.appointment_id}/video").status_code == 404
    # the patient's token with a clinic credential, the practitioner's with a patient's cookie, another clinic
    error(Side(video_app.test_client(), room.patient.token, headers=clinic_headers).join(), 403, "room_not_yours",
          "X-Room-Token")
    kari_cookie = room.patient.client
    error(Side(kari_cookie, room.practitioner.token, csrf=room.patient.csrf).join(), 403, "room_not_yours",
          "X-Room-Token")
    error(Side(video_app.test_client(), room.practitioner.token, headers=other_clinic_headers).join(), 403,
          "room_not_yours", "X-Room-Token")
    # no cookie at all, or no token at all
    assert Side(video_app.test_client(), room.patient.token).join().status_code == 401
    error(room.patient.call("POST", "/join", json={}, token=""), 401, "room_token_missing", "X-Room-Token")
    error(room.patient.call("POST", "/join", json={}, token="A" * 43), 401, "room_token_invalid", "X-Room-Token")


def test_R21_an_expired_token_and_one_outside_the_window_are_refused(room, runtime, app, video_app, booking_app):
    set_clock(runtime, "2026-11-24T13:21:00+01:00")   # 31 minutes after the tokens were made
    kari = on_feature(video_app, app, runtime, "p-kari")
    stale = Side(kari.client, room.patient.token, csrf=kari.session.csrf)
    error(stale.join(), 401, "room_token_expired", "X-Room-Token")
    fresh = patient_token(on_feature(booking_app, app, runtime, "p-kari"), room.appointment_id)
    assert Side(kari.client, fresh, csrf=kari.session.csrf).join().status_code == 200   # rejoin inside the window
    set_clock(runtime, "2026-11-24T15:01:00+01:00")
    late = on_feature(booking_app, app, runtime, "p-kari")
    error(late.send("POST", f"/api/booking/appointments/{room.appointment_id}/video"), 409, "video_not_open")


def test_R23_after_the_practitioner_ended_every_token_is_refused(room, runtime, app, booking_app, clinic_headers):
    room.patient.join()
    room.practitioner.join()
    assert room.practitioner.leave(end=True).get_json() == {"left": True, "ended": True}
    error(room.patient.poll(), 409, "video_ended")
    error(room.patient.send({"kind": "offer", "offer_id": "o-2", "sdp": SDP}), 409, "video_ended")
    error(room.kari.send("POST", f"/api/booking/appointments/{room.appointment_id}/video"), 409, "video_ended")
    path = f"/api/booking/clinic/appointments/{room.appointment_id}/video"
    error(room.staff.post(path, json={}, headers=clinic_headers), 409, "video_ended")


def test_R23_the_patient_leaves_and_comes_back_and_cannot_end_the_consultation(room):
    room.practitioner.join()
    room.patient.join()
    room.practitioner.poll()
    assert room.patient.leave(end=True).get_json() == {"left": True, "ended": False}
    assert room.practitioner.poll().get_json() == {"messages": [{"kind": "left"}], "peer_present": False,
                                                   "ended": False}
    assert room.patient.join().get_json()["peer_present"] is True


@pytest.mark.parametrize("body, status, code, field", [
    ({"kind": "offer", "offer_id": "o-1", "sdp": SDP + "a=x" * 6000}, 413, "sdp_too_large", "sdp"),
    ({"kind": "offer", "offer_id": "o-1", "sdp": "<html>"}, 422, "invalid_sdp", "sdp"),
    ({"kind": "answer", "offer_id": "o-1", "sdp": SDP}, 422, "signal_not_allowed", "kind"),
    ({"kind": "offer", "offer_id": "../x", "sdp": SDP}, 422, "invalid_offer_id", "offer_id"),
    ({"kind": "candidates", "offer_id": "o-1", "candidates": [{"candidate": "rm -rf", "sdpMid": "0"}]}, 422,
     "invalid_candidate", "candidates[0].candidate"),
    ({"kind": "candidates", "offer_id": "o-1", "candidates": [{"candidate": HOST, "sdpMid": "0",
                                                               "sdpMLineIndex": "zero"}]}, 422,
     "invalid_candidate", "candidates[0].sdpMLineIndex"),
    ({"kind": "candidates", "offer_id": "o-1", "candidates": "all"}, 422, "invalid_candidate", "candidates"),
    ({"kind": "candidates", "offer_id": "o-1", "candidates": [{"candidate": HOST, "sdpMid": "0"}] * 31}, 413,
     "too_many_candidates", "candidates"),
])
def test_bad_messages_are_refused_at_the_field_and_nothing_reaches_the_other_side(room, body, status, code, field):
    room.practitioner.join()
    room.patient.join()
    room.practitioner.poll()
    error(room.patient.send(body), status, code, field)
    assert room.practitioner.poll().get_json()["messages"] == []


def test_bad_requests_to_the_room(room):
    room.patient.join()
    error(room.patient.poll("99"), 422, "invalid_wait", "wait")
    error(room.patient.call("POST", "/join", json={"role": "practitioner"}), 422, "unknown_field", "role")
    error(room.patient.call("POST", "/leave", json={"end": "yes"}), 422, "wrong_type", "end")
    answer = room.patient.client.open("/api/video/messages", method="POST", data="not json",
                                      headers={"X-Room-Token": room.patient.token, "X-CSRF-Token": room.patient.csrf,
                                               "Content-Type": "application/json"})
    error(answer, 400, "bad_request")
    no_csrf = room.patient.client.post("/api/video/join", json={}, headers={"X-Room-Token": room.patient.token})
    error(no_csrf, 403, "csrf")


def test_the_token_never_appears_in_a_url_or_the_answer_headers(room):
    answer = room.patient.join()
    assert room.patient.token not in str(answer.headers)
    assert answer.headers["Cache-Control"] == "no-store"


def test_R21_acting_for_a_child_the_parent_is_the_person_in_the_room(runtime, app, booking_app, video_app):
    set_clock(runtime, "2026-11-23T09:00:00+01:00")
    parent = on_feature(booking_app, app, runtime, "p-ola", acting_for="p-emma")
    slots = parent.get("/api/booking/timebooks/tb-lise/day?date=2026-11-24&type=video&all=1").get_json()["slots"]
    booked = parent.send("POST", "/api/booking/appointments", json={"slot_id": slots[1]["id"], "remark": ""})
    assert booked.status_code == 201, booked.get_json()
    start = booked.get_json()["start"]
    runtime.clock.set(datetime.fromisoformat(start.replace("Z", "+00:00")) - timedelta(minutes=5))
    parent = on_feature(booking_app, app, runtime, "p-ola", acting_for="p-emma")
    token = patient_token(parent, booked.get_json()["id"])
    ola = on_feature(video_app, app, runtime, "p-ola")
    assert Side(ola.client, token, csrf=ola.session.csrf).join().status_code == 200
    # the token is Ola's: with anyone else's session it is refused
    kari = on_feature(video_app, app, runtime, "p-kari")
    assert Side(kari.client, token, csrf=kari.session.csrf).join().status_code == 403
