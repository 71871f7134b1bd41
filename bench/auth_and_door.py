"""Benchmark: credential checks per second and the Authorize.Net door's cost per request."""

from __future__ import annotations

import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.api.live_server import settings_for, start_server

from strongroom.domain.sensitive import Secret

IDS_XML = (
    '<getCustomerProfileIdsRequest xmlns="AnetApi/xml/v1/schema/AnetApiSchema.xsd">'
    "<merchantAuthentication><name>{login}</name><transactionKey>{key}</transactionKey>"
    "</merchantAuthentication></getCustomerProfileIdsRequest>"
)
IDS_JSON = (
    '{{"getCustomerProfileIdsRequest":{{"merchantAuthentication":'
    '{{"name":"{login}","transactionKey":"{key}"}}}}}}'
)


def per_second(label: str, count: int, action: Callable[[], object]) -> float:
    started = time.perf_counter()
    for _ in range(count):
        action()
    elapsed = time.perf_counter() - started
    rate = count / elapsed
    print(f"{label:<48} {rate:>10,.0f}/s   ({elapsed / count * 1e6:,.1f} µs each)")
    return rate


def http_latencies(client: httpx.Client, count: int, send: Callable[[httpx.Client], object]) -> list[float]:
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        send(client)
        samples.append(time.perf_counter() - started)
    return samples


def report_http(label: str, samples: list[float]) -> float:
    ordered = sorted(samples)
    rate = len(samples) / sum(samples)
    p50 = statistics.median(ordered) * 1e3
    p99 = ordered[int(len(ordered) * 0.99) - 1] * 1e3
    print(f"{label:<48} {rate:>10,.0f}/s   p50 {p50:.2f} ms   p99 {p99:.2f} ms")
    return rate


def main() -> None:
    directory = Path(tempfile.mkdtemp(prefix="strongroom-bench-"))
    live, stop = start_server(settings_for(f"sqlite:///{directory / 'bench.db'}", directory / "data"))
    try:
        services = live.application.services
        _, credentials = services.merchants.create("Bench", "benchlogin", "BenchKey12345678")
        key = Secret(credentials.transaction_key)
        print("-- in process")
        auth_rate = per_second(
            "authenticate (login lookup + keyed hash)",
            5000,
            lambda: services.merchants.authenticate("benchlogin", key),
        )
        from strongroom.web.authnet.dispatch import Door

        door = Door(services)
        xml = IDS_XML.format(login="benchlogin", key="BenchKey12345678").encode()
        body_json = IDS_JSON.format(login="benchlogin", key="BenchKey12345678").encode()
        per_second("door: getCustomerProfileIds, XML", 3000, lambda: door.handle(xml, "application/xml"))
        per_second(
            "door: getCustomerProfileIds, JSON", 3000, lambda: door.handle(body_json, "application/json")
        )
        print("-- over HTTP on loopback (one client, keep-alive)")
        with httpx.Client(base_url=live.url) as client:
            health = report_http(
                "GET /healthz (trivial endpoint, same app)",
                http_latencies(client, 2000, lambda c: c.get("/healthz")),
            )
            api = report_http(
                "POST getCustomerProfileIds (XML)",
                http_latencies(
                    client,
                    2000,
                    lambda c: c.post(live.endpoint, content=xml, headers={"content-type": "text/xml"}),
                ),
            )
        print(
            f"-- ratio: API request costs {health / api:.2f}x a trivial request; "
            f"credential checks run at {auth_rate:,.0f}/s (needs thousands/s)"
        )
        print(f"   threads alive: {threading.active_count()}")
    finally:
        stop()


if __name__ == "__main__":
    main()
