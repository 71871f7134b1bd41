"""The legacy comma-delimited directResponse record that validation answers carry."""

from __future__ import annotations

from strongroom.domain.customers import Address
from strongroom.domain.instruments import Card
from strongroom.services.ports import Outcome
from strongroom.services.validation import ValidationOutcome
from strongroom.web.authnet.codes import reason_text

FIELD_COUNT = 68
# Every captured validation record, testMode and liveMode alike, carries this description and
# fixed tax/duty/freight ("0.00"), tax-exempt ("FALSE") and PO-number ("none") fields (33-37).
DESCRIPTION = "Test transaction for ValidateCustomerPaymentProfile."
ORDER_FIELDS = ("0.00", "0.00", "0.00", "FALSE", "none")
BANK_ACCOUNT_TYPE = "Bank Account"  # field 52 of an eCheck record
_RESPONSE_CODES = {Outcome.APPROVED: "1", Outcome.DECLINED: "2", Outcome.ERROR: "3",
                   Outcome.HELD: "4"}


def _clean(value: str | None) -> str:
    # The record is comma-delimited with no quoting: commas inside values would shift fields.
    return (value or "").replace(",", " ")


def _address(address: Address | None, with_contact: bool) -> list[str]:
    a = address or Address()
    values = [a.first_name, a.last_name, a.company, a.address, a.city, a.state, a.zip, a.country]
    if with_contact:
        values += [a.phone_number, a.fax_number]
    return [_clean(value) for value in values]


def validation_record(outcome: ValidationOutcome) -> str:
    """Build the 68-field record: 1-based positions as the legacy AIM format defines them."""
    result = outcome.result
    card = outcome.instrument if isinstance(outcome.instrument, Card) else None
    text = reason_text(result.reason_code)
    if outcome.test_mode:
        text = "(TESTMODE) " + text
    fields = [
        _RESPONSE_CODES[result.outcome], "1", str(result.reason_code), text, result.auth_code,
        result.avs_result, outcome.trans_id, "none", DESCRIPTION,
        f"{outcome.amount.amount:.2f}", "CC" if card else "ECHECK", "auth_only",
        _clean(outcome.merchant_customer_id),
        *_address(outcome.bill_to, True), _clean(outcome.email),
        *_address(outcome.ship_to, False),
        *ORDER_FIELDS, "", result.card_code_result, result.cavv_result,
    ]
    fields += [""] * (50 - len(fields))
    fields += [f"XXXX{outcome.instrument.last4}", card.brand.value if card else BANK_ACCOUNT_TYPE]
    fields += [""] * (FIELD_COUNT - len(fields))
    return ",".join(fields)
