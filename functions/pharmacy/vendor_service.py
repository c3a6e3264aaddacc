"""What a pharmacy vendor does through its own API (R40): its orders (only those sent to it), one
order with the patient's national id (the lookup the patient consented to; written to the
patient's access log, R55), marking an order processed (once; the patient is told), and its price
data."""
from __future__ import annotations

from dataclasses import dataclass, replace

from functions.core.clock import Clock
from functions.core.cursor import Cursors
from functions.core.errors import Conflict, NotFound
from functions.core.outbox import Notice
from functions.core.profile_facts import ProfileFacts
from functions.pharmacy import model
from functions.pharmacy.model import Order, Vendor
from functions.pharmacy.patient_service import LINK
from functions.pharmacy.ports import AccessRecorder, Pharmacy
from functions.pharmacy.vendor_auth import VendorCaller


@dataclass(frozen=True)
class Fetched:
    order: Order
    national_id: str | None


class VendorPharmacy:
    def __init__(self, repo: Pharmacy, facts: ProfileFacts, access_log: AccessRecorder, cursors: Cursors,
                 clock: Clock) -> None:
        self._repo, self._facts, self._log, self._cursors, self._clock = repo, facts, access_log, cursors, clock

    def orders(self, caller: VendorCaller, status: str | None, cursor: str | None) -> tuple[list[Order], str | None]:
        owner = f"vendor:{caller.vendor.vendor_id}:{status or ''}"
        page, last = self._repo.vendor_orders(caller.vendor.vendor_id, self._cursors.decode(owner, cursor),
                                              status=status)
        return page, self._cursors.encode(owner, last)

    def fetch(self, caller: VendorCaller, order_id: str) -> Fetched:
        """The order with the national id, read from the profile now (stored nowhere else), and
        only while the patient's consent to this vendor stands: a withdrawn consent stops the
        lookups it allowed (R40), also of orders sent before it."""
        order = self._own(caller, order_id)
        consents, _ = self._repo.patient_items(order.patient_id)
        if order.vendor_id not in consents:
            raise Conflict("consent_withdrawn")
        self._log.record(caller.actor, order.patient_id, "what_pharmacy_order", "why_pharmacy_delivery")
        return Fetched(order, self._facts.national_id(order.patient_id))

    def mark_processed(self, caller: VendorCaller, order_id: str) -> Order:
        order = self._own(caller, order_id)
        if order.status == model.BEHANDLET:
            return order
        done = model.processed(order, self._clock.now())
        notice = Notice(order.ordered_by, "pharmacy_order_processed", LINK, ref=f"pharmacy#{order.order_id}")
        if self._repo.mark_processed(done, notice):
            return done
        return self._repo.order(order_id) or done    # processed meanwhile: the first time stands

    def put_prices(self, caller: VendorCaller, prices: object) -> Vendor:
        vendor = replace(caller.vendor, prices=model.check_prices(prices))
        self._repo.put_vendor(vendor)
        return vendor

    def _own(self, caller: VendorCaller, order_id: str) -> Order:
        order = self._repo.order(order_id)
        if order is None or order.vendor_id != caller.vendor.vendor_id:
            raise NotFound()
        return order
