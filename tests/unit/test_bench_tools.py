"""The pure helpers of `make bench` (bench/): statistics, the call counter, result rows. No timings."""
from __future__ import annotations

import json
from types import SimpleNamespace

import botocore.session
import pytest
from botocore.awsrequest import AWSResponse

from bench import stats
from bench.__main__ import selected
from bench.cold_start import function_packages
from bench.counter import Call, CallCounter, counting, table_of
from bench.dynamodb_calls import Probe, evaluate
from bench.report import Result, table, write_json
from bench.zip_size import build_missing, size_result


def op(name: str) -> SimpleNamespace:
    return SimpleNamespace(name=name)  # stands in for botocore's OperationModel


def body(table_name: str) -> dict:
    return {"body": json.dumps({"TableName": table_name}).encode()}


def test_median_of_odd_and_even_counts():
    assert stats.median([3.0, 1.0, 2.0]) == 2.0
    assert stats.median([4.0, 1.0, 3.0, 2.0]) == 2.5
    with pytest.raises(ValueError):
        stats.median([])


def test_ratio_needs_a_positive_baseline():
    assert stats.ratio(3.0, 1.5) == 2.0
    with pytest.raises(ValueError):
        stats.ratio(1.0, 0.0)


def test_median_ratio_pairs_each_run_with_its_own_baseline():
    # A noisy pair (both slow) must not skew the answer: pairwise ratios are 2, 2, 2.
    assert stats.paired_ratios([2.0, 20.0, 4.0], [1.0, 10.0, 2.0]) == [2.0, 2.0, 2.0]
    assert stats.median_ratio([2.0, 20.0, 4.0], [1.0, 10.0, 2.0]) == 2.0
    assert stats.spread([2.0, 30.0, 4.0], [1.0, 10.0, 2.0]) == "2.00-3.00x"
    with pytest.raises(ValueError):
        stats.paired_ratios([1.0], [1.0, 2.0])


def test_alternate_interleaves_and_warms_up_untimed():
    order = []

    def subject():
        order.append("s")
        return 2.0

    def baseline():
        order.append("b")
        return 1.0

    subjects, baselines = stats.alternate(subject, baseline, runs=3, warmup=1)
    assert order == ["s", "b"] * 4
    assert (subjects, baselines) == ([2.0] * 3, [1.0] * 3)


def test_counter_records_operations_and_tables_and_flags_a_scan():
    counter = CallCounter()
    counter.on_before_call(model=op("GetItem"), params=body("portal-test-sessions"), request_signer=None)
    counter.on_before_call(model=op("Scan"), params=body("portal-test-patients"))
    assert counter.operations == ["GetItem", "Scan"]
    assert counter.scans == ["Scan"]
    assert counter.take() == [Call("GetItem", "portal-test-sessions"), Call("Scan", "portal-test-patients")]
    assert counter.count == 0 and counter.scans == []


def test_table_of_reads_json_bodies_and_tolerates_others():
    assert table_of(b'{"TableName": "t"}') == "t"
    assert table_of({"TableName": "t"}) == "t"
    assert table_of(b"") is None and table_of(b"not json") is None and table_of(None) is None


class _Raw:
    def stream(self, **_):
        yield b'{"Items": [], "Count": 0}'


def answer_locally(request, **_):
    """A `before-send` handler answering every request without a network (as moto does)."""
    return AWSResponse(request.url, 200, {}, _Raw())


def test_counting_hooks_clients_created_meanwhile_and_unhooks_after():
    counter = CallCounter()
    session = botocore.session.get_session()
    with counting(counter):
        client = session.create_client("dynamodb", region_name="eu-north-1", aws_access_key_id="x",
                                       aws_secret_access_key="y")  # noqa: S106
        client.meta.events.register("before-send", answer_locally)
        client.scan(TableName="portal-test-patients")
    assert counter.calls == [Call("Scan", "portal-test-patients")]
    client.scan(TableName="portal-test-patients")
    assert counter.count == 1


def test_a_probe_within_its_goal_passes():
    probe = Probe("GET /api/accounts/profile", "GET", "/api/accounts/profile", max_calls=2)
    result = evaluate(probe, [Call("GetItem", "s"), Call("GetItem", "p")], 200)
    assert result.passed and result.value == 2 and result.detail == "GetItem s, GetItem p"
    assert result.goal == "<= 2 calls, no Scan"


def test_a_probe_fails_on_too_many_calls_on_any_scan_and_on_an_error_status():
    limited = Probe("p", "GET", "/x", max_calls=2)
    informational = Probe("i", "GET", "/x")
    assert not evaluate(limited, [Call("GetItem", "s")] * 3, 200).passed
    scanned = evaluate(informational, [Call("GetItem", "s"), Call("Scan", "p")], 200)
    assert not scanned.passed and "Scan" in scanned.failure
    assert not evaluate(informational, [], 403).passed
    assert evaluate(informational, [Call("Query", "p")] * 9, 200).passed


def test_result_rows_and_table():
    ok = Result("M8", "site build", 1.234, "x", 2.0, "detail")
    missing = Result("M7", "zip size x", None, "MB", 10.0, failure="not built")
    info = Result("M3", "calls", 3, "calls")
    assert (ok.passed, ok.measured, ok.goal) == (True, "1.23x", "<= 2x")
    assert (missing.passed, missing.measured, missing.goal) == (False, "not built", "<= 10 MB")
    assert (info.passed, info.measured, info.goal) == (True, "3 calls", "info")
    assert not Result("M1", "c", 3.5, "x", 3.0).passed
    lines = table([ok, missing]).splitlines()
    assert lines[0].split() == ["benchmark", "measured", "goal", "result", "detail"]
    assert "PASS" in lines[2] and "FAIL" in lines[3]


def test_json_output(tmp_path):
    path = tmp_path / "bench.json"
    write_json(path, [Result("M8", "site build", 1.5, "x", 2.0)], 12.34)
    data = json.loads(path.read_text())
    assert data["passed"] is True and data["seconds"] == 12.3
    assert data["results"][0]["measured"] == "1.50x" and data["results"][0]["passed"] is True


def test_zip_size_reports_a_missing_zip_as_not_built(tmp_path):
    result = size_result("accounts", tmp_path / "accounts.zip", "scripts/package.py exited 1: boom")
    assert not result.passed and result.measured.startswith("not built")


def test_a_missing_packager_is_reported_not_raised(tmp_path):
    assert build_missing([], tmp_path / "package.py") == ""
    assert build_missing(["accounts"], tmp_path / "package.py") == "package.py does not exist yet"


def test_function_packages_are_discovered_by_app_module(tmp_path):
    for pkg in ("accounts", "health"):
        (tmp_path / "functions" / pkg).mkdir(parents=True)
    (tmp_path / "functions" / "accounts" / "app.py").write_text("")
    (tmp_path / "functions" / "core").mkdir()
    assert function_packages(tmp_path) == ["accounts"]


def test_only_selects_benchmarks_and_rejects_unknown_ones():
    assert selected("m1, M3") == ["M1", "M3"]
    assert selected(None) == ["M1", "M3", "M7", "M8"]
    with pytest.raises(SystemExit):
        selected("M2")
