"""The video function (Zappa app_function: functions.video.app.app): the room's signalling."""
from __future__ import annotations

from flask import Flask

from functions.core.runtime import Runtime, runtime_from_env
from functions.core.web import create_app
from functions.video import routes, services


def make_app(runtime: Runtime) -> Flask:
    return create_app(routes.bp, runtime, services.build(runtime))


app = make_app(runtime_from_env())
