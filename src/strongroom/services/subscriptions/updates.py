"""Updating a subscription: only what the request sends changes.

Every rule is checked before anything is written. Changes to the payment (card or bank account,
never one for the other), billing address and customer land on the stored customer profile and
payment profile the subscription bills; a shipping address updates the one it ships to, or is
added. The subscription row is written last, under its lock, where the rules that depend on
billing progress are checked again (billing may have charged meanwhile). Updating a suspended
subscription reactivates it: billing retries the failed occurrence at its next run. The
subscription.updated event (and expiring, when a shorter schedule leaves one occurrence) is
recorded with the subscription row's write.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from strongroom.domain.customers import Address, PaymentProfile, ValidationMode
from strongroom.domain.errors import (
    Duplicate,
    NotFound,
    SubscriptionNotFound,
    SubscriptionRefused,
    SubscriptionRule,
)
from strongroom.domain.events import EventType
from strongroom.domain.merchants import Merchant
from strongroom.domain.subscriptions import (
    Event,
    Subscription,
    SubscriptionStatus,
    billing_day,
    transition,
)
from strongroom.services.ports import Clock, UnitOfWorkFactory
from strongroom.services.profiles.changes import (
    BankChange,
    CardChange,
    LicenseChange,
    PaymentProfileChange,
    merge_instrument,
)
from strongroom.services.profiles.customer_profiles import CustomerProfiles
from strongroom.services.profiles.payment_profiles import PaymentProfiles
from strongroom.services.profiles.shipping_addresses import ShippingAddresses
from strongroom.services.subscriptions.requests import (
    ProfileIds,
    SubscriptionChange,
    SubscriptionCustomer,
    SubscriptionIds,
    SubscriptionTerms,
)
from strongroom.services.subscriptions.rules import (
    changed_pricing,
    changed_schedule,
    check_card_expiry,
    next_payment_date,
    overlay,
    payment_method,
    refuse_if_ended,
)
from strongroom.services.webhooks.recording import record_subscription

_PAYMENT_TYPE_FIXED = "The payment type cannot be changed."


def _changes_payment_profile(change: SubscriptionChange) -> bool:
    customer = change.terms.customer
    return (
        change.payment is not None
        or change.terms.bill_to is not None
        or (
            customer is not None
            and any(
                (
                    customer.type,
                    customer.phone_number,
                    customer.fax_number,
                    customer.drivers_license,
                    customer.tax_id,
                )
            )
        )
    )


def _method_of(payment: CardChange | BankChange) -> str:
    return "card" if isinstance(payment, CardChange) else "bank"


def _kept_license(profile: PaymentProfile) -> LicenseChange | None:
    license_ = profile.drivers_license
    if license_ is None:
        return None
    return LicenseChange(license_.number, license_.state, license_.date_of_birth)


class SubscriptionUpdates:
    def __init__(
        self,
        units: UnitOfWorkFactory,
        clock: Clock,
        customer_profiles: CustomerProfiles,
        payment_profiles: PaymentProfiles,
        shipping_addresses: ShippingAddresses,
    ) -> None:
        self._units = units
        self._clock = clock
        self._customer_profiles = customer_profiles
        self._payment_profiles = payment_profiles
        self._shipping_addresses = shipping_addresses

    def update(self, merchant: Merchant, ref: str, change: SubscriptionChange) -> SubscriptionIds:
        today = billing_day(self._clock.now())
        current = self._read(merchant, ref)
        refuse_if_ended(current)
        terms = change.terms
        schedule = changed_schedule(current, terms.schedule, today)
        changed_pricing(current, terms, schedule)
        payment_ref, address_ref = self._targets(merchant, current, terms.profile)
        if _changes_payment_profile(change):
            self._update_payment_profile(
                merchant, current, payment_ref, change, next_payment_date(current, schedule)
            )
        self._update_customer(merchant, current, terms.customer)
        address_ref = self._update_address(merchant, current.profile_ref, address_ref, terms.ship_to)
        self._write(merchant, ref, terms, payment_ref, address_ref, today)
        return SubscriptionIds(ref, current.profile_ref, payment_ref, address_ref)

    def _read(self, merchant: Merchant, ref: str) -> Subscription:
        with self._units(write=False) as uow:
            subscription = uow.subscriptions.get(merchant.key, ref)
        if subscription is None:
            raise SubscriptionNotFound()
        return subscription

    def _targets(
        self, merchant: Merchant, current: Subscription, ids: ProfileIds | None
    ) -> tuple[str, str | None]:
        """The payment profile and address the subscription bills after the update: another
        payment profile or address of its own customer profile may be named."""
        payment_ref, address_ref = current.payment_profile_ref, current.address_ref
        if ids is None:
            return payment_ref, address_ref
        if ids.profile_ref != current.profile_ref:
            raise SubscriptionRefused(
                SubscriptionRule.OTHER_PROFILE,
                "The original subscription was not created with this Customer Profile.",
            )
        if ids.payment_profile_ref is not None:
            profile = self._payment_profiles.get(merchant, ids.profile_ref, ids.payment_profile_ref)
            if payment_method(profile.instrument) != current.payment_method:
                raise SubscriptionRefused(SubscriptionRule.PAYMENT_TYPE_FIXED, _PAYMENT_TYPE_FIXED)
            payment_ref = ids.payment_profile_ref
        if ids.address_ref is not None:
            self._shipping_addresses.get(merchant, ids.profile_ref, ids.address_ref)
            address_ref = ids.address_ref
        return payment_ref, address_ref

    def _update_payment_profile(
        self,
        merchant: Merchant,
        current: Subscription,
        payment_ref: str,
        change: SubscriptionChange,
        next_date: date,
    ) -> None:
        """New card or account data, billing address and customer details, on the payment
        profile; what is not sent stays as it is."""
        payment = change.payment
        if payment is not None and _method_of(payment) != current.payment_method:
            raise SubscriptionRefused(SubscriptionRule.PAYMENT_TYPE_FIXED, _PAYMENT_TYPE_FIXED)
        existing = self._payment_profiles.get(merchant, current.profile_ref, payment_ref)
        check_card_expiry(merge_instrument(existing.instrument, payment), next_date)
        customer = change.terms.customer or SubscriptionCustomer()
        bill_to = existing.bill_to
        if change.terms.bill_to is not None:
            bill_to = overlay(bill_to, change.terms.bill_to)
        phones = Address(phone_number=customer.phone_number, fax_number=customer.fax_number)
        if not phones.is_empty():
            bill_to = overlay(bill_to, phones)
        license_ = (
            LicenseChange(
                customer.drivers_license.number,
                customer.drivers_license.state,
                customer.drivers_license.date_of_birth,
            )
            if customer.drivers_license is not None
            else _kept_license(existing)
        )
        self._payment_profiles.update(
            merchant,
            current.profile_ref,
            PaymentProfileChange(
                ref=payment_ref,
                payment=payment,
                bill_to=bill_to,
                customer_type=customer.type or existing.customer_type,
                drivers_license=license_,
                tax_id=customer.tax_id or existing.tax_id,
                exclude_from_account_updater=existing.exclude_from_account_updater,
            ),
            ValidationMode.NONE,
        )

    def _update_customer(
        self, merchant: Merchant, current: Subscription, customer: SubscriptionCustomer | None
    ) -> None:
        """The customer's id and email live on the customer profile."""
        if customer is None or not (customer.id or customer.email):
            return
        with self._units(write=False) as uow:
            profile = uow.profiles.profile(merchant.container_key, current.profile_ref)
        if profile is None:
            raise NotFound("The record cannot be found.")
        self._customer_profiles.update(
            merchant,
            current.profile_ref,
            customer.id or profile.merchant_customer_id,
            profile.description,
            customer.email or profile.email,
            None,
        )

    def _update_address(
        self, merchant: Merchant, profile_ref: str, address_ref: str | None, ship_to: Address | None
    ) -> str | None:
        if ship_to is None or ship_to.is_empty():
            return address_ref
        if address_ref is None:
            try:
                return self._shipping_addresses.add(merchant, profile_ref, ship_to, False)
            except Duplicate as duplicate:  # the profile has this address already: use it
                return duplicate.existing_ref
        existing = self._shipping_addresses.get(merchant, profile_ref, address_ref)
        self._shipping_addresses.replace(
            merchant, profile_ref, address_ref, overlay(existing.address, ship_to), None
        )
        return address_ref

    def _write(
        self,
        merchant: Merchant,
        ref: str,
        terms: SubscriptionTerms,
        payment_ref: str,
        address_ref: str | None,
        today: date,
    ) -> None:
        with self._units() as uow:
            latest = uow.subscriptions.get(merchant.key, ref, lock=True)
            if latest is None:
                raise SubscriptionNotFound()
            refuse_if_ended(latest)
            schedule = changed_schedule(latest, terms.schedule, today)
            pricing = changed_pricing(latest, terms, schedule)
            status = latest.status
            if status is SubscriptionStatus.SUSPENDED:
                status = transition(status, Event.REACTIVATED)
            now = self._clock.now()
            updated = replace(
                latest,
                schedule=schedule,
                pricing=pricing,
                status=status,
                name=terms.name if terms.name is not None else latest.name,
                invoice_number=(
                    terms.invoice_number if terms.invoice_number is not None else latest.invoice_number
                ),
                description=(terms.description if terms.description is not None else latest.description),
                payment_profile_ref=payment_ref,
                address_ref=address_ref,
                updated_at=now,
            )
            uow.subscriptions.update(updated)
            record_subscription(uow, latest, updated, now, EventType.SUBSCRIPTION_UPDATED)
            uow.commit()
