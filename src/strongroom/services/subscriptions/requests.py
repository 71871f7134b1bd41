"""What the recurring-billing use cases are asked and answer: plain data, no dialect names."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from strongroom.domain.customers import (
    Address,
    CustomerType,
    DriversLicense,
    PaymentProfile,
    ShippingAddress,
)
from strongroom.domain.instruments import Instrument
from strongroom.domain.sensitive import Secret
from strongroom.domain.subscriptions import Interval, Subscription
from strongroom.services.ports import (
    AttemptOutcome,
    OccurrenceAttempt,
    ProfileRow,
    SubscriptionSummary,
)

# How a subscription list is asked for: part of this service's API (storage reads them too).
from strongroom.services.ports import SubscriptionFilter as SubscriptionFilter
from strongroom.services.ports import SubscriptionOrder as SubscriptionOrder
from strongroom.services.profiles.changes import BankChange, CardChange


@dataclass(frozen=True, slots=True)
class ScheduleInput:
    """A payment schedule as sent; creates need every part but the trial, updates send few."""

    interval: Interval | None = None
    start: date | None = None
    total: int | None = None
    trial: int | None = None


@dataclass(frozen=True, slots=True)
class SubscriptionCustomer:
    """Who pays: kept on the customer profile (id, email) and its payment profile (the rest)."""

    type: CustomerType | None = None
    id: str | None = None
    email: str | None = None
    phone_number: str | None = None
    fax_number: str | None = None
    drivers_license: DriversLicense | None = None
    tax_id: Secret[str] | None = None


@dataclass(frozen=True, slots=True)
class ProfileIds:
    """A stored customer profile, payment profile and (optional) shipping address."""

    profile_ref: str
    payment_profile_ref: str | None = None
    address_ref: str | None = None


@dataclass(frozen=True, slots=True)
class SubscriptionTerms:
    """The parts create and update requests share; None means 'not sent'."""

    name: str | None = None
    schedule: ScheduleInput | None = None
    amount: Decimal | None = None
    trial_amount: Decimal | None = None
    invoice_number: str | None = None
    description: str | None = None
    customer: SubscriptionCustomer | None = None
    bill_to: Address | None = None
    ship_to: Address | None = None
    profile: ProfileIds | None = None


@dataclass(frozen=True, slots=True)
class NewSubscription:
    """A subscription to create, paid by a card or bank account (a customer profile is made
    for it) or by a stored profile (`terms.profile`)."""

    terms: SubscriptionTerms
    payment: Instrument | None = None


@dataclass(frozen=True, slots=True)
class SubscriptionChange:
    """An update: only what is sent changes; masked numbers in `payment` mean 'unchanged'."""

    terms: SubscriptionTerms
    payment: CardChange | BankChange | None = None


@dataclass(frozen=True, slots=True)
class SubscriptionIds:
    """A subscription and the stored records it bills."""

    subscription_ref: str
    profile_ref: str
    payment_profile_ref: str
    address_ref: str | None


# Attempts that produced an answer (a claim is only ever seen inside its own unit of work;
# free trial occurrences charged nothing).
_ANSWERED = frozenset({AttemptOutcome.APPROVED, AttemptOutcome.DECLINED, AttemptOutcome.ERROR})


@dataclass(frozen=True, slots=True)
class BilledAttempt:
    """A billing attempt that produced an answer, as the subscription's history shows it."""

    pay_num: int
    attempt_num: int
    submitted_at: datetime
    transaction_ref: str | None
    response: str | None  # the reason text of the answer


def billed_attempts(attempts: Iterable[OccurrenceAttempt]) -> tuple[BilledAttempt, ...]:
    """The attempts that produced an answer, in the order given."""
    return tuple(
        BilledAttempt(item.pay_num, item.attempt_num, item.submitted_at, item.transaction_ref, item.response)
        for item in attempts
        if item.outcome in _ANSWERED
    )


@dataclass(frozen=True, slots=True)
class SubscriptionDetails:
    """A subscription with its customer profile, payment profile and address as they are now
    (None once deleted, after the subscription ended) and, if asked for, its answered
    billing attempts."""

    subscription: Subscription
    profile: ProfileRow | None
    payment_profile: PaymentProfile | None
    address: ShippingAddress | None
    attempts: tuple[BilledAttempt, ...] = ()


@dataclass(frozen=True, slots=True)
class ListedSubscription:
    """A subscription as listed, with what its payment profile shows (absent once deleted)."""

    subscription: Subscription
    first_name: str | None
    last_name: str | None
    account_last4: str | None

    @classmethod
    def of(cls, summary: SubscriptionSummary) -> ListedSubscription:
        return cls(summary.subscription, summary.first_name, summary.last_name, summary.account_last4)


@dataclass(frozen=True, slots=True)
class SubscriptionPage:
    total: int
    items: tuple[ListedSubscription, ...]
