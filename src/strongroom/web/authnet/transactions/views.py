"""Renders a `TransactionResult` as createTransactionResponse values, and transHashSha2."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from decimal import Decimal
from typing import Final

from strongroom.domain.instruments import EntryMode
from strongroom.services.transactions.facts import ProcessorFacts, StoredFacts
from strongroom.services.transactions.requests import TransactionResult
from strongroom.web.authnet import codes
from strongroom.web.authnet.operations import Values, messages
from strongroom.web.authnet.transactions.decode import Echo

# (transId, amount) -> transHashSha2, or None when the merchant has no signature key.
Signer = Callable[[str, Decimal], str]

APPROVED, DECLINED, ERROR, HELD = 1, 2, 3, 4
DUPLICATE_REASON = 11
NOT_APPLICABLE_AVS = "P"
NOT_STORED = "0"
TRANSACTION_UNSUCCESSFUL: Final = codes.WireMessage("E00027", "The transaction was unsuccessful.")
# transactionResponse/entryMode, card-present transactions only. The schema types it as a plain
# string and the API reference documents no values, so this is Strongroom's choice: "Swiped"
# for a card read from its magnetic stripe (track 1 or track 2 data).
ENTRY_MODES: Final = {EntryMode.SWIPED: "Swiped"}


def trans_hash_sha2(signature_key_hex: str, login_id: str, trans_id: str, amount: Decimal) -> str:
    """HMAC-SHA512 keyed by the hex-decoded signature key over ^login^transId^amount^."""
    message = f"^{login_id}^{trans_id}^{amount:.2f}^".encode()
    return hmac.new(bytes.fromhex(signature_key_hex), message, hashlib.sha512).hexdigest().upper()


def signer(signature_key_hex: str | None, login_id: str) -> Signer | None:
    if not signature_key_hex:
        return None
    return lambda trans_id, amount: trans_hash_sha2(signature_key_hex, login_id, trans_id, amount)


def answer(
    result: TransactionResult, echo: Echo, sign: Signer | None, error_text: str | None = None
) -> Values:
    """The whole answer: envelope messages, transactionResponse and, if asked, profileResponse.

    `error_text` replaces the documented reason text (refusals decided by the door).
    """
    accepted = result.response_code in (APPROVED, HELD)
    values: Values = {
        "messages": messages(codes.SUCCESS if accepted else TRANSACTION_UNSUCCESSFUL),
        "transactionResponse": transaction_response(result, echo, sign, error_text),
    }
    profile = profile_response(result, echo)
    if profile is not None:
        values["profileResponse"] = profile
    return values


def api_refusal(message: codes.WireMessage, echo: Echo, sign: Signer | None) -> Values:
    """An API-level refusal: its message, and a transactionResponse that reports an error."""
    return {"messages": messages(message), "transactionResponse": bare_response(echo, sign)}


def bare_response(echo: Echo, sign: Signer | None) -> Values:
    """transactionResponse of an answer that never became a transaction (API refusals,
    credentials, system errors): an error, nothing stored. The schema requires the element."""
    return {
        "responseCode": str(ERROR),
        "authCode": "",
        "avsResultCode": NOT_APPLICABLE_AVS,
        "cvvResultCode": "",
        "cavvResultCode": "",
        "transId": NOT_STORED,
        "refTransID": echo.ref_trans_id,
        "transHash": "",
        "testRequest": "0",
        "accountNumber": echo.account_number,
        "accountType": echo.account_type,
        "userFields": _user_fields(echo),
        "transHashSha2": _hash(sign, NOT_STORED, echo.amount or Decimal(0)),
    }


def _user_fields(echo: Echo) -> Values | None:
    if not echo.user_fields:
        return None
    return {"userField": [{"name": name, "value": value} for name, value in echo.user_fields]}


def _hash(sign: Signer | None, trans_id: str, amount: Decimal) -> str:
    return sign(trans_id, amount) if sign is not None else ""


def reason_text(result: TransactionResult, error_text: str | None = None) -> str:
    """The documented text of the reason code; the service's message for codes the door does
    not know; the door's own text for refusals it decided."""
    if error_text:
        return error_text
    if result.reason_code in codes.REASON_TEXTS:
        return codes.reason_text(result.reason_code)
    return result.message or codes.reason_text(result.reason_code)


def _echoed_original(result: TransactionResult, echo: Echo) -> StoredFacts | None:
    """A duplicate names the original only when the request set duplicateWindow."""
    if result.reason_code == DUPLICATE_REASON and echo.duplicate_window_given:
        return result.original
    return None


def _letters(result: TransactionResult, original: StoredFacts | None) -> tuple[str, str, str, str]:
    """authCode, AVS, card-code and CAVV results."""
    if original is not None:
        approved = original.response_code == APPROVED
        return (
            original.auth_code if approved else "",
            original.avs_result or NOT_APPLICABLE_AVS,
            original.card_code_result,
            original.cavv_result,
        )
    if result.response_code == ERROR:
        return "", NOT_APPLICABLE_AVS, "", ""
    source: ProcessorFacts | StoredFacts | None = result.processor_said or result.stored
    if source is None:
        return "", NOT_APPLICABLE_AVS, "", ""
    return (
        source.auth_code,
        source.avs_result or NOT_APPLICABLE_AVS,
        source.card_code_result,
        source.cavv_result,
    )


def _account(result: TransactionResult, echo: Echo, original: StoredFacts | None) -> tuple[str, str]:
    record = result.stored or original or result.original
    if record is not None and record.account_last4:
        return "XXXX" + record.account_last4, record.account_type
    return echo.account_number, echo.account_type


def _amount(result: TransactionResult, echo: Echo) -> Decimal:
    if echo.amount is not None:
        return echo.amount
    stored = result.stored
    return stored.amount if stored is not None else Decimal(0)


def _pre_paid_card(result: TransactionResult, echo: Echo) -> Values | None:
    processor = result.processor_said
    if processor is None or processor.approved_amount is None:
        return None
    values: Values = {
        "requestedAmount": f"{_amount(result, echo):.2f}",
        "approvedAmount": f"{processor.approved_amount:.2f}",
    }
    if processor.balance_on_card is not None:
        values["balanceOnCard"] = f"{processor.balance_on_card:.2f}"
    return values


def _network_trans_id(result: TransactionResult) -> str | None:
    stored, processor = result.stored, result.processor_said
    if stored is not None and stored.network_trans_id:
        return stored.network_trans_id
    if processor is not None and processor.network_trans_id:
        return processor.network_trans_id
    return None


def _created_profile(result: TransactionResult) -> Values | None:
    created = result.created_profile
    if created is None:
        return None
    return {
        "customerProfileId": created.profile_ref,
        "customerPaymentProfileId": created.payment_profile_ref,
        "customerAddressId": created.address_ref,
    }


def transaction_response(
    result: TransactionResult, echo: Echo, sign: Signer | None, error_text: str | None = None
) -> Values:
    original = _echoed_original(result, echo)
    record = result.stored
    trans_id = record.ref if record is not None else original.ref if original else NOT_STORED
    auth_code, avs, cvv, cavv = _letters(result, original)
    account_number, account_type = _account(result, echo, original)
    text = reason_text(result, error_text)
    accepted = result.response_code in (APPROVED, HELD)
    reason = str(result.reason_code)
    return {
        "responseCode": str(result.response_code),
        "authCode": auth_code,
        "avsResultCode": avs,
        "cvvResultCode": cvv,
        "cavvResultCode": cavv,
        "transId": trans_id,
        "refTransID": echo.ref_trans_id,
        "transHash": "",
        "testRequest": "1" if result.test_request else "0",
        "accountNumber": account_number,
        "entryMode": ENTRY_MODES[result.entry_mode] if result.entry_mode else None,
        "accountType": account_type,
        "splitTenderId": record.split_tender_id if record is not None else None,
        "prePaidCard": _pre_paid_card(result, echo),
        "messages": {"message": [{"code": reason, "description": text}]} if accepted else None,
        "errors": None if accepted else {"error": [{"errorCode": reason, "errorText": text}]},
        "userFields": _user_fields(echo),
        "transHashSha2": _hash(sign, trans_id, _amount(result, echo)),
        "profile": _created_profile(result),
        "networkTransId": _network_trans_id(result),
    }


def profile_response(result: TransactionResult, echo: Echo) -> Values | None:
    """The outcome of createProfile=true, when the transaction got that far."""
    if not echo.create_profile:
        return None
    created = result.created_profile
    if created is not None:
        return {
            "messages": messages(codes.SUCCESS),
            "customerProfileId": created.profile_ref,
            "customerPaymentProfileIdList": {
                "numericString": [ref for ref in (created.payment_profile_ref,) if ref is not None]
            },
            "customerShippingAddressIdList": {
                "numericString": [ref for ref in (created.address_ref,) if ref is not None]
            },
        }
    if result.profile_error is not None:
        # The payment went through; the profile was refused as createCustomerProfile would be.
        return {
            "messages": messages(codes.message_for(result.profile_error)),
            "customerPaymentProfileIdList": {"numericString": []},
            "customerShippingAddressIdList": {"numericString": []},
        }
    return None
