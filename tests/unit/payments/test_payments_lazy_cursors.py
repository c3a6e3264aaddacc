"""M1: a first page of Mine betalinger (no cursor given, none to hand back) never reads the pepper:
creating the secrets client cost the payments cold start ~0.1 s on its first request."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from functions.core.cursor import Cursors
from functions.core.errors import BadRequest
from functions.payments.services import _Lazy


class NoSecrets:
    @property
    def cursors(self):
        raise AssertionError("the pepper was read for a page that needs no cursor")


def test_M1_a_page_without_cursors_reads_no_secret():
    lazy = _Lazy(NoSecrets())
    assert lazy.decode("payments:p-kari:utestaende:2026", None) is None
    assert lazy.decode("payments:p-kari:utestaende:2026", "") is None
    assert lazy.encode("payments:p-kari:utestaende:2026", None) is None


def test_M1_cursors_are_still_signed_and_checked_when_there_are_any():
    lazy = _Lazy(SimpleNamespace(cursors=Cursors(b"pepper")))
    key = {"pk": {"S": "INV#inv-emma-20"}}
    cursor = lazy.encode("payments:p-emma:alt-betalt:2026", key)
    assert cursor and lazy.decode("payments:p-emma:alt-betalt:2026", cursor) == key
    with pytest.raises(BadRequest) as refused:
        lazy.decode("payments:p-emma:betalt-i-aar:2026", cursor)   # another tab's cursor
    assert refused.value.code == "bad_cursor"
