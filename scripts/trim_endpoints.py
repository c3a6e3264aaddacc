"""`python scripts/trim_endpoints.py`: write functions/core/botocore_data/endpoints.json, botocore's
endpoints.json with every partition but only the DynamoDB service.

botocore parses its 1.2 MB endpoints.json on every cold start before the first DynamoDB call
(~30 ms, about a sixth of `import flask`). The records' botocore session searches this folder
first (its documented `data_path` setting), so it parses a few kilobytes instead. The endpoint
it resolves is the one the full file gives; tests/unit/core/test_botocore_data.py fails when an
upgraded botocore's file says something else for DynamoDB: run this script again then."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import botocore

SERVICES = ("dynamodb",)
TARGET = Path(__file__).resolve().parent.parent / "functions" / "core" / "botocore_data" / "endpoints.json"


def trimmed() -> dict:
    full = json.loads((Path(botocore.__file__).parent / "data" / "endpoints.json").read_text())
    partitions = [{**partition, "services": {name: partition["services"][name]
                                            for name in SERVICES if name in partition["services"]}}
                  for partition in full["partitions"]]
    return {"partitions": partitions, "version": full["version"]}


def render() -> str:
    return json.dumps(trimmed(), indent=1, sort_keys=True) + "\n"


if __name__ == "__main__":
    TARGET.write_text(render())
    print(f"wrote {TARGET} ({TARGET.stat().st_size} bytes)", file=sys.stderr)
