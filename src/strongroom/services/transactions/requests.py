"""What a payment use case is asked and what it answers: plain data shared by doors and services.

Doors build these from their wire formats; `services.payments.facade.Payments` consumes them. Nothing
here knows a dialect's names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from strongroom.domain.card_authentication import CardholderAuthentication
from strongroom.domain.customers import Address
from strongroom.domain.errors import StrongroomError
from strongroom.domain.instruments import BankAccount, Card, EntryMode
from strongroom.domain.money import Money
from strongroom.domain.sensitive import Secret
from strongroom.domain.transactions import Reason, Refusal, TransactionKind
from strongroom.services.ports import ProcessorResult, TransactionRecord
from strongroom.services.transactions.facts import ProcessorFacts, StoredFacts

DEFAULT_DUPLICATE_WINDOW = 120  # seconds
MAX_DUPLICATE_WINDOW = 28800
MAX_LINE_ITEMS = 30
MAX_USER_FIELDS = 20
MAX_AUTH_CODE_LENGTH = 6


def auth_code_refusal(code: str | None, name: str = "authCode") -> Refusal | None:
    """The rule for a capture-only's authorization code: 1 to 6 characters once trimmed
    (reason 12 otherwise). `name` is the field the caller knows it by."""
    text = (code or "").strip()
    if not text:
        return Refusal(Reason.AUTH_CODE_REQUIRED, f"{name} cannot be left blank.")
    if len(text) > MAX_AUTH_CODE_LENGTH:
        return Refusal(Reason.AUTH_CODE_REQUIRED, f"{name} must be 1 to {MAX_AUTH_CODE_LENGTH} characters.")
    return None


@dataclass(frozen=True, slots=True)
class CardSource:
    card: Card
    card_code: Secret[str] | None = None
    entry_mode: EntryMode | None = None  # card present: how the card was read

    @property
    def card_present(self) -> bool:
        return self.entry_mode is not None


@dataclass(frozen=True, slots=True)
class BankSource:
    account: BankAccount


@dataclass(frozen=True, slots=True)
class ProfileSource:
    """A stored customer payment profile (card code may accompany it)."""

    profile_ref: str
    payment_profile_ref: str
    shipping_address_ref: str | None = None
    card_code: Secret[str] | None = None


@dataclass(frozen=True, slots=True)
class MaskedSource:
    """What a linked refund carries: the last four digits (card or account) only."""

    last4: str


PaymentSource = CardSource | BankSource | ProfileSource | MaskedSource


@dataclass(frozen=True, slots=True)
class LineItem:
    item_id: str
    name: str
    description: str | None
    quantity: Decimal
    unit_price: Decimal
    taxable: bool | None = None


@dataclass(frozen=True, slots=True)
class Charge:
    """tax, duty or shipping: an amount with an optional name and description."""

    amount: Decimal
    name: str | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class OtherTax:
    """Tax amounts beyond `tax` (level 2/3 data); like every charge, part of the amount."""

    national_tax_amount: Decimal | None = None
    local_tax_amount: Decimal | None = None
    alternate_tax_amount: Decimal | None = None
    alternate_tax_id: str | None = None
    vat_tax_rate: Decimal | None = None
    vat_tax_amount: Decimal | None = None


@dataclass(frozen=True, slots=True)
class SubMerchant:
    """The seller a payment facilitator submits the transaction for."""

    identifier: str
    doing_business_as: str | None = None
    payment_service_provider_name: str | None = None
    payment_service_facilitator: str | None = None
    street_address: str | None = None
    phone: str | None = None
    email: str | None = None
    postal_code: str | None = None
    city: str | None = None
    region_code: str | None = None
    country_code: str | None = None


@dataclass(frozen=True, slots=True)
class Customer:
    type: str | None = None  # individual | business
    id: str | None = None
    email: str | None = None


@dataclass(frozen=True, slots=True)
class OrderDetails:
    """Everything about the order that is stored and reported but does not move money.

    Tax, duty, shipping, surcharge, tip and other taxes break the amount down: they are
    included in it, never added to it.
    """

    invoice_number: str | None = None
    description: str | None = None
    po_number: str | None = None
    line_items: tuple[LineItem, ...] = ()
    tax: Charge | None = None
    duty: Charge | None = None
    shipping: Charge | None = None
    tax_exempt: bool | None = None
    customer: Customer | None = None
    bill_to: Address | None = None
    ship_to: Address | None = None
    customer_ip: str | None = None
    employee_id: str | None = None
    solution_id: str | None = None
    market_type: str | None = None
    device_type: str | None = None
    user_fields: tuple[tuple[str, str], ...] = ()
    surcharge: Charge | None = None
    tip: Charge | None = None
    other_tax: OtherTax | None = None
    ship_from: Address | None = None
    merchant_descriptor: str | None = None  # how the charge reads on the statement
    sub_merchant: SubMerchant | None = None


@dataclass(frozen=True, slots=True)
class CardOnFile:
    """processingOptions and subsequentAuthInformation as the caller sent them."""

    is_first_recurring_payment: bool | None = None
    is_first_subsequent_auth: bool | None = None
    is_subsequent_auth: bool | None = None
    is_stored_credentials: bool | None = None
    original_network_trans_id: str | None = None
    original_auth_amount: Decimal | None = None
    reason: str | None = None  # resubmission | reauthorization | delayedCharge | noShow


@dataclass(frozen=True, slots=True)
class ReceiptOptions:
    """What a receipt adds: text above and below the details, and a copy for the merchant."""

    header: str | None = None
    footer: str | None = None
    merchant_email: str | None = None


@dataclass(frozen=True, slots=True)
class Settings:
    """Per-request transaction settings."""

    duplicate_window: int = DEFAULT_DUPLICATE_WINDOW
    duplicate_window_given: bool = False  # the answer echoes original details only if given
    allow_partial_auth: bool = False
    email_customer: bool = False  # queue a receipt of an approved transaction
    recurring_billing: bool = False
    test_request: bool = False
    receipt: ReceiptOptions = ReceiptOptions()


@dataclass(frozen=True, slots=True)
class RecurringPayment:
    """The subscription occurrence a charge pays (recurring billing), and which attempt it is."""

    subscription_ref: str
    pay_num: int
    attempt_num: int = 1

    @property
    def reference(self) -> str:
        """The gateway's id for this attempt, the same however often it is retried: a repeated
        attempt (a billing run interrupted before it committed) reaches the processor with the
        id it had, so a processor that deduplicates by it charges once."""
        return f"sub_{self.subscription_ref}_{self.pay_num}_{self.attempt_num}"


class AuthorizationIndicator(StrEnum):
    """Whether an authorisation is an estimate (pre) or the final amount (final): a card-network
    flag (Mastercard) that is kept with the transaction and reported with it."""

    PRE = "pre"
    FINAL = "final"


@dataclass(frozen=True, slots=True)
class ChargeRequest:
    """authCapture / authOnly / captureOnly of an amount on a payment source."""

    kind: TransactionKind  # CHARGE, AUTHORIZATION or CAPTURE_ONLY
    amount: Money
    source: PaymentSource
    order: OrderDetails = OrderDetails()
    settings: Settings = Settings()
    card_on_file: CardOnFile = CardOnFile()
    auth_code: str | None = None  # CAPTURE_ONLY: obtained elsewhere
    split_tender_id: str | None = None
    create_profile: bool = False  # store the card/account as a new customer profile
    cardholder_authentication: CardholderAuthentication | None = None  # 3-D Secure, for cards
    recurring: RecurringPayment | None = None  # an occurrence of a subscription
    authorization_indicator: AuthorizationIndicator | None = None


@dataclass(frozen=True, slots=True)
class RefundRequest:
    original_ref: str | None  # None: an unlinked credit
    amount: Money
    source: PaymentSource
    order: OrderDetails = OrderDetails()
    settings: Settings = Settings()


@dataclass(frozen=True, slots=True)
class CreatedProfileRefs:
    profile_ref: str
    payment_profile_ref: str | None
    address_ref: str | None


@dataclass(frozen=True, slots=True)
class TransactionResult:
    """The answer of every payment use case. Declines and refusals are results, not errors.

    `record` is the stored transaction (None when nothing was stored: test requests and
    requests refused before reaching the processor, whose transId is "0").
    """

    response_code: int  # 1 approved, 2 declined, 3 error, 4 held for review
    reason_code: int
    message: str
    record: TransactionRecord | None = None
    processor: ProcessorResult | None = None
    duplicate_of: TransactionRecord | None = None
    created_profile: CreatedProfileRefs | None = None
    profile_error: StrongroomError | None = None  # why createProfile failed, if it did
    test_request: bool = False
    warnings: tuple[str, ...] = field(default=())
    entry_mode: EntryMode | None = None  # a card-present charge's, as stored with it

    @property
    def stored(self) -> StoredFacts | None:
        """What the answer shows of the stored transaction."""
        return StoredFacts.of(self.record) if self.record is not None else None

    @property
    def original(self) -> StoredFacts | None:
        """What the answer shows of the transaction this one duplicates."""
        return StoredFacts.of(self.duplicate_of) if self.duplicate_of is not None else None

    @property
    def processor_said(self) -> ProcessorFacts | None:
        """What the answer shows of the processor's reply."""
        return ProcessorFacts.of(self.processor) if self.processor is not None else None
