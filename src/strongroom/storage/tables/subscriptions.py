"""Recurring billing (0009): subscriptions and their billing attempts."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Table, UniqueConstraint
from sqlalchemy.types import Date, Integer, String

from strongroom.storage.column_types import UtcDateTime
from strongroom.storage.tables.base import (
    ADDRESS_REF_DIGITS,
    PAYMENT_PROFILE_REF_DIGITS,
    PROFILE_REF_DIGITS,
    SUBSCRIPTION_REF_DIGITS,
    TRANSACTION_REF_DIGITS,
    metadata,
    money_amount,
)
from strongroom.storage.tables.transactions import DESCRIPTION_LENGTH, INVOICE_NUMBER_LENGTH

# Recurring billing. A subscription bills a stored payment profile (by public refs: a canceled
# subscription does not keep its profile from being deleted). `wake_on` is the day billing acts
# on it next (its next occurrence, or a suspended one's termination), `ends_on` the day of its
# last occurrence (NULL: ongoing); both follow the schedule and progress columns.
subscriptions = Table(
    "subscriptions",
    metadata,
    Column("key", Integer, primary_key=True),
    Column("ref", String(SUBSCRIPTION_REF_DIGITS), nullable=False),  # public subscriptionId
    Column("merchant_key", ForeignKey("merchants.key"), nullable=False),
    Column("name", String(50), nullable=True),
    Column("interval_length", Integer, nullable=False),
    Column("interval_unit", String(8), nullable=False),  # "days" | "months"
    Column("start_date", Date, nullable=False),
    Column("total_occurrences", Integer, nullable=False),  # 9999: no end
    Column("trial_occurrences", Integer, nullable=False),
    money_amount("amount", nullable=False),
    money_amount("trial_amount", nullable=True),
    Column("status", String(16), nullable=False),  # domain.subscriptions.SubscriptionStatus
    Column("profile_ref", String(PROFILE_REF_DIGITS), nullable=False),
    Column("payment_profile_ref", String(PAYMENT_PROFILE_REF_DIGITS), nullable=False),
    Column("address_ref", String(ADDRESS_REF_DIGITS), nullable=True),
    Column("payment_method", String(8), nullable=False),  # "card" | "bank"
    Column("invoice_number", String(INVOICE_NUMBER_LENGTH), nullable=True),
    Column("description", String(DESCRIPTION_LENGTH), nullable=True),
    Column("next_pay_num", Integer, nullable=False),
    Column("failed_attempts", Integer, nullable=False),
    Column("wake_on", Date, nullable=True),
    Column("ends_on", Date, nullable=True),
    Column("duplicate_key", String(128), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=True),
    UniqueConstraint("ref"),
    Index(None, "merchant_key", "duplicate_key"),
    Index(None, "merchant_key", "status"),
    Index(None, "status", "wake_on"),  # billing runs
    Index(None, "profile_ref"),  # delete guards and subscriptionIds
    Index(None, "payment_profile_ref"),
    Index(None, "address_ref"),
)

# Every attempt at billing an occurrence; the unique key is what lets an occurrence be charged
# at most once per attempt, whichever process runs billing.
subscription_attempts = Table(
    "subscription_attempts",
    metadata,
    Column("key", Integer, primary_key=True),
    Column("subscription_key", ForeignKey("subscriptions.key"), nullable=False),
    Column("pay_num", Integer, nullable=False),
    Column("attempt_num", Integer, nullable=False),
    Column("outcome", String(16), nullable=False),  # services.ports.AttemptOutcome
    Column("transaction_ref", String(TRANSACTION_REF_DIGITS), nullable=True),
    Column("response", String(255), nullable=True),
    Column("submitted_at", UtcDateTime, nullable=False),
    UniqueConstraint("subscription_key", "pay_num", "attempt_num"),
)
