"""TransactionResult → createTransactionResponse values: every outcome's fields, the duplicate
echo rule, reason texts, transHashSha2 (official sample vector), and schema validity of what
the writers make of it in XML and JSON."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from strongroom.domain.errors import (
    Duplicate,
    FieldLength,
    InvalidField,
    NothingToChange,
    StrongroomError,
)
from strongroom.domain.transactions import TransactionKind, TransactionStatus
from strongroom.services.ports import Outcome, ProcessorResult, TransactionRecord
from strongroom.services.transactions.requests import CreatedProfileRefs, TransactionResult
from strongroom.web.authnet.codes import WireMessage
from strongroom.web.authnet.operations import messages
from strongroom.web.authnet.transactions import views
from strongroom.web.authnet.transactions.decode import Echo
from strongroom.web.authnet.transactions.messages import CREATE_TRANSACTION_RESPONSE
from strongroom.web.authnet.wire.json_codec import write_json
from strongroom.web.authnet.wire.xml_codec import BOM, write_xml
from tests.shared_spec import schema_errors

# Authorize.Net's published sample (sample-code sha512/compute-transhash-sha512).
SAMPLE_KEY = (
    "14B9609FFE2378449B3C0886046DD3B0F20DF12DEB758E48B5FFE1B5875615F0D2A50F7DDB1EAC41"
    "7EBF76A1FAC374079793650AA493CE127601CB0960938E82"
)
SAMPLE_HASH = (
    "BC9A6AA6CDCBACE4524B6CCA09EB7DBB070FC5D308A61D797BA36205C7E8D8F6B4574E5118EEB25C"
    "09D843005FBAB59243D1BA7AC67C37C67E5560882BF0EB9A"
)
APPROVED = "This transaction has been approved."

ECHO = Echo(
    ref_trans_id="",
    user_fields=(),
    amount=Decimal("12.23"),
    account_number="XXXX1111",
    account_type="Visa",
    create_profile=False,
    duplicate_window_given=False,
)
PROCESSOR = ProcessorResult(
    Outcome.APPROVED,
    1,
    auth_code="ABC123",
    avs_result="Y",
    card_code_result="M",
    cavv_result="2",
    network_trans_id="123456789012345",
    processor_reference="sim_x",
)


def record(**changes: Any) -> TransactionRecord:
    base = TransactionRecord(
        ref="60115446835",
        merchant_key=1,
        kind=TransactionKind.CHARGE,
        status=TransactionStatus.CAPTURED_PENDING_SETTLEMENT,
        amount=Decimal("12.23"),
        currency="USD",
        settle_amount=Decimal("12.23"),
        refunded=Decimal("0.00"),
        response_code=1,
        reason_code=1,
        auth_code="ABC123",
        avs_result="Y",
        card_code_result="M",
        cavv_result="2",
        payment_method="card",
        account_last4="1111",
        account_type="Visa",
        fingerprint="f",
        duplicate_key="k",
        submitted_at=datetime(2026, 11, 22, tzinfo=UTC),
        network_trans_id="123456789012345",
    )
    return replace(base, **changes)


def approved_result(**changes: Any) -> TransactionResult:
    return replace(TransactionResult(1, 1, APPROVED, record=record(), processor=PROCESSOR), **changes)


def sign(trans_id: str, amount: Decimal) -> str:
    return f"{trans_id}/{amount}"


def response(result: TransactionResult, echo: Echo = ECHO, error_text: str | None = None) -> dict[str, Any]:
    values = views.answer(result, echo, sign, error_text)
    tr: dict[str, Any] = values["transactionResponse"]
    return tr


def valid_everywhere(values: dict[str, Any]) -> dict[str, Any]:
    """The values as written in XML (checked against the official schema) and JSON (decoded)."""
    values = {"refId": "r", **values}
    xml = write_xml("createTransactionResponse", CREATE_TRANSACTION_RESPONSE, values)
    assert schema_errors(xml) == []
    document: dict[str, Any] = json.loads(write_json(CREATE_TRANSACTION_RESPONSE, values).removeprefix(BOM))
    return document


# ----------------------------------------------------------------------------- transHashSha2


def test_trans_hash_sha2_matches_the_official_sample() -> None:
    assert views.trans_hash_sha2(SAMPLE_KEY, "5T9cRn9FK", "60115446835", Decimal("10")) == SAMPLE_HASH
    assert (
        views.trans_hash_sha2(SAMPLE_KEY.lower(), "5T9cRn9FK", "60115446835", Decimal("10.00")) == SAMPLE_HASH
    )


def test_trans_hash_sha2_depends_on_every_input() -> None:
    hashes = {
        views.trans_hash_sha2(SAMPLE_KEY, *inputs)
        for inputs in (
            ("5T9cRn9FK", "60115446835", Decimal("10.00")),
            ("5T9cRn9FK", "60115446836", Decimal("10.00")),
            ("5T9cRn9FK", "60115446835", Decimal("10.01")),
            ("5T9cRn9FX", "60115446835", Decimal("10.00")),
        )
    }
    assert len(hashes) == 4
    assert all(len(value) == 128 and value == value.upper() for value in hashes)


def test_signer_needs_a_key() -> None:
    assert views.signer(None, "login") is None
    assert views.signer("", "login") is None
    signer = views.signer(SAMPLE_KEY, "5T9cRn9FK")
    assert signer is not None
    assert signer("60115446835", Decimal("10.00")) == SAMPLE_HASH


# ----------------------------------------------------------------------------- outcomes


def test_an_approval() -> None:
    values = views.answer(approved_result(), ECHO, sign)
    assert values["messages"] == {"resultCode": "Ok", "message": [{"code": "I00001", "text": "Successful."}]}
    assert "profileResponse" not in values
    assert values["transactionResponse"] == {
        "responseCode": "1",
        "authCode": "ABC123",
        "avsResultCode": "Y",
        "cvvResultCode": "M",
        "cavvResultCode": "2",
        "transId": "60115446835",
        "refTransID": "",
        "transHash": "",
        "testRequest": "0",
        "accountNumber": "XXXX1111",
        "entryMode": None,
        "accountType": "Visa",
        "splitTenderId": None,
        "prePaidCard": None,
        "messages": {"message": [{"code": "1", "description": APPROVED}]},
        "errors": None,
        "userFields": None,
        "transHashSha2": "60115446835/12.23",
        "profile": None,
        "networkTransId": "123456789012345",
    }
    document = valid_everywhere(values)
    answer = document["transactionResponse"]
    assert answer["messages"] == [{"code": "1", "description": APPROVED}]
    assert answer["refTransID"] == ""
    assert "errors" not in answer


def test_a_decline() -> None:
    declined = TransactionResult(
        2,
        2,
        "This transaction has been declined.",
        record=record(
            response_code=2,
            reason_code=2,
            auth_code="",
            avs_result="P",
            status=TransactionStatus.DECLINED,
            network_trans_id=None,
        ),
        processor=ProcessorResult(Outcome.DECLINED, 2, card_code_result="N"),
    )
    values = views.answer(declined, ECHO, sign)
    assert values["messages"]["message"] == [{"code": "E00027", "text": "The transaction was unsuccessful."}]
    answer = values["transactionResponse"]
    assert (
        answer["responseCode"],
        answer["transId"],
        answer["authCode"],
        answer["avsResultCode"],
        answer["cvvResultCode"],
    ) == ("2", "60115446835", "", "P", "N")
    assert answer["messages"] is None
    assert answer["errors"] == {
        "error": [{"errorCode": "2", "errorText": "This transaction has been declined."}]
    }
    document = valid_everywhere(values)
    assert document["transactionResponse"]["errors"] == [
        {"errorCode": "2", "errorText": "This transaction has been declined."}
    ]


def test_an_error_is_never_given_avs_or_an_auth_code() -> None:
    errored = TransactionResult(3, 19, "x", processor=replace(PROCESSOR, outcome=Outcome.ERROR))
    answer = response(errored)
    assert (answer["transId"], answer["authCode"], answer["avsResultCode"], answer["cvvResultCode"]) == (
        "0",
        "",
        "P",
        "",
    )
    assert answer["errors"]["error"][0]["errorCode"] == "19"


def test_a_refusal_with_a_referenced_transaction() -> None:
    echo = replace(ECHO, ref_trans_id="60115446835", amount=Decimal("99.00"))
    answer = response(TransactionResult(3, 47, "domain words"), echo)
    assert (answer["transId"], answer["refTransID"]) == ("0", "60115446835")
    assert answer["errors"]["error"][0]["errorText"] == (
        "The amount requested for settlement cannot be greater than the original amount authorized."
    )
    assert answer["transHashSha2"] == "0/99.00"


def test_reason_texts() -> None:
    documented = TransactionResult(3, 54, "The referenced transaction has not settled.")
    assert views.reason_text(documented) == (
        "The referenced transaction does not meet the criteria for issuing a credit."
    )
    unknown = TransactionResult(3, 9999, "The service's own words.")
    assert views.reason_text(unknown) == "The service's own words."
    assert views.reason_text(documented, "The door's own words.") == "The door's own words."
    assert views.reason_text(TransactionResult(3, 9999, "")) == (
        "An error occurred during processing. Please try again."
    )


def test_a_door_refusal_uses_its_own_text() -> None:
    result = TransactionResult(3, 153, "ignored")
    answer = response(result, error_text="Only Strongroom tokens.")
    assert answer["errors"]["error"] == [{"errorCode": "153", "errorText": "Only Strongroom tokens."}]


def test_recalled_actions_are_answered_as_approved_messages() -> None:
    result = TransactionResult(1, 310, "x", record=record(status=TransactionStatus.VOIDED))
    values = views.answer(result, replace(ECHO, ref_trans_id="60115446835"), sign)
    assert values["messages"]["resultCode"] == "Ok"
    answer = values["transactionResponse"]
    assert answer["messages"]["message"] == [
        {"code": "310", "description": "This transaction has already been voided."}
    ]
    assert (answer["transId"], answer["refTransID"]) == ("60115446835", "60115446835")
    assert answer["authCode"] == "ABC123"  # no processor was asked: the record's letters


def test_a_capture_shows_the_processors_letters_not_the_authorizations() -> None:
    capture = ProcessorResult(Outcome.APPROVED, 1)
    answer = response(
        approved_result(processor=capture), replace(ECHO, ref_trans_id="60115446835", amount=None)
    )
    assert (answer["authCode"], answer["avsResultCode"], answer["cvvResultCode"]) == ("", "P", "")
    assert answer["transId"] == answer["refTransID"] == "60115446835"
    assert answer["networkTransId"] == "123456789012345"
    assert answer["transHashSha2"] == "60115446835/12.23"  # the record's amount


def test_a_held_partial_approval_shows_the_prepaid_card() -> None:
    partial = replace(PROCESSOR, approved_amount=Decimal("1.23"), balance_on_card=Decimal("0.00"))
    held = TransactionResult(
        4, 295, "x", record=record(amount=Decimal("1.23"), split_tender_id="1234567890"), processor=partial
    )
    values = views.answer(held, replace(ECHO, amount=Decimal("5.00")), sign)
    assert values["messages"]["resultCode"] == "Ok"
    answer = values["transactionResponse"]
    assert answer["responseCode"] == "4"
    assert answer["splitTenderId"] == "1234567890"
    assert answer["prePaidCard"] == {
        "requestedAmount": "5.00",
        "approvedAmount": "1.23",
        "balanceOnCard": "0.00",
    }
    assert answer["messages"]["message"][0]["code"] == "295"
    document = valid_everywhere(values)
    assert document["transactionResponse"]["prePaidCard"]["approvedAmount"] == "1.23"


def test_a_test_request() -> None:
    test_mode = ProcessorResult(Outcome.APPROVED, 1, auth_code="000000", avs_result="P")
    answer = response(TransactionResult(1, 1, APPROVED, processor=test_mode, test_request=True))
    assert (answer["transId"], answer["testRequest"], answer["authCode"]) == ("0", "1", "000000")
    assert answer["transHashSha2"] == "0/12.23"


def test_user_fields_are_echoed() -> None:
    echo = replace(ECHO, user_fields=(("a", "b"), ("c", "")))
    values = views.answer(approved_result(), echo, sign)
    assert values["transactionResponse"]["userFields"] == {
        "userField": [{"name": "a", "value": "b"}, {"name": "c", "value": ""}]
    }
    document = valid_everywhere(values)
    assert document["transactionResponse"]["userFields"] == [
        {"name": "a", "value": "b"},
        {"name": "c", "value": ""},
    ]


def test_without_a_signature_key_the_hash_is_empty() -> None:
    values = views.answer(approved_result(), ECHO, None)
    assert values["transactionResponse"]["transHashSha2"] == ""


# ----------------------------------------------------------------------------- duplicates


ORIGINAL = record(ref="777", auth_code="ORIG01", avs_result="N", card_code_result="S", cavv_result="")


@pytest.mark.parametrize("given", [False, True])
def test_a_duplicate_names_its_original_only_when_the_window_was_sent(given: bool) -> None:
    duplicate = TransactionResult(3, 11, "x", duplicate_of=ORIGINAL)
    answer = response(duplicate, replace(ECHO, duplicate_window_given=given))
    shown = (answer["transId"], answer["authCode"], answer["avsResultCode"], answer["cvvResultCode"])
    assert shown == (("777", "ORIG01", "N", "S") if given else ("0", "", "P", ""))
    assert answer["errors"]["error"] == [
        {"errorCode": "11", "errorText": "A duplicate transaction has been submitted."}
    ]


def test_a_duplicate_of_a_decline_shows_no_auth_code() -> None:
    declined = replace(ORIGINAL, response_code=2, reason_code=2)
    answer = response(
        TransactionResult(3, 11, "x", duplicate_of=declined), replace(ECHO, duplicate_window_given=True)
    )
    assert (answer["transId"], answer["authCode"]) == ("777", "")


def test_a_duplicate_of_a_profile_payment_shows_the_originals_account() -> None:
    echo = replace(ECHO, account_number="", account_type="")
    answer = response(TransactionResult(3, 11, "x", duplicate_of=ORIGINAL), echo)
    assert (answer["accountNumber"], answer["accountType"]) == ("XXXX1111", "Visa")


# ----------------------------------------------------------------------------- profiles


def test_a_created_profile() -> None:
    created = approved_result(created_profile=CreatedProfileRefs("100", "200", None))
    values = views.answer(created, replace(ECHO, create_profile=True), sign)
    assert values["transactionResponse"]["profile"] == {
        "customerProfileId": "100",
        "customerPaymentProfileId": "200",
        "customerAddressId": None,
    }
    assert values["profileResponse"] == {
        "messages": {"resultCode": "Ok", "message": [{"code": "I00001", "text": "Successful."}]},
        "customerProfileId": "100",
        "customerPaymentProfileIdList": {"numericString": ["200"]},
        "customerShippingAddressIdList": {"numericString": []},
    }
    document = valid_everywhere(values)
    assert document["profileResponse"]["customerPaymentProfileIdList"] == ["200"]
    assert document["profileResponse"]["customerShippingAddressIdList"] == []


@pytest.mark.parametrize(
    ("error", "code", "text"),
    [
        (Duplicate("1234"), "E00039", "A duplicate record with ID 1234 already exists."),
        (
            NothingToChange("One or more fields in the profile must contain a value."),
            "E00041",
            "One or more fields in the profile must contain a value.",
        ),
        (
            FieldLength("email", "email must be at most 255 characters."),
            "E00015",
            "email must be at most 255 characters.",
        ),
        (InvalidField("customerType"), "E00013", "customerType is invalid."),
    ],
)
def test_a_profile_that_could_not_be_created(error: StrongroomError, code: str, text: str) -> None:
    values = views.answer(approved_result(profile_error=error), replace(ECHO, create_profile=True), sign)
    assert values["messages"]["resultCode"] == "Ok"  # the payment itself went through
    assert values["transactionResponse"]["profile"] is None
    assert values["profileResponse"]["messages"] == {
        "resultCode": "Error",
        "message": [{"code": code, "text": text}],
    }
    assert "customerProfileId" not in values["profileResponse"]
    document = valid_everywhere(values)
    assert document["profileResponse"]["customerPaymentProfileIdList"] == []
    assert document["profileResponse"]["customerShippingAddressIdList"] == []


def test_no_profile_response_when_the_payment_failed() -> None:
    declined = TransactionResult(2, 2, "x")
    assert "profileResponse" not in views.answer(declined, replace(ECHO, create_profile=True), sign)


# ----------------------------------------------------------------------------- API refusals


def test_an_api_refusal_carries_a_bare_transaction_response() -> None:
    echo = replace(ECHO, ref_trans_id="5", user_fields=(("a", "b"),))
    values = views.api_refusal(
        WireMessage("E00091", "PaymentProfileId cannot be sent with payment data."), echo, sign
    )
    assert values["messages"]["message"][0]["code"] == "E00091"
    answer = values["transactionResponse"]
    assert (answer["responseCode"], answer["transId"], answer["avsResultCode"], answer["refTransID"]) == (
        "3",
        "0",
        "P",
        "5",
    )
    assert answer["transHashSha2"] == "0/12.23"
    assert "errors" not in answer
    valid_everywhere(values)


def test_the_bare_response_without_a_key_or_amount() -> None:
    answer = views.bare_response(replace(ECHO, amount=None), None)
    assert answer["transHashSha2"] == ""
    valid_everywhere({"messages": messages(WireMessage("E00007", "no")), "transactionResponse": answer})
