"""Payment-profile validation (testMode / liveMode): a verification through the processor."""

from __future__ import annotations

from dataclasses import dataclass

from strongroom.domain.customers import Address, ValidationMode
from strongroom.domain.errors import InvalidField
from strongroom.domain.instruments import Card, CardBrand, Instrument, card_code_valid
from strongroom.domain.money import Money
from strongroom.domain.sensitive import Secret
from strongroom.services.ports import (
    AuthorizationRequest,
    Clock,
    Outcome,
    Processor,
    ProcessorResult,
    UnitOfWork,
    ValidationRecord,
)
from strongroom.services.transactions.facts import ProcessorFacts

TEST_MODE_AMOUNT = Money.of("1.00")


@dataclass(frozen=True, slots=True)
class ValidationOutcome:
    """A finished validation: what the processor said and what was checked, for the caller."""

    result: ProcessorResult
    test_mode: bool
    trans_id: str
    amount: Money
    instrument: Instrument
    bill_to: Address | None
    ship_to: Address | None
    merchant_customer_id: str | None
    email: str | None

    @property
    def approved(self) -> bool:
        return self.result.outcome is Outcome.APPROVED

    @property
    def processor_said(self) -> ProcessorFacts:
        """What the answer shows of the processor's reply."""
        return ProcessorFacts.of(self.result)


@dataclass(frozen=True, slots=True)
class ValidationInput:
    instrument: Instrument
    bill_to: Address | None
    ship_to: Address | None
    card_code: Secret[str] | None
    merchant_customer_id: str | None
    email: str | None
    fingerprint: str


def live_amount(instrument: Instrument) -> Money:
    """liveMode authorises $0.00 on Visa and $0.01 elsewhere, then reverses it."""
    if isinstance(instrument, Card) and instrument.brand is CardBrand.VISA:
        return Money.of("0.00")
    return Money.of("0.01")


def parse_mode(text: str | None, *, required: bool = False) -> ValidationMode:
    if text is None:
        if required:
            raise InvalidField("validationMode", "validationMode must be testMode or liveMode.")
        return ValidationMode.NONE
    mode = ValidationMode(text)
    if mode is ValidationMode.OLD_LIVE:
        return ValidationMode.LIVE
    if required and mode is ValidationMode.NONE:
        raise InvalidField("validationMode", "validationMode must be testMode or liveMode.")
    return mode


class Validator:
    """Runs validations through the processor; liveMode attempts are kept as transactions."""

    def __init__(self, processor: Processor, clock: Clock) -> None:
        self._processor = processor
        self._clock = clock

    def check_card_code(self, data: ValidationInput) -> None:
        if data.card_code is not None and not card_code_valid(data.card_code.reveal()):
            raise InvalidField("cardCode", "Card Code is invalid.")

    def run(self, merchant_key: int, mode: ValidationMode, data: ValidationInput) -> ValidationOutcome | None:
        """Verify the instrument unless mode is none; returns None when nothing was checked."""
        if mode is ValidationMode.NONE:
            return None
        self.check_card_code(data)
        test_mode = mode is ValidationMode.TEST
        amount = TEST_MODE_AMOUNT if test_mode else live_amount(data.instrument)
        expired = self._expired(data.instrument)
        if expired is not None:
            return ValidationOutcome(
                expired,
                test_mode,
                "0",
                amount,
                data.instrument,
                data.bill_to,
                data.ship_to,
                data.merchant_customer_id,
                data.email,
            )
        reference = f"validate:{merchant_key}:{data.fingerprint}:{self._clock.now().isoformat()}"
        result = self._processor.verify(
            AuthorizationRequest(
                merchant_key=merchant_key,
                reference=reference,
                amount=amount,
                instrument=data.instrument,
                card_code=data.card_code,
                bill_to=data.bill_to,
                test_mode=test_mode,
            )
        )
        return ValidationOutcome(
            result,
            test_mode,
            "0",
            amount,
            data.instrument,
            data.bill_to,
            data.ship_to,
            data.merchant_customer_id,
            data.email,
        )

    def _expired(self, instrument: Instrument) -> ProcessorResult | None:
        """A card past its expiry month fails before reaching the processor (reason 8)."""
        if isinstance(instrument, Card) and instrument.has_expired(self._clock.now()):
            return ProcessorResult(Outcome.ERROR, 8)
        return None

    def record(
        self, uow: UnitOfWork, merchant_key: int, payment_profile_ref: str, outcome: ValidationOutcome
    ) -> ValidationOutcome:
        """Store a liveMode attempt as a (reversed) transaction and give the outcome its transId."""
        if outcome.test_mode:
            return outcome
        trans_id = uow.transactions.add_validation(
            ValidationRecord(
                merchant_key=merchant_key,
                payment_profile_ref=payment_profile_ref,
                amount=outcome.amount,
                auth_code=outcome.result.auth_code,
                response_code=1 if outcome.approved else 2,
                reason_code=outcome.result.reason_code,
                network_trans_id=outcome.result.network_trans_id,
                created_at=self._clock.now(),
            )
        )
        return ValidationOutcome(
            outcome.result,
            False,
            trans_id,
            outcome.amount,
            outcome.instrument,
            outcome.bill_to,
            outcome.ship_to,
            outcome.merchant_customer_id,
            outcome.email,
        )
