"""Processors: the card and bank networks a charge is sent to."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

from strongroom.domain.card_authentication import CardholderAuthentication
from strongroom.domain.customers import Address
from strongroom.domain.instruments import Instrument
from strongroom.domain.money import Money
from strongroom.domain.sensitive import Secret


class Outcome(StrEnum):
    APPROVED = "approved"
    DECLINED = "declined"
    ERROR = "error"
    HELD = "held"


@dataclass(frozen=True, slots=True)
class StoredCredential:
    """Card-on-file indicators of an authorisation: how the gateway flagged the use of stored
    credentials and, for merchant-initiated uses, the original transaction it refers to."""

    usage: str  # first_recurring | first_subsequent | recurring | subsequent | stored_credentials
    original_network_trans_id: str | None = None
    original_auth_amount: Decimal | None = None
    reason: str | None = None  # resubmission | reauthorization | delayedCharge | noShow


@dataclass(frozen=True, slots=True)
class AuthorizationRequest:
    """A request to authorise (and optionally capture) an amount on an instrument."""

    merchant_key: int
    reference: str  # the gateway's id for this attempt; seeds deterministic simulated outputs
    amount: Money
    instrument: Instrument
    card_code: Secret[str] | None = None
    bill_to: Address | None = None
    capture: bool = False
    test_mode: bool = False
    stored_credential: StoredCredential | None = None
    cardholder_authentication: CardholderAuthentication | None = None


@dataclass(frozen=True, slots=True)
class FollowUpRequest:
    """Capture, void or refund of an earlier authorisation, referenced by its processor reference."""

    merchant_key: int
    processor_reference: str
    amount: Money | None = None
    instrument: Instrument | None = None


@dataclass(frozen=True, slots=True)
class ProcessorResult:
    """What a processor answered; a decline is a result, never an exception."""

    outcome: Outcome
    reason_code: int
    auth_code: str = ""
    avs_result: str = "P"
    card_code_result: str = ""
    cavv_result: str = ""
    network_trans_id: str | None = None
    processor_reference: str = ""
    approved_amount: Decimal | None = None
    balance_on_card: Decimal | None = None


class ProcessorUnavailable(Exception):
    """The processor could not be reached; adapters raise this for timeouts and connection errors."""


class Processor(Protocol):
    """A connector to a card/bank network. Simulated in the sandbox; real ones plug in here."""

    name: str

    def authorize(self, request: AuthorizationRequest) -> ProcessorResult: ...

    def capture(self, request: FollowUpRequest) -> ProcessorResult: ...

    def void(self, request: FollowUpRequest) -> ProcessorResult: ...

    def refund(self, request: FollowUpRequest) -> ProcessorResult: ...

    def verify(self, request: AuthorizationRequest) -> ProcessorResult:
        """Check an instrument with a zero/minimal authorisation that is reversed at once."""
        ...
