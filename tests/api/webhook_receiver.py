"""A webhook receiver on loopback, as a merchant would run one: it checks `X-ANET-Signature`
against the raw body with the merchant's signature key and answers 401 to a bad signature.

Each endpoint has its own random path, its own key and its own failure plan (answer an error
status to the first N attempts), so notifications meant for other tests never count here.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def expected_signature(signature_key: str, body: bytes) -> str:
    """What a receiver computes: uppercase hex HMAC-SHA512 of the raw body, key as text."""
    return "sha512=" + hmac.new(signature_key.encode(), body, hashlib.sha512).hexdigest().upper()


@dataclass(frozen=True)
class Received:
    body: bytes
    headers: dict[str, str]

    @property
    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def event_type(self) -> str:
        return str(self.json["eventType"])

    @property
    def payload(self) -> dict[str, Any]:
        return dict(self.json["payload"])


@dataclass
class Endpoint:
    signature_key: str
    fail_first: int = 0
    fail_status: int = 500
    attempts: int = 0
    bad_signatures: int = 0
    accepted: list[Received] = field(default_factory=list)
    every_attempt: list[Received] = field(default_factory=list)


class Receiver:
    """A threaded HTTP server on 127.0.0.1; `endpoint(...)` gives a URL to register."""

    def __init__(self) -> None:
        self._endpoints: dict[str, Endpoint] = {}
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        self.base = f"http://127.0.0.1:{self._server.server_address[1]}"

    def endpoint(self, signature_key: str, *, fail_first: int = 0, fail_status: int = 500) -> str:
        path = f"/hooks/{uuid.uuid4().hex}"
        with self._lock:
            self._endpoints[path] = Endpoint(signature_key, fail_first, fail_status)
        return self.base + path

    def state(self, url: str) -> Endpoint:
        with self._lock:
            return self._endpoints[url.removeprefix(self.base)]

    def accepted(self, url: str) -> list[Received]:
        with self._lock:
            return list(self._endpoints[url.removeprefix(self.base)].accepted)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=30)

    def _answer(self, path: str, body: bytes, headers: dict[str, str]) -> int:
        with self._lock:
            endpoint = self._endpoints.get(path)
            if endpoint is None:
                return 404
            endpoint.attempts += 1
            endpoint.every_attempt.append(Received(body, headers))
            signature = headers.get("x-anet-signature", "")
            if not hmac.compare_digest(signature, expected_signature(endpoint.signature_key, body)):
                endpoint.bad_signatures += 1
                return 401
            if endpoint.attempts <= endpoint.fail_first:
                return endpoint.fail_status
            endpoint.accepted.append(Received(body, headers))
            return 200

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                headers = {name.lower(): value for name, value in self.headers.items()}
                status = receiver._answer(self.path, body, headers)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass  # quiet test output

        return Handler
