"""The records' DynamoDB client reads a trimmed endpoints.json (functions/core/botocore_data): it
must say what botocore's own file says, and resolve the same endpoint a stock client does."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import botocore.session
import pytest

from functions.core import records

ROOT = Path(__file__).resolve().parents[2]


def _script():
    spec = importlib.util.spec_from_file_location("trim_endpoints", ROOT / "scripts" / "trim_endpoints.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_trimmed_file_is_what_the_installed_botocore_says_for_dynamodb():
    script = _script()
    assert (records.BOTOCORE_DATA / "endpoints.json").read_text() == script.render(), \
        "botocore changed its endpoints: run `python scripts/trim_endpoints.py`"


def test_the_file_is_small_and_holds_only_dynamodb():
    data = _script().trimmed()
    assert {name for partition in data["partitions"] for name in partition["services"]} == {"dynamodb"}
    assert (records.BOTOCORE_DATA / "endpoints.json").stat().st_size < 50_000


@pytest.mark.parametrize("region", ["eu-north-1", "eu-west-1", "us-east-1"])
def test_the_records_client_resolves_the_endpoint_a_stock_client_does(region, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    ours = records._make_client(region, None)
    stock = botocore.session.get_session().create_client("dynamodb", region)
    request = {"TableName": "t", "Key": {"pk": {"S": "x"}}}
    assert _url(ours, request) == _url(stock, request) == f"https://dynamodb.{region}.amazonaws.com/"


def _url(client, params) -> str:
    seen = {}

    def capture(request, **_):
        seen["url"] = request.url
        raise _Stop

    client.meta.events.register("before-send.dynamodb.GetItem", capture)
    with pytest.raises(_Stop):
        client.get_item(**params)
    return seen["url"]


class _Stop(Exception):
    pass


@pytest.mark.parametrize("package", ["accounts", "booking", "dialogs", "notices"])
def test_every_zip_that_carries_the_records_carries_the_trimmed_file(package):
    spec = importlib.util.spec_from_file_location("package_script", ROOT / "scripts" / "package.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    files = module.code_files(package)
    assert "functions/core/records.py" in files
    assert files["functions/core/botocore_data/endpoints.json"] == records.BOTOCORE_DATA / "endpoints.json"
