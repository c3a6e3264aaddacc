"""The notices function (Zappa app_function: functions.notices.app.app). It has no routes: Zappa
needs an app, and its real work is the scheduled drain in jobs.py."""
from __future__ import annotations

from flask import Blueprint, Flask, jsonify

from functions.core.runtime import Runtime, runtime_from_env
from functions.core.web import create_app

bp = Blueprint("notices", __name__, url_prefix="/api/notices")


@bp.get("/health")
def health():
    """For a load balancer or the cold-start benchmark (M1): the app imports and answers."""
    return jsonify({"status": "ok"})


def make_app(runtime: Runtime) -> Flask:
    return create_app(bp, runtime, None)


app = make_app(runtime_from_env())
