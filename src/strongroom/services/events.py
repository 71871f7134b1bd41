"""Recording webhook events from inside the unit of work that makes the change, with the
payloads merchants receive.

How to emit an event (any service): in the write unit that makes the change, after the change
and before `uow.commit()`, call one of the `record_*` helpers below (or `uow.events.record`
with a payload built here). The notifications are stored by that unit, so they exist exactly
when the change does: a rollback takes them away, a commit hands them to the delivery job.
Nothing is sent from the request. Subscriptions (ARB) use `subscription_payload` with the
`SUBSCRIPTION_*` event types; fraud review outcomes use `transaction_payload(record,
fraud=...)` with `FRAUD_HELD`, `FRAUD_APPROVED` or `FRAUD_DECLINED`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from strongroom.domain.events import EntityName, EventType, Payload, PayloadValue
from strongroom.domain.merchants import Merchant
from strongroom.domain.transactions import TransactionKind
from strongroom.services.ports import PaymentProfileRow, ProfileRow, TransactionRecord, UnitOfWork

# The event a newly stored transaction of each kind announces.
CREATED_EVENTS: dict[TransactionKind, EventType] = {
    TransactionKind.CHARGE: EventType.AUTHCAPTURE_CREATED,
    TransactionKind.AUTHORIZATION: EventType.AUTHORIZATION_CREATED,
    TransactionKind.CAPTURE_ONLY: EventType.CAPTURE_CREATED,
    TransactionKind.REFUND: EventType.REFUND_CREATED,
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


def transaction_payload(record: TransactionRecord, amount: Decimal | None = None,
                        fraud: Sequence[FraudFilter] = ()) -> Payload:
    """A payment event's payload; `amount` overrides the authorised amount (a capture's)."""
    payload: dict[str, PayloadValue] = {
        "responseCode": record.response_code, "authCode": record.auth_code,
        "avsResponse": record.avs_result,
        "authAmount": record.amount if amount is None else amount,
    }
    if record.invoice_number:
        payload["invoiceNumber"] = record.invoice_number
    if fraud:
        payload["fraudList"] = [{"fraudFilter": item.name, "fraudAction": item.action}
                                for item in fraud]
    payload["entityName"] = EntityName.TRANSACTION.value
    payload["id"] = record.ref
    return payload


def customer_payload(profile: ProfileRow, payment_profiles: Sequence[PaymentProfileRow]
                     ) -> Payload:
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
        "entityName": EntityName.PAYMENT_PROFILE.value, "id": row.ref}
    if row.customer_type is not None:
        payload["customerType"] = row.customer_type.value
    return payload


def subscription_payload(ref: str, name: str | None, amount: Decimal, status: str,
                         profile: SubscriptionProfile | None = None) -> Payload:
    """A subscription event's payload; `status` as ARB reports it (active, suspended...)."""
    payload: dict[str, PayloadValue] = {}
    if name:
        payload["name"] = name
    payload["amount"] = amount
    payload["status"] = status
    if profile is not None:
        ids: dict[str, PayloadValue] = {
            "customerProfileId": int(profile.customer_profile_ref),
            "customerPaymentProfileId": int(profile.payment_profile_ref)}
        if profile.shipping_address_ref:
            ids["customerShippingAddressId"] = int(profile.shipping_address_ref)
        payload["profile"] = ids
    payload["entityName"] = EntityName.SUBSCRIPTION.value
    payload["id"] = ref
    return payload


def record_transaction(uow: UnitOfWork, record: TransactionRecord, now: datetime,
                       event_type: EventType | None = None, amount: Decimal | None = None
                       ) -> int:
    """A stored transaction's event: `event_type`, else the one its kind announces."""
    event = event_type or CREATED_EVENTS.get(record.kind)
    if event is None:
        return 0
    return uow.events.record(record.merchant_key, event, transaction_payload(record, amount),
                             now)


def record_customer(uow: UnitOfWork, merchant: Merchant, event_type: EventType,
                    profile_ref: str, now: datetime) -> int:
    """A customer profile's event, as the profile stands in this unit (record a deletion
    before deleting; without the profile nothing is recorded)."""
    container = merchant.container_key
    profile = uow.profiles.profile(container, profile_ref)
    if profile is None:
        return 0
    payment_profiles = uow.profiles.payment_profiles(container, profile_ref)
    return uow.events.record(merchant.key, event_type,
                             customer_payload(profile, payment_profiles), now)


def record_payment_profile(uow: UnitOfWork, merchant: Merchant, event_type: EventType,
                           profile_ref: str, ref: str, now: datetime) -> int:
    """A payment profile's event, as it stands in this unit (record a deletion before
    deleting; without the payment profile nothing is recorded)."""
    row = uow.profiles.payment_profile(merchant.container_key, profile_ref, ref)
    if row is None:
        return 0
    return uow.events.record(merchant.key, event_type, payment_profile_payload(row), now)


def record_profile_created(uow: UnitOfWork, merchant: Merchant, profile_ref: str,
                           payment_profile_refs: Sequence[str], now: datetime) -> int:
    """A new customer profile: its own event, then one per payment profile created with it."""
    count = record_customer(uow, merchant, EventType.CUSTOMER_CREATED, profile_ref, now)
    for ref in payment_profile_refs:
        count += record_payment_profile(uow, merchant, EventType.PAYMENT_PROFILE_CREATED,
                                        profile_ref, ref, now)
    return count
