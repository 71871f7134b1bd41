"""Payment use cases behind one facade: charges, follow-ups on stored transactions, reviews of
held transactions, reading.

`Charges` moves new money (charge, authorise, capture-only); `FollowUps` acts on stored
transactions (prior-auth capture, void, refund); `HeldTransactions` approves or declines what
the fraud filters held. Doors talk to `Payments` only. With emailCustomer, the receipt of an
approved charge, capture or refund is queued in the unit of work that stores it; a void sends
none.
"""

from __future__ import annotations

from strongroom.domain.errors import NotFound
from strongroom.domain.merchants import Merchant
from strongroom.domain.money import Money
from strongroom.services.payments.charge_hooks import ChargeHook
from strongroom.services.payments.charges import Charges
from strongroom.services.payments.follow_ups import FollowUps
from strongroom.services.payments.funding import FundingSources
from strongroom.services.payments.held_reviews import HeldTransactions, ReviewDecision
from strongroom.services.ports import (
    Clock,
    Processor,
    TransactionRecord,
    UnitOfWorkFactory,
    Vault,
)
from strongroom.services.profiles.customer_profiles import CustomerProfiles
from strongroom.services.profiles.payment_profiles import PaymentProfiles
from strongroom.services.profiles.shipping_addresses import ShippingAddresses
from strongroom.services.transactions.instruments import TransactionInstruments
from strongroom.services.transactions.records import as_of
from strongroom.services.transactions.requests import (
    ChargeRequest,
    OrderDetails,
    RefundRequest,
    Settings,
    TransactionResult,
)


class Payments:
    """Payment transactions of one gateway; every call is scoped to the calling merchant."""

    def __init__(
        self,
        units: UnitOfWorkFactory,
        vault: Vault,
        processor: Processor,
        clock: Clock,
        customer_profiles: CustomerProfiles,
        payment_profiles: PaymentProfiles,
        instruments: TransactionInstruments,
    ) -> None:
        self._units = units
        self._clock = clock
        sources = FundingSources(vault, payment_profiles, ShippingAddresses(units, clock))
        self._charges = Charges(units, vault, processor, clock, customer_profiles, sources)
        self._follow_ups = FollowUps(units, vault, processor, clock, sources)
        self._held = HeldTransactions(units, instruments, processor, clock)

    def charge(
        self, merchant: Merchant, request: ChargeRequest, hook: ChargeHook | None = None
    ) -> TransactionResult:
        """authCapture, authOnly or captureOnly of an amount on a card, account or profile;
        `hook` joins the caller's claim and record to the charge's unit of work."""
        return self._charges.charge(merchant, request, hook)

    def capture(
        self,
        merchant: Merchant,
        original_ref: str,
        amount: Money | None,
        order: OrderDetails,
        settings: Settings | None = None,
    ) -> TransactionResult:
        """Capture a prior authorisation, in full (amount None) or in part, once."""
        return self._follow_ups.capture(merchant, original_ref, amount, order, settings)

    def void(self, merchant: Merchant, original_ref: str) -> TransactionResult:
        """Void an unsettled transaction (a voided refund is credited back)."""
        return self._follow_ups.void(merchant, original_ref)

    def refund(self, merchant: Merchant, request: RefundRequest) -> TransactionResult:
        """A linked credit against a settled transaction."""
        return self._follow_ups.refund(merchant, request)

    def review_held(self, merchant: Merchant, ref: str, decision: ReviewDecision) -> TransactionResult:
        """Approve or decline a transaction the fraud filters held for review."""
        return self._held.review(merchant, ref, decision)

    def get(self, merchant: Merchant, ref: str) -> TransactionRecord:
        """One of the merchant's transactions as it stands now; `NotFound` otherwise."""
        with self._units(write=False) as uow:
            record = uow.transactions.get(merchant.key, ref)
        if record is None:
            raise NotFound("The transaction cannot be found.")
        return as_of(record, self._clock.now())
