"""WSGI apps served over real HTTP on 127.0.0.1 (a free port, a background thread), and the
third-party OpenID provider the interoperability tests log in against: oidc-provider-mock (PyPI,
Flask + Authlib; not written by this project).

What that provider does (0.3.x, the last release for Python 3.11): discovery, authorize (a form
asking for the user's `sub`), token with client_secret_basic or client_secret_post (or none),
RS256 id_tokens carrying every claim a test sets for the user (PUT /users/<sub>: here ID-porten's
`pid` and `acr`), nonce (required with require_nonce), JWKS, RP-initiated logout (shows a
confirmation page). It ignores PKCE (accepts and does not check code_challenge) and knows no
private_key_jwt: that method is proven against the stand-in ID-porten (tests/unit)."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import requests
from werkzeug.serving import WSGIRequestHandler, make_server


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:  # request lines carry codes and states
        pass


@contextmanager
def serve(app) -> Iterator[str]:
    """Serve `app` on 127.0.0.1; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@contextmanager
def third_party_provider(**options) -> Iterator[str]:
    """oidc-provider-mock on loopback; yields its issuer (the URL it is reached at)."""
    import oidc_provider_mock

    with serve(oidc_provider_mock.app(**options)) as url:
        yield url


def set_user(issuer: str, sub: str, claims: dict) -> None:
    """The claims the provider puts into this user's id_token."""
    answer = requests.put(f"{issuer}/users/{sub}", json=claims, timeout=10)
    assert answer.status_code == 204, answer.text


def register_client(issuer: str, redirect_uri: str, method: str) -> tuple[str, str]:
    """A client registered (RFC 7591) for one token endpoint auth method: (client_id, secret)."""
    answer = requests.post(f"{issuer}/oauth2/clients", timeout=10,
                           json={"redirect_uris": [redirect_uri], "token_endpoint_auth_method": method})
    assert answer.status_code == 201, answer.text
    body = answer.json()
    return body["client_id"], body["client_secret"]
