"""The Processor contract as the sandbox keeps it, over SimulatedProcessor and the fakes built
on it (the payments tests' RecordingProcessor, the crash tests' CrashingProcessor while not
armed): declines are results, follow-ups name the authorisation, answers are deterministic."""

from __future__ import annotations

from pathlib import Path

import pytest

from strongroom.domain.customers import Address
from strongroom.domain.instruments import Card
from strongroom.domain.money import Money
from strongroom.processors import SimulatedProcessor
from strongroom.services.ports import AuthorizationRequest, FollowUpRequest, Outcome, Processor
from tests.integration.crashes.crashing_server import ARMED, CrashingProcessor, Trigger
from tests.integration.payments.conftest import RecordingProcessor

MERCHANT = 7
VISA = Card.parse("4111111111111111", "2035-12")
DECLINE_ZIP = "46282"
APPROVED_REASON, DECLINED_REASON, NOT_FOUND_REASON = 1, 2, 16
IMPLEMENTATIONS = ["simulated", "recording", "crashing-unarmed"]


def _make(kind: str, directory: Path) -> Processor:
    if kind == "simulated":
        return SimulatedProcessor()
    if kind == "recording":
        return RecordingProcessor()
    return CrashingProcessor(Trigger("processor-fails", directory / ARMED))  # never armed


@pytest.fixture(params=IMPLEMENTATIONS)
def processor(request: pytest.FixtureRequest, tmp_path: Path) -> Processor:
    return _make(request.param, tmp_path)


def authorization(
    zip_code: str = "98004", reference: str = "ref-1", amount: str = "10.00"
) -> AuthorizationRequest:
    bill_to = Address(first_name="Ellen", last_name="Johnson", address="14 Main Street", zip=zip_code)
    return AuthorizationRequest(
        merchant_key=MERCHANT, reference=reference, amount=Money.of(amount), instrument=VISA, bill_to=bill_to
    )


def test_a_processor_has_a_name(processor: Processor) -> None:
    assert isinstance(processor.name, str)
    assert processor.name


def test_a_plain_card_is_approved_with_a_code_and_a_reference(processor: Processor) -> None:
    result = processor.authorize(authorization())

    assert (result.outcome, result.reason_code) == (Outcome.APPROVED, APPROVED_REASON)
    assert result.auth_code
    assert result.processor_reference


def test_a_decline_is_a_result_not_an_exception(processor: Processor) -> None:
    result = processor.authorize(authorization(DECLINE_ZIP))

    assert (result.outcome, result.reason_code) == (Outcome.DECLINED, DECLINED_REASON)
    assert result.auth_code == ""


def test_the_same_request_gets_the_same_answer_from_every_implementation(
    processor: Processor, tmp_path: Path
) -> None:
    request = authorization(reference="ref-determinism")

    answers = {kind: _make(kind, tmp_path).authorize(request) for kind in IMPLEMENTATIONS}

    assert set(answers.values()) == {processor.authorize(request)}


def test_capture_and_void_name_the_authorization(processor: Processor) -> None:
    reference = processor.authorize(authorization()).processor_reference
    follow_up = FollowUpRequest(MERCHANT, reference, Money.of("5.00"))

    for result in (processor.capture(follow_up), processor.void(follow_up)):
        assert (result.outcome, result.reason_code) == (Outcome.APPROVED, APPROVED_REASON)
        assert result.processor_reference == reference


def test_a_refund_gets_a_reference_of_its_own(processor: Processor) -> None:
    reference = processor.authorize(authorization()).processor_reference

    result = processor.refund(FollowUpRequest(MERCHANT, reference, Money.of("5.00"), VISA))

    assert (result.outcome, result.reason_code) == (Outcome.APPROVED, APPROVED_REASON)
    assert result.processor_reference not in ("", reference)


def test_a_follow_up_of_an_unknown_reference_is_not_found(processor: Processor) -> None:
    result = processor.capture(FollowUpRequest(MERCHANT, "no-such-reference"))

    assert (result.outcome, result.reason_code) == (Outcome.ERROR, NOT_FOUND_REASON)


def test_a_follow_up_of_another_merchants_authorization_is_not_found(processor: Processor) -> None:
    reference = processor.authorize(authorization()).processor_reference

    result = processor.void(FollowUpRequest(MERCHANT + 1, reference))

    assert (result.outcome, result.reason_code) == (Outcome.ERROR, NOT_FOUND_REASON)


def test_verify_follows_the_triggers_and_is_not_the_authorization(processor: Processor) -> None:
    verified = processor.verify(authorization(amount="0.00"))

    assert verified.outcome is Outcome.APPROVED
    assert verified.processor_reference != processor.authorize(authorization()).processor_reference
    assert processor.verify(authorization(DECLINE_ZIP, amount="0.00")).outcome is Outcome.DECLINED
