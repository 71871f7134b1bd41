"""Recurring-billing use cases: create, read, list, update and cancel subscriptions.

Every subscription bills a stored payment profile. One created from card or bank data gets a
customer profile of its own ("Profile created by Subscription: <id>"), made in the same unit of
work as the subscription; one created from a stored profile uses it. Creates in a container are
serialised on the container's lock, so the duplicate check (E00012 on the wire) sees every
earlier create. The billing itself is `services.subscriptions.billing`. Each write unit records its webhook
events (`services.webhooks.recording.record_subscription`): created (with customer.created and
paymentProfile.created for a profile made with it), cancelled, expiring.
"""

from __future__ import annotations

import calendar
from dataclasses import replace
from datetime import date, datetime

from strongroom.domain.customers import (
    PaymentProfileDraft,
    ProfileType,
    ShippingAddress,
)
from strongroom.domain.errors import (
    DuplicateSubscription,
    MissingField,
    NotFound,
    PaymentRequired,
    SubscriptionNotFound,
    SubscriptionRefused,
    SubscriptionRule,
)
from strongroom.domain.events import EventType
from strongroom.domain.instruments import Instrument
from strongroom.domain.merchants import Merchant
from strongroom.domain.subscriptions import (
    LIVE,
    Event,
    Pricing,
    Schedule,
    Subscription,
    SubscriptionStatus,
    billing_day,
    check_start,
    transition,
)
from strongroom.services.ports import (
    Clock,
    RefTaken,
    SubscriptionFilter,
    SubscriptionOrder,
    UnitOfWork,
    UnitOfWorkFactory,
    Vault,
)
from strongroom.services.profiles.cim_steps import (
    add_address,
    add_payment_profile,
    locked_profile,
    sealed_row,
)
from strongroom.services.profiles.customer_profiles import CustomerProfiles
from strongroom.services.profiles.payment_profiles import PaymentProfiles
from strongroom.services.profiles.sealing import instrument_number, unseal_payment_profile
from strongroom.services.profiles.shipping_addresses import ShippingAddresses
from strongroom.services.refs import REF_ATTEMPTS, new_profile_ref, new_subscription_ref
from strongroom.services.subscriptions.requests import (
    ListedSubscription,
    NewSubscription,
    ProfileIds,
    SubscriptionChange,
    SubscriptionCustomer,
    SubscriptionDetails,
    SubscriptionIds,
    SubscriptionPage,
    SubscriptionTerms,
    billed_attempts,
)
from strongroom.services.subscriptions.rules import (
    billing_address,
    check_card_expiry,
    duplicate_key,
    new_pricing,
    new_schedule,
    payment_method,
)
from strongroom.services.subscriptions.updates import SubscriptionUpdates
from strongroom.services.webhooks.recording import record_profile_created, record_subscription

PROFILE_DESCRIPTION = "Profile created by Subscription: {ref}"


def billing_month(now: datetime) -> tuple[date, date]:
    """The first and last day of the current month of the billing calendar."""
    today = billing_day(now)
    last = calendar.monthrange(today.year, today.month)[1]
    return today.replace(day=1), today.replace(day=last)


class Subscriptions:
    """The calling merchant's subscriptions."""

    def __init__(
        self,
        units: UnitOfWorkFactory,
        vault: Vault,
        clock: Clock,
        customer_profiles: CustomerProfiles,
        payment_profiles: PaymentProfiles,
        shipping_addresses: ShippingAddresses,
    ) -> None:
        self._units = units
        self._vault = vault
        self._clock = clock
        self._payment_profiles = payment_profiles
        self._updates = SubscriptionUpdates(
            units, clock, customer_profiles, payment_profiles, shipping_addresses
        )

    # ------------------------------------------------------------------- create

    def create(self, merchant: Merchant, new: NewSubscription) -> SubscriptionIds:
        terms = new.terms
        now = self._clock.now()
        schedule = new_schedule(terms.schedule)
        check_start(schedule.start, billing_day(now))
        pricing = new_pricing(terms)
        if terms.profile is not None:
            return self._create_on_profile(merchant, terms, terms.profile, schedule, pricing, now)
        if new.payment is None:
            raise PaymentRequired()
        check_card_expiry(new.payment, schedule.start)
        return self._create_with_profile(merchant, terms, new.payment, schedule, pricing, now)

    def _create_with_profile(
        self,
        merchant: Merchant,
        terms: SubscriptionTerms,
        instrument: Instrument,
        schedule: Schedule,
        pricing: Pricing,
        now: datetime,
    ) -> SubscriptionIds:
        """Card or bank data: a new customer profile holds it, made with the subscription."""
        customer = terms.customer or SubscriptionCustomer()
        bill_to = billing_address(terms.bill_to, customer)
        ship_to = terms.ship_to if terms.ship_to is not None and not terms.ship_to.is_empty() else None
        draft = PaymentProfileDraft(
            instrument, bill_to, customer.type, customer.drivers_license, customer.tax_id
        )
        key = duplicate_key(
            self._vault,
            merchant.key,
            self._vault.fingerprint(merchant.key, instrument_number(instrument)),
            customer.id,
            bill_to,
            pricing.amount,
            terms.invoice_number,
            schedule,
        )
        for _ in range(REF_ATTEMPTS):
            ref, profile_ref = new_subscription_ref(), new_profile_ref()
            # sealed before the unit of work opens (vault I/O never runs under a database lock)
            row = sealed_row(self._vault, merchant, profile_ref, draft, now)
            try:
                with self._units() as uow:
                    container = merchant.container_key
                    uow.profiles.lock_container(container)
                    _refuse_duplicate(uow, merchant, key)
                    uow.profiles.add_profile(
                        container,
                        profile_ref,
                        customer.id,
                        PROFILE_DESCRIPTION.format(ref=ref),
                        customer.email,
                        ProfileType.REGULAR,
                        now,
                    )
                    uow.profiles.profile(container, profile_ref, lock=True)
                    payment_ref = add_payment_profile(uow, merchant, profile_ref, row)
                    address_ref = (
                        add_address(uow, merchant, profile_ref, ship_to, False, now)
                        if ship_to is not None
                        else None
                    )
                    ids = SubscriptionIds(ref, profile_ref, payment_ref, address_ref)
                    created = _subscription(
                        merchant, ids, terms, schedule, pricing, payment_method(instrument), key, now
                    )
                    uow.subscriptions.add(created)
                    record_profile_created(uow, merchant, profile_ref, (payment_ref,), now)
                    record_subscription(uow, None, created, now, EventType.SUBSCRIPTION_CREATED)
                    uow.commit()
            except RefTaken:
                continue
            return ids
        raise RuntimeError("could not find a free subscription id")

    def _create_on_profile(
        self,
        merchant: Merchant,
        terms: SubscriptionTerms,
        ids: ProfileIds,
        schedule: Schedule,
        pricing: Pricing,
        now: datetime,
    ) -> SubscriptionIds:
        """A stored customer profile pays: its payment profile (and address) must exist."""
        if ids.payment_profile_ref is None:
            raise MissingField(
                "customerPaymentProfileId", "customerPaymentProfileId is required with a customer profile."
            )
        container = merchant.container_key
        profile = self._payment_profiles.get(merchant, ids.profile_ref, ids.payment_profile_ref)
        check_card_expiry(profile.instrument, schedule.start)
        with self._units(write=False) as uow:
            owner = uow.profiles.profile(container, ids.profile_ref)
        if owner is None:
            raise NotFound("The record cannot be found.")
        key = duplicate_key(
            self._vault,
            merchant.key,
            self._vault.fingerprint(merchant.key, instrument_number(profile.instrument)),
            owner.merchant_customer_id,
            profile.bill_to,
            pricing.amount,
            terms.invoice_number,
            schedule,
        )
        chosen = SubscriptionIds("", ids.profile_ref, ids.payment_profile_ref, ids.address_ref)
        for _ in range(REF_ATTEMPTS):
            chosen = replace(chosen, subscription_ref=new_subscription_ref())
            try:
                with self._units() as uow:
                    uow.profiles.lock_container(container)
                    locked_profile(uow, merchant, ids.profile_ref)
                    _require_records(uow, merchant, chosen)
                    _refuse_duplicate(uow, merchant, key)
                    created = _subscription(
                        merchant,
                        chosen,
                        terms,
                        schedule,
                        pricing,
                        payment_method(profile.instrument),
                        key,
                        now,
                    )
                    uow.subscriptions.add(created)
                    record_subscription(uow, None, created, now, EventType.SUBSCRIPTION_CREATED)
                    uow.commit()
            except RefTaken:
                continue
            return chosen
        raise RuntimeError("could not find a free subscription id")

    # ------------------------------------------------------------------- read

    def get(self, merchant: Merchant, ref: str, *, with_attempts: bool = False) -> SubscriptionDetails:
        """A subscription with its profile records; its billing attempts when asked."""
        container = merchant.container_key
        with self._units(write=False) as uow:
            subscription = _found(uow.subscriptions.get(merchant.key, ref))
            profile = uow.profiles.profile(container, subscription.profile_ref)
            payment_row = address_row = None
            if profile is not None:
                payment_row = uow.profiles.payment_profile(
                    container, subscription.profile_ref, subscription.payment_profile_ref
                )
                if subscription.address_ref is not None:
                    address_row = uow.profiles.address(
                        container, subscription.profile_ref, subscription.address_ref
                    )
            attempts = billed_attempts(uow.subscriptions.attempts(merchant.key, ref)) if with_attempts else ()
        payment_profile = (
            unseal_payment_profile(self._vault, merchant.key, payment_row)
            if payment_row is not None
            else None
        )
        address = (
            ShippingAddress(
                address_row.ref, address_row.profile_ref, address_row.address, address_row.is_default
            )
            if address_row is not None
            else None
        )
        return SubscriptionDetails(subscription, profile, payment_profile, address, attempts)

    def status(self, merchant: Merchant, ref: str) -> SubscriptionStatus:
        with self._units(write=False) as uow:
            return _found(uow.subscriptions.get(merchant.key, ref)).status

    def search(
        self,
        merchant: Merchant,
        which: SubscriptionFilter,
        order: SubscriptionOrder,
        descending: bool,
        page: int,
        page_size: int,
    ) -> SubscriptionPage:
        """One page (counted from 1) of the merchant's subscriptions matching `which`."""
        with self._units(write=False) as uow:
            total, items = uow.subscriptions.search(
                merchant.key,
                which,
                billing_month(self._clock.now()),
                order,
                descending,
                (page - 1) * page_size,
                page_size,
            )
        return SubscriptionPage(total, tuple(ListedSubscription.of(item) for item in items))

    # ------------------------------------------------------------------- change

    def update(self, merchant: Merchant, ref: str, change: SubscriptionChange) -> SubscriptionIds:
        """Change what `change` sends; a suspended subscription is reactivated by it."""
        return self._updates.update(merchant, ref, change)

    def cancel(self, merchant: Merchant, ref: str) -> bool:
        """Cancel a live subscription; False when it was already canceled."""
        with self._units() as uow:
            subscription = _found(uow.subscriptions.get(merchant.key, ref, lock=True))
            if subscription.status is SubscriptionStatus.CANCELED:
                return False
            if subscription.status not in LIVE:
                raise SubscriptionRefused(
                    SubscriptionRule.CANNOT_CANCEL,
                    f"The subscription cannot be canceled: it is {subscription.status.value}.",
                )
            now = self._clock.now()
            canceled = replace(
                subscription, status=transition(subscription.status, Event.CANCELED), updated_at=now
            )
            uow.subscriptions.update(canceled)
            record_subscription(uow, subscription, canceled, now)
            uow.commit()
        return True


def _found(subscription: Subscription | None) -> Subscription:
    if subscription is None:
        raise SubscriptionNotFound()
    return subscription


def _refuse_duplicate(uow: UnitOfWork, merchant: Merchant, key: str) -> None:
    existing = uow.subscriptions.duplicate(merchant.key, key, LIVE)
    if existing is not None:
        raise DuplicateSubscription(existing)


def _require_records(uow: UnitOfWork, merchant: Merchant, ids: SubscriptionIds) -> None:
    container = merchant.container_key
    if uow.profiles.payment_profile(container, ids.profile_ref, ids.payment_profile_ref) is None:
        raise NotFound("The record cannot be found.")
    if (
        ids.address_ref is not None
        and uow.profiles.address(container, ids.profile_ref, ids.address_ref) is None
    ):
        raise NotFound("The record cannot be found.")


def _subscription(
    merchant: Merchant,
    ids: SubscriptionIds,
    terms: SubscriptionTerms,
    schedule: Schedule,
    pricing: Pricing,
    method: str,
    key: str,
    now: datetime,
) -> Subscription:
    return Subscription(
        ref=ids.subscription_ref,
        merchant_key=merchant.key,
        name=terms.name,
        schedule=schedule,
        pricing=pricing,
        status=SubscriptionStatus.ACTIVE,
        profile_ref=ids.profile_ref,
        payment_profile_ref=ids.payment_profile_ref,
        address_ref=ids.address_ref,
        payment_method=method,
        created_at=now,
        invoice_number=terms.invoice_number,
        description=terms.description,
        duplicate_key=key,
        updated_at=now,
    )
