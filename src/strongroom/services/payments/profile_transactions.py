"""The legacy CIM transaction call (createCustomerProfileTransaction): charges on a stored
payment profile and follow-ups on transactions, through `Payments`, with what the legacy
answer reports about the customer.

Unlike createTransaction, an unknown profile, payment profile or shipping address is an API
error here (`NotFound`), and a follow-up that names profile ids other than the original
transaction's is refused (`ProfileMismatch`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from strongroom.domain.errors import NotFound, ProfileMismatch
from strongroom.domain.merchants import Merchant
from strongroom.domain.money import Money
from strongroom.services.payments.facade import Payments
from strongroom.services.ports import TransactionRecord, UnitOfWork, UnitOfWorkFactory
from strongroom.services.transactions.requests import (
    ChargeRequest,
    MaskedSource,
    OrderDetails,
    PaymentSource,
    ProfileSource,
    RefundRequest,
    TransactionResult,
)
from strongroom.services.transactions.stored_orders import stored_order

PROFILE_NOT_FOUND = "Customer Profile ID or Customer Payment Profile ID not found."
ADDRESS_NOT_FOUND = "Customer Shipping Address ID not found."
NOT_ISSUED_FOR = "The original transaction was not issued for this payment profile."

Customer = tuple[str | None, str | None]  # the profile's merchantCustomerId and e-mail


@dataclass(frozen=True, slots=True)
class ProfileIds:
    """The profile ids a follow-up may name; each given one must be the original's."""

    profile_ref: str | None = None
    payment_profile_ref: str | None = None
    shipping_address_ref: str | None = None


@dataclass(frozen=True, slots=True)
class ProfileTransactionResult:
    """The payment answer, with the order and customer the legacy record reports."""

    result: TransactionResult
    order: OrderDetails  # as stored (billing and shipping addresses included)
    customer_id: str | None = None  # the profile's merchantCustomerId
    email: str | None = None  # the profile's e-mail


class ProfileTransactions:
    def __init__(self, units: UnitOfWorkFactory, payments: Payments) -> None:
        self._units = units
        self._payments = payments

    def charge(self, merchant: Merchant, request: ChargeRequest) -> ProfileTransactionResult:
        """authCapture, authOnly or captureOnly on a stored payment profile."""
        source = request.source
        assert isinstance(source, ProfileSource)
        with self._units(write=False) as uow:
            customer = self._customer(uow, merchant, source.profile_ref)
            container = merchant.container_key
            found = (
                customer is not None
                and uow.profiles.payment_profile(container, source.profile_ref, source.payment_profile_ref)
                is not None
            )
            address_ref = source.shipping_address_ref
            address_found = (
                address_ref is None
                or uow.profiles.address(container, source.profile_ref, address_ref) is not None
            )
        if not found or customer is None:
            raise NotFound(PROFILE_NOT_FOUND)
        if not address_found:
            raise NotFound(ADDRESS_NOT_FOUND)
        return self._answer(self._payments.charge(merchant, request), request.order, customer)

    def capture(
        self,
        merchant: Merchant,
        original_ref: str,
        amount: Money | None,
        order: OrderDetails,
        ids: ProfileIds,
    ) -> ProfileTransactionResult:
        _, customer = self._check(merchant, original_ref, ids)
        result = self._payments.capture(merchant, original_ref, amount, order)
        return self._answer(result, order, customer)

    def void(self, merchant: Merchant, original_ref: str, ids: ProfileIds) -> ProfileTransactionResult:
        _, customer = self._check(merchant, original_ref, ids)
        return self._answer(self._payments.void(merchant, original_ref), OrderDetails(), customer)

    def refund(
        self, merchant: Merchant, request: RefundRequest, source: PaymentSource | None, ids: ProfileIds
    ) -> ProfileTransactionResult:
        """A linked refund; without a masked number or profile ids the original's account is
        the one credited."""
        original, customer = None, None
        if request.original_ref is not None:
            original, customer = self._check(merchant, request.original_ref, ids)
        if source is None:
            source = MaskedSource(original.account_last4 if original is not None else "")
        result = self._payments.refund(merchant, replace(request, source=source))
        return self._answer(result, request.order, customer)

    # ------------------------------------------------------------------- internals

    def _check(
        self, merchant: Merchant, original_ref: str, ids: ProfileIds
    ) -> tuple[TransactionRecord | None, Customer | None]:
        """Refuse ids other than the original's; the original and its profile's customer."""
        with self._units(write=False) as uow:
            original = uow.transactions.get(merchant.key, original_ref)
            if original is None:
                return None, None  # the payment answers "cannot be found" itself
            pairs = (
                (ids.profile_ref, original.customer_profile_ref),
                (ids.payment_profile_ref, original.payment_profile_ref),
                (ids.shipping_address_ref, original.shipping_address_ref),
            )
            if any(given is not None and given != stored for given, stored in pairs):
                raise ProfileMismatch(NOT_ISSUED_FOR)
            profile_ref = original.customer_profile_ref
            return original, self._customer(uow, merchant, profile_ref) if profile_ref else None

    @staticmethod
    def _customer(uow: UnitOfWork, merchant: Merchant, profile_ref: str) -> Customer | None:
        row = uow.profiles.profile(merchant.container_key, profile_ref)
        return None if row is None else (row.merchant_customer_id, row.email)

    @staticmethod
    def _answer(
        result: TransactionResult, order: OrderDetails, customer: Customer | None
    ) -> ProfileTransactionResult:
        stored = stored_order(result.record) if result.record is not None else order
        customer_id, email = customer if customer is not None else (None, None)
        return ProfileTransactionResult(result, stored, customer_id, email)
