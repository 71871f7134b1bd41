"""Recurring billing over months against a live server of its own (its clock is moved far ahead,
so these tests do not share the session's server): the billing job charges each occurrence on
its day (the month-end rule), trials first, ongoing subscriptions without end, declines suspend,
an update reactivates and the failed payment is retried, a suspended subscription is
terminated at its next occurrence, the last payment expires it. Every transaction records its
subscription and payment number and its card-on-file flags; the SDK reads it all back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest

from strongroom.domain.subscriptions import BILLING_TIMEZONE, add_months
from strongroom.domain.transactions import TransactionStatus
from strongroom.jobs.billing import describe, run_billing
from strongroom.services.ports import TransactionRecord
from strongroom.services.subscriptions.billing import BillingReport
from tests.api.arb_client import Arb, days, name_and_address, schedule, subscription, today
from tests.api.builders import DECLINE_ZIP, card, error, ok, text
from tests.api.live_server import LiveServer, serve_engine
from tests.api.raw import merchant_of
from tests.api.sdk import ApiMerchant
from tests.databases import ENGINES

APPROVED = "This transaction has been approved."
DECLINED = "This transaction has been declined."


@pytest.fixture(scope="module", params=ENGINES)
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server for this module alone: its clock moves months ahead."""
    yield from serve_engine(request, tmp_path_factory, "billing")


@pytest.fixture
def arb(server: LiveServer, merchant: ApiMerchant) -> Arb:
    return Arb(server, merchant)


def move_to(server: LiveServer, day: date) -> None:
    """Move the server's clock to noon of `day` in the billing calendar (never backwards)."""
    target = datetime.combine(day, time(12), BILLING_TIMEZONE)
    now = server.clock.now()
    if target <= now:
        assert today(server) == day, (day, now)  # already there
        return
    server.clock.advance(target - now)


def bill(server: LiveServer) -> BillingReport:
    """What the scheduler (or `strongroom jobs run billing`) does, at the clock's present."""
    report = run_billing(server.application.services, server.clock.now())
    assert describe(report).startswith("Billing at ")
    return report


def next_day(server: LiveServer, day_of_month: int, month: int | None = None) -> date:
    """The first date after today with that day of the month (and month, if given)."""
    day = today(server) + days(1)
    while day.day != day_of_month or (month is not None and day.month != month):
        day += days(1)
    return day


def records(arb: Arb, subscription_id: str) -> list[TransactionRecord]:
    """The transactions of a subscription's arbTransactions, in order, as stored."""
    merchant = merchant_of(arb.server, arb.merchant)
    payments = arb.server.application.services.payments
    return [
        payments.get(merchant, text(item, "transId") or "")
        for item in arb.transactions(subscription_id)
        if text(item, "transId")
    ]


def attempts(arb: Arb, subscription_id: str) -> list[tuple[str, str, str | None]]:
    """(payNum, attemptNum, response) of each arbTransaction."""
    return [
        (text(item, "payNum") or "", text(item, "attemptNum") or "", text(item, "response"))
        for item in arb.transactions(subscription_id)
    ]


def detail(arb: Arb, search_type: str, subscription_id: str) -> Any:
    answer = ok(arb.search(search_type))
    for item in answer.subscriptionDetails.subscriptionDetail:
        if text(item, "id") == subscription_id:
            return item
    raise AssertionError(f"{subscription_id} is not listed by {search_type}")


# --------------------------------------------------------------------------- the schedule


def test_a_start_on_the_31st_bills_on_the_last_day_of_shorter_months(arb: Arb) -> None:
    start = next_day(arb.server, 31, month=1)
    expected = [
        start,
        date(start.year, 2, 29 if start.year % 4 == 0 else 28),
        date(start.year, 3, 31),
        date(start.year, 4, 30),
    ]
    subscription_id = arb.new(subscription(schedule(start, total=4), amount="10.00"))

    move_to(arb.server, start - days(1))
    bill(arb.server)
    assert arb.transactions(subscription_id) == []
    for number, day in enumerate(expected, start=1):
        move_to(arb.server, day - days(1) if number > 1 else day)
        if number > 1:
            bill(arb.server)  # the day before: nothing yet
            assert len(arb.transactions(subscription_id)) == number - 1
            move_to(arb.server, day)
        bill(arb.server)
        assert len(arb.transactions(subscription_id)) == number

    found = records(arb, subscription_id)
    assert [record.submitted_at.astimezone(BILLING_TIMEZONE).date() for record in found] == expected
    assert [(record.subscription_ref, record.pay_num, record.amount) for record in found] == [
        (subscription_id, number, Decimal("10.00")) for number in range(1, 5)
    ]
    assert all(
        record.status is TransactionStatus.CAPTURED_PENDING_SETTLEMENT
        or record.status is TransactionStatus.SETTLED
        for record in found
    )
    assert attempts(arb, subscription_id) == [(str(n), "1", APPROVED) for n in range(1, 5)]
    assert arb.status_of(subscription_id) == "expired"  # the last payment ends it
    item = detail(arb, "subscriptionInactive", subscription_id)
    assert (text(item, "status"), text(item, "pastOccurrences")) == ("expired", "4")

    bill(arb.server)  # nothing more, however often it runs
    assert len(arb.transactions(subscription_id)) == 4
    assert (
        error(arb.update(subscription_id, subscription(None, amount="1.00", payment=None, bill_to=None)))[0]
        == "E00037"
    )
    assert error(arb.cancel(subscription_id))[0] == "E00038"


def test_card_on_file_first_recurring_then_recurring_with_the_original_id(arb: Arb) -> None:
    start = today(arb.server)
    subscription_id = arb.new(subscription(schedule(start, length=7, unit="days", total=3)))

    move_to(arb.server, start + days(14))
    report = bill(arb.server)

    ours = [item for item in report.items if item.subscription_ref == subscription_id]
    assert [item.pay_num for item in ours] == [1, 2, 3]  # one run catches up on all three
    first, second, third = records(arb, subscription_id)
    assert first.card_on_file == "first_recurring"
    assert first.network_trans_id is not None
    assert first.original_network_trans_id is None
    for later in (second, third):
        assert later.card_on_file == "recurring"
        assert later.original_network_trans_id == first.network_trans_id
        assert later.original_auth_amount == first.amount
    # the payment profile remembers its original, as CIM does for any first charge
    found = arb.stored(subscription_id)
    paid_by = found.profile.paymentProfile
    assert text(paid_by, "originalNetworkTransId") == first.network_trans_id


def test_trial_occurrences_are_billed_at_the_trial_amount_first(arb: Arb) -> None:
    start = today(arb.server) + days(1)
    subscription_id = arb.new(
        subscription(
            schedule(start, length=7, unit="days", total=4, trial=2), amount="10.00", trial_amount="1.00"
        )
    )

    move_to(arb.server, start + days(21))
    bill(arb.server)

    assert [(record.pay_num, record.amount) for record in records(arb, subscription_id)] == [
        (1, Decimal("1.00")),
        (2, Decimal("1.00")),
        (3, Decimal("10.00")),
        (4, Decimal("10.00")),
    ]
    assert arb.status_of(subscription_id) == "expired"


def test_a_free_trial_charges_nothing_and_the_first_charge_starts_the_series(arb: Arb) -> None:
    start = today(arb.server)
    subscription_id = arb.new(
        subscription(schedule(start, total=3, trial=1), amount="5.00", trial_amount="0.00")
    )

    bill(arb.server)
    assert arb.transactions(subscription_id) == []
    assert text(detail(arb, "subscriptionActive", subscription_id), "pastOccurrences") == "1"

    move_to(arb.server, start + days(62))
    bill(arb.server)

    found = records(arb, subscription_id)
    assert [(record.pay_num, record.amount, record.card_on_file) for record in found] == [
        (2, Decimal("5.00"), "first_recurring"),
        (3, Decimal("5.00"), "recurring"),
    ]
    assert arb.status_of(subscription_id) == "expired"


def test_an_ongoing_subscription_bills_on_without_end(arb: Arb) -> None:
    start = today(arb.server)
    subscription_id = arb.new(subscription(schedule(start, total=9999), amount="3.00"))

    move_to(arb.server, start + days(200))
    bill(arb.server)

    paid = len(arb.transactions(subscription_id))
    assert paid == sum(1 for months in range(12) if add_months(start, months) <= start + days(200))
    assert arb.status_of(subscription_id) == "active"
    item = detail(arb, "subscriptionActive", subscription_id)
    assert (text(item, "totalOccurrences"), text(item, "pastOccurrences")) == ("9999", str(paid))
    assert subscription_id not in arb.listed("subscriptionExpiringThisMonth")


# --------------------------------------------------------------------------- failures


def test_a_decline_suspends_and_an_update_reactivates_and_retries(arb: Arb) -> None:
    start = today(arb.server)
    subscription_id = arb.new(
        subscription(schedule(start, total=3), amount="20.00", bill_to=name_and_address(zip=DECLINE_ZIP))
    )

    bill(arb.server)
    assert arb.status_of(subscription_id) == "suspended"
    assert attempts(arb, subscription_id) == [("1", "1", DECLINED)]
    (declined,) = records(arb, subscription_id)
    assert (declined.status, declined.subscription_ref, declined.pay_num) == (
        TransactionStatus.DECLINED,
        subscription_id,
        1,
    )
    bill(arb.server)  # suspended: nothing is retried by itself
    assert len(arb.transactions(subscription_id)) == 1

    ok(
        arb.update(
            subscription_id,
            subscription(None, amount=None, payment=None, bill_to=name_and_address(zip="44628")),
        )
    )
    assert arb.status_of(subscription_id) == "active"
    bill(arb.server)

    assert attempts(arb, subscription_id) == [("1", "1", DECLINED), ("1", "2", APPROVED)]
    assert arb.status_of(subscription_id) == "active"
    # a payment succeeded: the start date can no longer move
    assert (
        error(
            arb.update(
                subscription_id,
                subscription(
                    schedule(start + days(40), total=None, interval=False),
                    amount=None,
                    payment=None,
                    bill_to=None,
                ),
            )
        )[0]
        == "E00033"
    )
    move_to(arb.server, start + days(31))
    bill(arb.server)
    assert attempts(arb, subscription_id)[-1] == ("2", "1", APPROVED)


def test_a_suspended_subscription_not_reactivated_is_terminated_at_its_next_payment(arb: Arb) -> None:
    start = today(arb.server)
    subscription_id = arb.new(
        subscription(
            schedule(start, length=10, unit="days", total=5), bill_to=name_and_address(zip=DECLINE_ZIP)
        )
    )
    bill(arb.server)
    assert arb.status_of(subscription_id) == "suspended"

    move_to(arb.server, start + days(9))
    bill(arb.server)
    assert arb.status_of(subscription_id) == "suspended"
    move_to(arb.server, start + days(10))
    report = bill(arb.server)

    assert arb.status_of(subscription_id) == "terminated"
    assert [item.outcome for item in report.items if item.subscription_ref == subscription_id] == [None]
    assert len(arb.transactions(subscription_id)) == 1  # nothing more was charged
    assert (
        error(arb.update(subscription_id, subscription(None, amount="1.00", payment=None, bill_to=None)))[0]
        == "E00037"
    )
    assert error(arb.cancel(subscription_id))[0] == "E00038"
    assert subscription_id in arb.listed("subscriptionInactive")


def test_a_card_that_has_expired_fails_the_payment_without_a_transaction(arb: Arb) -> None:
    now = today(arb.server)
    this_month = f"{now.year:04d}-{now.month:02d}"
    start = next_day(arb.server, 1)  # the first of next month: the card is over by then
    last_day_of_month = start - days(1)
    subscription_id = arb.new(
        subscription(schedule(last_day_of_month, total=3), payment=card(expiry=this_month))
    )
    move_to(arb.server, last_day_of_month)
    bill(arb.server)
    assert attempts(arb, subscription_id) == [("1", "1", APPROVED)]

    move_to(arb.server, last_day_of_month + days(31))
    bill(arb.server)

    assert arb.status_of(subscription_id) == "suspended"
    last = arb.transactions(subscription_id)[-1]
    assert (
        text(last, "payNum"),
        text(last, "attemptNum"),
        text(last, "response"),
        text(last, "transId"),
    ) == ("2", "1", "The credit card has expired.", None)
    # a new card reactivates it, and the payment goes through at the next run
    ok(
        arb.update(
            subscription_id, subscription(None, amount=None, bill_to=None, payment=card(expiry="2035-12"))
        )
    )
    bill(arb.server)
    assert attempts(arb, subscription_id)[-1] == ("2", "2", APPROVED)


def test_billing_twice_on_one_day_charges_once(arb: Arb) -> None:
    subscription_id = arb.new(subscription(schedule(today(arb.server)), amount="7.00"))

    first = bill(arb.server)
    second = bill(arb.server)

    assert [item.subscription_ref for item in first.items].count(subscription_id) == 1
    assert subscription_id not in [item.subscription_ref for item in second.items]
    assert len(records(arb, subscription_id)) == 1


def test_a_late_clock_catches_up_with_each_occurrence_on_its_own_day(arb: Arb) -> None:
    start = today(arb.server)
    subscription_id = arb.new(subscription(schedule(start, length=7, unit="days", total=9999), amount="2.00"))

    move_to(arb.server, start + timedelta(days=27))
    bill(arb.server)

    assert [record.pay_num for record in records(arb, subscription_id)] == [1, 2, 3, 4]
    assert arb.status_of(subscription_id) == "active"
