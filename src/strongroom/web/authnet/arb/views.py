"""Renders subscriptions as ARB response values: masked payment, schedule, attempts, lists."""

from __future__ import annotations

from datetime import UTC, datetime

from strongroom.domain.subscriptions import Schedule
from strongroom.services.subscriptions.requests import (
    BilledAttempt,
    ListedSubscription,
    SubscriptionDetails,
    SubscriptionIds,
)
from strongroom.web.authnet.cim.views import payment_profile_values, shipping_address_values
from strongroom.web.authnet.operations import Values

CURRENCY = "USD"
_PAYMENT_METHODS = {"card": "creditCard", "bank": "eCheck"}


def utc_timestamp(moment: datetime) -> str:
    """xs:dateTime in UTC with milliseconds and Z, as the service writes its …UTC times."""
    utc = moment.astimezone(UTC)
    return f"{utc:%Y-%m-%dT%H:%M:%S}.{utc.microsecond // 1000:03d}Z"


def _without_none(values: Values) -> Values:
    return {key: value for key, value in values.items() if value is not None}


def profile_ids(ids: SubscriptionIds) -> Values:
    return _without_none(
        {
            "customerProfileId": ids.profile_ref,
            "customerPaymentProfileId": ids.payment_profile_ref,
            "customerAddressId": ids.address_ref,
        }
    )


def schedule_values(schedule: Schedule) -> Values:
    return {
        "interval": {"length": schedule.interval.length, "unit": schedule.interval.unit.value},
        "startDate": schedule.start.isoformat(),
        "totalOccurrences": schedule.total,
        "trialOccurrences": schedule.trial,
    }


def _profile_values(details: SubscriptionDetails) -> Values | None:
    profile = details.profile
    if profile is None:
        return None  # deleted after the subscription ended
    return _without_none(
        {
            "merchantCustomerId": profile.merchant_customer_id,
            "description": profile.description,
            "email": profile.email,
            "customerProfileId": profile.ref,
            "paymentProfile": payment_profile_values(details.payment_profile)
            if details.payment_profile is not None
            else None,
            "shippingProfile": shipping_address_values(details.address)
            if details.address is not None
            else None,
        }
    )


def _attempt_values(attempt: BilledAttempt) -> Values:
    return _without_none(
        {
            "transId": attempt.transaction_ref,
            "response": attempt.response,
            "submitTimeUTC": utc_timestamp(attempt.submitted_at),
            "payNum": attempt.pay_num,
            "attemptNum": attempt.attempt_num,
        }
    )


def subscription_values(details: SubscriptionDetails, *, with_transactions: bool) -> Values:
    subscription = details.subscription
    order = _without_none(
        {"invoiceNumber": subscription.invoice_number, "description": subscription.description}
    )
    transactions = None
    if with_transactions:
        transactions = {"arbTransaction": [_attempt_values(item) for item in details.attempts]}
    return _without_none(
        {
            "name": subscription.name,
            "paymentSchedule": schedule_values(subscription.schedule),
            "amount": subscription.pricing.amount,
            "trialAmount": subscription.pricing.trial_amount,
            "status": subscription.status.value,
            "profile": _profile_values(details),
            "order": order or None,
            "arbTransactions": transactions,
        }
    )


def detail_values(summary: ListedSubscription) -> Values:
    """One subscriptionDetail of a list."""
    subscription = summary.subscription
    return _without_none(
        {
            "id": int(subscription.ref),
            "name": subscription.name,
            "status": subscription.status.value,
            "createTimeStampUTC": utc_timestamp(subscription.created_at),
            "firstName": summary.first_name,
            "lastName": summary.last_name,
            "totalOccurrences": subscription.schedule.total,
            "pastOccurrences": subscription.progress.past_occurrences,
            "paymentMethod": _PAYMENT_METHODS[subscription.payment_method],
            "accountNumber": "XXXX" + summary.account_last4 if summary.account_last4 else None,
            "invoice": subscription.invoice_number,
            "amount": subscription.pricing.amount,
            "currencyCode": CURRENCY,
            "customerProfileId": int(subscription.profile_ref),
            "customerPaymentProfileId": int(subscription.payment_profile_ref),
            "customerShippingProfileId": int(subscription.address_ref) if subscription.address_ref else None,
        }
    )
