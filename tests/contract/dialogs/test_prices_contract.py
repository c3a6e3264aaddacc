"""The prices' contract as dialogs use them (ports `Prices`: core.billing.Billing's tariff table and a
patient's invoices), on the fake and on moto: a tariff per clinic and period (R27: 1 July-30 June,
data, never a constant) and the invoices a patient may ask about (R29)."""
from __future__ import annotations

from datetime import date

import pytest

from functions.core.billing import Invoice, Tariff
from tests.contract.dialogs.conftest import CLINIC, OTHER_CLINIC

OLD, NEW = Tariff("2ae", "E-konsultasjon", 17_900), Tariff("2ae", "E-konsultasjon", 18_700)


def test_R27_a_tariff_is_read_from_the_table_of_the_period_its_day_belongs_to(world):
    world.prices.put_tariffs(CLINIC, date(2025, 7, 1), {"2ae": OLD})
    world.prices.put_tariffs(CLINIC, date(2026, 7, 1), {"2ae": NEW, "2ad": Tariff("2ad", "Telefon", 9_900)})
    assert world.prices.tariff(CLINIC, "2ae", date(2025, 7, 1)) == OLD
    assert world.prices.tariff(CLINIC, "2ae", date(2026, 6, 30)) == OLD
    assert world.prices.tariff(CLINIC, "2ae", date(2026, 7, 1)) == NEW
    assert world.prices.tariff(CLINIC, "2ae", date(2027, 6, 30)) == NEW
    assert world.prices.tariff(CLINIC, "2ad", date(2026, 11, 23)) == Tariff("2ad", "Telefon", 9_900)


def test_R27_no_tariff_for_an_unknown_code_clinic_or_period(world):
    world.prices.put_tariffs(CLINIC, date(2026, 7, 1), {"2ae": NEW})
    assert world.prices.tariff(CLINIC, "2ad", date(2026, 11, 23)) is None
    assert world.prices.tariff(OTHER_CLINIC, "2ae", date(2026, 11, 23)) is None
    assert world.prices.tariff(CLINIC, "2ae", date(2027, 7, 1)) is None          # next year's is not loaded
    assert world.prices.tariff(CLINIC, "2ae", date(2026, 6, 30)) is None
    with pytest.raises(ValueError):
        world.prices.put_tariffs(CLINIC, date(2026, 8, 1), {"2ae": NEW})        # a period starts on 1 July
    world.prices.put_tariffs(CLINIC, date(2026, 7, 1), {"2ae": OLD})            # replaced whole
    assert world.prices.tariff(CLINIC, "2ae", date(2026, 11, 23)) == OLD


def test_R29_a_patient_sees_their_own_invoices_at_one_clinic_newest_first(world):
    invoices = [Invoice("inv-1", CLINIC, "2026-0140", date(2026, 10, 6), 35_000, "paid"),
                Invoice("inv-2", CLINIC, "2026-0141", date(2026, 11, 11), 25_500, "open"),
                Invoice("inv-3", OTHER_CLINIC, "2026-0001", date(2026, 11, 20), 18_700, "open"),
                Invoice("inv-4", CLINIC, "2026-0142", date(2026, 11, 11), 9_900, "open")]
    for invoice in invoices:
        world.prices.put_invoice("p-kari", invoice)
    world.prices.put_invoice("p-nora", Invoice("inv-5", CLINIC, "2026-0143", date(2026, 11, 21), 18_700, "open"))
    assert [i.invoice_id for i in world.prices.invoices("p-kari", CLINIC)] == ["inv-4", "inv-2", "inv-1"]
    assert world.prices.invoices("p-kari", OTHER_CLINIC) == [invoices[2]]
    assert world.prices.invoices("p-ola", CLINIC) == []
    assert world.prices.invoice("p-kari", "inv-2") == invoices[1]
    assert world.prices.invoice("p-kari", "inv-5") is None                      # Nora's
    assert world.prices.invoice("p-kari", "inv-none") is None
