"""How payment use cases answer: reason texts, refusals (310/311 answered as approvals of what
already happened), not-found, processor answers and duplicates."""

from __future__ import annotations

from types import SimpleNamespace
from typing import cast

import pytest

from strongroom.domain.transactions import Reason, Refusal
from strongroom.services.ports import Outcome, ProcessorResult, TransactionRecord
from strongroom.services.transactions import results
from strongroom.services.transactions.results import (
    APPROVED,
    DECLINED,
    ERROR,
    HELD,
    RECORD_NOT_FOUND,
    duplicate,
    from_refusal,
    processor_answer,
    reason_text,
    record_not_found,
    refused,
)

RECORD = cast(TransactionRecord, SimpleNamespace(response_code=DECLINED, reason_code=2, ref="6000"))


@pytest.mark.parametrize(
    ("reason", "response", "text"),
    [
        (1, ERROR, "This transaction has been approved."),
        (Reason.CARD_EXPIRED, ERROR, "The credit card has expired."),
        (
            253,
            HELD,
            "The transaction was accepted and was authorized, but is being held for merchant review.",
        ),
        (9999, DECLINED, "This transaction has been declined."),  # unknown, declined
        (9999, ERROR, "An error occurred during processing. Please try again."),  # unknown, otherwise
        (9999, HELD, "An error occurred during processing. Please try again."),
    ],
)
def test_reason_text(reason: int, response: int, text: str) -> None:
    assert reason_text(reason, response) == text


def test_a_refusal_is_an_error_that_stores_nothing_even_given_a_record() -> None:
    result = refused(Reason.INVALID_AMOUNT, record=RECORD)
    assert (result.response_code, result.reason_code, result.message) == (
        ERROR,
        5,
        "A valid amount is required.",
    )
    assert result.record is None
    assert refused(Reason.INVALID_AMOUNT, "Custom.").message == "Custom."


@pytest.mark.parametrize("reason", sorted(results.RECALLED))
def test_an_action_that_already_happened_is_answered_approved_with_its_record(reason: int) -> None:
    result = from_refusal(Refusal(reason, "Already done."), RECORD)
    assert (result.response_code, result.reason_code, result.message) == (APPROVED, reason, "Already done.")
    assert result.record is RECORD


def test_record_not_found() -> None:
    result = record_not_found()
    assert (result.response_code, result.reason_code, result.message) == (
        ERROR,
        Reason.NOT_FOUND,
        RECORD_NOT_FOUND,
    )


@pytest.mark.parametrize(
    ("outcome", "response"),
    [
        (Outcome.APPROVED, APPROVED),
        (Outcome.DECLINED, DECLINED),
        (Outcome.ERROR, ERROR),
        (Outcome.HELD, HELD),
    ],
)
def test_a_processor_answer_without_a_record_takes_the_processors_codes(
    outcome: Outcome, response: int
) -> None:
    processor = ProcessorResult(outcome, 253 if outcome is Outcome.HELD else 1)
    result = processor_answer(processor, test_request=True)
    assert (result.response_code, result.reason_code) == (response, processor.reason_code)
    assert result.message == reason_text(processor.reason_code, response)
    assert (result.record, result.processor, result.test_request) == (None, processor, True)


def test_a_processor_answer_with_a_record_takes_the_stored_codes() -> None:
    result = processor_answer(ProcessorResult(Outcome.APPROVED, 1), RECORD)
    assert (result.response_code, result.reason_code, result.message) == (
        DECLINED,
        2,
        "This transaction has been declined.",
    )
    assert result.record is RECORD


def test_a_duplicate_names_the_original_and_stores_nothing() -> None:
    result = duplicate(RECORD)
    assert (result.response_code, result.reason_code) == (ERROR, Reason.DUPLICATE)
    assert result.message == "A duplicate transaction has been submitted."
    assert (result.duplicate_of, result.record) == (RECORD, None)
