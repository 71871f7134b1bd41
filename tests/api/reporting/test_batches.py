"""getSettledBatchList and getBatchStatistics through the official SDK (and raw JSON): batches
after the clock passes the cut-off, statistics per account type with voids and declines, the
settlement-date rules (wire reference 6.9), and tenancy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from tests.api.builders import DECLINE_ZIP, MASTERCARD, address, bank, card, items, text
from tests.api.live_server import LiveServer
from tests.api.raw import call, envelope
from tests.api.reports import Reports, batch_ids, settle, stored
from tests.api.sdk import ApiMerchant, new_merchant, result
from tests.api.transactions.test_create_transaction import (
    AUTH_CAPTURE,
    VOID,
    Gateway,
    failed,
    transaction,
)

LOS_ANGELES = ZoneInfo("America/Los_Angeles")


@pytest.fixture
def gateway(server: LiveServer, merchant: ApiMerchant) -> Gateway:
    return Gateway(server, merchant)


@pytest.fixture
def reports(server: LiveServer, merchant: ApiMerchant) -> Reports:
    return Reports(server, merchant)


def utc_text(instant: datetime) -> str:
    """As sent on the wire (JSON shows it as is; the SDK re-writes it without milliseconds)."""
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def read_time(value: str | None) -> datetime:
    assert value, value
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def statistic(batch: object, account_type: str) -> object:
    for item in items(batch, "statistics", "statistic"):
        if text(item, "accountType") == account_type:
            return item
    raise AssertionError(f"no {account_type} statistic")


def counts(item: object) -> dict[str, Decimal]:
    """A statistic's amounts and counts (the SDK re-writes 10.00 as 10.0: read as numbers)."""
    names = (
        "chargeAmount",
        "chargeCount",
        "refundAmount",
        "refundCount",
        "voidCount",
        "declineCount",
        "errorCount",
    )
    return {name: Decimal(text(item, name) or "nan") for name in names}


def numbers(**given: str | int) -> dict[str, Decimal]:
    names = (
        "chargeAmount",
        "chargeCount",
        "refundAmount",
        "refundCount",
        "voidCount",
        "declineCount",
        "errorCount",
    )
    return {name: Decimal(given.get(name, 0)) for name in names}


def a_day_of_business(gateway: Gateway) -> None:
    """A Visa and a MasterCard charge, an eCheck debit, a voided charge and a decline."""
    gateway.charge("10.00")
    gateway.charge("5.50", card(MASTERCARD))
    gateway.charge("20.00", bank())
    voided = gateway.charge("3.00")
    gateway.approved(transaction(VOID, None, ref=voided))
    failed(
        gateway.send(transaction(AUTH_CAPTURE, "4.00", card(), bill_to=address(zip=DECLINE_ZIP))), "2", "2"
    )


def test_settled_batches_come_with_statistics_per_account_type(gateway: Gateway, reports: Reports) -> None:
    a_day_of_business(gateway)
    cutoff = settle(gateway.server, gateway.merchant)

    response = reports.settled_batches(statistics=True, ref_id="batches-1")

    assert result(response) == ("Ok", "I00001", "Successful.")
    assert response.refId == "batches-1"
    batches = items(response, "batchList", "batch")
    assert len(batches) == 2
    by_method = {text(batch, "paymentMethod"): batch for batch in batches}
    cards, checks = by_method["creditCard"], by_method["eCheck"]
    for batch in batches:
        assert (text(batch, "batchId") or "").isdigit()
        assert read_time(text(batch, "settlementTimeUTC")) == cutoff
        assert read_time(text(batch, "settlementTimeLocal")) == cutoff.astimezone(LOS_ANGELES).replace(
            tzinfo=None
        )
        assert text(batch, "settlementState") == "settledSuccessfully"
    assert (text(cards, "marketType"), text(cards, "product")) == ("eCommerce", "Card Not Present")
    assert counts(statistic(cards, "Visa")) == numbers(
        chargeAmount="10.00", chargeCount=1, voidCount=1, declineCount=1
    )
    assert counts(statistic(cards, "MasterCard")) == numbers(chargeAmount="5.50", chargeCount=1)
    assert counts(statistic(checks, "eCheck")) == numbers(chargeAmount="20.00", chargeCount=1)
    # Same settlement time: the order is the batch ids'.
    assert batch_ids(response) == sorted(batch_ids(response))


def test_statistics_are_left_out_unless_asked_for(gateway: Gateway, reports: Reports) -> None:
    gateway.charge("10.00")
    settle(gateway.server, gateway.merchant)

    for asked in (None, False):
        batch = items(reports.settled_batches(statistics=asked), "batchList", "batch")[0]
        assert text(batch, "batchId")
        assert text(batch, "statistics") is None


def test_batches_of_several_days_come_back_in_settlement_order(gateway: Gateway, reports: Reports) -> None:
    settled = []
    for amount in ("1.00", "2.00", "3.00"):
        ref = gateway.charge(amount)
        settle(gateway.server, gateway.merchant)
        settled.append(stored(gateway.server, gateway.merchant, ref).batch_ref)
    now = gateway.server.clock.now()

    response = reports.settled_batches(now - timedelta(days=5), now)

    assert batch_ids(response) == settled


def test_no_batch_in_the_range_answers_no_records_found(reports: Reports) -> None:
    response = reports.settled_batches(statistics=True)

    assert result(response) == ("Ok", "I00004", "No records found.")
    assert text(response, "batchList") is None


def test_the_default_range_is_the_last_24_hours(gateway: Gateway, reports: Reports) -> None:
    gateway.charge("10.00")
    settle(gateway.server, gateway.merchant)
    assert len(batch_ids(reports.settled_batches())) == 1

    gateway.server.clock.advance(timedelta(hours=24))

    assert result(reports.settled_batches())[1] == "I00004"


def test_a_time_with_z_is_utc_and_one_without_is_the_merchants_local_time(
    gateway: Gateway, reports: Reports
) -> None:
    gateway.charge("10.00")
    cutoff = settle(gateway.server, gateway.merchant)
    around = (cutoff - timedelta(minutes=1), cutoff + timedelta(minutes=1))

    utc_wall_clock = [instant.astimezone(UTC).replace(tzinfo=None) for instant in around]
    local_wall_clock = [instant.astimezone(LOS_ANGELES).replace(tzinfo=None) for instant in around]

    in_utc = reports.settled_batches(around[0], around[1])
    as_local_wall_clock = reports.settled_batches(utc_wall_clock[0], utc_wall_clock[1])
    as_local = reports.settled_batches(local_wall_clock[0], local_wall_clock[1])

    assert len(batch_ids(in_utc)) == 1
    assert result(as_local_wall_clock)[1] == "I00004"  # those wall-clock times, in Los Angeles
    assert len(batch_ids(as_local)) == 1


def test_a_last_date_at_midnight_includes_that_whole_day(gateway: Gateway, reports: Reports) -> None:
    gateway.charge("10.00")
    cutoff = settle(gateway.server, gateway.merchant)
    day = cutoff.astimezone(LOS_ANGELES).replace(tzinfo=None, hour=0, minute=0)

    assert len(batch_ids(reports.settled_batches(day, day))) == 1
    assert result(reports.settled_batches(day, day + timedelta(seconds=1)))[1] == "I00004"


@pytest.mark.parametrize(
    ("first", "last", "code", "message"),
    [
        (
            timedelta(days=-1),
            None,
            "E00014",
            "lastSettlementDate is required when firstSettlementDate is present.",
        ),
        (
            None,
            timedelta(days=-1),
            "E00014",
            "firstSettlementDate is required when lastSettlementDate is present.",
        ),
        (
            timedelta(days=-1),
            timedelta(days=-2),
            "E00013",
            "firstSettlementDate is greater than the lastSettlementDate.",
        ),
        (timedelta(days=-32), timedelta(days=-0.5), "E00013", "The date range cannot exceed 31 days."),
        (timedelta(hours=-1), timedelta(hours=1), "E00013", "lastSettlementDate cannot be in the future."),
    ],
)
def test_settlement_dates_follow_the_rules(
    reports: Reports, first: timedelta | None, last: timedelta | None, code: str, message: str
) -> None:
    now = reports.server.clock.now()
    response = reports.settled_batches(
        None if first is None else now + first, None if last is None else now + last
    )

    assert result(response) == ("Error", code, message)


def test_the_first_date_goes_back_to_january_first_two_years_ago(reports: Reports) -> None:
    year = reports.server.clock.now().astimezone(LOS_ANGELES).year - 2
    oldest = datetime(year, 1, 1)

    too_old = reports.settled_batches(oldest - timedelta(seconds=1), oldest + timedelta(days=3))
    oldest_allowed = reports.settled_batches(oldest, oldest + timedelta(days=3))

    assert result(too_old) == (
        "Error",
        "E00013",
        f"firstSettlementDate cannot be older than the year of {year}.",
    )
    assert result(oldest_allowed)[:2] == ("Ok", "I00004")


def test_a_local_time_is_in_the_future_only_past_every_clock_on_earth(reports: Reports) -> None:
    """A naive now taken on the caller's machine (the official sample does this) may run up to
    14 hours ahead of UTC."""
    utc_now = reports.server.clock.now().astimezone(UTC).replace(tzinfo=None)

    ahead = reports.settled_batches(utc_now - timedelta(days=7), utc_now + timedelta(hours=13))
    beyond = reports.settled_batches(utc_now - timedelta(days=7), utc_now + timedelta(hours=15))

    assert result(ahead)[0] == "Ok"
    assert result(beyond) == ("Error", "E00013", "lastSettlementDate cannot be in the future.")


# ----------------------------------------------------------------------------- getBatchStatistics


def test_batch_statistics_of_a_batch(gateway: Gateway, reports: Reports) -> None:
    a_day_of_business(gateway)
    cutoff = settle(gateway.server, gateway.merchant)
    card_batch = next(
        text(batch, "batchId") or ""
        for batch in items(reports.settled_batches(), "batchList", "batch")
        if text(batch, "paymentMethod") == "creditCard"
    )

    response = reports.batch_statistics(card_batch)

    assert result(response) == ("Ok", "I00001", "Successful.")
    batch = response.batch
    assert text(batch, "batchId") == card_batch
    assert read_time(text(batch, "settlementTimeUTC")) == cutoff
    assert text(batch, "paymentMethod") == "creditCard"
    assert [text(item, "accountType") for item in items(batch, "statistics", "statistic")] == [
        "MasterCard",
        "Visa",
    ]
    assert counts(statistic(batch, "Visa"))["declineCount"] == 1


def test_another_merchants_batch_has_no_records(gateway: Gateway, server: LiveServer) -> None:
    gateway.charge("10.00")
    settle(server, gateway.merchant)
    batch_id = batch_ids(Reports(server, gateway.merchant).settled_batches())[0]
    stranger = Reports(server, new_merchant(server, "Stranger"))

    for candidate in (batch_id, "12345678"):
        response = stranger.batch_statistics(candidate)
        assert result(response) == ("Ok", "I00004", "No records found.")
        assert text(response, "batch") is None
    assert result(stranger.transaction_list(batch_id))[1] == "I00004"


# ----------------------------------------------------------------------------- JSON


def test_settled_batches_in_json(gateway: Gateway, server: LiveServer) -> None:
    gateway.charge("10.00")
    gateway.charge("2.25")
    cutoff = settle(server, gateway.merchant)

    answer = call(
        server, "json", "getSettledBatchListRequest", envelope(gateway.merchant, ("includeStatistics", True))
    ).json()

    assert answer["messages"]["resultCode"] == "Ok"
    [batch] = answer["batchList"]
    assert batch["settlementTimeUTC"] == utc_text(cutoff)
    assert batch["paymentMethod"] == "creditCard"
    assert batch["statistics"] == [
        {
            "accountType": "Visa",
            "chargeAmount": 12.25,
            "chargeCount": 2,
            "refundAmount": 0.00,
            "refundCount": 0,
            "voidCount": 0,
            "declineCount": 0,
            "errorCount": 0,
        }
    ]
    statistics = call(
        server, "json", "getBatchStatisticsRequest", envelope(gateway.merchant, ("batchId", batch["batchId"]))
    ).json()
    assert statistics["batch"]["statistics"][0]["chargeAmount"] == 12.25
    assert Decimal(str(statistics["batch"]["statistics"][0]["chargeAmount"])) == Decimal("12.25")
