"""moto's server on loopback with every request serialised.

moto does not run TransactWriteItems atomically under concurrency (a failed transaction restores
a snapshot and can wipe other writes), so the local stack lets one request in at a time."""
from __future__ import annotations

import argparse
import threading

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import make_server


class Serialised:
    def __init__(self, app) -> None:
        self._app, self._lock = app, threading.Lock()

    def __call__(self, environ, start_response):
        with self._lock:
            body = self._app(environ, start_response)
            return list(body)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    app = Serialised(DomainDispatcherApplication(create_backend_app))
    server = make_server("127.0.0.1", args.port, app, threaded=True)
    print(f"moto server on 127.0.0.1:{args.port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
