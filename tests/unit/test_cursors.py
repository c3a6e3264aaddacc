"""Paging cursors: signed per owner, and the lazy ones read their key (the pepper) only when a
cursor is actually read or made, so a cold start's first list reads no secret (M1)."""
from __future__ import annotations

import pytest

from functions.core.cursor import Cursors, LazyCursors
from functions.core.errors import BadRequest


class CountingKey:
    def __init__(self) -> None:
        self.reads = 0

    def __call__(self) -> bytes:
        self.reads += 1
        return b"pepper"


def test_a_first_page_that_is_also_the_last_reads_no_key():
    key = CountingKey()
    cursors = LazyCursors(key)
    assert cursors.decode("inbox:p-kari", None) is None
    assert cursors.decode("inbox:p-kari", "") is None
    assert cursors.encode("inbox:p-kari", None) is None
    assert key.reads == 0


def test_the_key_is_read_once_when_a_cursor_is_made_and_the_cursor_is_the_eager_ones():
    key = CountingKey()
    cursors = LazyCursors(key)
    made = cursors.encode("inbox:p-kari", {"pk": "X"})
    assert made == Cursors(b"pepper").encode("inbox:p-kari", {"pk": "X"})
    assert cursors.decode("inbox:p-kari", made) == {"pk": "X"}
    assert key.reads == 1


def test_another_owners_cursor_is_refused_at_the_field():
    cursors = LazyCursors(CountingKey())
    made = cursors.encode("inbox:p-kari", {"pk": "X"})
    with pytest.raises(BadRequest) as refused:
        cursors.decode("inbox:p-nora", made)
    assert refused.value.field == "cursor"
