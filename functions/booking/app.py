"""The booking function (Zappa app_function: functions.booking.app.app)."""
from __future__ import annotations

from flask import Flask

from functions.booking import clinic_routes, routes, services, video_routes
from functions.core.runtime import Runtime, runtime_from_env
from functions.core.web import create_app


def make_app(runtime: Runtime) -> Flask:
    return create_app(routes.bp, runtime, services.build(runtime), extra=(clinic_routes.bp, video_routes.bp))


app = make_app(runtime_from_env())
