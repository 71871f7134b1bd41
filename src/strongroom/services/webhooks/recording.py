"""Recording webhook events from inside the unit of work that makes the change, with the
payloads merchants receive.

How to emit an event (any service): in the write unit that makes the change, after the change
and before `uow.commit()`, call one of the `record_*` helpers below (or `uow.events.record`
with a payload built here). The notifications are stored by that unit, so they exist exactly
when the change does: a rollback takes them away, a commit hands them to the delivery job.
Nothing is sent from the request. Subscriptions (ARB) go through `record_subscription`, which
derives from the state before and after a change what it announces (failed, suspended, expired,
terminated, cancelled, expiring); fraud holds and reviews through `record_fraud`
(`transaction_payload(record, fraud=...)` with the filters that fired, in the protocol's words).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Final

from strongroom.domain.events import EntityName, EventType, Payload, PayloadValue
from strongroom.domain.fraud import FraudAction
from strongroom.domain.merchants import Merchant
from strongroom.domain.subscriptions import Subscription, SubscriptionStatus
from strongroom.domain.transactions import TransactionKind
from strongroom.services.ports import PaymentProfileRow, ProfileRow, TransactionRecord, UnitOfWork

# The event a newly stored transaction of each kind announces.
CREATED_EVENTS: dict[TransactionKind, EventType] = {
    TransactionKind.CHARGE: EventType.AUTHCAPTURE_CREATED,
    TransactionKind.AUTHORIZATION: EventType.AUTHORIZATION_CREATED,
    TransactionKind.CAPTURE_ONLY: EventType.CAPTURE_CREATED,
    TransactionKind.REFUND: EventType.REFUND_CREATED,
}

# How a fraud filter's action is written (fraudList's fraudAction; the same words as
# getTransactionDetails' FDSFilterActionEnum).
FRAUD_ACTIONS: Final = {
    FraudAction.DECLINE: "decline",
    FraudAction.HOLD: "hold",
    FraudAction.AUTHORIZE_AND_HOLD: "authAndHold",
    FraudAction.REPORT: "report",
}

# The event a subscription's new status announces (a reactivation announces only the update
# that caused it).
STATUS_EVENTS: Final = {
    SubscriptionStatus.SUSPENDED: EventType.SUBSCRIPTION_SUSPENDED,
    SubscriptionStatus.EXPIRED: EventType.SUBSCRIPTION_EXPIRED,
    SubscriptionStatus.TERMINATED: EventType.SUBSCRIPTION_TERMINATED,
    SubscriptionStatus.CANCELED: EventType.SUBSCRIPTION_CANCELLED,
}


@dataclass(frozen=True, slots=True)
class FraudFilter:
    """A fraud filter that acted on a transaction, as fraud events list them."""

    name: str  # e.g. "AmountFilter"
    action: str  # e.g. "hold", "reject", "report"


@dataclass(frozen=True, slots=True)
class SubscriptionProfile:
    """The customer profile, payment profile and shipping address a subscription bills."""

    customer_profile_ref: str
    payment_profile_ref: str
    shipping_address_ref: str | None = None


def transaction_payload(
    record: TransactionRecord, amount: Decimal | None = None, fraud: Sequence[FraudFilter] = ()
) -> Payload:
    """A payment event's payload; `amount` overrides the authorised amount (a capture's)."""
    payload: dict[str, PayloadValue] = {
        "responseCode": record.response_code,
        "authCode": record.auth_code,
        "avsResponse": record.avs_result,
        "authAmount": record.amount if amount is None else amount,
    }
    if fraud:
        payload["fraudList"] = [{"fraudFilter": item.name, "fraudAction": item.action} for item in fraud]
    if record.invoice_number:
        payload["invoiceNumber"] = record.invoice_number
    payload["entityName"] = EntityName.TRANSACTION.value
    payload["id"] = record.ref
    return payload


def customer_payload(profile: ProfileRow, payment_profiles: Sequence[PaymentProfileRow]) -> Payload:
    payload: dict[str, PayloadValue] = {}
    if payment_profiles:
        payload["paymentProfiles"] = [_payment_profile_summary(item) for item in payment_profiles]
    if profile.merchant_customer_id:
        payload["merchantCustomerId"] = profile.merchant_customer_id
    if profile.description:
        payload["description"] = profile.description
    payload["entityName"] = EntityName.CUSTOMER_PROFILE.value
    payload["id"] = profile.ref
    return payload


def _payment_profile_summary(row: PaymentProfileRow) -> Payload:
    summary: dict[str, PayloadValue] = {"id": row.ref}
    if row.customer_type is not None:
        summary["customerType"] = row.customer_type.value
    return summary


def payment_profile_payload(row: PaymentProfileRow) -> Payload:
    payload: dict[str, PayloadValue] = {
        "customerProfileId": int(row.profile_ref),
        "entityName": EntityName.PAYMENT_PROFILE.value,
        "id": row.ref,
    }
    if row.customer_type is not None:
        payload["customerType"] = row.customer_type.value
    return payload


def subscription_payload(
    ref: str, name: str | None, amount: Decimal, status: str, profile: SubscriptionProfile | None = None
) -> Payload:
    """A subscription event's payload; `status` as ARB reports it (active, suspended...)."""
    payload: dict[str, PayloadValue] = {}
    if name:
        payload["name"] = name
    payload["amount"] = amount
    payload["status"] = status
    if profile is not None:
        ids: dict[str, PayloadValue] = {
            "customerProfileId": int(profile.customer_profile_ref),
            "customerPaymentProfileId": int(profile.payment_profile_ref),
        }
        if profile.shipping_address_ref:
            ids["customerShippingAddressId"] = int(profile.shipping_address_ref)
        payload["profile"] = ids
    payload["entityName"] = EntityName.SUBSCRIPTION.value
    payload["id"] = ref
    return payload


def record_transaction(
    uow: UnitOfWork,
    record: TransactionRecord,
    now: datetime,
    event_type: EventType | None = None,
    amount: Decimal | None = None,
) -> int:
    """A stored transaction's event: `event_type`, else the one its kind announces."""
    event = event_type or CREATED_EVENTS.get(record.kind)
    if event is None:
        return 0
    return uow.events.record(record.merchant_key, event, transaction_payload(record, amount), now)


def fraud_list(record: TransactionRecord) -> tuple[FraudFilter, ...]:
    """The filters that fired on `record`, in the merchant's order, as fraud events list them."""
    return tuple(FraudFilter(name, FRAUD_ACTIONS[action]) for name, action in record.fraud_filters)


def record_fraud(uow: UnitOfWork, record: TransactionRecord, event_type: EventType, now: datetime) -> int:
    """A fraud event (held, approved, declined) of `record` as it stands, with its filters."""
    return uow.events.record(
        record.merchant_key, event_type, transaction_payload(record, fraud=fraud_list(record)), now
    )


def subscription_events(before: Subscription | None, after: Subscription) -> tuple[EventType, ...]:
    """What a change from `before` (None: it is new) to `after` announces besides the change
    itself: a failed payment, the new status, and `expiring` when this change leaves a live
    subscription with exactly one occurrence to bill (so it is announced once, by the change
    that gets it there: the next-to-last payment, an update shortening the schedule, or a
    one-occurrence create)."""
    announced: list[EventType] = []
    if before is not None and after.progress.failed_attempts > before.progress.failed_attempts:
        announced.append(EventType.SUBSCRIPTION_FAILED)
    if before is not None and after.status is not before.status and after.status in STATUS_EVENTS:
        announced.append(STATUS_EVENTS[after.status])
    if after.is_live and after.occurrences_left() == 1 and (before is None or before.occurrences_left() != 1):
        announced.append(EventType.SUBSCRIPTION_EXPIRING)
    return tuple(announced)


def subscription_payload_of(subscription: Subscription) -> Payload:
    return subscription_payload(
        subscription.ref,
        subscription.name,
        subscription.pricing.amount,
        subscription.status.value,
        SubscriptionProfile(
            subscription.profile_ref, subscription.payment_profile_ref, subscription.address_ref
        ),
    )


def record_subscription(
    uow: UnitOfWork,
    before: Subscription | None,
    after: Subscription,
    now: datetime,
    event_type: EventType | None = None,
) -> int:
    """A subscription's change from `before` to `after`, written in this unit: `event_type`
    (created, updated) if given, then what `subscription_events` derives, each with the
    subscription as it stands after the change."""
    announced = ((event_type,) if event_type is not None else ()) + subscription_events(before, after)
    payload = subscription_payload_of(after)
    return sum(uow.events.record(after.merchant_key, item, payload, now) for item in announced)


def record_customer(
    uow: UnitOfWork, merchant: Merchant, event_type: EventType, profile_ref: str, now: datetime
) -> int:
    """A customer profile's event, as the profile stands in this unit (record a deletion
    before deleting; without the profile nothing is recorded)."""
    if not uow.events.listens(merchant.key, event_type):
        return 0  # nobody to tell: no payload to read
    container = merchant.container_key
    profile = uow.profiles.profile(container, profile_ref)
    if profile is None:
        return 0
    payment_profiles = uow.profiles.payment_profiles(container, profile_ref)
    return uow.events.record(merchant.key, event_type, customer_payload(profile, payment_profiles), now)


def record_payment_profile(
    uow: UnitOfWork, merchant: Merchant, event_type: EventType, profile_ref: str, ref: str, now: datetime
) -> int:
    """A payment profile's event, as it stands in this unit (record a deletion before
    deleting; without the payment profile nothing is recorded)."""
    if not uow.events.listens(merchant.key, event_type):
        return 0
    row = uow.profiles.payment_profile(merchant.container_key, profile_ref, ref)
    if row is None:
        return 0
    return uow.events.record(merchant.key, event_type, payment_profile_payload(row), now)


def record_profile_created(
    uow: UnitOfWork, merchant: Merchant, profile_ref: str, payment_profile_refs: Sequence[str], now: datetime
) -> int:
    """A new customer profile: its own event, then one per payment profile created with it."""
    count = record_customer(uow, merchant, EventType.CUSTOMER_CREATED, profile_ref, now)
    for ref in payment_profile_refs:
        count += record_payment_profile(
            uow, merchant, EventType.PAYMENT_PROFILE_CREATED, profile_ref, ref, now
        )
    return count
