"""Slow, vanishing and surplus clients against `strongroom serve` as a real subprocess.

Raw sockets on loopback speak HTTP/1.1 by hand. The server runs with half-second head and body
deadlines; a test waits for the server to close its connection (a receive with a generous
timeout), never for a fixed time. Each test then requests `/healthz?mark=...` and reads the
server's log up to that request's access line, so it sees every line its own clients caused.
The bounds do not depend on the database, so these run on SQLite only.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from strongroom.asgi import STARTUP_FAILURE
from tests.integration.server_process import STRONGROOM, ServerProcess, free_port

CLOSE_TIMEOUT = 30  # seconds a test waits for the server to close a connection
LOGIN, KEY = "5KP3u95bQpv", "346HZ32z3fP4hTG2"  # the sandbox merchant a fresh server creates
ENDPOINT = "/xml/v1/request.api"


def server_env(data_dir: Path, **settings: str) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("STRONGROOM_") and "proxy" not in name.lower()
    }
    env.update(
        STRONGROOM_DATA_DIR=str(data_dir),
        STRONGROOM_LOG_LEVEL="info",
        STRONGROOM_SCHEDULER_INTERVAL="0",
        PYTHONUNBUFFERED="1",
    )
    env.update({f"STRONGROOM_{name.upper()}": value for name, value in settings.items()})
    return env


def uvicorn_command(port: int, *options: str) -> list[str]:
    """An external uvicorn serving `strongroom.asgi` the way the README says to."""
    return [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "strongroom.asgi:create_app",
        "--http",
        "strongroom.asgi:HttpProtocol",
        "--port",
        str(port),
        *options,
    ]


class Served:
    """A running server and the part of its log not yet looked at."""

    def __init__(self, server: ServerProcess) -> None:
        self.server = server
        self.seen = len(server.lines)

    def connect(self) -> socket.socket:
        return socket.create_connection(("127.0.0.1", self.server.port), timeout=CLOSE_TIMEOUT)

    def log_since_last_look(self, name: str) -> list[str]:
        """The log lines up to the access line of a marked request sent now."""
        with self.connect() as sock:
            sock.sendall(
                f"GET /healthz?mark={name} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n".encode()
            )
            assert until_closed(sock).startswith(b"HTTP/1.1 200 ")
        self.server.wait_for(f"mark={name} ")
        lines, self.seen = self.server.lines[self.seen :], len(self.server.lines)
        return lines


def until_closed(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    received = b""
    try:
        while chunk := sock.recv(65536):
            received += chunk
    except TimeoutError:
        pytest.fail(f"the server kept the connection open for {CLOSE_TIMEOUT} s; received {received[:200]!r}")
    return received


def about(lines: list[str], sock_name: tuple[str, int]) -> list[str]:
    """The log lines naming one client connection."""
    return [line for line in lines if f"{sock_name[0]}:{sock_name[1]} " in line]


def assert_quiet(lines: list[str]) -> None:
    log = "\n".join(lines)
    for word in ("Traceback", "ERROR", "RuntimeError"):
        assert word not in log, log
    assert '" 500' not in log, log


def authenticate_test(ref_id: str) -> bytes:
    body = (
        f'<authenticateTestRequest xmlns="AnetApi/xml/v1/schema/AnetApiSchema.xsd">'
        f"<merchantAuthentication><name>{LOGIN}</name><transactionKey>{KEY}"
        f"</transactionKey></merchantAuthentication><refId>{ref_id}</refId>"
        "</authenticateTestRequest>"
    ).encode()
    return (
        f"POST {ENDPOINT} HTTP/1.1\r\nHost: t\r\nContent-Type: text/xml\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body


def started(env: dict[str, str]) -> ServerProcess:
    server = ServerProcess(env, free_port())
    server.wait_for("Uvicorn running on")
    return server


@pytest.fixture(scope="module")
def quick(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A server with half-second head and body deadlines for the whole module."""
    env = server_env(tmp_path_factory.mktemp("serving") / "data", header_timeout="0.5", body_timeout="0.5")
    server = started(env)
    try:
        yield Served(server)
    finally:
        server.stop()
        assert_quiet(server.lines)


@pytest.fixture
def served(quick: Served) -> Served:
    quick.seen = len(quick.server.lines)
    return quick


# ------------------------------------------------------------------ slow clients


@pytest.mark.parametrize("earlier", [0, 1])
def test_a_client_slow_to_send_the_request_head_is_dropped_with_a_408(served: Served, earlier: int) -> None:
    """On a new connection, and after an answered request on the same keep-alive connection."""
    with served.connect() as sock:
        sock.sendall(earlier * b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        sock.sendall(f"POST {ENDPOINT} HTTP/1.1\r\nHost: t\r\nContent-Type: te".encode())
        answer = until_closed(sock)
        client = sock.getsockname()
    assert answer.count(b"HTTP/1.1 200 ") == earlier
    assert answer.count(b"HTTP/1.1 408 ") == 1
    assert answer.rstrip().endswith(b"Request Timeout"), answer
    lines = served.log_since_last_look(f"slow-head-{earlier}")
    assert_quiet(lines)
    [line] = [line for line in about(lines, client) if "Dropped" in line]
    assert len(about(lines, client)) == 1 + earlier  # and the earlier request's access line
    assert "Dropped a slow client: request head not complete within 0.5 s" in line


def test_a_client_slow_to_send_the_body_is_dropped_with_a_408(served: Served) -> None:
    with served.connect() as sock:
        sock.sendall(
            f"POST {ENDPOINT} HTTP/1.1\r\nHost: t\r\nContent-Type: text/xml\r\n"
            "Content-Length: 1000\r\n\r\n<authent".encode()
        )
        answer = until_closed(sock)
        client = sock.getsockname()
    assert answer.startswith(b"HTTP/1.1 408 "), answer
    lines = served.log_since_last_look("slow-body")
    assert_quiet(lines)
    [line] = about(lines, client)
    assert "request body not complete within 0.5 s (8 of 1000 bytes)" in line


def test_the_rest_of_an_oversized_body_sent_slowly_gets_no_second_answer(served: Served) -> None:
    """The body is refused after its first chunk; the client trickling the rest is dropped
    without a 408 after the E00003 answer."""
    with served.connect() as sock:
        sock.sendall(
            f"POST {ENDPOINT} HTTP/1.1\r\nHost: t\r\nContent-Type: text/xml\r\n"
            "Content-Length: 2000000\r\n\r\n<authent".encode()
        )
        answer = until_closed(sock)
        client = sock.getsockname()
    assert answer.startswith(b"HTTP/1.1 200 ")
    assert b"E00003" in answer
    assert b"408" not in answer
    lines = served.log_since_last_look("oversized-slow")
    assert_quiet(lines)
    assert any(
        "request body not complete within 0.5 s (8 of 2000000 bytes)" in line for line in about(lines, client)
    )


def test_a_connection_that_never_sends_is_closed_without_a_word(served: Served) -> None:
    with served.connect() as sock:
        assert until_closed(sock) == b""
        client = sock.getsockname()
    assert about(served.log_since_last_look("silent"), client) == []


# ------------------------------------------------------------------ clients that leave


@pytest.mark.parametrize("leaving", ["close", "half-close"])
@pytest.mark.parametrize("path", [ENDPOINT, "/rest/v1/webhooks"])
def test_an_aborted_upload_is_one_quiet_line(served: Served, path: str, leaving: str) -> None:
    """Content-Length 1000, 8 bytes, gone: no traceback, no 500, one line; at both doors."""
    with served.connect() as sock:
        sock.sendall(
            f"POST {path} HTTP/1.1\r\nHost: t\r\nContent-Type: text/xml\r\n"
            "Content-Length: 1000\r\n\r\n<authent".encode()
        )
        client = sock.getsockname()
        if leaving == "half-close":
            sock.shutdown(socket.SHUT_WR)
            assert until_closed(sock) == b""  # nothing written, certainly no 500
    lines = served.log_since_last_look(f"aborted-{leaving}-{len(path)}")
    assert_quiet(lines)
    [line] = about(lines, client)
    assert "Client closed the connection during the request body (8 of 1000 bytes)" in line


def test_pipelined_requests_then_a_half_close_are_all_answered_in_order(served: Served) -> None:
    ref_ids = [f"pipe-{n}" for n in range(6)]
    with served.connect() as sock:
        sock.sendall(b"".join(authenticate_test(ref_id) for ref_id in ref_ids))
        sock.shutdown(socket.SHUT_WR)
        answers = until_closed(sock)
    assert answers.count(b"HTTP/1.1 200 ") == len(ref_ids)
    assert re.findall(rb"<refId>(pipe-\d)</refId>", answers) == [r.encode() for r in ref_ids]
    assert answers.count(b"<resultCode>Ok</resultCode>") == len(ref_ids)
    assert_quiet(served.log_since_last_look("pipelined-half-close"))


def test_pipelined_requests_of_a_client_that_left_log_no_error(tmp_path: Path) -> None:
    """The client sends six requests, reads the first answer and leaves. A server of its own,
    stopped afterwards: uvicorn's graceful stop waits for the requests still running."""
    server = started(server_env(tmp_path / "data"))
    try:
        with socket.create_connection(("127.0.0.1", server.port), timeout=CLOSE_TIMEOUT) as sock:
            sock.sendall(b"".join(authenticate_test(f"gone-{n}") for n in range(6)))
            assert sock.recv(65536).startswith(b"HTTP/1.1 200 ")
    finally:
        server.stop()
    assert "Finished server process" in server.output
    assert_quiet(server.lines)


# ------------------------------------------------------------------ the connection cap


@pytest.fixture
def capped(tmp_path: Path) -> Iterator[Served]:
    """A server allowing two connections, with a head deadline no test reaches."""
    server = started(server_env(tmp_path / "data", max_connections="2", header_timeout="600"))
    try:
        yield Served(server)
    finally:
        server.stop()
        assert_quiet(server.lines)


def test_connections_over_the_cap_get_a_503_and_the_log_two_lines(capped: Served) -> None:
    holders = [capped.connect() for _ in range(2)]
    for holder in holders:
        holder.sendall(b"GET /healthz HTTP/1.1\r\nHo")
    refused = []
    for _ in range(3):
        with capped.connect() as sock:
            refused.append(until_closed(sock))
    assert all(answer.startswith(b"HTTP/1.1 503 ") for answer in refused), refused
    assert all(b"retry-after: 1" in answer for answer in refused)
    for holder in holders:  # leave, and wait until the server has let go
        holder.shutdown(socket.SHUT_WR)
        assert until_closed(holder) == b""
        holder.close()
    lines = capped.log_since_last_look("after-the-cap")  # served again
    log = "\n".join(lines)
    assert log.count("Refusing new connections with 503: 2 are open") == 1, log
    assert log.count("Accepting connections again after refusing 3") == 1, log


def test_an_external_uvicorn_gets_the_bounds_from_asgi_http_protocol(tmp_path: Path) -> None:
    port = free_port()
    server = ServerProcess(server_env(tmp_path / "data", header_timeout="0.5"), port, uvicorn_command(port))
    try:
        server.wait_for("Uvicorn running on")
        with socket.create_connection(("127.0.0.1", port), timeout=CLOSE_TIMEOUT) as sock:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHo")
            assert until_closed(sock).startswith(b"HTTP/1.1 408 ")
    finally:
        server.stop()
    assert "request head not complete within 0.5 s" in server.output
    assert_quiet(server.lines)


def test_a_bad_bound_stops_serve_with_a_clear_error(tmp_path: Path) -> None:
    env = server_env(tmp_path / "data", body_timeout="soon")
    completed = subprocess.run(
        [str(STRONGROOM), "serve", "--port", str(free_port())],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode != 0
    assert completed.stderr.startswith("Error: STRONGROOM_BODY_TIMEOUT must be a number of seconds"), (
        completed.stderr
    )
    assert "Traceback" not in completed.stderr


@pytest.mark.parametrize("workers", ["1", "2"])
def test_an_external_uvicorn_with_bad_settings_stops_instead_of_restarting(
    tmp_path: Path, workers: str
) -> None:
    completed = subprocess.run(
        uvicorn_command(free_port(), "--workers", workers),
        env=server_env(tmp_path / "data", body_timeout="soon"),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = completed.stdout + completed.stderr
    assert "Error: STRONGROOM_BODY_TIMEOUT must be a number of seconds" in output
    assert "Traceback" not in output
    if workers == "1":
        assert completed.returncode == STARTUP_FAILURE
    else:  # the supervisor saw the startup failure and stopped, once
        assert "failed to start, stopping the parent process" in output
        assert output.count("Error: STRONGROOM_BODY_TIMEOUT") <= 2  # one per worker, no restarts
