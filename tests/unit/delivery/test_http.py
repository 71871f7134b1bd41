"""HttpWebhookSender against small loopback servers: 2xx accepts, anything else (redirects
included) is a DeliveryFailed naming only the kind of failure; timeouts and refused
connections too."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from strongroom.delivery.http import USER_AGENT, HttpWebhookSender
from strongroom.services.ports import DeliveryFailed

BODY = b'{"notificationId":"n-1","payload":{"secret":"do-not-echo"}}'


class Answers:
    """A loopback HTTP server answering POST /<status> with that status (Location on 3xx)."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, str], bytes]] = []
        answers = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                answers.requests.append((self.path, dict(self.headers.items()), body))
                status = int(self.path.strip("/"))
                self.send_response(status)
                if 300 <= status < 400:
                    self.send_header("Location", "/200")
                self.send_header("Content-Length", "5")
                self.end_headers()
                self.wfile.write(b"hello")

            def log_message(self, *_: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        self.base = f"http://127.0.0.1:{self._server.server_address[1]}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=30)


@pytest.fixture
def answers() -> Iterator[Answers]:
    live = Answers()
    try:
        yield live
    finally:
        live.close()


@pytest.mark.parametrize("status", [200, 201, 202, 204])
def test_a_2xx_answer_accepts(answers: Answers, status: int) -> None:
    HttpWebhookSender().post(
        f"{answers.base}/{status}",
        BODY,
        {"Content-Type": "application/json", "X-ANET-Signature": "sha512=AB"},
    )
    [(path, headers, body)] = answers.requests
    assert (path, body) == (f"/{status}", BODY)
    assert headers["Content-Type"] == "application/json"
    assert headers["X-ANET-Signature"] == "sha512=AB"
    assert headers["User-Agent"] == USER_AGENT


@pytest.mark.parametrize("status", [400, 401, 404, 410, 500, 503])
def test_other_answers_fail_with_their_status_only(answers: Answers, status: int) -> None:
    with pytest.raises(DeliveryFailed) as failed:
        HttpWebhookSender().post(f"{answers.base}/{status}", BODY, {})
    assert str(failed.value) == f"HTTP {status}"


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_redirects_are_not_followed(answers: Answers, status: int) -> None:
    with pytest.raises(DeliveryFailed) as failed:
        HttpWebhookSender().post(f"{answers.base}/{status}", BODY, {})
    assert str(failed.value) == f"HTTP {status}"
    assert [path for path, _, _ in answers.requests] == [f"/{status}"]


def test_a_refused_connection() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(DeliveryFailed, match=r"^connection refused$"):
        HttpWebhookSender().post(f"http://127.0.0.1:{port}/hook", BODY, {})


def test_a_receiver_that_never_answers_times_out() -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)  # accepted by the kernel, never answered
        port = silent.getsockname()[1]
        with pytest.raises(DeliveryFailed, match=r"^timed out$"):
            HttpWebhookSender(timeout=0.2).post(f"http://127.0.0.1:{port}/hook", BODY, {})


def test_an_unknown_host() -> None:
    with pytest.raises(DeliveryFailed, match=r"^host not found$"):
        HttpWebhookSender().post("http://no-such-host.invalid/hook", BODY, {})
