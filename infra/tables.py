"""Tables and buckets as infra/template.yaml defines them, for the local stack and the tests.

The CloudFormation template is the single source of truth for table schemas; this module reads it
(a YAML SafeLoader that turns `!Ref`/`!Sub`/`!GetAtt`... tags into their `{"Ref": ...}` /
`{"Fn::Sub": ...}` long forms) and turns it into boto3 calls for a given prefix:

    tables(prefix)                  {"sessions": TableSpec(...), ...}  keyed by the records' table name
    buckets(prefix)                 {"PicturesBucket": "portal-local-pictures", ...}
    create_tables(dynamodb, prefix) create every table (idempotent), wait, enable TTL
    create_buckets(s3, prefix, region="eu-north-1")  create every bucket (idempotent)

Each takes an optional `template` (an already loaded one) so a caller that calls them often,
as the tests do, parses the YAML once.
"""
from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

TEMPLATE_PATH = Path(__file__).with_name("template.yaml")
REGION = "eu-north-1"
_TABLE_KWARGS = ("KeySchema", "AttributeDefinitions", "BillingMode", "GlobalSecondaryIndexes")
_SUB_VARIABLE = re.compile(r"\$\{([^}!]+)\}")


class _CfnLoader(yaml.SafeLoader):
    """SafeLoader that understands CloudFormation's short-form intrinsic function tags."""


def _intrinsic(loader: _CfnLoader, tag_suffix: str, node: yaml.Node) -> dict[str, Any]:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
        if tag_suffix == "GetAtt":
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {tag_suffix if tag_suffix == "Ref" else f"Fn::{tag_suffix}": value}


_CfnLoader.add_multi_constructor("!", _intrinsic)


@dataclass(frozen=True)
class TableSpec:
    resource: str                      # CloudFormation logical id, e.g. "SessionsTable"
    name: str                          # the records' table name, e.g. "sessions"
    create_kwargs: dict[str, Any] = field(repr=False)  # boto3 DynamoDB.Client.create_table(**kwargs)
    ttl_attribute: str | None = None   # TimeToLiveSpecification.AttributeName when enabled

    @property
    def table_name(self) -> str:
        return self.create_kwargs["TableName"]


def load_template(path: Path = TEMPLATE_PATH) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_CfnLoader)  # noqa: S506 - a SafeLoader subclass


def resources_of_type(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    """Logical id -> Properties of every resource of CloudFormation type `kind`."""
    return {
        logical_id: resource.get("Properties", {})
        for logical_id, resource in template["Resources"].items()
        if resource["Type"] == kind
    }


def resolve(value: Any, prefix: str, region: str = REGION) -> str:
    """A plain string, `!Ref Prefix` or a `!Sub` over Prefix/AWS::Region, resolved."""
    variables = {"Prefix": prefix, "AWS::Region": region}
    if isinstance(value, str):
        return value
    if "Ref" in value:
        return variables[value["Ref"]]
    text = value["Fn::Sub"]
    if isinstance(text, list):
        text, extra = text
        variables = {**variables, **extra}
    return _SUB_VARIABLE.sub(lambda match: variables[match.group(1)], text)


def tables(prefix: str, template: dict[str, Any] | None = None) -> dict[str, TableSpec]:
    template = template or load_template()
    specs = {}
    for logical_id, props in resources_of_type(template, "AWS::DynamoDB::Table").items():
        table_name = resolve(props["TableName"], prefix)
        kwargs = {"TableName": table_name, **{key: props[key] for key in _TABLE_KWARGS if key in props}}
        ttl = props.get("TimeToLiveSpecification") or {}
        name = table_name.removeprefix(f"{prefix}-")
        specs[name] = TableSpec(logical_id, name, kwargs, ttl.get("AttributeName") if ttl.get("Enabled") else None)
    return specs


def buckets(prefix: str, template: dict[str, Any] | None = None) -> dict[str, str]:
    template = template or load_template()
    return {
        logical_id: resolve(props["BucketName"], prefix)
        for logical_id, props in resources_of_type(template, "AWS::S3::Bucket").items()
    }


def create_tables(dynamodb_client: Any, prefix: str, template: dict[str, Any] | None = None) -> list[str]:
    """Create every table of the template under `prefix` (skipping existing ones), wait, enable TTL."""
    specs = list(tables(prefix, template).values())
    for spec in specs:
        with contextlib.suppress(dynamodb_client.exceptions.ResourceInUseException):
            dynamodb_client.create_table(**spec.create_kwargs)
    waiter = dynamodb_client.get_waiter("table_exists")
    for spec in specs:
        waiter.wait(TableName=spec.table_name, WaiterConfig={"Delay": 1, "MaxAttempts": 60})
        if spec.ttl_attribute:
            _enable_ttl(dynamodb_client, spec.table_name, spec.ttl_attribute)
    return [spec.table_name for spec in specs]


def _enable_ttl(dynamodb_client: Any, table_name: str, attribute: str) -> None:
    current = dynamodb_client.describe_time_to_live(TableName=table_name)["TimeToLiveDescription"]
    if current.get("TimeToLiveStatus") in ("ENABLED", "ENABLING"):
        return
    dynamodb_client.update_time_to_live(
        TableName=table_name, TimeToLiveSpecification={"Enabled": True, "AttributeName": attribute}
    )


def create_buckets(s3_client: Any, prefix: str, region: str = REGION,
                   template: dict[str, Any] | None = None) -> list[str]:
    """Create every bucket of the template under `prefix` in `region`; existing ones are kept."""
    names = list(buckets(prefix, template).values())
    location = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
    for name in names:
        with contextlib.suppress(s3_client.exceptions.BucketAlreadyOwnedByYou):
            s3_client.create_bucket(Bucket=name, **location)
    return names
