"""Benchmark: transaction-list pages through the Authorize.Net door, for a merchant with about a
thousand transactions and one with a million, on SQLite and (when a URL is given) PostgreSQL.

    python bench/reporting.py            # SQLite; PostgreSQL too if STRONGROOM_TEST_POSTGRES_URL

The million-transaction data set is generated once straight through storage (bulk inserts) and
kept for later runs: SQLite in <tmp>/strongroom-bench-reporting/, PostgreSQL in the schema
`bench_reporting` (with its master key file in the same tmp folder). `--fresh` rebuilds it.

    small merchant:   1,000 transactions in one batch  +  1,000 not batched yet
    large merchant: 500,000 in one batch, 49 batches of 10,000, 10,000 not batched yet

Each figure is the median of several in-process door calls (XML in, XML out) for one page of
1,000: getTransactionList on the big batch (first page, the last of 500 pages, and page 250
sorted by id descending) and getUnsettledTransactionList (first and last page). The ratio
large/small is the point: a page should cost the same however much history there is.
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import Engine, func, select, text
from tests.api.live_server import settings_for

from strongroom.bootstrap import Application, build
from strongroom.clocks import MovableClock
from strongroom.storage import SqlUnitOfWorkFactory, create_engine_for
from strongroom.storage.engine import transaction
from strongroom.storage.tables import batches, transactions
from strongroom.web.authnet.dispatch import Door

CACHE = Path(tempfile.gettempdir()) / "strongroom-bench-reporting"
PG_SCHEMA = "bench_reporting"
DATA_VERSION = "v1"  # bump when the generated data changes shape
START = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
PAGE = 1000
REPEATS = 7
CHUNK = 20_000
SMALL = ("bench-small", "BenchSmallKey001")
LARGE = ("bench-large", "BenchLargeKey001")
DETAILS = '{"bill_to": {"first_name": "Ellen", "last_name": "Johnson"}, "customer_ip": "192.0.2.7"}'

LIST = (
    '<getTransactionListRequest xmlns="AnetApi/xml/v1/schema/AnetApiSchema.xsd">'
    "<merchantAuthentication><name>{login}</name><transactionKey>{key}</transactionKey>"
    "</merchantAuthentication><batchId>{batch}</batchId>"
    "<sorting><orderBy>{order}</orderBy><orderDescending>{descending}</orderDescending>"
    "</sorting><paging><limit>{limit}</limit><offset>{page}</offset></paging>"
    "</getTransactionListRequest>"
)
UNSETTLED = (
    "<getUnsettledTransactionListRequest "
    'xmlns="AnetApi/xml/v1/schema/AnetApiSchema.xsd">'
    "<merchantAuthentication><name>{login}</name><transactionKey>{key}</transactionKey>"
    "</merchantAuthentication><paging><limit>{limit}</limit><offset>{page}</offset>"
    "</paging></getUnsettledTransactionListRequest>"
)


@dataclass(frozen=True)
class Shape:
    """How many transactions a merchant has: batch sizes (the first is the one paged), then
    how many are not batched yet."""

    batch_sizes: tuple[int, ...]
    unbatched: int

    @property
    def total(self) -> int:
        return sum(self.batch_sizes) + self.unbatched


SHAPES = {SMALL[0]: Shape((1_000,), 1_000), LARGE[0]: Shape((500_000,) + (10_000,) * 49, 10_000)}


# ----------------------------------------------------------------------------- the data set


def _clock() -> MovableClock:
    return MovableClock(NOW)


def _open(url: str, data_dir: Path) -> Application:
    return build(settings_for(url, data_dir), clock=_clock())


class _Refs:
    """Distinct random 11-digit transaction ids for the whole data set, drawn at once."""

    def __init__(self, count: int) -> None:
        self._values: Iterator[int] = iter(random.sample(range(10**10, 10**11), count))

    def take(self, count: int) -> list[str]:
        return [str(next(self._values)) for _ in range(count)]


def _row(
    merchant_key: int,
    ref: str,
    submitted: datetime,
    batch: tuple[str, datetime] | None,
    ranks: tuple[int, int] | None,
    number: int,
) -> dict[str, Any]:
    amount = Decimal(10 + number % 90).quantize(Decimal("0.01"))
    return {
        "ref": ref,
        "merchant_key": merchant_key,
        "kind": "charge",
        "status": "settled" if batch else "captured_pending_settlement",
        "amount": amount,
        "currency": "USD",
        "settle_amount": amount,
        "refunded": Decimal("0.00"),
        "response_code": 1,
        "reason_code": 1,
        "auth_code": "A1B2C3",
        "avs_result": "Y",
        "card_code_result": "M",
        "cavv_result": "",
        "payment_method": "card",
        "account_last4": "1111",
        "account_type": "Visa",
        "fingerprint": "fp",
        "duplicate_key": ref,
        "processor_reference": f"sim-{ref}",
        "invoice_number": f"INV-{number}",
        "details_json": DETAILS,
        "submitted_at": submitted,
        "settled_at": batch[1] if batch else None,
        "batch_ref": batch[0] if batch else None,
        "batch_time_rank": ranks[0] if ranks else None,
        "batch_id_rank": ranks[1] if ranks else None,
    }


def _insert(engine: Engine, rows: list[dict[str, Any]]) -> None:
    with transaction(engine, write=True) as connection:
        connection.execute(transactions.insert(), rows)


def _fill_batch(
    engine: Engine, refs_: _Refs, merchant_key: int, batch_ref: str, day: int, size: int, number: int
) -> int:
    """One settled batch of `size` transactions submitted across day `day`."""
    settled_at = START + timedelta(days=day + 1)
    with transaction(engine, write=True) as connection:
        connection.execute(
            batches.insert().values(
                ref=batch_ref,
                merchant_key=merchant_key,
                payment_method="card",
                settlement_state="settled",
                settled_at=settled_at,
                settlement_timezone="America/Los_Angeles",
                created_at=settled_at,
            )
        )
    refs = refs_.take(size)
    id_ranks = {ref: rank for rank, ref in enumerate(sorted(refs), 1)}
    step = timedelta(days=1) / size
    day_start = START + timedelta(days=day)
    rows: list[dict[str, Any]] = []
    for index, ref in enumerate(refs):
        rows.append(
            _row(
                merchant_key,
                ref,
                day_start + index * step,
                (batch_ref, settled_at),
                (index + 1, id_ranks[ref]),
                number,
            )
        )
        number += 1
        if len(rows) == CHUNK:
            _insert(engine, rows)
            rows = []
    if rows:
        _insert(engine, rows)
    return number


def _generate(app: Application, engine: Engine) -> None:
    refs = _Refs(_expected())
    for (login, key), shape in zip((SMALL, LARGE), SHAPES.values(), strict=True):
        merchant, _ = app.services.merchants.create(f"Bench {login}", login, key)
        started = time.perf_counter()
        number = 0
        for day, size in enumerate(shape.batch_sizes):
            number = _fill_batch(engine, refs, merchant.key, f"{merchant.key}{day:06d}", day, size, number)
        pending = START + timedelta(days=len(shape.batch_sizes))
        step = timedelta(hours=12) / shape.unbatched
        rows = [
            _row(merchant.key, ref, pending + index * step, None, None, number + index)
            for index, ref in enumerate(refs.take(shape.unbatched))
        ]
        for offset in range(0, len(rows), CHUNK):
            _insert(engine, rows[offset : offset + CHUNK])
        print(f"   generated {login}: {shape.total:,} transactions in {time.perf_counter() - started:,.0f} s")


def _count(engine: Engine) -> int:
    with transaction(engine, write=False) as connection:
        return int(connection.scalar(select(func.count()).select_from(transactions)) or 0)


def _expected() -> int:
    return sum(shape.total for shape in SHAPES.values())


def _after_load(engine: Engine) -> None:
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE transactions"))
            connection.execute(text("VACUUM ANALYZE batches"))
    else:
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))


# ----------------------------------------------------------------------------- engines


@dataclass(frozen=True)
class Place:
    name: str
    url: str
    data_dir: Path
    reset: Callable[[], None]


def _sqlite_place() -> Place:
    folder = CACHE / f"sqlite-{DATA_VERSION}"

    def reset() -> None:
        shutil.rmtree(folder, ignore_errors=True)

    folder.mkdir(parents=True, exist_ok=True)
    return Place("SQLite", f"sqlite:///{folder / 'reporting.db'}", folder / "data", reset)


def _postgres_place(base: str) -> Place:
    import psycopg

    libpq = base.replace("postgresql+psycopg://", "postgresql://", 1)
    schema = f"{PG_SCHEMA}_{DATA_VERSION}"
    folder = CACHE / f"postgres-{DATA_VERSION}"

    def reset() -> None:
        shutil.rmtree(folder, ignore_errors=True)
        with psycopg.connect(libpq, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')

    if not (folder / "data").exists():
        reset()  # the schema's merchants were made under that folder's master key
    folder.mkdir(parents=True, exist_ok=True)
    with psycopg.connect(libpq, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
    separator = "&" if "?" in base else "?"
    return Place("PostgreSQL", f"{base}{separator}options=-csearch_path%3D{schema}", folder / "data", reset)


def _prepared(place: Place, fresh: bool) -> Application:
    if fresh:
        place.reset()
        place = (
            _sqlite_place()
            if place.name == "SQLite"
            else _postgres_place(os.environ["STRONGROOM_TEST_POSTGRES_URL"])
        )
    place.data_dir.mkdir(parents=True, exist_ok=True)
    app = _open(place.url, place.data_dir)
    engine = create_engine_for(place.url)
    try:
        count = _count(engine)
        if count != _expected():
            if count:
                app.close()
                place.reset()
                return _prepared(place, fresh=False)
            print(f"-- {place.name}: generating {_expected():,} transactions (kept for later runs)")
            _generate(app, engine)
            _after_load(engine)
        else:
            print(f"-- {place.name}: reusing the generated data set ({count:,} transactions)")
    finally:
        engine.dispose()
    return app


# ----------------------------------------------------------------------------- timing


def _median_ms(action: Callable[[], bytes]) -> tuple[float, bytes]:
    body = action()  # warm-up (caches, prepared statements)
    samples = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        body = action()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1e3, body


def _first_batch(app: Application, login: str) -> str:
    merchant = app.services.merchants.by_login(login)
    assert merchant is not None
    return f"{merchant.key}{0:06d}"


def _calls(app: Application, login: str, key: str, shape: Shape) -> dict[str, Callable[[], bytes]]:
    door = Door(app.services)
    batch = _first_batch(app, login)
    last_batch_page = -(-shape.batch_sizes[0] // PAGE)
    last_unsettled_page = -(-shape.unbatched // PAGE)

    def listing(page: int, order: str = "submitTimeUTC", descending: str = "false") -> Callable[[], bytes]:
        body = LIST.format(
            login=login, key=key, batch=batch, order=order, descending=descending, limit=PAGE, page=page
        ).encode()
        return lambda: door.handle(body, "application/xml").body

    def unsettled(page: int) -> Callable[[], bytes]:
        body = UNSETTLED.format(login=login, key=key, limit=PAGE, page=page).encode()
        return lambda: door.handle(body, "application/xml").body

    return {
        "getTransactionList, first page": listing(1),
        "getTransactionList, last page": listing(last_batch_page),
        "getTransactionList, middle page, id descending": listing((last_batch_page + 1) // 2, "id", "true"),
        "getUnsettledTransactionList, first page": unsettled(1),
        "getUnsettledTransactionList, last page": unsettled(last_unsettled_page),
    }


def _number_cost(app: Application, url: str, login: str) -> float:
    """Closing a batch of 10,000: giving its transactions their positions (rolled back)."""
    merchant = app.services.merchants.by_login(login)
    assert merchant is not None
    engine = create_engine_for(url)
    try:
        with SqlUnitOfWorkFactory(engine)() as uow:
            started = time.perf_counter()
            numbered = uow.batches.number(f"{merchant.key}{1:06d}")
            elapsed = time.perf_counter() - started
    finally:
        engine.dispose()
    assert numbered == 10_000
    return elapsed * 1e3


def _run(place: Place, fresh: bool) -> None:
    app = _prepared(place, fresh)
    try:
        small = _calls(app, *SMALL, SHAPES[SMALL[0]])
        large = _calls(app, *LARGE, SHAPES[LARGE[0]])
        print(
            f"   {'page of 1,000 (XML through the door)':<50} {'1k merchant':>12} "
            f"{'1M merchant':>12} {'ratio':>7}"
        )
        for label, action in small.items():
            small_ms, small_body = _median_ms(action)
            large_ms, large_body = _median_ms(large[label])
            for body in (small_body, large_body):
                assert body.count(b"<transaction>") == PAGE, body[:300]
            print(f"   {label:<50} {small_ms:>9.1f} ms {large_ms:>9.1f} ms {large_ms / small_ms:>6.2f}x")
        print(
            f"   numbering a closed batch of 10,000 (settlement): "
            f"{_number_cost(app, place.url, LARGE[0]):,.0f} ms"
        )
    finally:
        app.close()


def main() -> None:
    fresh = "--fresh" in sys.argv[1:]
    started = time.perf_counter()
    _run(_sqlite_place(), fresh)
    postgres = os.environ.get("STRONGROOM_TEST_POSTGRES_URL")
    if postgres:
        _run(_postgres_place(postgres), fresh)
    else:
        print("-- PostgreSQL: skipped (set STRONGROOM_TEST_POSTGRES_URL)")
    print(f"-- done in {time.perf_counter() - started:,.0f} s")


if __name__ == "__main__":
    main()
