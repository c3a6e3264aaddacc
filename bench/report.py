"""One result row per measured thing, the table `python -m bench` prints, and its JSON."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass
class Result:
    bench: str                   # "M1"
    name: str                    # "cold start accounts"
    value: float | None          # the ratio, count or size; None when it could not be measured
    unit: str                    # "x", "calls", "MB"
    limit: float | None = None   # goal: value <= limit; None = informational
    detail: str = ""
    failure: str | None = None   # a reason to fail regardless of the value (e.g. "Scan", "not built")
    also: str = ""               # a further goal checked through `failure`, e.g. "no Scan"

    @property
    def passed(self) -> bool:
        if self.failure is not None or (self.value is None and self.limit is not None):
            return False
        return self.limit is None or self.value <= self.limit

    @property
    def measured(self) -> str:
        if self.value is None:
            return self.failure or "-"
        number = f"{self.value:.2f}" if isinstance(self.value, float) else str(self.value)
        return f"{number}{self.unit}" if self.unit == "x" else f"{number} {self.unit}"

    @property
    def goal(self) -> str:
        parts = [self.also] if self.also else []
        if self.limit is not None:
            number = f"{self.limit:g}"
            parts.insert(0, f"<= {number}{self.unit}" if self.unit == "x" else f"<= {number} {self.unit}")
        return ", ".join(parts) or "info"

    def to_json(self) -> dict:
        return {**asdict(self), "measured": self.measured, "goal": self.goal, "passed": self.passed}


HEADERS = ("benchmark", "measured", "goal", "result", "detail")


def rows(results: list[Result]) -> list[tuple[str, ...]]:
    return [(f"{r.bench} {r.name}", r.measured, r.goal, "PASS" if r.passed else "FAIL",
             _detail(r)) for r in results]


def _detail(result: Result) -> str:
    if result.failure and result.value is not None:
        return f"{result.failure}; {result.detail}" if result.detail else result.failure
    return result.detail


def table(results: list[Result]) -> str:
    lines = [HEADERS, *rows(results)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(HEADERS) - 1)]
    out = []
    for n, line in enumerate(lines):
        cells = [cell.ljust(width) for cell, width in zip(line, widths, strict=False)]
        out.append("  ".join([*cells, line[-1]]).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in [*widths, len(HEADERS[-1])]))
    return "\n".join(out)


def write_json(path: Path, results: list[Result], seconds: float) -> None:
    payload = {"passed": all(r.passed for r in results), "seconds": round(seconds, 1),
               "results": [r.to_json() for r in results]}
    Path(path).write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
