"""The notice path against moto: a notice names a patient, the drain finds the address (R9, R28),
sends once, and two overlapping drains never send the same notice."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from functions.core.contacts import ContactFields, ProfileContacts
from functions.core.core_records import OutboxRecord
from functions.core.outbox import Notice
from tests.support.aws_stack import moto_runtime

BASE = "https://portal.example"


@pytest.fixture
def rt():
    with moto_runtime() as runtime:
        yield runtime


class Contacts:
    def __init__(self, **people: ContactFields) -> None:
        self.people, self.reads = people, 0

    def fields(self, patient_id):
        self.reads += 1
        return self.people.get(patient_id)


class Recorder:
    def __init__(self, fail: bool = False, pause: threading.Event | None = None) -> None:
        self.sent, self.fail, self.pause = [], fail, pause
        self.inside = threading.Event()

    def send(self, message):
        self.inside.set()
        if self.pause is not None:
            self.pause.wait(5)
        if self.fail:
            raise ConnectionError("down")
        self.sent.append(message)


KARI = ContactFields("kari@example.no", {"t1": "+4791234567"}, "email", "t1")
OLA_SMS = ContactFields("ola@example.no", {"t1": "+4799887766"}, "sms", "t1")


def test_R28_a_notice_by_patient_id_is_sent_once_to_the_address_the_drain_finds(rt):
    assert rt.outbox.enqueue(Notice("p-kari", "email_changed", "/nb/profil.html"), dedupe_key="k1")
    rt.clock.advance(days=1)
    assert not rt.outbox.enqueue(Notice("p-kari", "email_changed", "/nb/profil.html"), dedupe_key="k1")
    sender = Recorder()
    assert rt.outbox.drain(sender, Contacts(**{"p-kari": KARI}), BASE) == 1
    assert rt.outbox.drain(sender, Contacts(**{"p-kari": KARI}), BASE) == 0
    [message] = sender.sent
    assert (message.channel, message.recipient) == ("email", "kari@example.no")
    assert f"{BASE}/nb/profil.html" in message.body and message.subject == "Din e-postadresse er endret"
    [shown] = [m for m in rt.outbox.recent() if m.patient_id == "p-kari"]
    assert (shown.outcome, shown.recipient) == ("sent", "kari@example.no") and shown.sent_at is not None


def test_R9_the_patients_contact_setting_decides_the_channel(rt):
    rt.outbox.enqueue(Notice("p-ola", "email_changed", "/nb/profil.html"), dedupe_key="k2")
    rt.outbox.enqueue(Notice("p-ola", "email_changed", "/nb/profil.html", only="email"), dedupe_key="k3")
    sender = Recorder()
    rt.outbox.drain(sender, Contacts(**{"p-ola": OLA_SMS}), BASE)
    assert sorted((m.channel, m.recipient) for m in sender.sent) == [("email", "ola@example.no"),
                                                                      ("sms", "+4799887766")]


def test_a_patient_without_any_address_gets_no_notice_and_it_is_not_retried(rt):
    rt.outbox.enqueue(Notice("p-nobody", "email_changed", "/nb/profil.html"), dedupe_key="k4")
    contacts = Contacts()
    assert rt.outbox.drain(Recorder(), contacts, BASE) == 0
    assert rt.outbox.drain(Recorder(), contacts, BASE) == 0
    assert contacts.reads == 1
    assert [m.outcome for m in rt.outbox.recent()] == ["no_contact"]


def test_a_failing_provider_is_retried_then_the_notice_is_dead(rt):
    rt.outbox.enqueue(Notice("p-kari", "email_changed", "/nb/profil.html"), dedupe_key="k5")
    for _ in range(rt.outbox.MAX_ATTEMPTS + 1):
        assert rt.outbox.drain(Recorder(fail=True), Contacts(**{"p-kari": KARI}), BASE) == 0
    record = OutboxRecord.get(next(iter(OutboxRecord.day_index.query(rt.clock.now().date().isoformat()))).pk, "MSG")
    assert (record.pending, record.outcome, record.attempts) == ("DEAD", "dead", rt.outbox.MAX_ATTEMPTS)


def test_two_overlapping_drains_never_send_the_same_notice(rt):
    for n in range(6):
        rt.outbox.enqueue(Notice(f"p{n}", "email_changed", "/nb/profil.html"), dedupe_key=f"race{n}")
    contacts = Contacts(**{f"p{n}": KARI for n in range(6)})
    release = threading.Event()
    slow, fast = Recorder(pause=release), Recorder()
    first = threading.Thread(target=rt.outbox.drain, args=(slow, contacts, BASE))
    # The slow drain claims the first notice and waits inside send; only then the fast one runs
    # (moto's in-process DynamoDB does not serialise two conditional writes of the same instant,
    # which real DynamoDB does: the lease, not the timing, is what is under test here).
    first.start()
    assert slow.inside.wait(10)
    counted = rt.outbox.drain(fast, contacts, BASE)
    release.set()
    first.join(10)
    assert len(slow.sent) + len(fast.sent) == 6 and counted == len(fast.sent)
    assert len(slow.sent) == 1


def test_a_drain_that_crashed_after_claiming_leaves_the_notice_to_the_next_run_after_its_lease(rt):
    rt.outbox.enqueue(Notice("p-kari", "email_changed", "/nb/profil.html"), dedupe_key="k6")

    class Crash(Exception):
        pass

    class Crashing:
        def send(self, message):
            raise Crash()   # not caught as a provider failure below: the run dies holding the lease

    crashed = Contacts(**{"p-kari": KARI})
    crashed.fields = lambda patient_id: (_ for _ in ()).throw(Crash())
    with pytest.raises(Crash):
        rt.outbox.drain(Crashing(), crashed, BASE)
    sender = Recorder()
    assert rt.outbox.drain(sender, Contacts(**{"p-kari": KARI}), BASE) == 0   # the lease still holds
    rt.clock.advance(seconds=rt.outbox.LEASE.total_seconds() + 1)
    assert rt.outbox.drain(sender, Contacts(**{"p-kari": KARI}), BASE) == 1
    assert len(sender.sent) == 1


def test_R9_profile_contacts_read_the_profiles_contact_fields(rt):
    from devstack import demo

    demo.load_people(rt.pepper, rt.clock.now())
    fields = ProfileContacts().fields("p-kari")
    assert fields is not None and fields.email == "kari.nordmann@example.no" and fields.channel == "email"
    assert all(number.startswith("+") for number in fields.phones.values())
    assert ProfileContacts().fields("p-nobody") is None


def test_the_drain_job_sends_through_moto_ses(rt):
    from devstack import demo
    from functions.notices.jobs import JOBS

    [drain_outbox] = [job.run for job in JOBS if job.name == "drain_outbox"]
    demo.load_people(rt.pepper, rt.clock.now())
    rt.client("ses").verify_email_identity(EmailAddress="ikke-svar@pasientportal.example")
    rt.outbox.enqueue(Notice("p-kari", "email_changed", "/nb/profil.html"), dedupe_key="k7")
    assert drain_outbox(rt) == {"sent": 1}
    [sent] = rt.outbox.recent()
    assert timedelta(0) <= rt.clock.now() - sent.sent_at < timedelta(seconds=5)
