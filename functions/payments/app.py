"""The payments function (Zappa app_function: functions.payments.app.app)."""
from __future__ import annotations

from flask import Flask

from functions.core.runtime import Runtime, runtime_from_env
from functions.core.web import create_app
from functions.payments import clinic_routes, routes, services


def make_app(runtime: Runtime) -> Flask:
    return create_app(routes.bp, runtime, services.build(runtime), extra=(clinic_routes.bp,))


app = make_app(runtime_from_env())
