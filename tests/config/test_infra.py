"""infra/template.yaml lints clean, and every PynamoDB record matches the table it lives in."""
from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from functions.core import records
from infra.tables import TEMPLATE_PATH, load_template, resources_of_type, tables

ROOT = Path(__file__).resolve().parents[2]
PREFIX = "portal-test"


def record_classes() -> dict[type, str]:
    importlib.import_module("functions.core.core_records")
    for path in sorted(ROOT.glob("functions/*/records.py")):
        importlib.import_module(f"functions.{path.parent.name}.records")
    return records.registered()


RECORDS = record_classes()
TEMPLATE = load_template()
TABLES = tables(PREFIX, TEMPLATE)


def by_name(items: list[dict], key: str, value: str) -> dict[str, str]:
    return {item[key]: item[value] for item in items}


def projection(spec: dict) -> tuple[str, tuple[str, ...]]:
    return spec["ProjectionType"], tuple(sorted(spec.get("NonKeyAttributes", ())))


def test_cfn_lint_reports_nothing():
    cfn_lint = Path(sys.executable).with_name("cfn-lint")
    result = subprocess.run([str(cfn_lint), "--regions", "eu-north-1", "us-east-1", "--", str(TEMPLATE_PATH)],
                            capture_output=True, text=True, check=False)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_records_are_registered():
    assert RECORDS, "no PynamoDB records registered"


@pytest.mark.parametrize("record", list(RECORDS), ids=lambda cls: cls.__name__)
def test_record_keys_match_its_table(record):
    table = TABLES.get(RECORDS[record])
    assert table, f"{record.__name__}: table {RECORDS[record]!r} is not in infra/template.yaml"
    schema, kwargs = record._get_schema(), table.create_kwargs
    assert by_name(schema["key_schema"], "AttributeName", "KeyType") == by_name(
        kwargs["KeySchema"], "AttributeName", "KeyType")
    declared = by_name(kwargs["AttributeDefinitions"], "AttributeName", "AttributeType")
    for definition in schema["attribute_definitions"]:
        assert declared.get(definition["AttributeName"]) == definition["AttributeType"], definition


@pytest.mark.parametrize("record", [cls for cls in RECORDS if cls._indexes], ids=lambda cls: cls.__name__)
def test_record_indexes_exist_with_the_same_keys_and_projection(record):
    kwargs = TABLES[RECORDS[record]].create_kwargs
    schema = record._get_schema()
    for kind, template_key in (("global_secondary_indexes", "GlobalSecondaryIndexes"),
                               ("local_secondary_indexes", "LocalSecondaryIndexes")):
        in_template = {index["IndexName"]: index for index in kwargs.get(template_key, [])}
        for index in schema[kind]:
            name = index["index_name"]
            assert name in in_template, f"{record.__name__}: index {name} missing from {template_key}"
            assert by_name(index["key_schema"], "AttributeName", "KeyType") == by_name(
                in_template[name]["KeySchema"], "AttributeName", "KeyType")
            assert projection(index["projection"]) == projection(in_template[name]["Projection"])


@pytest.mark.parametrize("record", [cls for cls in RECORDS if cls._ttl_attribute()], ids=lambda cls: cls.__name__)
def test_record_ttl_attribute_is_the_tables(record):
    assert record._ttl_attribute().attr_name == TABLES[RECORDS[record]].ttl_attribute


@pytest.mark.parametrize("logical_id", list(resources_of_type(TEMPLATE, "AWS::DynamoDB::Table")))
def test_every_table_is_recoverable_encrypted_and_retained(logical_id):
    resource = TEMPLATE["Resources"][logical_id]
    props = resource["Properties"]
    assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    sse = props["SSESpecification"]
    assert sse["SSEEnabled"] is True and sse["SSEType"] == "KMS"
    key = TEMPLATE["Resources"][sse["KMSMasterKeyId"]["Ref"]]
    assert key["Type"] == "AWS::KMS::Key" and key["Properties"]["EnableKeyRotation"] is True
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert (resource["DeletionPolicy"], resource["UpdateReplacePolicy"]) == ("Retain", "Retain")


@pytest.mark.parametrize("logical_id", list(resources_of_type(TEMPLATE, "AWS::S3::Bucket")))
def test_every_bucket_is_private_and_encrypted(logical_id):
    props = TEMPLATE["Resources"][logical_id]["Properties"]
    assert set(props["PublicAccessBlockConfiguration"].values()) == {True}
    assert props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert props["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    policies = resources_of_type(TEMPLATE, "AWS::S3::BucketPolicy").values()
    assert any(policy["Bucket"] == {"Ref": logical_id} and "aws:SecureTransport" in str(policy["PolicyDocument"])
               for policy in policies), f"{logical_id} has no TLS-only bucket policy"


def test_no_policy_grants_scan_or_wildcard_table_actions():
    role_actions = []
    for props in resources_of_type(TEMPLATE, "AWS::IAM::Role").values():
        for policy in props.get("Policies", []):
            for statement in policy["PolicyDocument"]["Statement"]:
                actions = statement["Action"]
                role_actions += [actions] if isinstance(actions, str) else actions
    assert role_actions
    assert not [action for action in role_actions
                if action.lower() in ("dynamodb:scan", "dynamodb:*", "*") or action.endswith(":*")]
