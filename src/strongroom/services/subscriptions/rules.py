"""Recurring-billing rules shared by creates and updates: schedules, amounts, card expiry, the
duplicate check's key, and how customer data lands on the stored payment profile."""

from __future__ import annotations

import json
from dataclasses import fields, replace
from datetime import date
from decimal import Decimal

from strongroom.domain.customers import Address
from strongroom.domain.errors import MissingField, SubscriptionRefused, SubscriptionRule
from strongroom.domain.instruments import Card, Instrument, YearMonth
from strongroom.domain.subscriptions import (
    LIVE,
    Pricing,
    Schedule,
    Subscription,
    check_start,
    check_trial,
)
from strongroom.services.ports import Vault
from strongroom.services.subscriptions.requests import (
    ScheduleInput,
    SubscriptionCustomer,
    SubscriptionTerms,
)

_KEY_VERSION = "subscription-duplicate/v1"
# The real service's duplicate check: same account, customer id, billing name and address,
# amount, invoice number, start date and interval.
_BILL_TO_FIELDS = ("first_name", "last_name", "company", "address", "city", "state", "zip")


def payment_method(instrument: Instrument) -> str:
    return "card" if isinstance(instrument, Card) else "bank"


def new_schedule(given: ScheduleInput | None) -> Schedule:
    """The schedule of a new subscription: interval, start date and total are required."""
    if given is None:
        raise SubscriptionRefused(SubscriptionRule.SCHEDULE_REQUIRED, "The payment schedule is required.")
    if given.interval is None:
        raise MissingField("interval", "The payment schedule's interval is required.")
    if given.start is None:
        raise SubscriptionRefused(SubscriptionRule.START_REQUIRED, "The start date is required.")
    if given.total is None:
        raise MissingField("totalOccurrences", "totalOccurrences is required.")
    schedule = Schedule(given.interval, given.start, given.total, given.trial or 0)
    schedule.check()
    return schedule


def new_pricing(terms: SubscriptionTerms) -> Pricing:
    if terms.amount is None:
        raise SubscriptionRefused(SubscriptionRule.AMOUNT_REQUIRED, "The amount is required.")
    check_trial(terms.schedule.trial if terms.schedule else None, terms.trial_amount)
    return Pricing(terms.amount, terms.trial_amount)


def refuse_if_ended(subscription: Subscription) -> None:
    if subscription.status not in LIVE:
        raise SubscriptionRefused(
            SubscriptionRule.CANNOT_UPDATE,
            f"The subscription cannot be updated: it is {subscription.status.value}.",
        )


def changed_schedule(current: Subscription, given: ScheduleInput | None, today: date) -> Schedule:
    """The schedule after an update: the interval never changes, the start date only before a
    payment succeeded, the trial only before or during it, the total stays above what was paid."""
    old = current.schedule
    if given is None:
        return old
    if given.interval is not None and given.interval != old.interval:
        raise SubscriptionRefused(
            SubscriptionRule.INTERVAL_FIXED, "The interval information cannot be changed."
        )
    paid = current.progress.paid
    start = given.start if given.start is not None and given.start != old.start else None
    if start is not None:
        if paid:
            raise SubscriptionRefused(
                SubscriptionRule.START_FIXED, "The start date cannot be changed after a payment."
            )
        check_start(start, today)
    trial = given.trial if given.trial is not None and given.trial != old.trial else None
    if trial is not None and paid and paid >= old.trial:
        raise SubscriptionRefused(
            SubscriptionRule.TRIAL_FIXED,
            "trialOccurrences can change only before the subscription starts or during its trial.",
        )
    total = given.total if given.total is not None and given.total != old.total else None
    if total is not None and total <= paid:
        raise SubscriptionRefused(
            SubscriptionRule.TOTAL_TOO_LOW,
            f"totalOccurrences must be more than the {paid} payments already made.",
        )
    schedule = old.with_changes(start=start, total=total, trial=trial)
    schedule.check()
    return schedule


def changed_pricing(current: Subscription, terms: SubscriptionTerms, schedule: Schedule) -> Pricing:
    old = current.pricing
    trial_amount = terms.trial_amount if terms.trial_amount is not None else old.trial_amount
    trial_sent = terms.schedule.trial if terms.schedule is not None else None
    if terms.trial_amount is not None and trial_sent is None and not schedule.trial:
        check_trial(None, terms.trial_amount)
    if schedule.trial and trial_amount is None:
        check_trial(schedule.trial, None)
    return Pricing(terms.amount if terms.amount is not None else old.amount, trial_amount)


def check_card_expiry(instrument: Instrument, on: date) -> None:
    """A card must still be good on `on` (the start date, or the next payment's date)."""
    if isinstance(instrument, Card) and instrument.expiry < YearMonth(on.year, on.month):
        raise SubscriptionRefused(
            SubscriptionRule.CARD_EXPIRES, "Credit Card expires before the start of the subscription."
        )


def next_payment_date(subscription: Subscription, schedule: Schedule) -> date:
    pay_num = subscription.progress.next_pay_num
    return schedule.date_of(pay_num) if schedule.exists(pay_num) else schedule.start


def overlay(base: Address | None, given: Address) -> Address:
    """`base` with every field `given` carries."""
    if base is None:
        return given
    changes = {
        item.name: getattr(given, item.name)
        for item in fields(Address)
        if getattr(given, item.name) not in (None, "")
    }
    return replace(base, **changes)


def billing_address(bill_to: Address | None, customer: SubscriptionCustomer | None) -> Address | None:
    """The billing address to store: billTo, with the customer's phone and fax numbers."""
    phones = Address(
        phone_number=customer.phone_number if customer else None,
        fax_number=customer.fax_number if customer else None,
    )
    merged = overlay(bill_to, phones) if bill_to is not None else phones
    return None if merged.is_empty() else merged


def duplicate_key(
    vault: Vault,
    merchant_key: int,
    fingerprint: str,
    customer_id: str | None,
    bill_to: Address | None,
    amount: Decimal,
    invoice_number: str | None,
    schedule: Schedule,
) -> str:
    """A keyed digest of the fields whose equality makes two subscriptions duplicates."""
    address = bill_to or Address()
    parts = [
        _KEY_VERSION,
        str(merchant_key),
        fingerprint,
        customer_id,
        *(getattr(address, name) for name in _BILL_TO_FIELDS),
        f"{amount:.2f}",
        invoice_number,
        schedule.start.isoformat(),
        str(schedule.interval.length),
        schedule.interval.unit.value,
    ]
    return vault.fingerprint(merchant_key, json.dumps([part or "" for part in parts]))
