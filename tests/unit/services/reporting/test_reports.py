"""The settlement-date rules of reports, the amount a report shows as settling, and the tolerant
reading of a transaction's details."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from strongroom.domain.errors import InvalidField, MissingField
from strongroom.domain.transactions import TransactionKind, TransactionStatus
from strongroom.services.ports import TransactionRecord
from strongroom.services.reporting.details import detail_facts, details_of
from strongroom.services.reporting.reports import (
    SettlementRange,
    reported_settle_amount,
    settlement_window,
)

NOW = datetime(2026, 11, 22, 20, 0, tzinfo=UTC)  # 12:00 in Los Angeles
ZONE = "America/Los_Angeles"
S = TransactionStatus


def window(first: datetime | None, last: datetime | None) -> tuple[datetime, datetime]:
    return settlement_window(SettlementRange(first, last), ZONE, NOW)


def test_no_dates_mean_the_last_24_hours() -> None:
    assert window(None, None) == (NOW - timedelta(hours=24), NOW)


def test_local_times_are_read_in_the_merchants_zone_and_utc_ones_as_given() -> None:
    local = datetime(2026, 11, 20, 9, 30)
    assert window(local, local + timedelta(hours=1)) == (
        datetime(2026, 11, 20, 17, 30, tzinfo=UTC),
        datetime(2026, 11, 20, 18, 30, tzinfo=UTC),
    )
    utc = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    assert window(utc, utc) == (utc, utc)


def test_a_last_date_at_midnight_is_extended_by_a_day_after_the_31_day_check() -> None:
    first, last = datetime(2026, 9, 1), datetime(2026, 10, 2)  # exactly 31 days, one offset
    start, end = window(first, last)
    assert end - start == timedelta(days=32)


@pytest.mark.parametrize(
    ("first", "last", "error", "field"),
    [
        (datetime(2026, 11, 1), None, MissingField, "lastSettlementDate"),
        (None, datetime(2026, 11, 1), MissingField, "firstSettlementDate"),
        (datetime(2026, 11, 2), datetime(2026, 11, 1), InvalidField, "firstSettlementDate"),
        (datetime(2026, 10, 1), datetime(2026, 11, 1, 0, 0, 1), InvalidField, "lastSettlementDate"),
        (datetime(2023, 12, 31, 23, 59), datetime(2024, 1, 2), InvalidField, "firstSettlementDate"),
        (NOW - timedelta(days=1), NOW + timedelta(seconds=1), InvalidField, "lastSettlementDate"),
    ],
)
def test_ranges_that_break_a_rule_are_refused(
    first: datetime | None, last: datetime | None, error: type[Exception], field: str
) -> None:
    with pytest.raises(error) as refused:
        window(first, last)
    assert getattr(refused.value, "field", None) == field


def test_january_first_two_years_back_is_the_oldest_first_date() -> None:
    assert window(datetime(2024, 1, 1), datetime(2024, 1, 2))[0] == datetime(2024, 1, 1, 8, 0, tzinfo=UTC)


def test_a_naive_last_date_is_future_only_beyond_every_wall_clock() -> None:
    latest = (NOW + timedelta(hours=14)).replace(tzinfo=None)
    window(latest - timedelta(days=1), latest)
    with pytest.raises(InvalidField):
        window(latest - timedelta(days=1), latest + timedelta(seconds=1))


def record(**changes: object) -> TransactionRecord:
    base = TransactionRecord(
        ref="10000000001",
        merchant_key=1,
        kind=TransactionKind.CHARGE,
        status=S.CAPTURED_PENDING_SETTLEMENT,
        amount=Decimal("20.00"),
        currency="USD",
        settle_amount=Decimal("15.00"),
        refunded=Decimal("0.00"),
        response_code=1,
        reason_code=1,
        auth_code="A",
        avs_result="Y",
        card_code_result="M",
        cavv_result="",
        payment_method="card",
        account_last4="1111",
        account_type="Visa",
        fingerprint="f",
        duplicate_key="d",
        submitted_at=NOW,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_the_reported_settle_amount() -> None:
    assert reported_settle_amount(record()) == Decimal("15.00")
    assert reported_settle_amount(record(status=S.VOIDED)) == Decimal("0.00")
    assert reported_settle_amount(
        record(status=S.AUTHORIZED_PENDING_CAPTURE, settle_amount=Decimal("0.00"))
    ) == Decimal("20.00")
    assert reported_settle_amount(record(status=S.DECLINED, settle_amount=Decimal("0.00"))) == Decimal(
        "20.00"
    )


@pytest.mark.parametrize("stored", ["", "not json", "[1, 2]", "null", '"text"'])
def test_unreadable_details_read_as_none(stored: str) -> None:
    assert details_of(record(details_json=stored)) == {}


def test_details_facts_keep_what_is_readable_and_drop_the_rest() -> None:
    facts = detail_facts(
        json.loads(
            json.dumps(
                {
                    "requested_amount": "25.00",
                    "balance_on_card": True,
                    "card_present": "yes",
                    "entry_mode": "Swiped",
                    "customer_ip": 7,
                    "recurring_billing": "true",
                }
            )
        )
    )

    assert facts.requested_amount == Decimal("25.00")
    assert facts.prepaid_balance is None
    assert facts.card_present is False
    assert facts.entry_mode == "Swiped"
    assert facts.customer_ip is None
    assert facts.recurring_billing is None
