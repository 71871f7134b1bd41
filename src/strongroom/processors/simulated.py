"""SimulatedProcessor: sandbox outcomes from the trigger table, deterministic per request."""

from __future__ import annotations

import hashlib
import hmac
import re
import string
import threading
from collections import deque
from dataclasses import dataclass
from decimal import Decimal

from strongroom.domain.instruments import BankAccount, Card
from strongroom.processors import triggers
from strongroom.processors.triggers import ReasonCode
from strongroom.services.ports import (
    AuthorizationRequest,
    FollowUpRequest,
    Outcome,
    ProcessorResult,
)

DEFAULT_SECRET = b"strongroom-simulated-processor"
TEST_MODE_AUTH_CODE = "000000"

_AUTH_CODE_ALPHABET = string.digits + string.ascii_uppercase
_AUTH_CODE_LENGTH = 6
_NETWORK_ID_FLOOR = 10**14  # 15 digits, like Visa/Mastercard transaction identifiers
_REFERENCE = re.compile(r"sim_(?P<body>[0-9a-f]{20})(?P<tag>[0-9a-f]{8})")

_TEST_MODE_RESULT = ProcessorResult(
    outcome=Outcome.APPROVED,
    reason_code=ReasonCode.APPROVED,
    auth_code=TEST_MODE_AUTH_CODE,
    avs_result=triggers.DEFAULTS.not_applicable_avs,
)


@dataclass(frozen=True, slots=True)
class _Derivation:
    """Identifiers derived by HMAC-SHA-256 from the processor secret, merchant and request seed."""

    secret: bytes
    merchant_key: int
    seed: str

    def digest(self, purpose: str) -> bytes:
        message = "\x1f".join((purpose, str(self.merchant_key), self.seed)).encode()
        return hmac.new(self.secret, message, hashlib.sha256).digest()

    def auth_code(self) -> str:
        digest = self.digest("auth-code")
        return "".join(_AUTH_CODE_ALPHABET[byte % 36] for byte in digest[:_AUTH_CODE_LENGTH])

    def network_trans_id(self) -> str:
        value = int.from_bytes(self.digest("network-trans-id"), "big")
        return str(_NETWORK_ID_FLOOR + value % (9 * _NETWORK_ID_FLOOR))

    def processor_reference(self) -> str:
        body = self.digest("processor-reference").hex()[:20]
        return f"sim_{body}{_reference_tag(self.secret, self.merchant_key, body)}"


def _reference_tag(secret: bytes, merchant_key: int, body: str) -> str:
    message = f"reference-tag\x1f{merchant_key}\x1f{body}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:8]


class SimulatedProcessor:
    """A Processor that answers like the Authorize.Net sandbox, driven by `triggers`.

    Stateless apart from the `force_next` queue: capture, void and refund approve any reference
    this processor issued to the same merchant; the gateway enforces the lifecycle rules.
    """

    name: str = "simulated"

    def __init__(self, secret: bytes = DEFAULT_SECRET) -> None:
        self._secret = secret
        self._forced: dict[int, deque[ProcessorResult]] = {}
        self._lock = threading.Lock()

    def force_next(self, merchant_key: int, result: ProcessorResult) -> None:
        """Test hook: the merchant's next call returns `result` (queued first in, first out)."""
        with self._lock:
            self._forced.setdefault(merchant_key, deque()).append(result)

    def authorize(self, request: AuthorizationRequest) -> ProcessorResult:
        return self._authorization(request, "auth_capture" if request.capture else "auth_only")

    def verify(self, request: AuthorizationRequest) -> ProcessorResult:
        return self._authorization(request, "verify")

    def capture(self, request: FollowUpRequest) -> ProcessorResult:
        return self._follow_up(request, new_reference=False)

    def void(self, request: FollowUpRequest) -> ProcessorResult:
        return self._follow_up(request, new_reference=False)

    def refund(self, request: FollowUpRequest) -> ProcessorResult:
        return self._follow_up(request, new_reference=True)

    # ----------------------------------------------------------------------- internals

    def _take_forced(self, merchant_key: int) -> ProcessorResult | None:
        with self._lock:
            queue = self._forced.get(merchant_key)
            if not queue:
                return None
            result = queue.popleft()
            if not queue:
                del self._forced[merchant_key]
            return result

    def _derivation(self, merchant_key: int, seed: str) -> _Derivation:
        return _Derivation(self._secret, merchant_key, seed)

    def _authorization(self, request: AuthorizationRequest, operation: str) -> ProcessorResult:
        forced = self._take_forced(request.merchant_key)
        if forced is not None:
            return forced
        if request.test_mode:
            return _TEST_MODE_RESULT
        derive = self._derivation(request.merchant_key, f"{operation}\x1f{request.reference}")
        if isinstance(request.instrument, BankAccount):
            return _bank_debit(request, derive)
        return _card_authorization(request, request.instrument, derive)

    def _follow_up(self, request: FollowUpRequest, *, new_reference: bool) -> ProcessorResult:
        # Capture and void act on the authorisation itself; a refund is a new credit transaction.
        forced = self._take_forced(request.merchant_key)
        if forced is not None:
            return forced
        if not self._issued_here(request.merchant_key, request.processor_reference):
            return ProcessorResult(Outcome.ERROR, ReasonCode.TRANSACTION_NOT_FOUND)
        reference = request.processor_reference
        if new_reference:
            reference = self._refund_reference(request)
        return ProcessorResult(Outcome.APPROVED, ReasonCode.APPROVED, processor_reference=reference)

    def _refund_reference(self, request: FollowUpRequest) -> str:
        amount = request.amount
        amount_text = f"{amount.amount} {amount.currency}" if amount else "full"
        seed = f"refund\x1f{request.processor_reference}\x1f{amount_text}"
        return self._derivation(request.merchant_key, seed).processor_reference()

    def _issued_here(self, merchant_key: int, reference: str) -> bool:
        match = _REFERENCE.fullmatch(reference)
        if match is None:
            return False
        expected = _reference_tag(self._secret, merchant_key, match["body"])
        return hmac.compare_digest(expected, match["tag"])


def _card_authorization(request: AuthorizationRequest, card: Card, derive: _Derivation) -> ProcessorResult:
    bill_to = request.bill_to
    card_code = triggers.card_code_result(request.card_code.reveal() if request.card_code else None)
    cavv = triggers.cavv_result(card.brand, request.cardholder_authentication)
    decline = triggers.decline_for_zip(bill_to.zip if bill_to else None)
    if decline is not None:
        return _declined(decline.reason_code, derive, card_code_result=card_code, cavv_result=cavv)
    requested = request.amount.amount
    approved, balance = _prepaid_amounts(requested, bill_to.zip if bill_to else None)
    partial = approved is not None and approved < requested
    return ProcessorResult(
        outcome=Outcome.APPROVED,
        reason_code=ReasonCode.PARTIALLY_APPROVED if partial else ReasonCode.APPROVED,
        auth_code=derive.auth_code(),
        avs_result=triggers.card_avs_result(card.brand, bill_to),
        card_code_result=card_code,
        cavv_result=cavv,
        network_trans_id=derive.network_trans_id(),
        processor_reference=derive.processor_reference(),
        approved_amount=approved,
        balance_on_card=balance,
    )


def _prepaid_amounts(requested: Decimal, zip_code: str | None) -> tuple[Decimal | None, Decimal | None]:
    row = triggers.prepaid_for_zip(zip_code)
    if row is None:
        return None, None
    return row.approved_amount(requested), row.balance_on_card


def _bank_debit(request: AuthorizationRequest, derive: _Derivation) -> ProcessorResult:
    # eCheck has no issuer authorisation: no auth code, no card network transaction id.
    if triggers.echeck_declined(request.amount.amount):
        return _declined(triggers.ECHECK_LIMIT.reason_code, derive)
    return ProcessorResult(
        outcome=Outcome.APPROVED,
        reason_code=ReasonCode.APPROVED,
        avs_result=triggers.DEFAULTS.not_applicable_avs,
        processor_reference=derive.processor_reference(),
    )


def _declined(
    reason: ReasonCode, derive: _Derivation, card_code_result: str = "", cavv_result: str = ""
) -> ProcessorResult:
    return ProcessorResult(
        outcome=Outcome.DECLINED,
        reason_code=reason,
        avs_result=triggers.DEFAULTS.not_applicable_avs,
        card_code_result=card_code_result,
        cavv_result=cavv_result,
        processor_reference=derive.processor_reference(),
    )
