"""The accounts function (Zappa app_function: functions.accounts.app.app)."""
from __future__ import annotations

from flask import Flask

from functions.accounts import clinic_routes, login_routes, relations_routes, routes, services
from functions.core.runtime import Runtime, runtime_from_env
from functions.core.web import create_app


def make_app(runtime: Runtime, fetcher=None, register=None) -> Flask:
    return create_app(routes.bp, runtime, services.build(runtime, fetcher, register),
                      extra=(login_routes.bp, clinic_routes.bp, relations_routes.bp))


app = make_app(runtime_from_env())
