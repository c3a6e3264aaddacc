"""Kommunikasjon while a parent acts for a child (R36, R55): under 12 the parent reads and writes all
of the child's dialogs in the child's name; from 12 to 16 only prescription matters, and a message the
clinic marked shareable; every read is written to the child's access log, by the parent's name."""
from __future__ import annotations

from collections import Counter

from tests.api.conftest import PatientClient
from tests.api.dialogs.conftest import BASE, error, on_dialogs, pdf_bytes, reply, start, upload

INBOX, ONE = "Innboks (meldinger)", "En melding (dialog)"   # what the access log says was read


def logged_by_ola(app, runtime, child: str) -> Counter:
    log = PatientClient(app, runtime, child).get("/api/accounts/access-log").get_json()["items"]
    return Counter(e["what"] for e in log if e["actor_name"] == "Ola Hansen" and e["actor_kind"] == "representative")


def test_R36_R55_acting_for_emma_under_12_ola_reads_answers_and_starts_her_dialogs_each_read_logged(
        dialogs_app, app, runtime, anne):
    ola = on_dialogs(dialogs_app, app, runtime, "p-ola", acting_for="p-emma")
    assert ola.get(f"{BASE}/unread").get_json() == {"count": 1}
    [invitation] = ola.get(f"{BASE}/inbox").get_json()["dialogs"]
    assert (invitation["kind"], invitation["title"], invitation["from"], invitation["unread"]) == (
        "edialog", "Time for kontroll", "Anne Andersen, Fjordheim legekontor", True)
    opened = ola.get(f"{BASE}/dialogs/{invitation['id']}").get_json()
    assert opened["messages"][0]["text"].startswith("Hei! Det er på tide med en ny kontroll for Emma")
    assert ola.get(f"{BASE}/unread").get_json() == {"count": 0}
    answered = reply(ola, invitation["id"], "Takk, vi bestiller time.")
    assert answered.status_code == 201
    assert answered.get_json()["messages"][-1] | {} == answered.get_json()["messages"][-1]
    assert (answered.get_json()["messages"][-1]["author"],
            answered.get_json()["messages"][-1]["author_name"]) == ("patient", "Ola Hansen")
    # Emma's clinic, free under 16 (R27), her GP as the recipient
    options = ola.get(f"{BASE}/clinics/c-fjordheim/start").get_json()
    assert options["kinds"] == ["ekonsultasjon", "resept", "annen"]
    assert options["recipients"] == [{"id": "s-anne", "name": "Anne Andersen"}]
    assert (options["price"]["fee_ore"], options["price"]["free_reason"]) == (0, "under_16")
    note = upload(ola, pdf_bytes(), "application/pdf", "vaksinekort.pdf").get_json()["id"]
    asked = start(ola, {"clinic_id": "c-fjordheim", "kind": "ekonsultasjon", "recipient_id": "s-anne",
                        "text": "Emma har hatt feber i to dager.", "attachments": [note]}).get_json()
    assert asked["messages"][0]["author_name"] == "Ola Hansen"
    assert ola.get(f"{BASE}/dialogs/{asked['id']}/attachments/{note}").status_code == 302
    in_annes = {d["id"]: d for d in anne.get("/inbox?inbox=staff:s-anne").get_json()["dialogs"]}
    assert (in_annes[asked["id"]]["patient_id"], in_annes[asked["id"]]["patient_name"]) == ("p-emma",
                                                                                          "Emma Hansen")
    assert {d["id"] for d in ola.get(f"{BASE}/inbox").get_json()["dialogs"]} == {invitation["id"], asked["id"]}
    # all of it is Emma's: Ola's own Innboks is empty, and each read is in Emma's access log
    assert on_dialogs(dialogs_app, app, runtime, "p-ola").get(f"{BASE}/inbox").get_json()["dialogs"] == []
    logged = logged_by_ola(app, runtime, "p-emma")
    assert logged[INBOX] == 4          # two unread counts, two inbox pages
    assert logged[ONE] == 4            # opened, answered (the answer shows it), started (likewise), the file


def test_R36_a_parents_idempotency_key_is_per_child_in_one_session(dialogs_app, app, runtime):
    """The same key and body for two children: two requests, one in each child's name (not the
    first child's dialog answered to the second)."""
    ola = on_dialogs(dialogs_app, app, runtime, "p-ola", acting_for="p-emma")
    renewal = {"clinic_id": "c-fjordheim", "kind": "resept", "text": "", "medicine": "Paracet",
               "dose": "250 mg", "amount": "1 pakke"}
    for_emma = start(ola, renewal, idem="ola-resept-1").get_json()["id"]
    dialogs, ola.client = ola.client, ola.accounts          # the switch is made on the accounts app
    switched = ola.send("POST", "/api/accounts/acting-for", json={"patient_id": "p-jonas"})
    ola.client = dialogs
    assert switched.status_code == 200
    for_jonas = start(ola, renewal, idem="ola-resept-1").get_json()["id"]
    assert for_jonas != for_emma
    assert for_jonas in {d["id"] for d in ola.get(f"{BASE}/inbox").get_json()["dialogs"]}
    error(ola.get(f"{BASE}/dialogs/{for_emma}"), 404, "not_found")   # Emma's, not reachable as Jonas


def test_R36_R55_acting_for_jonas_12_to_15_only_the_resept_until_the_clinic_marks_his_message_shareable(
        dialogs_app, app, runtime, anne, lise):
    ola = on_dialogs(dialogs_app, app, runtime, "p-ola", acting_for="p-jonas")
    [renewal] = ola.get(f"{BASE}/inbox").get_json()["dialogs"]
    assert (renewal["kind"], renewal["status"]) == ("resept", "closed")
    assert ola.get(f"{BASE}/unread").get_json() == {"count": 1}
    seen = ola.get(f"{BASE}/dialogs/{renewal['id']}").get_json()
    assert (seen["answer_code"], seen["answer_label"]) == ("fornyet", "Resept fornyet")
    assert seen["prescription"]["medicine"] == "Ventoline"
    own = next(d for d in anne.get("/inbox").get_json()["dialogs"]
               if d["patient_id"] == "p-jonas" and d["kind"] == "annen")
    error(ola.get(f"{BASE}/dialogs/{own['id']}"), 404, "not_found")
    error(reply(ola, own["id"], "Hei"), 404, "not_found")
    assert ola.get(f"{BASE}/clinics/c-fjordheim/start").get_json()["kinds"] == ["resept"]
    error(start(ola, {"clinic_id": "c-fjordheim", "kind": "annen", "text": "Hei"}, status=0), 403,
          "not_for_representative")
    # only his clinic may share it
    error(lise.send("PUT", f"/dialogs/{own['id']}/shareable", json={"shareable": True}), 404, "not_found")
    error(anne.send("PUT", f"/dialogs/{own['id']}/shareable", json={"shareable": "ja"}), 400, "wrong_type",
          "shareable")
    shared = anne.send("PUT", f"/dialogs/{own['id']}/shareable", json={"shareable": True})
    assert shared.status_code == 200 and shared.get_json()["shareable"] is True
    assert {d["id"] for d in ola.get(f"{BASE}/inbox").get_json()["dialogs"]} == {renewal["id"], own["id"]}
    assert ola.get(f"{BASE}/dialogs/{own['id']}").get_json()["messages"][0]["text"].startswith(
        "Kan jeg få en bekreftelse")
    assert anne.send("PUT", f"/dialogs/{own['id']}/shareable", json={"shareable": False}).status_code == 200
    error(ola.get(f"{BASE}/dialogs/{own['id']}"), 404, "not_found")
    assert [d["id"] for d in ola.get(f"{BASE}/inbox").get_json()["dialogs"]] == [renewal["id"]]
    # Jonas himself always sees both; what Ola read is in Jonas' log
    jonas = on_dialogs(dialogs_app, app, runtime, "p-jonas")
    assert {d["id"] for d in jonas.get(f"{BASE}/inbox").get_json()["dialogs"]} == {renewal["id"], own["id"]}
    logged = logged_by_ola(app, runtime, "p-jonas")
    assert logged[INBOX] == 4 and logged[ONE] == 2          # 3 inbox pages + 1 unread; the renewal, the shared one
