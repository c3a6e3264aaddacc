"""The function packages and environments: the one list zappa_settings.json is generated from.

Adding a function package is one line in PACKAGES, then `python -m infra.stages` rewrites
zappa_settings.json (tests/config/test_zappa.py fails while the file and this list disagree, and
while a functions/<pkg>/app.py has no stages). Each package gets one stage per environment,
`<env>_<pkg>` (dev_accounts, prod_accounts), extending `base`.

One zip per package (`make package` -> build/zips/<pkg>.zip) serves every environment, so nothing
environment-specific may be baked into the zip: the per-environment values go to
`aws_environment_variables` (set on the Lambda configuration by `zappa deploy/update`), never to
`environment_variables` (which Zappa writes into the zip's zappa_settings.py). No secrets here:
functions.core reads them from SSM (/<prefix>/oidc/client-key for private_key_jwt, the method
ID-porten recommends and dev/prod use; /<prefix>/oidc/client-secret for the secret methods;
/<prefix>/pepper).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SETTINGS_PATH = ROOT / "zappa_settings.json"
PROJECT_NAME = "portal"  # Lambda names: slugify("portal-dev_accounts") == "portal-dev-accounts"
STAGE_VARIABLE = "PORTAL_STAGE"  # the zip's zappa_settings.py reads API_STAGE from it (scripts/package.py)


@dataclass(frozen=True)
class Package:
    name: str

    @property
    def app_function(self) -> str:
        return f"functions.{self.name}.app.app"

    @property
    def jobs(self):
        """What functions/<pkg>/jobs.py declares (its JOBS): the one list of the package's jobs."""
        from functions.core.jobs import jobs_of

        return jobs_of(self.name)

    def job_path(self, job) -> str:
        return f"functions.{self.name}.jobs.{job.name}"


PACKAGES: tuple[Package, ...] = (Package("accounts"), Package("booking"), Package("dialogs"), Package("notices"),
                               Package("payments"), Package("pharmacy"), Package("video"))

ENVIRONMENTS: dict[str, dict[str, str]] = {
    "dev": {
        "PORTAL_ENV": "dev",
        "PORTAL_PREFIX": "portal-dev",
        "PORTAL_BASE_URL": "https://dev.pasientportal.no",
        "PORTAL_OIDC_ISSUER": "https://test.idporten.no",
        "PORTAL_OIDC_CLIENT_ID": "pasientportal-dev",  # the client registered with Digdir (see README)
        "PORTAL_OIDC_CLIENT_AUTH": "private_key_jwt",  # key in SSM /portal-dev/oidc/client-key
    },
    "prod": {
        "PORTAL_ENV": "prod",
        "PORTAL_PREFIX": "portal-prod",
        "PORTAL_BASE_URL": "https://pasientportal.no",
        "PORTAL_OIDC_ISSUER": "https://idporten.no",
        "PORTAL_OIDC_CLIENT_ID": "pasientportal-prod",
        "PORTAL_OIDC_CLIENT_AUTH": "private_key_jwt",
    },
}

BASE: dict[str, Any] = {
    "project_name": PROJECT_NAME,
    "runtime": "python3.11",
    "aws_region": "eu-north-1",
    "keep_warm": False,
    "slim_handler": False,
    "manage_roles": False,
    "debug": False,          # True would put tracebacks into 500 responses
    "log_level": "INFO",     # DEBUG makes Zappa's handler log every raw event (cookies, bodies)
    "memory_size": 512,
    "timeout_seconds": 30,
    "endpoint_configuration": ["REGIONAL"],  # CloudFront sits in front (infra/README.md)
    "use_precompiled_packages": False,       # zips come from scripts/package.py, not Zappa
    "exclude": [
        "tests", "site", "devstack", "bench", "docs", "infra", "scripts", "build",
        "node_modules", ".devstack", ".ci", "*.md", "Makefile", "pyproject.toml",
    ],
    "lambda_description": "Pasientportal function (see infra/README.md)",
}


def stage_name(env: str, package: Package) -> str:
    return f"{env}_{package.name}"


def stage(env: str, package: Package) -> dict[str, Any]:
    variables = ENVIRONMENTS[env]
    prefix = variables["PORTAL_PREFIX"]
    settings: dict[str, Any] = {
        "extends": "base",
        "app_function": package.app_function,
        "role_name": f"{prefix}-lambda",   # infra/template.yaml LambdaRole (ARN looked up by name)
        "s3_bucket": f"{prefix}-deploy",   # infra/template.yaml DeployBucket
        "aws_environment_variables": {**variables, STAGE_VARIABLE: stage_name(env, package)},
    }
    if package.jobs:
        settings["events"] = [
            {"function": package.job_path(job), "expression": job.schedule} for job in package.jobs
        ]
    return settings


def zappa_settings() -> dict[str, Any]:
    settings: dict[str, Any] = {"base": BASE}
    for package in PACKAGES:
        for env in ENVIRONMENTS:
            settings[stage_name(env, package)] = stage(env, package)
    return settings


def render() -> str:
    return json.dumps(zappa_settings(), indent=2) + "\n"


def stages_of(package: Package) -> list[str]:
    return [stage_name(env, package) for env in ENVIRONMENTS]


def package_named(name: str) -> Package:
    return next(package for package in PACKAGES if package.name == name)


def write(path: Path = SETTINGS_PATH) -> None:
    path.write_text(render(), encoding="utf-8")


if __name__ == "__main__":
    write()
    print(f"wrote {SETTINGS_PATH.relative_to(ROOT)}")
