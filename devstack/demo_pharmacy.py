"""E-apotek demo: two pharmacy vendors with different delivery prices (whole øre; door delivery
dearer than the shop) and a vendor credential each (the secret stored only as a peppered hash).
The demo patients' registered addresses are their profiles' (devstack/demo.py). `make run`
prints the credentials beside the clinics'."""
from __future__ import annotations

from functions.pharmacy.model import PA_DOREN, POST_I_BUTIKK, Vendor, check_prices
from functions.pharmacy.repository import Credential, PharmacyRepository
from functions.pharmacy.vendor_auth import hash_secret

TERMS = ("Når du velger {name}, bruker apoteket fødselsnummeret ditt til å slå opp reseptene dine og "
         "adressen din for å sende deg medisinene.")
VENDORS = (
    ("v-nordlys", "Nordlys Apotek", {POST_I_BUTIKK: 4_900, PA_DOREN: 9_900}),
    ("v-fjordapoteket", "Fjordapoteket", {POST_I_BUTIKK: 3_900, PA_DOREN: 12_900}),
)
NORDLYS_KEY_ID = "vk_demo_nordlys"
NORDLYS_SECRET = "demo-nordlys-secret-not-for-production"  # noqa: S105 - local demo only
FJORD_KEY_ID = "vk_demo_fjordapoteket"
FJORD_SECRET = "demo-fjordapoteket-secret-not-for-production"  # noqa: S105 - local demo only
# (vendor name, key id, secret) of each demo vendor credential: `make run` prints them
CREDENTIALS = (("Nordlys Apotek", NORDLYS_KEY_ID, NORDLYS_SECRET), ("Fjordapoteket", FJORD_KEY_ID, FJORD_SECRET))
KEYS = {NORDLYS_KEY_ID: "v-nordlys", FJORD_KEY_ID: "v-fjordapoteket"}


def load(pepper: bytes) -> None:
    repo = PharmacyRepository(None, None)
    for vendor_id, name, prices in VENDORS:
        repo.put_vendor(Vendor(vendor_id, name, TERMS.format(name=name), "2026-01", check_prices(prices)))
    for _, key_id, secret in CREDENTIALS:
        repo.put_credential(Credential(key_id, KEYS[key_id], hash_secret(secret, pepper), True))
