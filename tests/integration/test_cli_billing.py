"""`strongroom jobs run billing` as a real subprocess on both engines: it charges what is due at
the sandbox clock's present, once, and catches up after `strongroom clock advance`."""

from __future__ import annotations

import re
from decimal import Decimal

from strongroom.bootstrap import build
from strongroom.domain.instruments import Card
from strongroom.domain.subscriptions import Interval, IntervalUnit, billing_day
from strongroom.services.subscriptions.requests import (
    NewSubscription,
    ScheduleInput,
    SubscriptionTerms,
)
from tests.integration import test_cli
from tests.integration.payments.conftest import BILL_TO, EXPIRY, VISA
from tests.integration.test_cli import Place, strongroom, succeeded, upgraded

# test_cli's fixtures, for these tests too (the proxy one is autouse).
place = test_cli.place
_no_proxies = test_cli._no_proxies


def subscribed(place: Place) -> str:
    """A weekly subscription of a new merchant, starting on the sandbox's today."""
    application = build(place.settings)
    try:
        services = application.services
        merchant, _ = services.merchants.create("Billing shop", "bill-1")
        ids = services.subscriptions.create(
            merchant,
            NewSubscription(
                SubscriptionTerms(
                    schedule=ScheduleInput(
                        Interval(7, IntervalUnit.DAYS), billing_day(services.clock.now()), 12
                    ),
                    amount=Decimal("9.99"),
                    bill_to=BILL_TO,
                ),
                Card.parse(VISA, EXPIRY),
            ),
        )
    finally:
        application.close()
    return ids.subscription_ref


def test_jobs_run_billing_charges_what_is_due_once(place: Place) -> None:
    upgraded(place)
    ref = subscribed(place)

    report = succeeded(strongroom(place, "jobs", "run", "billing"))
    again = succeeded(strongroom(place, "jobs", "run", "billing"))

    assert ": 1 payments approved, 0 failed, 0 free, 0 subscriptions terminated." in report
    line = re.search(
        rf"subscription {ref}  payment 1 \(attempt 1\)  9\.99  approved  "
        r"transaction (\d+)  now active",
        report,
    )
    assert line, report
    assert ": 0 payments approved, 0 failed" in again

    succeeded(strongroom(place, "clock", "advance", "14d"))
    caught_up = succeeded(strongroom(place, "jobs", "run", "billing"))

    assert ": 2 payments approved" in caught_up
    assert f"subscription {ref}  payment 2 (attempt 1)" in caught_up
    assert f"subscription {ref}  payment 3 (attempt 1)" in caught_up
