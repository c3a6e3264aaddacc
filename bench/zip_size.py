"""M7: the size of each function's Lambda zip, build/zips/<pkg>.zip from `make package`.

Zips that are missing are built first with scripts/package.py; one that still cannot be found is
reported as "not built" (with the packager's last words) rather than crashing the run."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bench.cold_start import function_packages
from bench.report import Result

BENCH = "M7"
ROOT = Path(__file__).resolve().parent.parent
GOAL_MB = 10.0
GOAL_MB_OF = {"payments": 15.0}   # issue 10: fpdf2 brings fontTools and Pillow, and the DejaVu fonts
MB = 1_000_000  # as scripts/package.py prints sizes
PACKAGER = ROOT / "scripts" / "package.py"


def zip_path(pkg: str, root: Path = ROOT) -> Path:
    return root / "build" / "zips" / f"{pkg}.zip"


def build_missing(packages: list[str], packager: Path = PACKAGER) -> str:
    """Run the packager for `packages`; returns "" or why it could not build them."""
    if not packages:
        return ""
    if not packager.is_file():
        return f"{packager.name} does not exist yet"
    try:
        done = subprocess.run([sys.executable, str(packager), *packages], cwd=ROOT, capture_output=True,
                              text=True, timeout=1800, check=False)
    except subprocess.TimeoutExpired:
        return f"{packager.name} took over 30 min"
    if done.returncode == 0:
        return ""
    lines = (done.stderr.strip() or done.stdout.strip() or "no output").splitlines()
    return f"{packager.name} exited {done.returncode}: {lines[-1][:160]}"


def size_result(pkg: str, path: Path, why_missing: str = "") -> Result:
    name = f"zip size {pkg}"
    goal = GOAL_MB_OF.get(pkg, GOAL_MB)
    if not path.is_file():
        reason = f"not built ({why_missing})" if why_missing else "not built"
        return Result(BENCH, name, None, "MB", goal, failure=reason)
    size = path.stat().st_size
    return Result(BENCH, name, round(size / MB, 2), "MB", goal, f"{path.name}: {size:,} bytes")


def run(runs: int = 1) -> list[Result]:
    """Sizes are exact: read once (`runs` does not apply)."""
    packages = function_packages()
    why = build_missing([pkg for pkg in packages if not zip_path(pkg).is_file()])
    return [size_result(pkg, zip_path(pkg), why) for pkg in packages]
