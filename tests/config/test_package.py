"""`make package` zips: Lambda-compatible wheels only, Zappa's handler at the root, small,
working on their own (imported through Zappa's handler by an interpreter that sees only the zip
and what the Lambda runtime provides), and accepted as they are by `zappa deploy <stage> --zip`
(against moto). Builds each zip once into a temporary folder (pip may reach the package index;
about ten seconds a package with a warm pip cache)."""
from __future__ import annotations

import importlib.util
import json
import os
import platform
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import boto3
import pytest
from moto import mock_aws
from zappa.cli import ZappaCLI

from infra import stages
from infra.tables import create_buckets, load_template, resolve

ROOT = Path(__file__).resolve().parents[2]
MAX_BYTES = 10_000_000
MAX_BYTES_OF = {"payments": 15_000_000}   # M7: fpdf2 brings fontTools and Pillow, and the DejaVu fonts
PROVIDED_BY_LAMBDA = ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "six", "urllib3")
OLD_MANYLINUX = re.compile(r"^manylinux(1|2010|2014)_x86_64$")
PEP600 = re.compile(r"^manylinux_2_(\d+)_x86_64$")
STABLE_ABI = re.compile(r"^cp3(\d+)$")


def load_packager():
    spec = importlib.util.spec_from_file_location("portal_packager", ROOT / "scripts" / "package.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


packager = load_packager()


@pytest.fixture(scope="module", params=[package.name for package in stages.PACKAGES])
def built(request, tmp_path_factory) -> tuple[str, Path]:
    return request.param, packager.build(request.param, tmp_path_factory.mktemp("build"))


def runs_on_lambda(tag: str) -> bool:
    """python3.11 on Amazon Linux 2 (glibc 2.26, x86_64): manylinux2014 (= 2_17) or older, or pure."""
    interpreter, abi, platform_tag = tag.split("-")
    pure = platform_tag == "any" and abi == "none" and interpreter in ("py3", "py2.py3", "py311", "cp311")
    glibc = PEP600.match(platform_tag)
    linux = bool(OLD_MANYLINUX.match(platform_tag)) or bool(glibc and int(glibc.group(1)) <= 17)
    stable = STABLE_ABI.match(interpreter)
    python = (interpreter, abi) == ("cp311", "cp311") or (abi == "abi3" and bool(stable) and int(stable[1]) <= 11)
    return pure or (linux and python)


def test_tag_rule():
    assert runs_on_lambda("cp311-cp311-manylinux2014_x86_64")
    assert runs_on_lambda("cp311-abi3-manylinux_2_17_x86_64")
    assert runs_on_lambda("py3-none-any")
    assert not runs_on_lambda("cp311-cp311-manylinux_2_28_x86_64")
    assert not runs_on_lambda("cp312-cp312-manylinux2014_x86_64")
    assert not runs_on_lambda("cp311-cp311-musllinux_1_2_x86_64")


def test_every_wheel_has_a_tag_the_lambda_runtime_accepts(built):
    """A wheel may carry several tags (markupsafe: manylinux2014 *and* manylinux_2_28); it runs if
    one of them fits. A wheel whose only tags are newer (pillow 13: manylinux_2_28) fails."""
    wheels = packager.wheel_tags_by_distribution(built[1])
    assert wheels
    assert {wheel: tags for wheel, tags in wheels.items() if not any(map(runs_on_lambda, tags))} == {}


def test_handler_and_settings_at_the_root(built):
    package, path = built
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        settings = archive.read("zappa_settings.py").decode()
    assert {"handler.py", "zappa_settings.py", "zappa/__init__.py", "functions/__init__.py",
            f"functions/{package}/app.py"} <= names
    assert f"APP_MODULE='functions.{package}.app'" in settings
    assert "API_STAGE=os.environ['PORTAL_STAGE']" in settings
    assert not [name for name in names if name.split("/")[0] in ("tests", "devstack", "site", "bench", "infra")]
    assert not [name for name in names if name.split("/")[0] in PROVIDED_BY_LAMBDA]


def test_zip_is_at_most_10_mb(built, capsys):
    package, path = built
    size = path.stat().st_size
    with capsys.disabled():
        print(f"\n{package}.zip: {size / 1_000_000:.2f} MB")
    assert size <= MAX_BYTES_OF.get(package, MAX_BYTES), f"{package}.zip is {size / 1_000_000:.2f} MB"


@pytest.mark.skipif(sys.platform != "linux" or platform.machine() != "x86_64", reason="runs the zip's binaries")
def test_zip_serves_through_zappas_handler_on_its_own(built, tmp_path):
    package, path = built
    with zipfile.ZipFile(path) as archive:
        archive.extractall(tmp_path / "task")
    provided = tmp_path / "runtime"
    provided.mkdir()
    for module in PROVIDED_BY_LAMBDA:
        origin = Path(importlib.util.find_spec(module).origin)
        source = origin.parent if origin.name == "__init__.py" else origin
        (provided / source.name).symlink_to(source)
    stage = stages.stage_name("dev", stages.package_named(package))
    settings = json.loads(stages.SETTINGS_PATH.read_text(encoding="utf-8"))[stage]
    env = {"PATH": os.environ.get("PATH", ""), "AWS_DEFAULT_REGION": "eu-north-1", "AWS_ACCESS_KEY_ID": "none",
           "AWS_SECRET_ACCESS_KEY": "none", "AWS_EC2_METADATA_DISABLED": "true",
           **settings["aws_environment_variables"]}
    jobs = [event["function"] for event in settings.get("events", [])]
    result = subprocess.run([sys.executable, "-I", "-S", "-c", SMOKE, str(tmp_path / "task"), str(provided),
                             package, json.dumps(jobs)], env=env, capture_output=True, text=True, check=False,
                            timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_zappa_deploys_the_zip_as_it_is(built, tmp_path, monkeypatch):
    package, path = built
    stage = stages.stage_name("dev", stages.package_named(package))
    settings = json.loads(stages.SETTINGS_PATH.read_text(encoding="utf-8"))
    settings["base"]["touch"] = False  # no GET to the (moto) endpoint after the deploy
    (tmp_path / "zappa_settings.json").write_text(json.dumps(settings), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(ZappaCLI, "check_for_update", lambda self: None)  # no PyPI call
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "test")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-north-1")
    prefix = settings[stage]["aws_environment_variables"]["PORTAL_PREFIX"]
    role = resolve(load_template()["Resources"]["LambdaRole"]["Properties"]["RoleName"], prefix)
    with mock_aws():
        boto3.client("iam").create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                     "Principal": {"Service": "lambda.amazonaws.com"}}]}))
        create_buckets(boto3.client("s3"), prefix)
        ZappaCLI().handle(["deploy", stage, "--zip", str(path), "--disable_progress"])
        function = boto3.client("lambda").get_function(FunctionName=f"portal-{stage.replace('_', '-')}")
        rules = [rule["Name"] for rule in boto3.client("events").list_rules()["Rules"]]
    config = function["Configuration"]
    assert (config["Runtime"], config["Handler"]) == ("python3.11", "handler.lambda_handler")
    assert config["Role"].endswith(f":role/{role}") and config["CodeSize"] == path.stat().st_size
    assert config["Environment"]["Variables"] == settings[stage]["aws_environment_variables"]
    jobs = sorted(event["function"] for event in settings[stage].get("events", []))
    assert sorted(rule.split("-")[-1] for rule in rules) == jobs


SMOKE = r"""
import importlib, json, pkgutil, sys
task, provided, package, jobs = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
sys.path[:0] = [task, provided]
import handler
lambda_handler = handler.LambdaHandler()
event = {"httpMethod": "GET", "path": f"/api/{package}/no-such-thing", "resource": "/{proxy+}",
         "headers": {"Host": "example.execute-api.eu-north-1.amazonaws.com", "Accept-Language": "nb"},
         "multiValueHeaders": {}, "queryStringParameters": None, "multiValueQueryStringParameters": None,
         "pathParameters": None, "stageVariables": None, "requestContext": {}, "body": None,
         "isBase64Encoded": False}
response = lambda_handler.handler(event, None)
assert response["statusCode"] == 404, response
for job in jobs:
    assert callable(handler.LambdaHandler.import_module_and_get_function(job)), job
functions = importlib.import_module("functions")
for module in pkgutil.walk_packages(functions.__path__, "functions."):
    importlib.import_module(module.name)
outside = [name for name, module in sys.modules.items()
           if getattr(module, "__file__", None) and not module.__file__.startswith((task, provided, sys.base_prefix))]
assert not outside, outside
"""
