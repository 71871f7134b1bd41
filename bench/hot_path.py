"""In-process cost of the hot calls through the Authorize.Net door: CPU µs, statements and
transactions per request, and (with --profile) where the time goes.

No HTTP: `Door.handle` is called directly on a fresh application (SQLite file, or PostgreSQL
with --engine postgres), so the figures are the server's own work per request.

    python bench/hot_path.py [--engine sqlite|postgres] [--count 2000] [--profile CALL]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests.api and tests.pg

from load import KEY, LOGIN, NS, create_profile  # bench/ is on sys.path
from sqlalchemy import Engine, event
from tests.api.live_server import settings_for

from strongroom.bootstrap import Application, build, ensure_sandbox_merchant
from strongroom.web.authnet.dispatch import Door

IS_ALIVE = '<isAliveRequest xmlns="AnetApi/xml/v1/schema/AnetApiSchema.xsd"/>'
AUTH = (
    f"<merchantAuthentication><name>{LOGIN}</name><transactionKey>{KEY}</transactionKey>"
    "</merchantAuthentication>"
)
NO_DUPLICATE_CHECK = (
    "<transactionSettings><setting><settingName>duplicateWindow</settingName>"
    "<settingValue>0</settingValue></setting></transactionSettings>"
)


def _charge(n: int, payment: str) -> str:
    return (
        f"<createTransactionRequest {NS}>{AUTH}<transactionRequest>"
        "<transactionType>authCaptureTransaction</transactionType>"
        f"<amount>{1 + n % 90}.{n % 100:02d}</amount>{payment}{NO_DUPLICATE_CHECK}"
        "</transactionRequest></createTransactionRequest>"
    )


def charge_card(n: int) -> str:
    card = "<cardNumber>4111111111111111</cardNumber><expirationDate>2035-12</expirationDate>"
    return _charge(n, f"<payment><creditCard>{card}</creditCard></payment>")


def charge_profile(profile_id: str, payment_profile_id: str) -> Callable[[int], str]:
    profile = (
        f"<profile><customerProfileId>{profile_id}</customerProfileId><paymentProfile>"
        f"<paymentProfileId>{payment_profile_id}</paymentProfileId></paymentProfile></profile>"
    )
    return lambda n: _charge(n, profile)


def new_profile(n: int) -> str:
    return create_profile(f"hot{os.getpid()}-{n}")


def charge_profile_json(profile_id: str, payment_profile_id: str) -> Callable[[int], str]:
    auth = {"name": LOGIN, "transactionKey": KEY}
    no_duplicate_check = {"setting": [{"settingName": "duplicateWindow", "settingValue": "0"}]}

    def body(n: int) -> str:
        request = {
            "transactionType": "authCaptureTransaction",
            "amount": f"{1 + n % 90}.{n % 100:02d}",
            "profile": {
                "customerProfileId": profile_id,
                "paymentProfile": {"paymentProfileId": payment_profile_id},
            },
            "transactionSettings": no_duplicate_check,
        }
        return json.dumps(
            {"createTransactionRequest": {"merchantAuthentication": auth, "transactionRequest": request}}
        )

    return body


def get_profile(profile_id: str) -> Callable[[int], str]:
    body = (
        '<getCustomerProfileRequest xmlns="AnetApi/xml/v1/schema/AnetApiSchema.xsd">'
        f"<merchantAuthentication><name>{LOGIN}</name><transactionKey>{KEY}</transactionKey>"
        f"</merchantAuthentication><customerProfileId>{profile_id}</customerProfileId>"
        "</getCustomerProfileRequest>"
    )
    return lambda _n: body


@dataclass
class Counter:
    """Statements and transactions the engine runs, counted by SQLAlchemy events."""

    statements: int = 0
    begins: int = 0
    texts: dict[str, int] = field(default_factory=dict)

    def attach(self, engine: Engine) -> None:
        def on_execute(*args: Any) -> None:
            self.statements += 1
            text = str(args[2]).split("\n")[0][:90]
            self.texts[text] = self.texts.get(text, 0) + 1

        def on_begin(_connection: Any) -> None:
            self.begins += 1

        event.listen(engine, "before_cursor_execute", on_execute)
        event.listen(engine, "begin", on_begin)

    def reset(self) -> None:
        self.statements = self.begins = 0
        self.texts = {}


@contextmanager
def application(engine_kind: str) -> Iterator[Application]:
    with tempfile.TemporaryDirectory(prefix="strongroom-hot-") as directory:
        path = Path(directory)
        if engine_kind == "sqlite":
            url = f"sqlite:///{path / 'hot.db'}"
            yield _built(url, path)
            return
        from tests.pg import drop_schema, fresh_schema_url

        base = os.environ.get("STRONGROOM_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1/test")
        url, schema = fresh_schema_url(base, f"hot_{os.getpid()}")
        try:
            yield _built(url, path)
        finally:
            drop_schema(base, schema)


def _built(url: str, path: Path) -> Application:
    built = build(settings_for(url, path / "data"))
    ensure_sandbox_merchant(built)
    return built


def measure(door: Door, counter: Counter, label: str, body: Callable[[int], str], count: int) -> float:
    content_type = "application/json" if body(0).startswith("{") else "text/xml"
    for n in range(min(50, count)):  # warm caches and statement compilation
        door.handle(body(n).encode(), content_type, None, "127.0.0.1")
    counter.reset()
    started_cpu, started_wall = time.process_time(), time.perf_counter()
    for n in range(count):
        reply = door.handle(body(100 + n).encode(), content_type, None, "127.0.0.1")
        if b"Ok" not in reply.body:
            raise SystemExit(f"{label}: not Ok: {reply.body[:400]!r}")
    cpu = (time.process_time() - started_cpu) / count * 1e6
    wall = (time.perf_counter() - started_wall) / count * 1e6
    print(
        f"{label:<34} {cpu:8.0f} µs CPU  {wall:8.0f} µs wall  "
        f"{counter.statements / count:5.1f} statements  {counter.begins / count:4.1f} transactions"
    )
    return cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--profile", default=None, help="profile one call by its label prefix")
    parser.add_argument("--statements", action="store_true", help="list each call's statements")
    args = parser.parse_args()
    with application(args.engine) as built:
        door = Door(built.services, built.idempotency)
        counter = Counter()
        counter.attach(built.engine)
        created = door.handle(new_profile(-1).encode(), "text/xml", None, "127.0.0.1").body.decode()
        profile_id = created.split("<customerProfileId>")[1].split("<")[0]
        payment_id = created.split("<numericString>")[1].split("<")[0]
        calls: dict[str, Callable[[int], str]] = {
            "isAlive": lambda _n: IS_ALIVE,
            "charge a profile, XML": charge_profile(profile_id, payment_id),
            "charge a profile, JSON": charge_profile_json(profile_id, payment_id),
            "charge a card, XML": charge_card,
            "getCustomerProfile": get_profile(profile_id),
            "createCustomerProfile (card)": new_profile,
        }
        print(f"{args.engine}, in process, {args.count} requests each")
        costs = {label: measure(door, counter, label, body, args.count) for label, body in calls.items()}
        if args.statements:
            for label, body in calls.items():
                counter.reset()
                door.handle(body(10**6).encode(), "text/xml", None, "127.0.0.1")
                print(f"-- {label}")
                for text, times in counter.texts.items():
                    print(f"   {times} × {text}")
        base = costs["isAlive"]
        for label, cost in costs.items():
            print(f"  {label}: {cost / base:.1f}× isAlive's CPU")
        if args.profile:
            label = next(name for name in calls if name.startswith(args.profile))
            profiler = cProfile.Profile()
            profiler.enable()
            measure(door, counter, label, calls[label], args.count)
            profiler.disable()
            pstats.Stats(profiler).sort_stats(os.environ.get("SORT", "cumulative")).print_stats(
                int(os.environ.get("ROWS", "45"))
            )
        built.close()


if __name__ == "__main__":
    main()
