"""The recurring-billing (ARB) operations through the official SDK, with request builders.

`Arb` fills in credentials and runs the SDK's own controllers, exactly as an integration would;
`subscription()` builds an ARBSubscriptionType the way the official samples do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from authorizenet import apicontractsv1 as contracts
from authorizenet import apicontrollers as controllers

from strongroom.domain.subscriptions import billing_day
from tests.api.builders import BILLING, Cim, card, items, ok, text
from tests.api.live_server import LiveServer
from tests.api.sdk import MerchantClient

_OMIT: Any = object()


def today(server: LiveServer) -> date:
    """The day of the gateway's billing calendar at the server clock's present."""
    return billing_day(server.clock.now())


def schedule(
    start: date,
    *,
    length: int = 1,
    unit: str = "months",
    total: int | None = 12,
    trial: int | None = None,
    interval: bool = True,
) -> Any:
    item = contracts.paymentScheduleType()
    if interval:
        item.interval = contracts.paymentScheduleTypeInterval()
        item.interval.length = length
        item.interval.unit = unit
    item.startDate = start
    if total is not None:
        item.totalOccurrences = total
    if trial is not None:
        item.trialOccurrences = trial
    return item


def name_and_address(**fields: str | None) -> Any:
    item = contracts.nameAndAddressType()
    values = {key: value for key, value in BILLING.items() if key not in ("phoneNumber", "faxNumber")}
    values.update(fields)
    for key, value in values.items():
        if value is not None:
            setattr(item, key, value)
    return item


def subscription(
    payment_schedule: Any = None,
    *,
    amount: str | None = "10.29",
    trial_amount: str | None = None,
    payment: Any = _OMIT,
    name: str | None = None,
    bill_to: Any = _OMIT,
    invoice: str | None = None,
    customer_id: str | None = None,
    email: str | None = None,
    ship_to: Any = None,
    profile: Any = None,
) -> Any:
    """An ARBSubscriptionType; by default a card with a billing name, monthly from `start`."""
    item = contracts.ARBSubscriptionType()
    if name is not None:
        item.name = name
    if payment_schedule is not None:
        item.paymentSchedule = payment_schedule
    if amount is not None:
        item.amount = Decimal(amount)
    if trial_amount is not None:
        item.trialAmount = Decimal(trial_amount)
    if payment is _OMIT:
        payment = None if profile is not None else card()
    if payment is not None:
        item.payment = payment
    if invoice is not None:
        item.order = contracts.orderType()
        item.order.invoiceNumber = invoice
        item.order.description = "Monthly plan"
    if customer_id is not None or email is not None:
        item.customer = contracts.customerType()
        if customer_id is not None:
            item.customer.id = customer_id
        if email is not None:
            item.customer.email = email
    if bill_to is _OMIT:
        bill_to = None if profile is not None else name_and_address()
    if bill_to is not None:
        item.billTo = bill_to
    if ship_to is not None:
        item.shipTo = ship_to
    if profile is not None:
        item.profile = profile
    return item


def profile_ids(profile_id: str, payment_profile_id: str | None = None, address_id: str | None = None) -> Any:
    item = contracts.customerProfileIdType()
    item.customerProfileId = profile_id
    if payment_profile_id is not None:
        item.customerPaymentProfileId = payment_profile_id
    if address_id is not None:
        item.customerAddressId = address_id
    return item


@dataclass(frozen=True)
class Arb(MerchantClient):
    """One merchant's ARB calls through the SDK controllers."""

    @property
    def cim(self) -> Cim:
        return Cim(self.server, self.merchant)

    def create(self, item: Any, ref_id: str | None = None) -> Any:
        request = contracts.ARBCreateSubscriptionRequest()
        request.subscription = item
        return self.send(controllers.ARBCreateSubscriptionController, request, ref_id)

    def new(self, item: Any = None) -> str:
        """Create (by default a monthly card subscription starting today); its id."""
        answer = ok(self.create(item if item is not None else subscription(schedule(today(self.server)))))
        value = text(answer, "subscriptionId")
        assert value is not None
        assert value.isdigit()
        return value

    def get(self, subscription_id: str, *, transactions: bool | None = None) -> Any:
        request = contracts.ARBGetSubscriptionRequest()
        request.subscriptionId = subscription_id
        if transactions is not None:
            request.includeTransactions = transactions
        return self.send(controllers.ARBGetSubscriptionController, request)

    def stored(self, subscription_id: str, *, transactions: bool = False) -> Any:
        return ok(self.get(subscription_id, transactions=transactions)).subscription

    def status(self, subscription_id: str) -> Any:
        request = contracts.ARBGetSubscriptionStatusRequest()
        request.subscriptionId = subscription_id
        return self.send(controllers.ARBGetSubscriptionStatusController, request)

    def status_of(self, subscription_id: str) -> str:
        return text(ok(self.status(subscription_id)), "status") or ""

    def update(self, subscription_id: str, item: Any) -> Any:
        request = contracts.ARBUpdateSubscriptionRequest()
        request.subscriptionId = subscription_id
        request.subscription = item
        return self.send(controllers.ARBUpdateSubscriptionController, request)

    def cancel(self, subscription_id: str) -> Any:
        request = contracts.ARBCancelSubscriptionRequest()
        request.subscriptionId = subscription_id
        return self.send(controllers.ARBCancelSubscriptionController, request)

    def search(
        self,
        search_type: str,
        *,
        order_by: str | None = None,
        descending: bool = False,
        limit: int | None = None,
        offset: int | None = None,
    ) -> Any:
        request = contracts.ARBGetSubscriptionListRequest()
        request.searchType = search_type
        if order_by is not None:
            request.sorting = contracts.ARBGetSubscriptionListSorting()
            request.sorting.orderBy = order_by
            request.sorting.orderDescending = descending
        if limit is not None or offset is not None:
            request.paging = contracts.Paging()
            request.paging.limit = limit or 1000
            request.paging.offset = offset or 1
        return self.send(controllers.ARBGetSubscriptionListController, request)

    def listed(self, search_type: str, **options: Any) -> list[str]:
        """Ids of the subscriptions a search lists, in its order."""
        answer = ok(self.search(search_type, **options))
        return [text(item, "id") or "" for item in items(answer, "subscriptionDetails", "subscriptionDetail")]

    def transactions(self, subscription_id: str) -> list[Any]:
        """The arbTransaction items of a subscription, in payment order."""
        found = self.stored(subscription_id, transactions=True)
        node = getattr(found, "arbTransactions", None)
        return [] if node is None else list(getattr(node, "arbTransaction", []))


def days(count: int) -> timedelta:
    return timedelta(days=count)
