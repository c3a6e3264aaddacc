"""The payments store's contract (ports.Payments), on the fake and on moto: the three tabs (R32) as
one index each, paged; a year as a key range in Oslo time; a payment once per transaction id; paid and
credited exactly once; charges turned into invoices exactly once."""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from functions.core.billing import Charge, Tariff
from functions.core.errors import Conflict
from functions.payments.model import ALT_BETALT, BETALT_I_AAR, UTESTAENDE, CreditNote, Payee
from tests.contract.payments.conftest import bill, paid

NEW_YEAR = datetime(2025, 12, 31, 23, 30, tzinfo=UTC)      # 00:30 on 1 January 2026 in Oslo
OLD_YEAR = datetime(2025, 12, 31, 22, 30, tzinfo=UTC)      # 23:30 on 31 December 2025 in Oslo


def ids(bills) -> list[str]:
    return [b.invoice_id for b in bills]


def test_R32_utestaende_is_the_open_ones_newest_first_and_a_paid_one_leaves_it(world):
    for n, day in enumerate((date(2026, 10, 1), date(2026, 11, 2), date(2026, 9, 5))):
        world.repo.create(bill(f"b{n}", issued=day))
    world.repo.create(paid("bp", datetime(2026, 11, 3, 10, tzinfo=UTC)))
    world.repo.create(bill("other", patient_id="p-nora"))
    found, last = world.repo.page("p-kari", UTESTAENDE, 2026, None)
    assert (ids(found), last) == (["b1", "b0", "b2"], None)
    assert found[0] == bill("b1", issued=date(2026, 11, 2))               # whole, lines and names kept
    world.repo.save_paid(found[0], replace(found[0], status="paid", method="vipps",
                                           paid_at=datetime(2026, 11, 20, 8, tzinfo=UTC)))
    assert ids(world.repo.page("p-kari", UTESTAENDE, 2026, None)[0]) == ["b0", "b2"]
    assert ids(world.repo.page("p-kari", ALT_BETALT, 2026, None)[0]) == ["b1", "bp"]


def test_R32_betalt_i_aar_is_the_oslo_calendar_year_as_a_key_range_and_alt_betalt_is_all(world):
    world.repo.create(paid("new-year", NEW_YEAR))
    world.repo.create(paid("old-year", OLD_YEAR))
    world.repo.create(paid("nov", datetime(2026, 11, 20, 12, tzinfo=UTC)))
    world.repo.create(paid("next", datetime(2026, 12, 31, 23, 0, tzinfo=UTC)))   # 1 January 2027 in Oslo
    assert ids(world.repo.page("p-kari", BETALT_I_AAR, 2026, None)[0]) == ["nov", "new-year"]
    assert ids(world.repo.page("p-kari", BETALT_I_AAR, 2025, None)[0]) == ["old-year"]
    assert ids(world.repo.page("p-kari", ALT_BETALT, 2026, None)[0]) == ["next", "nov", "new-year", "old-year"]
    assert world.repo.page("p-nora", ALT_BETALT, 2026, None) == ([], None)


@pytest.mark.parametrize("tab", [UTESTAENDE, BETALT_I_AAR, ALT_BETALT])
def test_R32_a_tab_is_paged_with_no_row_twice_or_lost(world, tab):
    for n in range(7):
        at = datetime(2026, 3, 1 + n, 12, tzinfo=UTC)
        world.repo.create(bill(f"o{n}", issued=at.date()) if tab == UTESTAENDE else paid(f"p{n}", at))
    seen, key, pages = [], None, 0
    while True:
        page, key = world.repo.page("p-kari", tab, 2026, key, limit=3)
        seen += ids(page)
        pages += 1
        if not key:
            break
    assert len(seen) == len(set(seen)) == 7 and pages in (3, 4)
    assert seen == sorted(seen, reverse=True)


def test_a_payment_is_written_once_a_retry_answers_the_first_and_other_content_is_a_conflict(world):
    first = world.repo.create(bill("b1", number="2026-0141"))
    assert first.new
    again = world.repo.create(bill("b1", number="2026-0141"))
    assert (again.new, again.bill) == (False, first.bill)
    with pytest.raises(Conflict) as refused:
        world.repo.create(bill("b1", number="2026-0141", fingerprint="other"))
    assert (refused.value.code, refused.value.field) == ("transaction_reused", "transaction_id")
    with pytest.raises(Conflict) as taken:
        world.repo.create(bill("b2", number="2026-0141"))
    assert (taken.value.code, taken.value.field) == ("number_taken", "number")
    assert world.repo.load("b2") is None
    assert world.repo.create(bill("b3", number="2026-0142", clinic_id="c-fjordheim")).new


def test_paid_and_credited_once_the_credit_note_its_own_record(world):
    world.repo.create(bill("b1"))
    b = world.repo.load("b1")
    after = replace(b, status="paid", method="kort", paid_at=datetime(2026, 11, 20, tzinfo=UTC))
    world.repo.save_paid(b, after)
    with pytest.raises(Conflict):
        world.repo.save_paid(b, after)                  # it is no longer open
    now = datetime(2026, 11, 21, tzinfo=UTC)
    note = CreditNote("cr1", "b1", "c-storgata", 18_700, "Feil takst", now)
    world.repo.save_credit(after, replace(after, status="credited", credit_id="cr1"), note)
    assert world.repo.credit_note("b1") == note
    assert world.repo.load("b1").status == "credited" and world.repo.load("b1").lines == b.lines
    with pytest.raises(Conflict):
        world.repo.save_credit(after, replace(after, status="credited", credit_id="cr2"),
                               replace(note, credit_id="cr2"))
    assert world.repo.credit_note("b1").credit_id == "cr1"


def test_payee_numbers_and_tariff_tables(world):
    assert world.repo.payee("c-storgata") is None
    world.repo.put_payee(Payee("c-storgata", "Storgata legesenter AS", "974760673"))
    assert world.repo.payee("c-storgata") == Payee("c-storgata", "Storgata legesenter AS", "974760673")
    assert [world.repo.next_number("c-storgata", 2026) for _ in range(2)] == ["2026-900001", "2026-900002"]
    assert world.repo.next_number("c-fjordheim", 2026) == "2026-900001"
    world.tariffs.put_tariffs("c-storgata", date(2026, 7, 1), {"2ae": Tariff("2ae", "E-konsultasjon", 18_700)})
    assert world.tariffs.tariffs("c-storgata", date(2027, 6, 30)) == {"2ae": Tariff("2ae", "E-konsultasjon", 18_700)}
    assert world.tariffs.tariffs("c-storgata", date(2027, 7, 1)) == {}


def test_a_recorded_charge_becomes_an_invoice_exactly_once(world):
    now = datetime(2026, 11, 20, tzinfo=UTC)
    for n in range(3):
        world.charges.record_charge(Charge(f"dialog:d{n}", "c-storgata", "p-kari", "2ae", "E-konsultasjon", 18_700,
                                           date(2026, 11, 19)), now.replace(minute=n))
    world.charges.record_charge(Charge("dialog:x", "c-fjordheim", "p-ola", "2ae", "E-konsultasjon", 17_000,
                                       date(2026, 11, 19)), now)
    first, key = world.repo.uninvoiced("c-storgata", None, limit=2)
    rest, end = world.repo.uninvoiced("c-storgata", key, limit=2)
    assert [c.source for c in first + rest] == ["dialog:d0", "dialog:d1", "dialog:d2"] and end is None
    assert world.repo.convert(first[0], bill("from-d0"), now)
    assert not world.repo.convert(first[0], bill("from-d0"), now)          # a rerun
    assert world.repo.convert(first[1], None, now)                          # free: no invoice, just done
    assert [c.source for c in world.repo.uninvoiced("c-storgata", None)[0]] == ["dialog:d2"]
    assert world.repo.load("from-d0") is not None
