"""Benchmark: how fast the billing job charges due subscription payments (SQLite, in process),
one worker and two racing workers, against a plain profile charge as the baseline."""

from __future__ import annotations

import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.api.live_server import START, settings_for

from strongroom.bootstrap import Application, build
from strongroom.clocks import MovableClock
from strongroom.domain.customers import Address
from strongroom.domain.instruments import Card
from strongroom.domain.merchants import Merchant
from strongroom.domain.money import Money
from strongroom.domain.subscriptions import Interval, IntervalUnit, billing_day
from strongroom.domain.transactions import TransactionKind
from strongroom.services.subscriptions.requests import (
    NewSubscription,
    ScheduleInput,
    SubscriptionTerms,
)
from strongroom.services.transactions.requests import ChargeRequest, ProfileSource, Settings

SUBSCRIPTIONS = 200
OCCURRENCES = 3  # due per subscription when billing runs
BILL_TO = Address(first_name="Ellen", last_name="Johnson", address="14 Main Street", zip="44628")


def subscribe(app: Application, merchant: Merchant, clock: MovableClock) -> list[str]:
    services = app.services
    start = billing_day(clock.now())
    refs = []
    for index in range(SUBSCRIPTIONS):
        ids = services.subscriptions.create(
            merchant,
            NewSubscription(
                SubscriptionTerms(
                    schedule=ScheduleInput(Interval(7, IntervalUnit.DAYS), start, 9999),
                    amount=Decimal(f"{index + 1}.00"),
                    bill_to=BILL_TO,
                ),
                Card.parse("4111111111111111", "2035-12"),
            ),
        )
        refs.append(ids.profile_ref + ":" + ids.payment_profile_ref)
    return refs


def timed(label: str, count: int, action: object) -> float:
    started = time.perf_counter()
    assert callable(action)
    done = action()
    elapsed = time.perf_counter() - started
    assert done == count, (done, count)
    print(f"{label:<52} {count / elapsed:>8,.0f}/s   ({elapsed / count * 1e3:,.1f} ms each)")
    return count / elapsed


def run(directory: Path, workers: int) -> float:
    clock = MovableClock(START)
    app = build(
        settings_for(f"sqlite:///{directory / f'billing-{workers}.db'}", directory / f"data-{workers}"),
        clock=clock,
    )
    try:
        merchant, _ = app.services.merchants.create(f"Bench {workers}")
        refs = subscribe(app, merchant, clock)
        if workers == 1:
            profile, payment = refs[0].split(":")
            request = ChargeRequest(
                TransactionKind.CHARGE,
                Money(Decimal("1.00")),
                ProfileSource(profile, payment),
                settings=Settings(duplicate_window=0),
            )
            timed(
                "baseline: charge a stored profile (no subscription)",
                200,
                lambda: sum(1 for _ in range(200) if app.services.payments.charge(merchant, request).record),
            )
        clock.advance(timedelta(days=7 * (OCCURRENCES - 1)))
        now = clock.now()
        billing = app.services.billing
        expected = SUBSCRIPTIONS * OCCURRENCES
        if workers == 1:
            return timed(
                f"billing job, 1 worker, {expected} due payments",
                expected,
                lambda: len(billing.run(now).items),
            )
        with ThreadPoolExecutor(max_workers=workers) as pool:
            return timed(
                f"billing job, {workers} racing workers, {expected} due payments",
                expected,
                lambda: sum(len(item.items) for item in pool.map(billing.run, [now] * workers)),
            )
    finally:
        app.close()


def main() -> None:
    directory = Path(tempfile.mkdtemp(prefix="strongroom-bench-billing-"))
    one = run(directory, 1)
    two = run(directory, 2)
    print(
        f"-- two racing workers bill at {two / one:.2f}x one worker's rate "
        "(each payment charged once either way)"
    )


if __name__ == "__main__":
    main()
