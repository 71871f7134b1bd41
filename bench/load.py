"""Load driver: requests/s and p50/p99 latency for the main API calls against a trivial one.

Starts `strongroom serve` as its own process on a fresh SQLite data dir (so the client's load
does not share the server's interpreter), then drives it from a few client threads over
keep-alive connections on loopback. Every phase is bounded in time and in request count.

    python bench/load.py [--seconds 5] [--clients 4]
"""

from __future__ import annotations

import argparse
import itertools
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx

LOGIN, KEY = "5KP3u95bQpv", "346HZ32z3fP4hTG2"  # the sandbox merchant a fresh server creates
AUTH = (
    f"<merchantAuthentication><name>{LOGIN}</name><transactionKey>{KEY}</transactionKey>"
    "</merchantAuthentication>"
)
NS = 'xmlns="AnetApi/xml/v1/schema/AnetApiSchema.xsd"'
NO_DUPLICATE_CHECK = (
    "<transactionSettings><setting><settingName>duplicateWindow</settingName>"
    "<settingValue>0</settingValue></setting></transactionSettings>"
)
MAX_REQUESTS_PER_PHASE = 200_000


def charge_card(n: int) -> str:
    return (
        f"<createTransactionRequest {NS}>{AUTH}<transactionRequest>"
        f"<transactionType>authCaptureTransaction</transactionType>"
        f"<amount>{1 + n % 90}.{n % 100:02d}</amount><payment><creditCard>"
        "<cardNumber>4111111111111111</cardNumber><expirationDate>2035-12</expirationDate>"
        f"</creditCard></payment>{NO_DUPLICATE_CHECK}</transactionRequest>"
        "</createTransactionRequest>"
    )


def charge_profile(profile_id: str, payment_profile_id: str) -> Callable[[int], str]:
    def body(n: int) -> str:
        return (
            f"<createTransactionRequest {NS}>{AUTH}<transactionRequest>"
            f"<transactionType>authCaptureTransaction</transactionType>"
            f"<amount>{1 + n % 90}.{n % 100:02d}</amount><profile>"
            f"<customerProfileId>{profile_id}</customerProfileId><paymentProfile>"
            f"<paymentProfileId>{payment_profile_id}</paymentProfileId></paymentProfile>"
            f"</profile>{NO_DUPLICATE_CHECK}</transactionRequest>"
            "</createTransactionRequest>"
        )

    return body


def create_profile(n: int) -> str:
    return (
        f"<createCustomerProfileRequest {NS}>{AUTH}<profile>"
        f"<merchantCustomerId>b{os.getpid()}-{n}</merchantCustomerId>"
        "<paymentProfiles><billTo><firstName>Ellen</firstName><lastName>Johnson</lastName>"
        "<address>14 Main Street</address><zip>44628</zip></billTo><payment><creditCard>"
        "<cardNumber>4111111111111111</cardNumber><expirationDate>2035-12</expirationDate>"
        "</creditCard></payment></paymentProfiles></profile></createCustomerProfileRequest>"
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "STRONGROOM_DATA_DIR": str(data_dir), "STRONGROOM_LOG_LEVEL": "warning"}
    env.pop("STRONGROOM_DATABASE_URL", None)
    return serve_process(env, port)


def serve_process(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    """`strongroom serve --port port` in its own process, returned once it accepts connections."""
    command = [str(Path(sys.executable).parent / "strongroom"), "serve", "--port", str(port)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(600):  # up to ~30 s: migrations, key file, sandbox merchant, then listen
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            if server.poll() is not None:
                break
            time.sleep(0.05)
    server.kill()
    raise RuntimeError("the server did not start")


def phase(
    label: str, seconds: float, clients: int, send: Callable[[httpx.Client, int], httpx.Response]
) -> float:
    counter = itertools.count()
    samples: list[float] = []
    failures = 0
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker() -> None:
        nonlocal failures
        with httpx.Client(timeout=30) as client:
            while time.perf_counter() < deadline:
                n = next(counter)
                if n >= MAX_REQUESTS_PER_PHASE:
                    return
                started = time.perf_counter()
                response = send(client, n)
                elapsed = time.perf_counter() - started
                ok = response.status_code == 200 and (
                    b"<resultCode>Ok" in response.content or b'"status":"ok"' in response.content
                )
                with lock:
                    samples.append(elapsed)
                    failures += not ok

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    ordered = sorted(samples)
    rate = len(samples) / wall
    p50 = statistics.median(ordered) * 1e3
    p99 = ordered[max(0, int(len(ordered) * 0.99) - 1)] * 1e3
    print(
        f"{label:<34} {rate:>8,.0f} req/s   p50 {p50:6.2f} ms   p99 {p99:6.2f} ms"
        f"   ({len(samples):,} requests, {failures} not Ok)"
    )
    return rate


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    endpoint = url + "/xml/v1/request.api"
    with tempfile.TemporaryDirectory(prefix="strongroom-load-") as directory:
        server = start_server(Path(directory), port)
        try:
            run(url, endpoint, args.seconds, args.clients)
        finally:
            server.terminate()
            server.wait(timeout=30)


def run(url: str, endpoint: str, seconds: float, clients: int) -> None:
    xml = {"content-type": "text/xml"}

    def post(body: Callable[[int], str]) -> Callable[[httpx.Client, int], httpx.Response]:
        return lambda client, n: client.post(endpoint, content=body(n), headers=xml)

    created = httpx.post(endpoint, content=create_profile(-1), headers=xml, timeout=30).text
    profile_id = created.split("<customerProfileId>")[1].split("<")[0]
    payment_profile_id = created.split("<numericString>")[1].split("<")[0]
    print(f"loopback, SQLite, {clients} client threads, {seconds:g} s per phase")
    trivial = phase(
        "GET /healthz (trivial, same app)", seconds, clients, lambda client, _n: client.get(url + "/healthz")
    )
    rates = {
        "charge a card": phase("charge a card", seconds, clients, post(charge_card)),
        "charge a profile": phase(
            "charge a profile", seconds, clients, post(charge_profile(profile_id, payment_profile_id))
        ),
        "create a profile": phase("create a profile (with a card)", seconds, clients, post(create_profile)),
    }
    for label, rate in rates.items():
        print(f"  {label}: {trivial / rate:.1f}x the cost of the trivial request")


if __name__ == "__main__":
    main()
