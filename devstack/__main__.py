"""`make run`: the whole portal on one local origin, on moto's server, with demo data.

Environment: PORT (default 8000), PORTAL_NOW (fix the portal clock, ISO 8601; default: now)."""
from __future__ import annotations

import atexit
import os
import signal
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _clock():
    from functions.core.clock import SettableClock, parse_instant

    text = os.environ.get("PORTAL_NOW")
    return SettableClock(parse_instant(text) if text else datetime.now(UTC))


def _build_site() -> Path:
    import runpy

    build = runpy.run_path(str(ROOT / "site" / "build.py"), run_name="site_build")
    out = ROOT / "site" / "_build"
    build["build"](out)
    return out


# What EventBridge runs every minute in the cloud, every few seconds here; send_reminders (every 15
# minutes in the cloud) runs on demand: POST /__dev/jobs/send_reminders.
TIMED = ("appointment_notices", "drain_outbox")


def _drain_timer(runtime, jobs, stop: threading.Event) -> None:
    while not stop.wait(3):
        for name in TIMED:
            try:
                jobs[name](runtime)
            except Exception as exc:  # noqa: BLE001 - the timer keeps going, like EventBridge would
                print(f"{name} failed: {type(exc).__name__}", file=sys.stderr, flush=True)


def _exit_quietly_on_signals() -> None:
    """SIGTERM or Ctrl-C ends the stack once, cleanly. A process-group kill reaches us more than
    once (directly, and again from make); every later signal is ignored, so none can interrupt the
    shutdown (atexit, logging) with a second SystemExit and its traceback."""

    def stop(*_: object) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)


def main() -> None:
    from devstack import stack

    port = int(os.environ.get("PORT", "8000"))
    moto_port = stack.free_port()
    moto = stack.start_moto(moto_port)
    atexit.register(stack.stop_moto, moto)
    _exit_quietly_on_signals()
    stack.apply_environment(stack.local_environment(port, moto_port))

    from devstack.app import assemble

    origin, info = assemble(_clock(), _build_site())
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", port, origin, threaded=True)
    stop = threading.Event()
    threading.Thread(target=_drain_timer, args=(info["runtime"], info["jobs"], stop), daemon=True).start()
    _announce(port, info)
    try:
        server.serve_forever()
    finally:
        stop.set()


def _announce(port: int, info: dict) -> None:
    url = f"http://127.0.0.1:{port}"
    lines = [f"Pasientportalen kjører på {url}/", f"  klokke: {info['now']}",
             "  demo-innlogging (Logg inn → velg testperson og nivå):"]
    lines += [f"    - {p['name']}: {p['label']}" for p in info["persons"]]
    lines += ["  klinikk-API (demo, HTTP Basic nøkkel-id:hemmelighet + X-Staff-Id):"]
    lines += [f"    - {name}: nøkkel-id {key}  hemmelighet {secret}  ansatt X-Staff-Id: {staff}"
              for name, key, secret, staff in info["clinic_credentials"]]
    lines += ["  apotek-API (demo, HTTP Basic nøkkel-id:hemmelighet):"]
    lines += [f"    - {name}: nøkkel-id {key}  hemmelighet {secret}"
              for name, key, secret in info.get("vendor_credentials", ())]
    lines += [f"  postkasse: {url}/__dev/mailbox   jobber: POST {url}/__dev/jobs/<navn> ({', '.join(info['jobs'])})",
              f"  klokke: GET/POST {url}/__dev/clock"]
    print("\n".join(lines), flush=True)


if __name__ == "__main__":
    main()
