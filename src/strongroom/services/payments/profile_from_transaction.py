"""createCustomerProfileFromTransaction: a customer profile (or a payment profile and address
added to an existing one) from an approved charge's card or bank account.

The instrument comes from the sealed copy the charge kept (`transaction_instruments`); the
billing address, shipping address and customer details from the order the transaction was
submitted with. Only approved charges (authCapture, authOnly, captureOnly) qualify, and only
while their instrument is kept (the retention period, `TransactionInstruments.retention`).
"""

from __future__ import annotations

from dataclasses import dataclass

from strongroom.domain.customers import (
    Address,
    CustomerType,
    PaymentProfileDraft,
    ProfileDraft,
    ProfileType,
    ValidationMode,
)
from strongroom.domain.errors import CannotCreateProfile
from strongroom.domain.merchants import Merchant
from strongroom.domain.transactions import TransactionKind
from strongroom.services.ports import Clock, TransactionRecord, UnitOfWorkFactory, Vault
from strongroom.services.profiles.cim_steps import (
    add_address,
    add_payment_profile,
    locked_profile,
    sealed_row,
)
from strongroom.services.profiles.customer_profiles import CreatedProfile, CustomerProfiles
from strongroom.services.transactions.instruments import TransactionInstruments
from strongroom.services.transactions.requests import OrderDetails
from strongroom.services.transactions.stored_orders import stored_order

ELIGIBLE_KINDS = frozenset(
    {TransactionKind.CHARGE, TransactionKind.AUTHORIZATION, TransactionKind.CAPTURE_ONLY}
)
APPROVED = 1

INVALID_TRANSACTION = "Customer profile creation failed. This transaction ID is invalid."
UNSUPPORTED_TYPE = (
    "Customer profile creation failed. This transaction type does not support profile creation."
)
UNSUPPORTED_PAYMENT = (
    "Customer profile creation failed. This payment method does not support profile creation."
)
CUSTOMER_INFO_MISSING = "Customer Info is missing."
EXPIRED_INSTRUMENT = (
    "Customer profile creation failed. The payment details of this transaction "
    "are no longer kept: they are deleted {days} days after the transaction."
)


@dataclass(frozen=True, slots=True)
class ProfileFromTransaction:
    """What the caller asks for. Without `profile_ref` a new profile is created, identified by
    the customer fields given (or, when none is given, the transaction's customer id and
    e-mail)."""

    trans_ref: str
    merchant_customer_id: str | None = None
    description: str | None = None
    email: str | None = None
    profile_ref: str | None = None
    default_payment_profile: bool = False
    default_shipping_address: bool = False
    profile_type: ProfileType = ProfileType.REGULAR

    @property
    def names_customer(self) -> bool:
        return any((self.merchant_customer_id, self.description, self.email))


def _customer_type(order: OrderDetails) -> CustomerType | None:
    value = order.customer.type if order.customer else None
    try:
        return CustomerType(value) if value else None
    except ValueError:
        return None


class ProfilesFromTransactions:
    def __init__(
        self,
        units: UnitOfWorkFactory,
        vault: Vault,
        clock: Clock,
        customer_profiles: CustomerProfiles,
        instruments: TransactionInstruments,
    ) -> None:
        self._units = units
        self._vault = vault
        self._clock = clock
        self._customer_profiles = customer_profiles
        self._instruments = instruments

    def create(self, merchant: Merchant, request: ProfileFromTransaction) -> CreatedProfile:
        record = self._eligible(merchant, request.trans_ref)
        order = stored_order(record)
        draft_identity = self._identity(request, order)
        instrument = self._instruments.recall(merchant, record.ref)
        if instrument is None:
            raise self._no_instrument(record)
        payment_profile = PaymentProfileDraft(
            instrument,
            bill_to=order.bill_to,
            customer_type=_customer_type(order),
            is_default=request.default_payment_profile,
            original_network_trans_id=record.network_trans_id,
            original_auth_amount=record.amount if record.network_trans_id else None,
        )
        ship_to = order.ship_to
        if request.profile_ref is not None:
            return self._add_to(
                merchant, request.profile_ref, payment_profile, ship_to, request.default_shipping_address
            )
        assert draft_identity is not None
        merchant_customer_id, description, email = draft_identity
        return self._customer_profiles.create(
            merchant,
            ProfileDraft(
                merchant_customer_id=merchant_customer_id,
                description=description,
                email=email,
                profile_type=request.profile_type,
                payment_profiles=(payment_profile,),
                ship_to=(ship_to,) if ship_to is not None else (),
            ),
            ValidationMode.NONE,
        )

    def _no_instrument(self, record: TransactionRecord) -> CannotCreateProfile:
        """Why an eligible transaction has no instrument: too old, or never kept."""
        if self._instruments.past_retention(record.submitted_at):
            days = self._instruments.retention.days
            return CannotCreateProfile("failed", EXPIRED_INSTRUMENT.format(days=days))
        return CannotCreateProfile("payment", UNSUPPORTED_PAYMENT)

    def _eligible(self, merchant: Merchant, trans_ref: str) -> TransactionRecord:
        with self._units(write=False) as uow:
            record = uow.transactions.get(merchant.key, trans_ref)
        if record is None or record.response_code != APPROVED:
            raise CannotCreateProfile("transaction", INVALID_TRANSACTION)
        if record.kind not in ELIGIBLE_KINDS:
            raise CannotCreateProfile("type", UNSUPPORTED_TYPE)
        return record

    @staticmethod
    def _identity(
        request: ProfileFromTransaction, order: OrderDetails
    ) -> tuple[str | None, str | None, str | None] | None:
        """(merchantCustomerId, description, email) of a new profile; None when adding to an
        existing one."""
        if request.profile_ref is not None:
            return None
        if request.names_customer:
            return request.merchant_customer_id, request.description, request.email
        customer = order.customer
        customer_id = customer.id if customer else None
        email = customer.email if customer else None
        if not customer_id and not email:
            raise CannotCreateProfile("customer", CUSTOMER_INFO_MISSING)
        return customer_id, None, email

    def _add_to(
        self,
        merchant: Merchant,
        profile_ref: str,
        draft: PaymentProfileDraft,
        ship_to: Address | None,
        default_address: bool,
    ) -> CreatedProfile:
        """Add the payment profile (and the transaction's shipping address) to a profile."""
        now = self._clock.now()
        row = sealed_row(self._vault, merchant, profile_ref, draft, now)
        with self._units() as uow:
            locked_profile(uow, merchant, profile_ref)
            payment_ref = add_payment_profile(uow, merchant, profile_ref, row)
            address_refs: tuple[str, ...] = ()
            if ship_to is not None:
                address_refs = (add_address(uow, merchant, profile_ref, ship_to, default_address, now),)
            uow.commit()
        return CreatedProfile(profile_ref, (payment_ref,), address_refs, ())
