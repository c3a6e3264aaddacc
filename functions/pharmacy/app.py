"""The pharmacy function (Zappa app_function: functions.pharmacy.app.app): E-apotek's delivery."""
from __future__ import annotations

from flask import Flask

from functions.core.runtime import Runtime, runtime_from_env
from functions.core.web import create_app
from functions.pharmacy import routes, services, vendor_routes


def make_app(runtime: Runtime) -> Flask:
    return create_app(routes.bp, runtime, services.build(runtime), extra=(vendor_routes.bp,))


app = make_app(runtime_from_env())
