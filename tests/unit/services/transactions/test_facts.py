"""The dialect-free facts an answer shows: every field copied from the stored row or the
processor's reply, and the processor's outcome as a response code."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from strongroom.domain.transactions import TransactionKind, TransactionStatus
from strongroom.services.ports import Outcome, ProcessorResult, TransactionRecord
from strongroom.services.transactions.facts import (
    APPROVED,
    DECLINED,
    ERROR,
    HELD,
    ProcessorFacts,
    StoredFacts,
)


@pytest.mark.parametrize(
    ("outcome", "code"),
    [
        (Outcome.APPROVED, APPROVED),
        (Outcome.DECLINED, DECLINED),
        (Outcome.ERROR, ERROR),
        (Outcome.HELD, HELD),
    ],
)
def test_processor_facts_copy_the_reply_and_code_its_outcome(outcome: Outcome, code: int) -> None:
    result = ProcessorResult(
        outcome,
        295,
        auth_code="A1",
        avs_result="Z",
        card_code_result="N",
        cavv_result="7",
        network_trans_id="NT-1",
        processor_reference="internal",
        approved_amount=Decimal("4.00"),
        balance_on_card=Decimal("0.00"),
    )
    assert ProcessorFacts.of(result) == ProcessorFacts(
        code, 295, "A1", "Z", "N", "7", "NT-1", Decimal("4.00"), Decimal("0.00")
    )


def test_stored_facts_copy_what_an_answer_names() -> None:
    record = TransactionRecord(
        ref="60000000007",
        merchant_key=1,
        kind=TransactionKind.CHARGE,
        status=TransactionStatus.CAPTURED_PENDING_SETTLEMENT,
        amount=Decimal("12.34"),
        currency="USD",
        settle_amount=Decimal("12.34"),
        refunded=Decimal("0.00"),
        response_code=1,
        reason_code=1,
        auth_code="B2",
        avs_result="Y",
        card_code_result="M",
        cavv_result="2",
        payment_method="card",
        account_last4="0027",
        account_type="MasterCard",
        fingerprint="fp",
        duplicate_key="dup",
        submitted_at=datetime(2026, 11, 23, tzinfo=UTC),
        split_tender_id="ST-1",
        network_trans_id="NT-2",
    )
    assert StoredFacts.of(record) == StoredFacts(
        "60000000007", 1, Decimal("12.34"), "B2", "Y", "M", "2", "0027", "MasterCard", "ST-1", "NT-2"
    )
