"""The file store and the idempotency store of core, against moto (S3, DynamoDB)."""
from __future__ import annotations

import urllib.parse

import pytest

from functions.core import files
from functions.core.errors import Conflict
from functions.core.idempotency import Done, Idempotency, InFlight
from tests.support.aws_stack import moto_runtime


@pytest.fixture
def rt():
    with moto_runtime() as runtime:
        yield runtime


def test_files_go_under_server_made_keys_and_out_through_presigned_urls_with_a_safe_name(rt):
    store = files.S3FileStore(lambda: rt.client("s3"), rt.settings.bucket("pictures"), 300)
    key = store.put("attachments/d123", b"%PDF-1.7 test", files.PDF)
    assert key.startswith("attachments/d123/") and key.endswith(".pdf") and len(key) > len("attachments/d123/x.pdf")
    assert store.get(key) == b"%PDF-1.7 test"
    url = store.url(key, files.safe_filename("Resept.pdf", files.PDF))
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    assert query["response-content-disposition"] == ['attachment; filename="Resept.pdf"; filename*=UTF-8\'\'Resept.pdf']
    assert "X-Amz-Expires" in query or "Expires" in query
    store.delete(key)
    with pytest.raises(rt.client("s3").exceptions.NoSuchKey):
        store.get(key)


@pytest.mark.parametrize("prefix", ["../etc", "attachments/../x", "Attachments/x", "attachments/a b", ""])
def test_a_client_can_never_choose_where_a_file_goes(rt, prefix):
    store = files.S3FileStore(lambda: rt.client("s3"), rt.settings.bucket("pictures"), 300)
    with pytest.raises(ValueError):
        store.put(prefix, b"%PDF-1.7", files.PDF)


def test_a_request_is_handled_once_and_a_repeat_gets_the_first_answer(rt):
    store = Idempotency(rt.clock)
    assert store.begin("send", "key-00000001", {"text": "hei"}) is None
    with pytest.raises(InFlight):
        store.begin("send", "key-00000001", {"text": "hei"})   # the first is still running
    store.finish("send", "key-00000001", {"id": "m1"})
    assert store.begin("send", "key-00000001", {"text": "hei"}) == Done({"id": "m1"})
    assert store.begin("other-scope", "key-00000001", {"text": "hei"}) is None


def test_the_same_key_with_another_payload_is_refused(rt):
    store = Idempotency(rt.clock)
    store.begin("send", "key-00000002", {"text": "hei"})
    store.finish("send", "key-00000002", {"id": "m1"})
    with pytest.raises(Conflict) as reused:
        store.begin("send", "key-00000002", {"text": "noe annet"})
    assert reused.value.code == "idempotency_key_reused"


def test_a_run_that_died_or_failed_can_be_tried_again(rt):
    store = Idempotency(rt.clock)
    store.begin("send", "key-00000003", {"n": 1})
    rt.clock.advance(seconds=Idempotency.IN_FLIGHT.total_seconds() + 1)
    assert store.begin("send", "key-00000003", {"n": 1}) is None   # the first run died: taken over
    store.abandon("send", "key-00000003")
    assert store.begin("send", "key-00000003", {"n": 1}) is None
