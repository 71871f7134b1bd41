"""What an answer shows of a stored transaction and of a processor's reply.

Small dialect-free values the doors render, so that no door needs the storage row
(`TransactionRecord`) or the processor port's `ProcessorResult`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from strongroom.services.ports import Outcome, ProcessorResult, TransactionRecord

APPROVED: Final = 1
DECLINED: Final = 2
ERROR: Final = 3
HELD: Final = 4

RESPONSE_CODES: Final = {
    Outcome.APPROVED: APPROVED,
    Outcome.DECLINED: DECLINED,
    Outcome.ERROR: ERROR,
    Outcome.HELD: HELD,
}


@dataclass(frozen=True, slots=True)
class StoredFacts:
    """A stored transaction as an answer names it: its id, result letters and account."""

    ref: str
    response_code: int
    amount: Decimal
    auth_code: str
    avs_result: str
    card_code_result: str
    cavv_result: str
    account_last4: str
    account_type: str  # card brand value, or "eCheck"
    split_tender_id: str | None
    network_trans_id: str | None

    @classmethod
    def of(cls, record: TransactionRecord) -> StoredFacts:
        return cls(
            record.ref,
            record.response_code,
            record.amount,
            record.auth_code,
            record.avs_result,
            record.card_code_result,
            record.cavv_result,
            record.account_last4,
            record.account_type,
            record.split_tender_id,
            record.network_trans_id,
        )


@dataclass(frozen=True, slots=True)
class ProcessorFacts:
    """What a processor answered, as an answer shows it."""

    response_code: int  # 1 approved, 2 declined, 3 error, 4 held for review
    reason_code: int
    auth_code: str
    avs_result: str
    card_code_result: str
    cavv_result: str
    network_trans_id: str | None
    approved_amount: Decimal | None
    balance_on_card: Decimal | None

    @classmethod
    def of(cls, result: ProcessorResult) -> ProcessorFacts:
        return cls(
            RESPONSE_CODES[result.outcome],
            result.reason_code,
            result.auth_code,
            result.avs_result,
            result.card_code_result,
            result.cavv_result,
            result.network_trans_id,
            result.approved_amount,
            result.balance_on_card,
        )
