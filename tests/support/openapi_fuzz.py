"""Shared by the clinic APIs' OpenAPI tests (booking and accounts): the checks every answer must pass,
bounded Hypothesis settings, the routes an app really serves (read from its url_map), and a
document narrowed to the demo's real things so that generated calls also reach the happy paths."""
from __future__ import annotations

import copy
import os
import re
from collections.abc import Mapping

from flask import Flask
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

# No 5xx; only documented statuses, each with its documented content type and shape.
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# ... and input outside the document is refused with a 4xx (only meaningful for generated, not narrowed, data).
WITH_REJECTION = [*CHECKS, negative_data_rejection]
# Bounded so both documents together stay well under a minute on two cores; FUZZ_EXAMPLES=200 for a
# deeper run by hand (minutes).
SETTINGS = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "15")), deadline=None, derandomize=True,
                    database=None, suppress_health_check=list(HealthCheck))

_VARIABLE = re.compile(r"<(?:\w+:)?(\w+)>")


def served_routes(app: Flask, prefix: str, spec_path: str, rename: Mapping[str, str] | None = None) -> set:
    """(METHOD, OpenAPI path) of every route under `prefix` but the document itself; Flask's
    `<path:ref>` becomes `{ref}` (or its documented name from `rename`)."""
    names = dict(rename or {})
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(prefix) and rule.rule != spec_path:
            path = _VARIABLE.sub(lambda m: "{" + names.get(m.group(1), m.group(1)) + "}", rule.rule)
            routes |= {(method, path) for method in rule.methods - {"HEAD", "OPTIONS"}}
    return routes


def documented_routes(spec: dict) -> set:
    return {(method.upper(), path) for path, item in spec["paths"].items() for method in item}


def narrowed(spec: dict, values: Mapping[str, list], per_operation: Mapping[tuple, Mapping] | None = None) -> dict:
    """The same document with the named parameters and body properties drawn from `values` (an enum);
    `per_operation[(method, path)]` overrides them, `body.<name>` for a body property."""
    result = copy.deepcopy(spec)
    for path, item in result["paths"].items():
        for method, op in item.items():
            own = {**values, **(per_operation or {}).get((method, path), {})}
            # New dicts, not edits: one parameter or schema object may be shared by several operations.
            op["parameters"] = [{**param, "schema": {"type": "string", "enum": own[param["name"]]}}
                                if param["name"] in own else param for param in op["parameters"]]
            content = op.get("requestBody", {}).get("content", {}).get("application/json")
            if content:
                props = content["schema"].get("properties", {})
                content["schema"] = {**content["schema"], "properties": {
                    name: {"type": "string", "enum": own.get(f"body.{name}", values[name])} if name in values
                    else schema for name, schema in props.items()}}
    return result
