"""The pure helpers of `make bench` (bench/): statistics, the call counter, result rows. No timings."""
from __future__ import annotations

import json
from types import SimpleNamespace

import botocore.session
import pytest
from botocore.awsrequest import AWSResponse

from bench import stats
from bench.__main__ import selected
from bench.booking_write import RaceOutcome, race_result
from bench.cold_start import function_packages
from bench.counter import Call, CallCounter, call_of, counting, hooked, key_condition, table_of
from bench.dynamodb_calls import CALL, Demo, Probe, describe, evaluate, evaluate_rows, query_problem, range_bounds
from bench.report import Result, table, write_json
from bench.warm_cpu import Exchange, Recorder, Replayer, UnexpectedCall, target_operation
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
    assert selected("m2,m6") == ["M2", "M6"]
    assert selected(None) == ["M1", "M2", "M3", "M6", "M7", "M8", "M9", "M10"]
    with pytest.raises(SystemExit):
        selected("M99")


# --- M3: what a request asked for (index, key condition, limit), reads and writes apart

QUERY = {"TableName": "booking", "IndexName": "free", "Limit": 1,
         "KeyConditionExpression": "(#0 = :0 AND #1 BETWEEN :1 AND :2)",
         "ExpressionAttributeNames": {"#0": "free_pk", "#1": "start"},
         "ExpressionAttributeValues": {":0": {"S": "TB#tb-lise"}, ":1": {"S": "2026-11-23T08:00:00Z"},
                                       ":2": {"S": "2026-11-30T23:00:00Z"}}}
IN_MONTH = "(free_pk = TB#tb-lise AND start BETWEEN 2026-11-23T08:00:00Z AND 2026-11-30T23:00:00Z)"
MONTH = ("2026-10-31T23:00:00Z", "2026-11-30T23:00:00Z")


def test_key_condition_fills_in_names_and_values():
    assert key_condition(QUERY) == IN_MONTH
    assert key_condition(json.dumps(QUERY).encode()) == IN_MONTH
    assert key_condition({"TableName": "t"}) is None and key_condition(b"not json") is None
    numbers = {"KeyConditionExpression": "#n > :n", "ExpressionAttributeNames": {"#n": "n"},
               "ExpressionAttributeValues": {":n": {"N": "3"}}}
    assert key_condition(numbers) == "n > 3"


def test_call_of_keeps_index_condition_limit_and_batch_tables():
    call = call_of("Query", json.dumps(QUERY).encode())
    assert call == Call("Query", "booking", "free", IN_MONTH, 1)
    assert str(call) == "Query booking[free]" and not call.is_write
    batch = call_of("BatchWriteItem", {"RequestItems": {"b": [], "a": []}})
    assert str(batch) == "BatchWriteItem a,b" and batch.is_write
    assert call_of("GetItem", body("s")["body"]) == Call("GetItem", "s")  # the counter's old shape still holds


def test_counter_lists_its_writes():
    counter = CallCounter()
    for name in ("GetItem", "UpdateItem", "Query", "BatchWriteItem"):
        counter.on_before_call(model=op(name), params=body("t"))
    assert [c.operation for c in counter.writes] == ["UpdateItem", "BatchWriteItem"]


def test_describe_folds_runs_of_the_same_call():
    calls = [Call("Query", "b")] + [Call("BatchWriteItem", "b")] * 3 + [Call("GetItem", "s")]
    assert describe(calls) == "Query b, BatchWriteItem b ×3, GetItem s"
    assert describe([]) == "no calls"


def test_range_bounds_of_between_and_comparisons():
    assert range_bounds(IN_MONTH) == ("2026-11-23T08:00:00Z", "2026-11-30T23:00:00Z")
    assert range_bounds("(pk = CLINIC#c AND start > 2026-11-23T08:00:00Z)") == ("2026-11-23T08:00:00Z", None)
    assert range_bounds("pk = x AND start <= b") == (None, "b")
    assert range_bounds("pk = x") == (None, None) and range_bounds(None) == (None, None)


def test_query_problem_checks_index_window_and_limit():
    month = Probe("m", "GET", "/x", index="free", within="month")
    first = Probe("f", CALL, "first_free", index="clinic_free", limit=1)
    in_month = Call("Query", "b", "free", IN_MONTH)
    assert query_problem(month, [Call("GetItem", "s"), in_month], MONTH) is None
    assert "no Query of index free" in query_problem(month, [Call("Query", "b", None, IN_MONTH)], MONTH)
    wider = Call("Query", "b", "free", IN_MONTH.replace("2026-11-30T23", "2026-12-31T23"))
    assert "outside the month" in query_problem(month, [wider], MONTH)
    open_ended = Call("Query", "b", "free", "(free_pk = TB#x AND start > 2026-11-23T08:00:00Z)")
    assert "outside the month" in query_problem(month, [open_ended], MONTH)
    assert query_problem(first, [Call("Query", "b", "clinic_free", "c", 1)]) is None
    assert "limit" in query_problem(first, [Call("Query", "b", "clinic_free", "c", None)])
    assert query_problem(Probe("p", "GET", "/x"), [Call("Scan", "b")]) is None  # no index demanded


def test_a_probe_with_an_index_fails_when_its_query_reads_elsewhere():
    month = Probe("m", "GET", "/x", max_calls=2, index="free", within="month")
    good = evaluate(month, [Call("GetItem", "s"), Call("Query", "b", "free", IN_MONTH)], 200, window=MONTH)
    assert good.passed and good.value == 2 and "key " + IN_MONTH in good.detail
    assert good.goal == "<= 2 calls, no Scan, Query index free within the month"
    bad = evaluate(month, [Call("GetItem", "s"), Call("Query", "b", "by_patient", "x")], 200, window=MONTH)
    assert not bad.passed and "no Query of index free" in bad.failure


def test_a_call_probe_fails_when_the_call_found_nothing():
    probe = Probe("first free", CALL, "first_free", max_calls=1)
    assert evaluate(probe, [Call("Query", "b")], 200, outcome=("pk", "sk")).passed
    assert evaluate(probe, [Call("Query", "b")], 200, outcome=None).failure == "the call found nothing"


def test_publish_goal_is_ceil_n_over_25_batch_writes_counting_only_those():
    probe = Probe("publish", CALL, "publish", counted=frozenset({"BatchWriteItem"}), per_batch=25)
    calls = [Call("Query", "b"), Call("Query", "b")] + [Call("BatchWriteItem", "b")] * 10
    ok = evaluate(probe, calls, 200, outcome=240)
    assert (ok.passed, ok.value, ok.limit) == (True, 10, 10)
    assert ok.detail.startswith("N=240, goal ceil(N/25)=10 BatchWriteItem; Query b ×2, BatchWriteItem b ×10")
    assert not evaluate(probe, calls + [Call("BatchWriteItem", "b")], 200, outcome=240).passed
    assert evaluate(probe, [Call("BatchWriteItem", "b")] * 10, 200, outcome=226).limit == 10
    assert not evaluate(probe, [], 200, outcome=0).passed  # nothing published is no pass


def test_a_write_probe_reports_reads_and_writes_apart_and_wants_exactly_its_writes():
    probe = Probe("POST /b", "POST", "/b", writes=("UpdateItem",))
    reads = [Call("GetItem", "s"), Call("GetItem", "b"), Call("Query", "b", "by_patient")]
    read_row, write_row = evaluate_rows(probe, [*reads, Call("UpdateItem", "b")], 201)
    assert (read_row.name, read_row.value, read_row.limit, read_row.passed) == (
        "DynamoDB calls POST /b reads", 3, None, True)
    assert (write_row.name, write_row.value, write_row.limit, write_row.passed) == (
        "DynamoDB calls POST /b writes", 1, 1, True)
    assert write_row.detail == "UpdateItem b" and write_row.goal == "<= 1 calls, exactly UpdateItem, no Scan"
    _, two = evaluate_rows(probe, [*reads, Call("PutItem", "b"), Call("UpdateItem", "b")], 201)
    assert not two.passed and "expected exactly ['UpdateItem']" in two.failure
    _, put = evaluate_rows(probe, [*reads, Call("PutItem", "b")], 201)
    assert not put.passed
    scanned, _ = evaluate_rows(probe, [Call("Scan", "b"), Call("UpdateItem", "b")], 201)
    assert not scanned.passed
    refused = evaluate_rows(probe, reads, 409)
    assert not any(row.passed for row in refused)
    assert evaluate_rows(Probe("g", "GET", "/g"), reads, 200)[0].value == 3  # no writes demanded: one row


def test_demo_fills_paths_and_bodies():
    demo = Demo(values={"month": "2026-11", "slot_id": "tb~2026-11-24T07:00:00Z"})
    assert demo.fill("/m?month={month}&type=ordinar") == "/m?month=2026-11&type=ordinar"
    assert demo.fill({"slot_id": "{slot_id}", "n": 1}) == {"slot_id": "tb~2026-11-24T07:00:00Z", "n": 1}
    assert demo.fill(None) is None


# --- M2: recording real answers once, replaying them as a canned transport

def make_client():
    return botocore.session.get_session().create_client(
        "dynamodb", region_name="eu-north-1", aws_access_key_id="x", aws_secret_access_key="y")  # noqa: S106


class _Answer:
    def __init__(self, payload: bytes) -> None:
        self.payload = payload

    def stream(self, **_):
        yield self.payload


def answer_query(request, **_):
    """Stands in for the real service while recording."""
    return AWSResponse(request.url, 200, {}, _Answer(b'{"Items": [{"pk": {"S": "a"}}], "Count": 1}'))


def test_target_operation_reads_the_amz_target():
    assert target_operation({"X-Amz-Target": "DynamoDB_20120810.Query"}) == "Query"
    assert target_operation({"X-Amz-Target": b"DynamoDB_20120810.GetItem"}) == "GetItem"
    assert target_operation({}) is None and target_operation(None) is None


def test_recorded_answers_replay_without_any_transport():
    recorder = Recorder()
    with hooked(recorder):
        live = make_client()
        live.meta.events.register("before-send", answer_query)
        first = live.query(TableName="b", KeyConditionExpression="pk = :p",
                           ExpressionAttributeValues={":p": {"S": "a"}})
    [exchange] = recorder.exchanges
    assert exchange.operation == "Query" and exchange.status == 200
    assert exchange.request["TableName"] == "b" and json.loads(exchange.body)["Count"] == 1

    replayer = Replayer.of(recorder.exchanges)
    with hooked(replayer):
        canned = make_client()  # no before-send of its own: only the replay can answer
        again = canned.query(**exchange.request)
        with pytest.raises(UnexpectedCall):
            canned.get_item(TableName="b", Key={"pk": {"S": "a"}})
    assert again["Items"] == first["Items"] and replayer.replayed == 1
    with pytest.raises(ValueError):
        Replayer.of([exchange, Exchange("Query", {}, 200, {}, b"{}")])


# --- M6: the race's verdict

def test_a_race_passes_with_one_winner_nineteen_slot_taken_and_the_slot_held_by_the_winner():
    outcomes = ("slot_taken",) * 7 + ("won",) + ("slot_taken",) * 12
    fair = RaceOutcome(outcomes, winner="p-race-07", slot_holder="p-race-07", slot_status="booked")
    assert (fair.winners, fair.taken, fair.problem) == (1, 19, None)
    row = race_result(fair)
    assert row.passed and row.value == 1 and row.goal == "<= 1 winners, exactly 1, 19 × slot_taken"


def test_a_race_fails_on_two_winners_on_other_errors_and_on_a_slot_not_held_by_the_winner():
    two = RaceOutcome(("won", "won") + ("slot_taken",) * 18, "p-race-00", "p-race-00", "booked")
    assert two.problem == "2 winners" and not race_result(two).passed
    none = RaceOutcome(("slot_taken",) * 20, None, None, "free")
    assert none.problem == "0 winners" and not race_result(none).passed
    other = RaceOutcome(("won",) + ("slot_taken",) * 18 + ("ReadTimeoutError",), "p-race-00", "p-race-00", "booked")
    assert "ReadTimeoutError" in other.problem
    stolen = RaceOutcome(("won",) + ("slot_taken",) * 19, "p-race-00", "p-race-05", "booked")
    assert "winner p-race-00" in stolen.problem and not race_result(stolen).passed


def test_cpu_per_request_refuses_failed_answers():
    from bench.warm_cpu import cpu_per_request

    assert cpu_per_request(lambda: SimpleNamespace(status_code=200), 3) >= 0
    with pytest.raises(RuntimeError, match="1 of 3"):
        answers = iter([200, 500, 200])
        cpu_per_request(lambda: SimpleNamespace(status_code=next(answers)), 3)


def test_quartiles_give_the_middle_half_of_the_paired_ratios():
    from bench import stats

    subjects = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]
    assert stats.quartiles(subjects, [1.0] * 8) == "2.25-6.75x"
    assert stats.quartiles([2.0, 3.0], [1.0, 1.0]) == "2.00-3.00x"   # too few pairs: the whole range
