"""Slow clients against `strongroom serve` with its default bounds: how many are dropped, after
how long, and whether normal requests are served meanwhile.

Starts `strongroom serve` as its own process on a fresh SQLite data dir (STRONGROOM_* variables
of the caller's environment other than the data dir and database apply, so the bounds can be
varied), opens N connections that trickle a request head a byte a second and N that send a
head then trickle the body, and sends one normal request a second until every slow connection
is closed or the time limit passes. All traffic is on loopback; everything is bounded.

    python bench/slow_clients.py [--connections 80] [--limit 120]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from load import serve_process  # bench/ is on sys.path when a bench script runs

from strongroom.config import load_settings

LOGIN, KEY = "5KP3u95bQpv", "346HZ32z3fP4hTG2"  # the sandbox merchant a fresh server creates
BODY = (
    f'<authenticateTestRequest xmlns="AnetApi/xml/v1/schema/AnetApiSchema.xsd">'
    f"<merchantAuthentication><name>{LOGIN}</name><transactionKey>{KEY}</transactionKey>"
    "</merchantAuthentication></authenticateTestRequest>"
).encode()
HEAD = (
    b"POST /xml/v1/request.api HTTP/1.1\r\nHost: bench\r\nContent-Type: text/xml\r\n"
    b"Content-Length: %d\r\n\r\n"
)
NORMAL = HEAD.replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n") % len(BODY) + BODY
TRICKLE = 1.0  # seconds between the bytes a slow client sends


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Outcome:
    """When each slow connection of one kind was closed by the server, in seconds."""

    closed_after: list[float] = field(default_factory=list)
    still_open: int = 0
    answers: dict[str, int] = field(default_factory=dict)


async def slow_client(port: int, prefix: bytes, trickle: bytes, limit: float, outcome: Outcome) -> None:
    """Send `prefix`, then `trickle` a byte a second, until the server closes or `limit`."""
    started = time.monotonic()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(prefix)
    answer = b""
    try:
        for byte in trickle:
            if time.monotonic() - started > limit:
                outcome.still_open += 1
                return
            writer.write(bytes([byte]))
            try:
                answer = await asyncio.wait_for(reader.read(64), TRICKLE)
            except TimeoutError:
                continue
            break  # an answer or the end of the connection
        else:
            outcome.still_open += 1
            return
    except ConnectionError:
        pass
    outcome.closed_after.append(time.monotonic() - started)
    status = answer.split(b"\r\n", 1)[0].decode(errors="replace") or "closed without an answer"
    outcome.answers[status] = outcome.answers.get(status, 0) + 1
    writer.close()


async def normal_requests(port: int, done: asyncio.Event, served: list[float], failed: list[str]) -> None:
    """One normal request a second on a new connection, until `done`."""
    while not done.is_set():
        started = time.monotonic()
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(NORMAL)
            answer = await asyncio.wait_for(reader.read(), 10)  # to the server's close
            writer.close()
            if answer.startswith(b"HTTP/1.1 200 ") and b"<resultCode>Ok" in answer:
                served.append(time.monotonic() - started)
            else:
                failed.append(answer[:40].decode(errors="replace"))
        except (OSError, TimeoutError) as error:
            failed.append(type(error).__name__)
        await asyncio.sleep(1)


async def run(port: int, connections: int, limit: float) -> tuple[Outcome, Outcome, list[float], list[str]]:
    head, body = Outcome(), Outcome()
    long_head = HEAD % len(BODY) + b"X-Padding: " + b"p" * 4096
    clients = [slow_client(port, b"P", long_head[1:], limit, head) for _ in range(connections)]
    clients += [slow_client(port, HEAD % len(BODY), BODY, limit, body) for _ in range(connections)]
    done = asyncio.Event()
    served: list[float] = []
    failed: list[str] = []
    normal = asyncio.create_task(normal_requests(port, done, served, failed))
    await asyncio.gather(*clients)
    done.set()
    await normal
    return head, body, served, failed


def report(label: str, outcome: Outcome, connections: int) -> None:
    times = sorted(outcome.closed_after)
    print(
        f"{label}: {len(times)} of {connections} closed by the server, "
        f"{outcome.still_open} still open at the limit"
    )
    if times:
        print(
            f"  closed after {times[0]:.1f} s (first), {statistics.median(times):.1f} s "
            f"(median), {times[-1]:.1f} s (last); answers: {outcome.answers}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--connections", type=int, default=80, help="slow connections of each kind (default 80)"
    )
    parser.add_argument(
        "--limit", type=float, default=120.0, help="seconds a slow client keeps trying (default 120)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "STRONGROOM_DATA_DIR": str(Path(tmp) / "data"),
            "STRONGROOM_LOG_LEVEL": "warning",
            "STRONGROOM_SCHEDULER_INTERVAL": "0",
        }
        env.pop("STRONGROOM_DATABASE_URL", None)
        settings = load_settings(env)
        print(
            f"bounds: head {settings.header_timeout:g} s, body {settings.body_timeout:g} s, "
            f"{settings.max_connections} connections; {args.connections} slow clients of "
            f"each kind, a byte every {TRICKLE:g} s"
        )
        port = free_port()
        server = serve_process(env, port)
        try:
            started = time.monotonic()
            head, body, served, failed = asyncio.run(run(port, args.connections, args.limit))
            elapsed = time.monotonic() - started
        finally:
            server.terminate()
            server.wait(timeout=30)
    report("slow head", head, args.connections)
    report("slow body", body, args.connections)
    slowest = f", slowest {max(served) * 1000:.0f} ms" if served else ""
    print(
        f"normal requests meanwhile: {len(served)} served, {len(failed)} failed{slowest} "
        f"({elapsed:.0f} s in all)"
    )
    if failed:
        print(f"  failures: {sorted(set(failed))}")


if __name__ == "__main__":
    main()
