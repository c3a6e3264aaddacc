"""zappa_settings.json: every stage resolves the way Zappa resolves it, and its functions import."""
from __future__ import annotations

import importlib
import json
import re
from pathlib import Path

import pytest
from flask import Flask
from zappa.cli import ZappaCLI

from infra import stages
from infra.tables import buckets, load_template, resolve

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = json.loads(stages.SETTINGS_PATH.read_text(encoding="utf-8"))
STAGES = [name for name in SETTINGS if name != "base"]
SECRET_LOOKING = re.compile(r"SECRET|PASSWORD|PASSWD|PEPPER|TOKEN|PRIVATE|CREDENTIAL|_KEY$|^KEY$|API_KEY", re.I)
JOB_PATH = re.compile(r"^[A-Za-z0-9_.]{1,63}$")


@pytest.fixture(params=STAGES)
def zappa(request, tmp_path, monkeypatch) -> ZappaCLI:
    """ZappaCLI.load_settings for the stage, without AWS credentials (cwd: an empty folder,
    because load_settings scans the cwd for zappa.websocket imports)."""
    monkeypatch.chdir(tmp_path)
    cli = ZappaCLI()
    cli.api_stage, cli.load_credentials = request.param, False
    cli.load_settings(str(stages.SETTINGS_PATH))
    return cli


def import_path(dotted: str):
    module, attribute = dotted.rsplit(".", 1)
    return getattr(importlib.import_module(module), attribute)


def test_settings_file_is_generated_from_infra_stages():
    assert stages.SETTINGS_PATH.read_text(encoding="utf-8") == stages.render(), "run `python -m infra.stages`"


def test_every_package_with_an_app_has_a_dev_and_a_prod_stage():
    packages = sorted(path.parent.name for path in ROOT.glob("functions/*/app.py"))
    assert packages
    for package in packages:
        assert {f"dev_{package}", f"prod_{package}"} <= set(STAGES), f"functions/{package}: add it to infra/stages.py"


def test_stage_resolves_with_the_shared_runtime_settings(zappa):
    config = zappa.stage_config
    assert zappa.runtime == "python3.11"
    assert zappa.aws_region == "eu-north-1"
    assert config["keep_warm"] is False
    assert config["slim_handler"] is False and zappa.manage_roles is False
    assert zappa.debug is False and zappa.log_level != "DEBUG"
    assert zappa.lambda_name == f"portal-{zappa.api_stage.replace('_', '-')}"


def test_stage_environment_is_its_own_and_secret_free(zappa):
    env, package = zappa.api_stage.split("_", 1)
    variables = {**zappa.environment_variables, **zappa.aws_environment_variables}
    assert not [name for name in variables if SECRET_LOOKING.search(name)]
    assert zappa.aws_environment_variables["PORTAL_ENV"] == env
    assert zappa.aws_environment_variables["PORTAL_PREFIX"] == f"portal-{env}"
    assert zappa.aws_environment_variables["PORTAL_BASE_URL"].startswith("https://")
    assert zappa.aws_environment_variables[stages.STAGE_VARIABLE] == zappa.api_stage
    assert zappa.environment_variables == {}, "baked into the zip, which serves every environment"


def test_stage_uses_the_role_and_deploy_bucket_of_its_stack(zappa):
    prefix = zappa.aws_environment_variables["PORTAL_PREFIX"]
    template = load_template()
    role = template["Resources"]["LambdaRole"]["Properties"]["RoleName"]
    assert zappa.zappa.role_name == resolve(role, prefix)
    assert zappa.s3_bucket_name == buckets(prefix, template)["DeployBucket"]


def test_app_function_is_a_flask_app_of_its_package(zappa):
    package = zappa.api_stage.split("_", 1)[1]
    assert zappa.app_function == f"functions.{package}.app.app"
    assert isinstance(import_path(zappa.app_function), Flask)


def test_events_are_callable_jobs_zappa_can_name_and_find(zappa):
    for event in zappa.stage_config.get("events", []):
        function = event["function"]
        assert JOB_PATH.match(function), function
        assert callable(import_path(function))
        rule = zappa.zappa.get_scheduled_event_name(event, function, zappa.lambda_name)
        assert rule.split("-")[-1] == function, "Zappa's handler finds the job from the rule name"
