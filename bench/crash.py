"""Kill -9 under load: do retries with the same Idempotency-Key ever lose or double a charge?

For each engine and run: start `strongroom serve` on a fresh database, send N charges from C
client threads (each charge its own Idempotency-Key and amount), kill -9 the server K times
mid-load and restart it on the same data, while every client retries its unanswered request
with the same key and body until it gets an answer. Then move the sandbox clock 25 hours on
and retry every key once more. Prints, per run:

- cutting off: charges whose request was in flight (or sent) while the server was down;
- acknowledged: charges the clients got an approval for;
- lost: acknowledged charges missing from the database;
- charged twice: keys (amounts) with more than one charge in the database;
- stuck: keys still answering "still being processed" after 20 s of retries;
- failed: keys whose final answer was neither an approval nor a refusal to run again.

All but the first must be 0.

    python bench/crash.py [--charges 2000] [--clients 8] [--kills 1] [--runs 3]
                          [--engine sqlite|postgres|both] [--postgres-url URL]
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import httpx
from load import database_url, serve_process  # bench/ is on sys.path when a bench script runs
from sqlalchemy import create_engine, text

LOGIN, KEY = "5KP3u95bQpv", "346HZ32z3fP4hTG2"  # the sandbox merchant a fresh server creates
NS = 'xmlns="AnetApi/xml/v1/schema/AnetApiSchema.xsd"'
STUCK_AFTER = 20.0  # seconds of "still being processed" before a key counts as stuck
POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def amount(n: int) -> Decimal:
    return Decimal(100 + n) / 100  # unique per charge: tells which key a database row belongs to


def charge(n: int) -> str:
    return (
        f"<createTransactionRequest {NS}><merchantAuthentication><name>{LOGIN}</name>"
        f"<transactionKey>{KEY}</transactionKey></merchantAuthentication>"
        "<transactionRequest><transactionType>authCaptureTransaction</transactionType>"
        f"<amount>{amount(n)}</amount><payment><creditCard>"
        "<cardNumber>4111111111111111</cardNumber><expirationDate>2035-12</expirationDate>"
        "</creditCard></payment><transactionSettings><setting><settingName>duplicateWindow"
        "</settingName><settingValue>0</settingValue></setting></transactionSettings>"
        "</transactionRequest></createTransactionRequest>"
    )


@dataclass
class Outcome:
    acknowledged: dict[int, str] = field(default_factory=dict)  # charge -> transId
    stuck: set[int] = field(default_factory=set)
    failed: dict[int, str] = field(default_factory=dict)  # charge -> answer code
    interrupted: set[int] = field(default_factory=set)  # charges whose request a kill cut off
    lock: threading.Lock = field(default_factory=threading.Lock)


class Server:
    """`strongroom serve` as its own process, killed with SIGKILL and restarted on demand."""

    def __init__(self, env: dict[str, str], port: int) -> None:
        self._env, self._port = env, port
        self._process: subprocess.Popen[bytes] | None = None
        self.up = threading.Event()

    def start(self) -> None:
        self._process = serve_process(self._env, self._port)
        self.up.set()

    def kill(self) -> None:
        self.up.clear()
        assert self._process is not None
        self._process.send_signal(signal.SIGKILL)
        self._process.wait(timeout=30)

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            self._process.wait(timeout=30)


def code_of(response: httpx.Response) -> str:
    found = re.search(rb"<code>(\w+)</code>", response.content)
    return found[1].decode() if found else f"HTTP {response.status_code}"


def send_until_answered(
    client: httpx.Client, endpoint: str, server: Server, n: int, key: str, outcome: Outcome
) -> None:
    busy_since: float | None = None
    while True:
        server.up.wait(timeout=120)
        try:
            response = client.post(
                endpoint, content=charge(n), headers={"content-type": "text/xml", "idempotency-key": key}
            )
        except httpx.TransportError:
            with outcome.lock:
                outcome.interrupted.add(n)
            time.sleep(0.05)  # the server is down: wait for the restart, then retry
            continue
        answer = code_of(response)
        if answer == "E00013" and b"still being processed" in response.content:
            busy_since = busy_since or time.monotonic()
            if time.monotonic() - busy_since > STUCK_AFTER:
                with outcome.lock:
                    outcome.stuck.add(n)
                return
            time.sleep(0.1)
            continue
        with outcome.lock:
            if answer == "I00001":
                found = re.search(rb"<transId>(\d+)</transId>", response.content)
                outcome.acknowledged[n] = found[1].decode() if found else "?"
            elif not (answer == "E00013" and b"no longer kept" in response.content):
                outcome.failed[n] = answer
        return


def drive(endpoint: str, server: Server, charges: int, clients: int, kills: int, run_id: str) -> Outcome:
    outcome = Outcome()
    next_charge = iter(range(charges))
    take = threading.Lock()
    kill_points = [charges * (k + 1) // (kills + 1) for k in range(kills)]

    def worker() -> None:
        with httpx.Client(timeout=60) as client:
            while True:
                with take:
                    n = next(next_charge, None)
                if n is None:
                    return
                send_until_answered(client, endpoint, server, n, f"{run_id}-{n}", outcome)

    def killer() -> None:
        for point in kill_points:
            while len(outcome.acknowledged) < point:
                time.sleep(0.01)
            server.kill()
            server.start()

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    killing = threading.Thread(target=killer, daemon=True)
    for thread in [*threads, killing]:
        thread.start()
    for thread in threads:
        thread.join()
    killing.join(timeout=120)
    return outcome


def retry_all(endpoint: str, server: Server, charges: int, run_id: str) -> Outcome:
    outcome = Outcome()
    with httpx.Client(timeout=60) as client:
        for n in range(charges):
            send_until_answered(client, endpoint, server, n, f"{run_id}-{n}", outcome)
    return outcome


def stored_charges(database_url: str) -> Counter[Decimal]:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            # Amounts are stored as integer minor units (cents here).
            rows = connection.execute(text("SELECT amount FROM transactions")).scalars()
            return Counter(Decimal(int(value)) / 100 for value in rows)
    finally:
        engine.dispose()


def one_run(engine: str, args: argparse.Namespace, run: int) -> bool:
    with (
        tempfile.TemporaryDirectory(prefix="strongroom-crash-") as directory,
        database_url(engine, Path(directory), args.postgres_url, prefix="bench_crash") as url,
    ):
        env = {
            **os.environ,
            "STRONGROOM_DATA_DIR": directory,
            "STRONGROOM_DATABASE_URL": url,
            "STRONGROOM_LOG_LEVEL": "warning",
            "STRONGROOM_AUTO_MIGRATE": "true",
        }
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        server = Server(env, port)
        endpoint = f"http://127.0.0.1:{port}/xml/v1/request.api"
        run_id = uuid.uuid4().hex[:8]
        server.start()
        try:
            began = time.perf_counter()
            outcome = drive(endpoint, server, args.charges, args.clients, args.kills, run_id)
            seconds = time.perf_counter() - began
            subprocess.run(
                [str(Path(sys.executable).parent / "strongroom"), "clock", "advance", "25h"],
                env=env,
                check=True,
                capture_output=True,
            )
            later = retry_all(endpoint, server, args.charges, run_id)
        finally:
            server.stop()
        stored = stored_charges(url)
    lost = [n for n in outcome.acknowledged if stored[amount(n)] == 0]
    twice = [value for value, count in stored.items() if count > 1]
    stuck = outcome.stuck | later.stuck
    failed = {**outcome.failed, **later.failed}
    print(
        f"{engine:<8} run {run}: {args.charges} charges, {args.clients} clients, "
        f"{args.kills} kill(s) cutting off {len(outcome.interrupted)}, {seconds:.0f} s: "
        f"acknowledged {len(outcome.acknowledged)}, "
        f"lost {len(lost)}, charged twice {len(twice)}, stuck {len(stuck)}, "
        f"failed {len(failed)}" + (f" {sorted(Counter(failed.values()).items())}" if failed else "")
    )
    return not (lost or twice or stuck or failed)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--charges", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--kills", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--engine", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument(
        "--postgres-url", default=os.environ.get("STRONGROOM_TEST_POSTGRES_URL", POSTGRES_URL)
    )
    args = parser.parse_args()
    engines = ["sqlite", "postgres"] if args.engine == "both" else [args.engine]
    results = [
        one_run(engine, args, run)
        for engine in engines  # every run, even after a fail
        for run in range(1, args.runs + 1)
    ]
    clean = all(results)
    print("all runs clean" if clean else "DEFECTS FOUND")
    sys.exit(0 if clean else 1)


if __name__ == "__main__":
    main()
