"""Recurring-billing rules: what a new schedule and price need, card expiry against a date,
how customer data overlays a stored address, and which fields make two subscriptions duplicates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import cast

import pytest

from strongroom.domain.customers import Address
from strongroom.domain.errors import MissingField, SubscriptionRefused, SubscriptionRule
from strongroom.domain.instruments import BankAccount, Card, YearMonth
from strongroom.domain.sensitive import Secret
from strongroom.domain.subscriptions import Interval, IntervalUnit, Pricing, Schedule
from strongroom.services.ports import Vault
from strongroom.services.subscriptions.requests import ScheduleInput, SubscriptionCustomer, SubscriptionTerms
from strongroom.services.subscriptions.rules import (
    billing_address,
    check_card_expiry,
    duplicate_key,
    new_pricing,
    new_schedule,
    overlay,
    payment_method,
)

MONTHLY = Interval(1, IntervalUnit.MONTHS)
START = date(2027, 3, 15)
CARD = Card.with_number("4111111111111111", YearMonth(2027, 3))
BANK = BankAccount(Secret("121042882"), Secret("123456789"), "Pat Doe")


def test_payment_method() -> None:
    assert (payment_method(CARD), payment_method(BANK)) == ("card", "bank")


def test_a_complete_schedule_is_kept_with_no_trial_by_default() -> None:
    assert new_schedule(ScheduleInput(MONTHLY, START, 12)) == Schedule(MONTHLY, START, 12, 0)
    assert new_schedule(ScheduleInput(MONTHLY, START, 12, 2)).trial == 2


@pytest.mark.parametrize(
    ("given", "rule"),
    [
        (None, SubscriptionRule.SCHEDULE_REQUIRED),
        (ScheduleInput(MONTHLY, None, 12), SubscriptionRule.START_REQUIRED),
        (ScheduleInput(Interval(13, IntervalUnit.MONTHS), START, 12), SubscriptionRule.INTERVAL),
    ],
)
def test_an_incomplete_or_impossible_schedule_is_refused_by_rule(
    given: ScheduleInput | None, rule: str
) -> None:
    with pytest.raises(SubscriptionRefused) as refused:
        new_schedule(given)
    assert refused.value.rule == rule


@pytest.mark.parametrize(
    ("given", "field"),
    [(ScheduleInput(None, START, 12), "interval"), (ScheduleInput(MONTHLY, START), "totalOccurrences")],
)
def test_a_schedule_missing_its_interval_or_total_names_the_field(given: ScheduleInput, field: str) -> None:
    with pytest.raises(MissingField) as missing:
        new_schedule(given)
    assert missing.value.field == field


def test_a_price_needs_an_amount_and_a_trial_amount_goes_with_trial_occurrences() -> None:
    with pytest.raises(SubscriptionRefused) as refused:
        new_pricing(SubscriptionTerms())
    assert refused.value.rule == SubscriptionRule.AMOUNT_REQUIRED
    trial = ScheduleInput(MONTHLY, START, 12, 2)
    assert new_pricing(
        SubscriptionTerms(schedule=trial, amount=Decimal("10.00"), trial_amount=Decimal("1.00"))
    ) == (Pricing(Decimal("10.00"), Decimal("1.00")))
    with pytest.raises(SubscriptionRefused) as refused:
        new_pricing(SubscriptionTerms(schedule=trial, amount=Decimal("10.00")))
    assert refused.value.rule == SubscriptionRule.TRIAL_INCOMPLETE


def test_a_card_is_good_through_its_expiry_month_and_a_bank_account_always() -> None:
    check_card_expiry(CARD, date(2027, 3, 31))
    check_card_expiry(BANK, date(2099, 1, 1))
    with pytest.raises(SubscriptionRefused) as refused:
        check_card_expiry(CARD, date(2027, 4, 1))
    assert refused.value.rule == SubscriptionRule.CARD_EXPIRES


def test_overlay_takes_every_field_given_and_keeps_the_rest() -> None:
    base = Address(first_name="Pat", last_name="Doe", city="Austin", zip="78701")
    given = Address(first_name="Sam", city="", zip="78702")
    assert overlay(base, given) == Address(first_name="Sam", last_name="Doe", city="Austin", zip="78702")
    assert overlay(None, given) is given


def test_the_billing_address_carries_the_customers_phone_and_fax() -> None:
    customer = SubscriptionCustomer(phone_number="512-555-0100", fax_number="512-555-0101")
    bill_to = Address(first_name="Pat", phone_number="old")
    assert billing_address(bill_to, customer) == Address(
        first_name="Pat", phone_number="512-555-0100", fax_number="512-555-0101"
    )
    assert billing_address(None, customer) == Address(phone_number="512-555-0100", fax_number="512-555-0101")
    assert billing_address(bill_to, None) == bill_to
    assert billing_address(None, SubscriptionCustomer(id="c-1")) is None


class TextVault:
    """Fingerprints are the text they were asked for, so a test can see what went in."""

    def fingerprint(self, merchant_key: int, value: str) -> str:
        return f"{merchant_key}:{value}"


def key(**changes: object) -> str:
    values: dict[str, object] = {
        "merchant_key": 1,
        "fingerprint": "fp-card",
        "customer_id": "c-1",
        "bill_to": Address(first_name="Pat", last_name="Doe", zip="78701", country="US"),
        "amount": Decimal("10.00"),
        "invoice_number": "INV-1",
        "schedule": Schedule(MONTHLY, START, 12),
    }
    values.update(changes)
    return duplicate_key(cast(Vault, TextVault()), **values)  # type: ignore[arg-type]


def test_the_duplicate_key_is_stable_and_keyed_per_merchant() -> None:
    assert key() == key()
    assert key(amount=Decimal("10")) == key()  # the amount is compared to the cent
    assert key().startswith("1:")
    assert key(merchant_key=2) != key()


@pytest.mark.parametrize(
    "change",
    [
        {"fingerprint": "fp-other"},
        {"customer_id": "c-2"},
        {"bill_to": Address(first_name="Sam", last_name="Doe", zip="78701")},
        {"bill_to": None},
        {"amount": Decimal("10.01")},
        {"invoice_number": None},
        {"schedule": Schedule(MONTHLY, date(2027, 3, 16), 12)},
        {"schedule": Schedule(Interval(2, IntervalUnit.MONTHS), START, 12)},
        {"schedule": Schedule(Interval(30, IntervalUnit.DAYS), START, 12)},
    ],
)
def test_each_compared_field_changes_the_key(change: dict[str, object]) -> None:
    assert key(**change) != key()


@pytest.mark.parametrize(
    "change",
    [
        {"bill_to": Address(first_name="Pat", last_name="Doe", zip="78701", country="CA")},
        {"schedule": Schedule(MONTHLY, START, 24, 1)},
    ],
)
def test_fields_the_check_ignores_leave_the_key_alone(change: dict[str, object]) -> None:
    assert key(**change) == key()
