"""M8: the full site build (both languages, written to a fresh temp dir, static files copied)
against rendering the same pages without writing, site/build.py's build() and render_all()."""
from __future__ import annotations

import runpy
import shutil
import tempfile
from pathlib import Path

from bench import stats
from bench.report import Result

BENCH = "M8"
ROOT = Path(__file__).resolve().parent.parent
SITE_BUILD = ROOT / "site" / "build.py"
GOAL = 2.0


def load(path: Path = SITE_BUILD) -> dict:
    return runpy.run_path(str(path), run_name="site_build")


def build_seconds(build) -> float:
    """One build into a fresh directory; creating and removing it is not timed."""
    out = Path(tempfile.mkdtemp(prefix="bench-site-"))
    try:
        return stats.timed(lambda: build(out))
    finally:
        shutil.rmtree(out, ignore_errors=True)


def run(runs: int = stats.MIN_RUNS) -> list[Result]:
    name = "site build"
    if not SITE_BUILD.is_file():
        return [Result(BENCH, name, None, "x", GOAL, failure="site/build.py does not exist yet")]
    module = load()
    build, render_all = module["build"], module["render_all"]
    runs = max(runs, stats.MIN_RUNS)
    pages = len(render_all())
    subjects, baselines = stats.alternate(lambda: build_seconds(build), lambda: stats.timed(render_all), runs)
    detail = (f"{pages} pages: build median {stats.median(subjects) * 1000:.0f} ms vs render_all "
              f"{stats.median(baselines) * 1000:.0f} ms; {runs} pairs, ratios {stats.spread(subjects, baselines)}")
    return [Result(BENCH, name, stats.median_ratio(subjects, baselines), "x", GOAL, detail)]
