"""SimulatedProcessor: trigger outcomes, determinism, test mode, follow-ups and force_next."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from decimal import Decimal

import pytest

from strongroom.domain.card_authentication import CardholderAuthentication
from strongroom.domain.customers import Address
from strongroom.domain.instruments import BankAccount, Card, CardBrand, Instrument
from strongroom.domain.money import Money
from strongroom.domain.sensitive import Secret
from strongroom.processors import SimulatedProcessor, triggers
from strongroom.services.ports import (
    AuthorizationRequest,
    FollowUpRequest,
    Outcome,
    Processor,
    ProcessorResult,
)

MERCHANT = 7
VISA = Card.parse("4111111111111111", "2035-12")
AMEX = Card.parse("370000000000002", "2035-12")
DISCOVER = Card.parse("6011000000000012", "2035-12")
MASTERCARD = Card.parse("5424000000000015", "2035-12")
CARDS = {card.brand: card for card in (VISA, AMEX, DISCOVER, MASTERCARD)}
BANK = BankAccount.parse("121042882", "123456789", "John Doe")

AUTH_CODE = re.compile(r"[A-Z0-9]{6}")
NETWORK_TRANS_ID = re.compile(r"[1-9][0-9]{14}")


def address(zip_code: str | None = "98004", street: str | None = "14 Main Street") -> Address:
    return Address(first_name="Ellen", last_name="Johnson", address=street, zip=zip_code)


def request(
    instrument: Instrument = VISA,
    *,
    amount: str = "10.00",
    zip_code: str | None = "98004",
    card_code: str | None = None,
    reference: str = "ref-1",
    merchant_key: int = MERCHANT,
    test_mode: bool = False,
    capture: bool = False,
    authentication: CardholderAuthentication | None = None,
) -> AuthorizationRequest:
    return AuthorizationRequest(
        merchant_key=merchant_key,
        reference=reference,
        amount=Money.of(amount),
        instrument=instrument,
        card_code=Secret(card_code) if card_code is not None else None,
        bill_to=address(zip_code) if zip_code is not None else None,
        capture=capture,
        test_mode=test_mode,
        cardholder_authentication=authentication,
    )


@pytest.fixture
def processor() -> SimulatedProcessor:
    return SimulatedProcessor()


def test_satisfies_the_processor_protocol(processor: SimulatedProcessor) -> None:
    port: Processor = processor
    assert port.name == "simulated"


# --------------------------------------------------------------------------- approvals


def test_plain_card_approval(processor: SimulatedProcessor) -> None:
    result = processor.authorize(request())
    assert result.outcome is Outcome.APPROVED
    assert result.reason_code == 1
    assert AUTH_CODE.fullmatch(result.auth_code)
    assert result.avs_result == "Y"
    assert result.card_code_result == ""
    assert result.network_trans_id is not None
    assert NETWORK_TRANS_ID.fullmatch(result.network_trans_id)
    assert result.processor_reference.startswith("sim_")
    assert result.approved_amount is None
    assert result.balance_on_card is None


@pytest.mark.parametrize("capture", [False, True])
def test_auth_only_and_auth_capture_both_approve(processor: SimulatedProcessor, capture: bool) -> None:
    result = processor.authorize(request(capture=capture))
    assert result.outcome is Outcome.APPROVED
    assert AUTH_CODE.fullmatch(result.auth_code)


def test_card_without_bill_to_gets_avs_not_applicable(processor: SimulatedProcessor) -> None:
    assert processor.authorize(request(zip_code=None)).avs_result == "P"


def test_card_without_street_gets_avs_not_applicable(processor: SimulatedProcessor) -> None:
    req = replace(request(), bill_to=address(street=None))
    assert processor.authorize(req).avs_result == "P"


# --------------------------------------------------------------------------- trigger rows


@pytest.mark.parametrize("row", triggers.AVS_ZIPS, ids=lambda row: row.zip)
@pytest.mark.parametrize("brand", list(CARDS), ids=lambda brand: brand.name)
def test_avs_zip_rows(processor: SimulatedProcessor, row: triggers.AvsZip, brand: CardBrand) -> None:
    result = processor.authorize(request(CARDS[brand], zip_code=row.zip))
    assert result.outcome is Outcome.APPROVED
    assert result.avs_result == (row.avs_result if row.applies_to(brand) else "Y")


@pytest.mark.parametrize(
    ("card", "zip_code", "expected"),
    [
        (VISA, "46201", "A"),
        (MASTERCARD, "46203", "E"),
        (VISA, "46204", "G"),
        (AMEX, "46204", "Y"),
        (DISCOVER, "46205", "N"),
        (VISA, "46206", "P"),
        (VISA, "46207", "R"),
        (VISA, "46208", "S"),
        (VISA, "46209", "U"),
        (MASTERCARD, "46211", "W"),
        (AMEX, "46211", "Y"),
        (DISCOVER, "46214", "X"),
        (VISA, "46214", "Y"),
        (AMEX, "46214", "Y"),
        (AMEX, "46217", "Z"),
        (VISA, "46217-0001", "Z"),
    ],
)
def test_avs_zip_hand_written(
    processor: SimulatedProcessor, card: Card, zip_code: str, expected: str
) -> None:
    assert processor.authorize(request(card, zip_code=zip_code)).avs_result == expected


@pytest.mark.parametrize("row", triggers.DECLINE_ZIPS, ids=lambda row: row.zip)
def test_decline_zip_rows(processor: SimulatedProcessor, row: triggers.DeclineZip) -> None:
    result = processor.authorize(request(zip_code=row.zip))
    assert (result.outcome, result.reason_code) == (Outcome.DECLINED, row.reason_code)


@pytest.mark.parametrize("zip_code", ["46282", "46282-1234"])
def test_zip_46282_declines_with_reason_2(processor: SimulatedProcessor, zip_code: str) -> None:
    result = processor.authorize(request(AMEX, zip_code=zip_code, card_code="1234"))
    assert result.outcome is Outcome.DECLINED
    assert result.reason_code == 2
    assert result.auth_code == ""
    assert result.network_trans_id is None
    assert result.avs_result == "P"
    assert result.card_code_result == "M"
    assert result.processor_reference.startswith("sim_")


@pytest.mark.parametrize("row", triggers.CARD_CODE_TRIGGERS, ids=lambda row: row.card_code)
def test_card_code_rows(processor: SimulatedProcessor, row: triggers.CardCodeTrigger) -> None:
    result = processor.authorize(request(card_code=row.card_code))
    assert result.outcome is Outcome.APPROVED
    assert result.card_code_result == row.result


@pytest.mark.parametrize(
    ("card_code", "expected"),
    [("900", "M"), ("901", "N"), ("902", "S"), ("903", "U"), ("904", "P"), ("123", "M"), (None, "")],
)
def test_card_code_hand_written(processor: SimulatedProcessor, card_code: str | None, expected: str) -> None:
    assert processor.authorize(request(card_code=card_code)).card_code_result == expected


@pytest.mark.parametrize("row", triggers.PREPAID_ZIPS, ids=lambda row: row.zip)
def test_prepaid_zip_rows(processor: SimulatedProcessor, row: triggers.PrepaidZip) -> None:
    result = processor.authorize(request(zip_code=row.zip, amount="10.00"))
    approved = row.approved_amount(Decimal("10.00"))
    assert result.outcome is Outcome.APPROVED
    assert result.approved_amount == approved
    assert result.balance_on_card == row.balance_on_card
    assert result.reason_code == (295 if approved < Decimal("10.00") else 1)


@pytest.mark.parametrize(
    ("zip_code", "amount", "reason", "approved", "balance"),
    [
        ("46225", "10.00", 295, "1.23", "0.00"),
        ("46225", "1.00", 1, "1.00", "0.00"),
        ("46225", "1.23", 1, "1.23", "0.00"),
        ("46226", "10.00", 1, "10.00", "1.23"),
        ("46227", "10.00", 1, "10.00", "-1.23"),
        ("46228", "10.00", 1, "10.00", "0.00"),
    ],
)
def test_prepaid_hand_written(
    processor: SimulatedProcessor, zip_code: str, amount: str, reason: int, approved: str, balance: str
) -> None:
    result = processor.authorize(request(zip_code=zip_code, amount=amount))
    assert result.outcome is Outcome.APPROVED
    assert result.reason_code == reason
    assert result.approved_amount == Decimal(approved)
    assert result.balance_on_card == Decimal(balance)
    assert AUTH_CODE.fullmatch(result.auth_code)


# --------------------------------------------------------------------------- eCheck


@pytest.mark.parametrize(
    ("amount", "outcome", "reason"),
    [
        ("0.01", Outcome.APPROVED, 1),
        ("100.00", Outcome.APPROVED, 1),
        ("100.01", Outcome.DECLINED, 2),
        ("5000.00", Outcome.DECLINED, 2),
    ],
)
def test_echeck_amount_boundary(
    processor: SimulatedProcessor, amount: str, outcome: Outcome, reason: int
) -> None:
    result = processor.authorize(request(BANK, amount=amount, capture=True))
    assert (result.outcome, result.reason_code) == (outcome, reason)
    assert result.avs_result == "P"
    assert result.auth_code == ""
    assert result.network_trans_id is None
    assert result.processor_reference.startswith("sim_")


def test_echeck_ignores_card_zip_triggers(processor: SimulatedProcessor) -> None:
    result = processor.authorize(request(BANK, zip_code="46201"))
    assert (result.outcome, result.avs_result) == (Outcome.APPROVED, "P")


# --------------------------------------------------------------------------- verify


CAVV = Secret("AAABCZIhcQAAAABZlyFxAAAAAAA=")


@pytest.mark.parametrize(
    ("card", "indicator", "letter"),
    [(VISA, "05", "2"), (VISA, "06", "8"), (MASTERCARD, "02", "2"), (MASTERCARD, "1", "8")],
)
def test_a_cryptogram_gets_a_cavv_result(
    processor: SimulatedProcessor, card: Card, indicator: str, letter: str
) -> None:
    result = processor.authorize(request(card, authentication=CardholderAuthentication(indicator, CAVV)))
    assert result.outcome is Outcome.APPROVED
    assert result.cavv_result == letter


def test_a_decline_still_reports_the_cavv_result(processor: SimulatedProcessor) -> None:
    result = processor.authorize(
        request(VISA, zip_code="46282", authentication=CardholderAuthentication("05", CAVV))
    )
    assert (result.outcome, result.cavv_result) == (Outcome.DECLINED, "2")


def test_without_a_cryptogram_there_is_no_cavv_result(processor: SimulatedProcessor) -> None:
    assert processor.authorize(request(VISA)).cavv_result == ""
    not_authenticated = CardholderAuthentication("07", Secret(""))
    assert processor.authorize(request(VISA, authentication=not_authenticated)).cavv_result == ""


def test_verify_follows_the_same_triggers(processor: SimulatedProcessor) -> None:
    declined = processor.verify(request(zip_code="46282", amount="0.00"))
    assert (declined.outcome, declined.reason_code) == (Outcome.DECLINED, 2)
    approved = processor.verify(request(zip_code="46205", amount="0.01", card_code="901"))
    assert (approved.outcome, approved.avs_result, approved.card_code_result) == (Outcome.APPROVED, "N", "N")
    assert processor.verify(request(BANK, amount="100.01")).outcome is Outcome.DECLINED


def test_verify_zero_amount_on_a_prepaid_zip_is_not_partial(processor: SimulatedProcessor) -> None:
    result = processor.verify(request(zip_code="46225", amount="0.00"))
    assert (result.reason_code, result.approved_amount) == (1, Decimal("0.00"))


# --------------------------------------------------------------------------- test mode


@pytest.mark.parametrize(
    "req",
    [
        request(),
        request(zip_code="46282"),
        request(zip_code="46225"),
        request(card_code="901"),
        request(BANK, amount="250.00"),
    ],
    ids=["plain", "decline-zip", "partial-zip", "card-code", "echeck-over-limit"],
)
def test_test_mode_always_approves_with_000000(
    processor: SimulatedProcessor, req: AuthorizationRequest
) -> None:
    expected = ProcessorResult(Outcome.APPROVED, 1, auth_code="000000", avs_result="P")
    assert processor.authorize(replace(req, test_mode=True)) == expected
    assert processor.verify(replace(req, test_mode=True)) == expected


# --------------------------------------------------------------------------- determinism


def test_same_request_same_result_across_instances() -> None:
    req = request(zip_code="46225", card_code="902")
    first = SimulatedProcessor().authorize(req)
    assert SimulatedProcessor().authorize(req) == first
    assert SimulatedProcessor().authorize(req) == SimulatedProcessor().authorize(req)


def test_identifiers_depend_on_reference_merchant_and_secret() -> None:
    base = SimulatedProcessor().authorize(request())
    variants = [
        SimulatedProcessor().authorize(request(reference="ref-2")),
        SimulatedProcessor().authorize(request(merchant_key=MERCHANT + 1)),
        SimulatedProcessor(secret=b"another secret").authorize(request()),
    ]
    for other in variants:
        assert other.auth_code != base.auth_code
        assert other.network_trans_id != base.network_trans_id
        assert other.processor_reference != base.processor_reference


def test_verify_and_authorize_of_one_reference_are_distinct(processor: SimulatedProcessor) -> None:
    assert (
        processor.verify(request()).processor_reference != processor.authorize(request()).processor_reference
    )


def test_identifier_formats_over_many_references(processor: SimulatedProcessor) -> None:
    results = [processor.authorize(request(reference=f"ref-{n}")) for n in range(200)]
    assert all(AUTH_CODE.fullmatch(r.auth_code) for r in results)
    assert all(NETWORK_TRANS_ID.fullmatch(r.network_trans_id or "") for r in results)
    assert len({r.processor_reference for r in results}) == 200
    assert len({r.network_trans_id for r in results}) == 200


# --------------------------------------------------------------------------- follow-ups


def _authorized_reference(processor: SimulatedProcessor, merchant_key: int = MERCHANT) -> str:
    return processor.authorize(request(merchant_key=merchant_key)).processor_reference


def test_capture_and_void_keep_the_authorization_reference(processor: SimulatedProcessor) -> None:
    reference = _authorized_reference(processor)
    follow_up = FollowUpRequest(MERCHANT, reference, Money.of("5.00"))
    for result in (processor.capture(follow_up), processor.void(follow_up)):
        assert (result.outcome, result.reason_code) == (Outcome.APPROVED, 1)
        assert result.processor_reference == reference
        assert result.avs_result == "P"


def test_refund_gets_its_own_deterministic_reference(processor: SimulatedProcessor) -> None:
    reference = _authorized_reference(processor)
    refund = FollowUpRequest(MERCHANT, reference, Money.of("5.00"), VISA)
    result = processor.refund(refund)
    assert (result.outcome, result.reason_code) == (Outcome.APPROVED, 1)
    assert result.processor_reference not in ("", reference)
    assert processor.refund(refund) == result
    other_amount = processor.refund(replace(refund, amount=Money.of("4.00")))
    assert other_amount.processor_reference != result.processor_reference
    voided = processor.void(FollowUpRequest(MERCHANT, result.processor_reference))
    assert voided.outcome is Outcome.APPROVED


@pytest.mark.parametrize("reference", ["", "60163892435", "sim_" + "0" * 28])
def test_follow_up_on_unknown_reference_is_not_found(processor: SimulatedProcessor, reference: str) -> None:
    result = processor.capture(FollowUpRequest(MERCHANT, reference))
    assert (result.outcome, result.reason_code) == (Outcome.ERROR, 16)


def test_follow_up_with_another_merchants_reference_is_not_found(processor: SimulatedProcessor) -> None:
    reference = _authorized_reference(processor, merchant_key=MERCHANT + 1)
    assert processor.void(FollowUpRequest(MERCHANT, reference)).reason_code == 16
    foreign = SimulatedProcessor(secret=b"another secret")
    own_reference = _authorized_reference(processor)
    assert foreign.void(FollowUpRequest(MERCHANT, own_reference)).reason_code == 16


# --------------------------------------------------------------------------- force_next

REFERRAL = ProcessorResult(Outcome.DECLINED, 3, avs_result="P")
HELD = ProcessorResult(Outcome.HELD, 253, auth_code="A1B2C3", avs_result="Y")


def test_force_next_applies_to_the_next_call_only(processor: SimulatedProcessor) -> None:
    processor.force_next(MERCHANT, REFERRAL)
    assert processor.authorize(request()) == REFERRAL
    assert processor.authorize(request()).outcome is Outcome.APPROVED


def test_force_next_queues_in_order_across_operations(processor: SimulatedProcessor) -> None:
    processor.force_next(MERCHANT, REFERRAL)
    processor.force_next(MERCHANT, HELD)
    processor.force_next(MERCHANT, REFERRAL)
    assert processor.verify(request()) == REFERRAL
    assert processor.capture(FollowUpRequest(MERCHANT, "anything")) == HELD
    assert processor.authorize(request(test_mode=True)) == REFERRAL


def test_force_next_is_per_merchant(processor: SimulatedProcessor) -> None:
    processor.force_next(MERCHANT, REFERRAL)
    assert processor.authorize(request(merchant_key=MERCHANT + 1)).outcome is Outcome.APPROVED
    assert processor.refund(FollowUpRequest(MERCHANT, "x")) == REFERRAL


def test_force_next_is_per_instance() -> None:
    forcing = SimulatedProcessor()
    forcing.force_next(MERCHANT, REFERRAL)
    assert SimulatedProcessor().authorize(request()).outcome is Outcome.APPROVED
    assert forcing.authorize(request()) == REFERRAL


def test_force_next_is_thread_safe(processor: SimulatedProcessor) -> None:
    forced = [ProcessorResult(Outcome.DECLINED, 2, processor_reference=f"f{n}") for n in range(400)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda result: processor.force_next(MERCHANT, result), forced))
        taken = list(pool.map(lambda _: processor.authorize(request()), range(400)))
    assert sorted(r.processor_reference for r in taken) == sorted(r.processor_reference for r in forced)
    assert processor.authorize(request()).outcome is Outcome.APPROVED
