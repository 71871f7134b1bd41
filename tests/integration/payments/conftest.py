"""A whole application on each engine (bootstrap.build), a movable clock, a recording simulated
processor, and builders for payment requests with the sandbox's test cards and triggers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from strongroom.bootstrap import Application, build
from strongroom.clocks import MovableClock
from strongroom.domain.customers import Address, PaymentProfileDraft, ProfileDraft, ValidationMode
from strongroom.domain.instruments import BankAccount, Card
from strongroom.domain.merchants import Merchant
from strongroom.domain.money import Money
from strongroom.domain.sensitive import Secret
from strongroom.domain.transactions import TransactionKind, TransactionStatus
from strongroom.processors import SimulatedProcessor
from strongroom.services.payments.facade import Payments
from strongroom.services.ports import (
    AuthorizationRequest,
    FollowUpRequest,
    ProcessorResult,
    TransactionRecord,
)
from strongroom.services.transactions.requests import (
    BankSource,
    CardSource,
    ChargeRequest,
    Customer,
    OrderDetails,
    PaymentSource,
    ProfileSource,
    Settings,
    TransactionResult,
)
from strongroom.storage import SqlUnitOfWorkFactory, create_engine_for
from strongroom.storage.tables import transactions
from tests.api.live_server import START, settings_for

VISA = "4111111111111111"
MASTERCARD = "5424000000000015"
DISCOVER = "6011000000000012"
AMEX = "370000000000002"
ROUTING = "121042882"
ACCOUNT = "987654321"
EXPIRY = "2035-12"
DECLINE_ZIP = "46282"
PARTIAL_ZIP = "46225"  # prepaid: approves at most 1.23
PLAIN_ZIP = "44628"

BILL_TO = Address(
    first_name="Ellen",
    last_name="Johnson",
    company="Souveniropolis",
    address="14 Main Street",
    city="Pecan Springs",
    state="TX",
    zip=PLAIN_ZIP,
    country="US",
    phone_number="888-888-8888",
)
SHIP_TO = Address(
    first_name="China",
    last_name="Bayles",
    address="12 Main Street",
    city="Pecan Springs",
    state="TX",
    zip=PLAIN_ZIP,
    country="US",
)


def money(text: str) -> Money:
    return Money(Decimal(text))


def card(number: str = VISA, expiry: str = EXPIRY, code: str | None = None) -> CardSource:
    return CardSource(Card.parse(number, expiry), Secret(code) if code is not None else None)


def bank(account: str = ACCOUNT) -> BankSource:
    return BankSource(BankAccount.parse(ROUTING, account, "John Doe"))


def order(zip_code: str = PLAIN_ZIP, **fields: object) -> OrderDetails:
    values: dict[str, object] = {
        "invoice_number": "INV-1",
        "description": "Golf shirts",
        "bill_to": replace(BILL_TO, zip=zip_code),
    }
    values.update(fields)
    return OrderDetails(**values)  # type: ignore[arg-type]


def charge(
    amount: str = "10.00",
    source: PaymentSource | None = None,
    kind: TransactionKind = TransactionKind.CHARGE,
    *,
    zip_code: str = PLAIN_ZIP,
    window: int = 0,
    **fields: object,
) -> ChargeRequest:
    """A charge request; the duplicate window is off unless a test turns it on."""
    values: dict[str, object] = {
        "kind": kind,
        "amount": money(amount),
        "source": source or card(),
        "order": order(zip_code),
        "settings": Settings(duplicate_window=window),
    }
    values.update(fields)
    return ChargeRequest(**values)  # type: ignore[arg-type]


class RecordingProcessor(SimulatedProcessor):
    """The simulated processor, keeping every authorisation and follow-up it was asked for."""

    def __init__(self) -> None:
        super().__init__()
        self.authorizations: list[AuthorizationRequest] = []
        self.follow_ups: list[tuple[str, FollowUpRequest]] = []

    def authorize(self, request: AuthorizationRequest) -> ProcessorResult:
        self.authorizations.append(request)
        return super().authorize(request)

    def capture(self, request: FollowUpRequest) -> ProcessorResult:
        self.follow_ups.append(("capture", request))
        return super().capture(request)

    def void(self, request: FollowUpRequest) -> ProcessorResult:
        self.follow_ups.append(("void", request))
        return super().void(request)

    def refund(self, request: FollowUpRequest) -> ProcessorResult:
        self.follow_ups.append(("refund", request))
        return super().refund(request)


@dataclass
class Gateway:
    """One application and one merchant, with direct storage access for settling and counting."""

    app: Application
    clock: MovableClock
    processor: RecordingProcessor
    merchant: Merchant
    engine: Engine
    units: SqlUnitOfWorkFactory = field(init=False)

    def __post_init__(self) -> None:
        self.units = SqlUnitOfWorkFactory(self.engine)

    @property
    def payments(self) -> Payments:
        return self.app.services.payments

    def charge(self, request: ChargeRequest | None = None) -> TransactionResult:
        return self.payments.charge(self.merchant, request or charge())

    def approved(self, request: ChargeRequest | None = None) -> TransactionRecord:
        result = self.charge(request)
        assert (result.response_code, result.reason_code) == (1, 1), result
        assert result.record is not None
        return result.record

    def stored(self, ref: str) -> TransactionRecord:
        """The row as stored (no expiry view), read straight from storage."""
        with self.units(write=False) as uow:
            record = uow.transactions.get(self.merchant.key, ref)
        assert record is not None
        return record

    def settle(self, ref: str, after: timedelta = timedelta(hours=12)) -> TransactionRecord:
        """What a settlement batch will do: move the clock on and settle the transaction."""
        self.clock.advance(after)
        record = self.stored(ref)
        settled = replace(
            record,
            status=TransactionStatus.SETTLED,
            settled_at=self.clock.now(),
            batch_ref="1000001",
            updated_at=self.clock.now(),
        )
        with self.units() as uow:
            assert uow.transactions.update(settled, expected_status=record.status)
            uow.commit()
        return settled

    def settled_charge(self, amount: str = "10.00", source: PaymentSource | None = None) -> TransactionRecord:
        return self.settle(self.approved(charge(amount, source)).ref)

    def count(self) -> int:
        with self.engine.connect() as connection:
            return int(connection.execute(select(func.count()).select_from(transactions)).scalar_one())

    def profile(
        self,
        source: PaymentSource | None = None,
        *,
        live: bool = False,
        ship_to: tuple[Address, ...] = (),
        customer_id: str = "cust-1",
    ) -> ProfileSource:
        """A stored customer profile with one payment profile (and addresses), as a source."""
        instrument = source or card()
        assert isinstance(instrument, CardSource | BankSource)
        payment = instrument.card if isinstance(instrument, CardSource) else instrument.account
        created = self.app.services.customer_profiles.create(
            self.merchant,
            ProfileDraft(
                merchant_customer_id=customer_id,
                email=f"{customer_id}@example.com",
                payment_profiles=(PaymentProfileDraft(payment, bill_to=BILL_TO),),
                ship_to=ship_to,
            ),
            ValidationMode.LIVE if live else ValidationMode.NONE,
        )
        return ProfileSource(
            created.profile_ref,
            created.payment_profile_refs[0],
            created.address_refs[0] if created.address_refs else None,
        )

    def customer(self, customer_id: str) -> Customer:
        return Customer(id=customer_id, email=f"{customer_id}@example.com")


@pytest.fixture
def gateway(database_url: str, tmp_path: Path) -> Iterator[Gateway]:
    settings = settings_for(database_url, tmp_path / "data")
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    clock = MovableClock(START)
    processor = RecordingProcessor()
    app = build(settings, clock=clock, processor=processor)
    engine = create_engine_for(database_url)
    try:
        merchant, _ = app.services.merchants.create("Payments shop")
        yield Gateway(app, clock, processor, merchant, engine)
    finally:
        engine.dispose()
        app.close()
