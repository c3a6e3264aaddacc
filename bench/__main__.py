"""`python -m bench [--only M1,M3] [--json PATH] [--runs N]`: run the benchmarks, print one table,
exit 1 if any goal is missed."""
from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench import booking_write, cold_start, dynamodb_calls, pdf_time, site_build, video_room, warm_cpu, zip_size
from bench.report import Result, table, write_json
from bench.stats import MIN_RUNS

BENCHMARKS: dict[str, tuple[str, Callable[[int], list[Result]]]] = {
    "M1": ("cold start", cold_start.run),
    # M2 goal: month calendar <= 1.5x the CPU of a Flask hello-world making one Query (canned transport)
    "M2": ("warm CPU per request", warm_cpu.run),
    # M3 goals: per probe (bench/dynamodb_calls.py PROBES), never a Scan
    "M3": ("DynamoDB calls per request", dynamodb_calls.run),
    # M6 goals: a warm booking makes <= 2 requests, no read; its p50 <= 1.2x the same requests bare (botocore);
    # a 20-way race for one slot has exactly 1 winner; 10 times at a cap of 3 give exactly 3
    "M6": ("booking write latency and contention", booking_write.run),
    "M7": ("zip size", zip_size.run),
    "M8": ("site build", site_build.run),
    # M9 goal: a receipt's or invoice's PDF <= 3x a bare one-page fpdf2 document (same fonts) in the same run
    "M9": ("PDF time", pdf_time.run),
    # M10 goals: first remote frame <= 2x in-page signalling; <= 10 signalling requests per join per side;
    # each room page <= 60 KB of HTML+CSS+JS with 0 third-party requests
    "M10": ("video room", video_room.run),
}


def selected(only: str | None) -> list[str]:
    if not only:
        return list(BENCHMARKS)
    names = [name.strip().upper() for name in only.split(",") if name.strip()]
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        raise SystemExit(f"bench: unknown benchmark {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}")
    return names


def run_one(name: str, runs: int) -> list[Result]:
    """A benchmark that breaks becomes a failed row; the others still run."""
    title, run = BENCHMARKS[name]
    try:
        return run(runs)
    except Exception as exc:  # noqa: BLE001 - reported in the table, never hidden
        return [Result(name, title, None, "", failure=f"error: {type(exc).__name__}: {exc}"[:200])]


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated benchmarks, e.g. M1,M3 (default: all)")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument("--runs", type=int, default=MIN_RUNS,
                        help=f"timed pairs per ratio (default and minimum {MIN_RUNS})")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    start = time.perf_counter()
    results: list[Result] = []
    for name in selected(args.only):
        print(f"running {name} {BENCHMARKS[name][0]} ...", file=sys.stderr, flush=True)
        results.extend(run_one(name, args.runs))
    seconds = time.perf_counter() - start
    print(table(results))
    passed = all(result.passed for result in results)
    print(f"\n{'all goals met' if passed else 'GOALS MISSED'} in {seconds:.1f} s")
    if args.json:
        write_json(args.json, results, seconds)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
