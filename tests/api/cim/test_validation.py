"""Field rules of payment data (card, expiry, bank account, enums) and payment-profile validation
(validateCustomerPaymentProfile and validationMode on create/update) through the official SDK."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from lxml import etree

from tests.api.builders import (
    ACCOUNT,
    AMEX,
    DECLINE_ZIP,
    MASTERCARD,
    ROUTING,
    VISA,
    Cim,
    address,
    bank,
    card,
    error,
    field,
    fields,
    is_declined,
    items,
    ok,
    payment_profile,
    profile,
    shipping,
    text,
)
from tests.api.live_server import LiveServer
from tests.api.sdk import ApiMerchant

NS = "AnetApi/xml/v1/schema/AnetApiSchema.xsd"
TESTMODE_RECORD_START = (
    "1,1,1,(TESTMODE) This transaction has been approved.,000000,P,0,none,"
    "Test transaction for ValidateCustomerPaymentProfile.,1.00,CC,auth_only,cust-1,"
    "Ellen,Johnson,Souveniropolis,14 Main Street,Pecan Springs,TX,44628,US,888-888-8888,,"
    "ellen@example.com,"
)


@pytest.fixture
def cim(server: LiveServer, merchant: ApiMerchant) -> Cim:
    return Cim(server, merchant)


@pytest.fixture
def profile_id(cim: Cim) -> str:
    return cim.new_profile(profile("cust-1", email="ellen@example.com"))


def _count(cim: Cim, profile_id: str) -> int:
    return len(items(cim.stored_profile(profile_id), "paymentProfiles"))


def _refused(cim: Cim, profile_id: str, payment: Any) -> str:
    """The error code of adding `payment`; asserts nothing was stored."""
    code, _ = error(cim.add_payment_profile(profile_id, payment_profile(payment)))
    assert _count(cim, profile_id) == 0
    return code


# ----------------------------------------------------------------------------- card rules


@pytest.mark.parametrize(
    "number",
    [
        "411111111117",  # 12 digits, Luhn-valid
        "4111111111111112",  # Luhn check fails
        "4111 1111 1111 1",  # not digits
        "1234567812345670",  # Luhn-valid, no known brand
    ],
)
def test_invalid_card_numbers_are_refused(cim: Cim, profile_id: str, number: str) -> None:
    assert _refused(cim, profile_id, card(number)) == "E00013"


def test_invalid_card_inside_a_new_profile_creates_nothing(cim: Cim) -> None:
    response = cim.create_profile(
        profile(payment_profiles=[payment_profile(card(VISA)), payment_profile(card("4111111111111112"))])
    )
    assert error(response)[0] == "E00013"
    assert cim.profile_id_list() == []


@pytest.mark.parametrize(
    "expiry",
    [
        "2035-12",
        "1235",
        "12/35",
        "12-35",
        "122035",
        "12/2035",
        "12-2035",
    ],
)
def test_every_documented_expiry_format_is_accepted(cim: Cim, profile_id: str, expiry: str) -> None:
    payment_profile_id = cim.new_payment_profile(profile_id, payment_profile(card(VISA, expiry)))
    stored = cim.stored(profile_id, payment_profile_id)
    assert text(stored, "payment", "creditCard", "expirationDate") == "2035-12"
    assert cim.expiring_total("2035-12") == 1


@pytest.mark.parametrize(
    "expiry",
    [
        "2035-13",
        "13/35",
        "00/35",
        "1335",
        "12.35",
        "2035/12",
        "XXXX",
        "12/3",
    ],
)
def test_invalid_expiry_dates_are_refused(cim: Cim, profile_id: str, expiry: str) -> None:
    assert _refused(cim, profile_id, card(VISA, expiry)) == "E00013"


# ----------------------------------------------------------------------------- bank rules


@pytest.mark.parametrize(
    "routing",
    [
        "121042883",  # checksum fails
        "12104288",  # 8 digits
        "12104288a",  # not digits
        "XXXX2882",  # a masked value is only meaningful in updates
    ],
)
def test_invalid_routing_numbers_are_refused(cim: Cim, profile_id: str, routing: str) -> None:
    assert _refused(cim, profile_id, bank(routing=routing)) == "E00013"


@pytest.mark.parametrize(
    ("account", "code"),
    [
        ("1234", "E00015"),
        ("12345678a", "E00013"),
        ("XXXX4321", "E00013"),
    ],
)
def test_invalid_account_numbers_are_refused(cim: Cim, profile_id: str, account: str, code: str) -> None:
    assert _refused(cim, profile_id, bank(account)) == code


@pytest.mark.parametrize("account", ["12345", "12345678901234567"])
def test_account_numbers_of_5_to_17_digits_are_accepted(cim: Cim, profile_id: str, account: str) -> None:
    payment_profile_id = cim.new_payment_profile(profile_id, payment_profile(bank(account)))
    stored = cim.stored(profile_id, payment_profile_id)
    assert text(stored, "payment", "bankAccount", "accountNumber") == "XXXX" + account[-4:]


def test_bank_account_without_a_name_is_refused(cim: Cim, profile_id: str) -> None:
    assert _refused(cim, profile_id, bank(name="")) == "E00014"


@pytest.mark.parametrize(
    ("account_type", "echeck_type"),
    [
        ("checking", "PPD"),
        ("savings", "WEB"),
        ("businessChecking", "CCD"),
        (None, "TEL"),
    ],
)
def test_bank_enums_are_stored(cim: Cim, profile_id: str, account_type: str | None, echeck_type: str) -> None:
    payment_profile_id = cim.new_payment_profile(
        profile_id, payment_profile(bank(account_type=account_type, echeck_type=echeck_type))
    )
    stored = cim.stored(profile_id, payment_profile_id)
    assert text(stored, "payment", "bankAccount", "accountType") == account_type
    assert text(stored, "payment", "bankAccount", "echeckType") == echeck_type


@pytest.mark.parametrize("echeck_type", ["ARC", "BOC"])
def test_paper_check_echeck_types_cannot_be_stored(cim: Cim, profile_id: str, echeck_type: str) -> None:
    assert _refused(cim, profile_id, bank(echeck_type=echeck_type)) == "E00013"
    payment_profile_id = cim.new_payment_profile(profile_id, payment_profile(bank(echeck_type="WEB")))
    response = cim.update_payment_profile(
        profile_id,
        payment_profile(
            bank("XXXX4321", "XXXX2882", echeck_type=echeck_type), None, profile_id=payment_profile_id
        ),
    )
    assert error(response)[0] == "E00013"
    stored = cim.stored(profile_id, payment_profile_id)
    assert text(stored, "payment", "bankAccount", "echeckType") == "WEB"


# ----------------------------------------------------------------------------- enums (raw XML)
# The SDK refuses to serialise a value outside an enumeration, so these few requests are
# written by hand, in the same envelope the SDK sends.


def _post(server: LiveServer, merchant: ApiMerchant, name: str, content: str) -> etree._Element:
    body = (
        f'<?xml version="1.0" encoding="utf-8"?><{name} xmlns="{NS}">'
        f"<merchantAuthentication><name>{merchant.login_id}</name>"
        f"<transactionKey>{merchant.transaction_key}</transactionKey>"
        f"</merchantAuthentication>{content}</{name}>"
    )
    reply = requests.post(
        server.endpoint, data=body.encode(), headers={"Content-Type": "application/xml"}, timeout=30
    )
    assert reply.status_code == 200
    return etree.fromstring(reply.content.removeprefix(b"\xef\xbb\xbf"))


def _message(root: etree._Element) -> tuple[str, str]:
    code = root.findtext(f"{{{NS}}}messages/{{{NS}}}message/{{{NS}}}code") or ""
    message = root.findtext(f"{{{NS}}}messages/{{{NS}}}message/{{{NS}}}text") or ""
    return code, message


_CARD = (
    f"<payment><creditCard><cardNumber>{VISA}</cardNumber>"
    "<expirationDate>2035-12</expirationDate></creditCard></payment>"
)


@pytest.mark.parametrize(
    ("request_name", "content"),
    [
        (
            "createCustomerProfileRequest",
            "<profile><merchantCustomerId>c1</merchantCustomerId></profile>"
            "<validationMode>strictMode</validationMode>",
        ),
        (
            "createCustomerProfileRequest",
            "<profile><merchantCustomerId>c1</merchantCustomerId><profileType>vip</profileType></profile>",
        ),
        (
            "createCustomerProfileRequest",
            "<profile><merchantCustomerId>c1</merchantCustomerId><paymentProfiles>"
            f"<customerType>person</customerType>{_CARD}</paymentProfiles></profile>",
        ),
        (
            "createCustomerProfileRequest",
            "<profile><merchantCustomerId>c1</merchantCustomerId><paymentProfiles><payment>"
            f"<bankAccount><accountType>brokerage</accountType><routingNumber>{ROUTING}</routingNumber>"
            f"<accountNumber>{ACCOUNT}</accountNumber><nameOnAccount>John Doe</nameOnAccount>"
            "</bankAccount></payment></paymentProfiles></profile>",
        ),
        (
            "createCustomerProfileRequest",
            "<profile><merchantCustomerId>c1</merchantCustomerId><paymentProfiles><payment>"
            f"<bankAccount><routingNumber>{ROUTING}</routingNumber>"
            f"<accountNumber>{ACCOUNT}</accountNumber><nameOnAccount>John Doe</nameOnAccount>"
            "<echeckType>XYZ</echeckType></bankAccount></payment></paymentProfiles></profile>",
        ),
        (
            "getCustomerPaymentProfileListRequest",
            "<searchType>cardsExpiringNextYear</searchType><month>2035-12</month>",
        ),
    ],
)
def test_values_outside_an_enumeration_are_e00003(
    server: LiveServer, merchant: ApiMerchant, cim: Cim, request_name: str, content: str
) -> None:
    code, message = _message(_post(server, merchant, request_name, content))
    assert code == "E00003"
    assert "The Enumeration constraint failed." in message
    assert cim.profile_id_list() == []


def test_card_number_longer_than_16_characters_is_e00003_without_echoing_it(
    server: LiveServer, merchant: ApiMerchant, cim: Cim, profile_id: str
) -> None:
    number = "41111111111111111"
    root = _post(
        server,
        merchant,
        "createCustomerPaymentProfileRequest",
        f"<customerProfileId>{profile_id}</customerProfileId><paymentProfile><payment>"
        f"<creditCard><cardNumber>{number}</cardNumber>"
        "<expirationDate>2035-12</expirationDate></creditCard></payment>"
        "</paymentProfile>",
    )
    code, message = _message(root)
    assert code == "E00003"
    assert "cardNumber" in message
    assert number not in etree.tostring(root).decode()
    assert _count(cim, profile_id) == 0


def test_validate_with_validation_mode_outside_the_enumeration_is_e00003(
    server: LiveServer, merchant: ApiMerchant, cim: Cim, profile_id: str
) -> None:
    payment_profile_id = cim.new_payment_profile(profile_id)
    root = _post(
        server,
        merchant,
        "validateCustomerPaymentProfileRequest",
        f"<customerProfileId>{profile_id}</customerProfileId>"
        f"<customerPaymentProfileId>{payment_profile_id}</customerPaymentProfileId>"
        "<validationMode>sometimes</validationMode>",
    )
    assert _message(root)[0] == "E00003"


def test_validate_without_validation_mode_is_e00003(
    server: LiveServer, merchant: ApiMerchant, cim: Cim, profile_id: str
) -> None:
    payment_profile_id = cim.new_payment_profile(profile_id)
    root = _post(
        server,
        merchant,
        "validateCustomerPaymentProfileRequest",
        f"<customerProfileId>{profile_id}</customerProfileId>"
        f"<customerPaymentProfileId>{payment_profile_id}</customerPaymentProfileId>",
    )
    assert _message(root)[0] == "E00003"


# ----------------------------------------------------------------------------- validate


@pytest.fixture
def visa_id(cim: Cim, profile_id: str) -> str:
    return cim.new_payment_profile(profile_id, payment_profile(card(VISA)))


def _record(response: Any) -> str:
    record = text(response, "directResponse")
    assert record is not None
    return record


def test_test_mode_validation_answers_the_testmode_record(cim: Cim, profile_id: str, visa_id: str) -> None:
    response = ok(cim.validate(profile_id, visa_id, "testMode", ref_id="ref-val"))
    assert text(response, "refId") == "ref-val"
    record = _record(response)
    assert record.startswith(TESTMODE_RECORD_START)
    values = fields(record)
    assert len(values) == 68
    assert values[24:32] == [""] * 8  # no ship-to asked for
    assert values[32:38] == ["0.00", "0.00", "0.00", "FALSE", "none", ""]
    assert field(record, 51) == "XXXX1111"
    assert field(record, 52) == "Visa"
    assert VISA not in record


def test_live_mode_validation_answers_an_approved_record_with_a_real_trans_id(
    cim: Cim, profile_id: str, visa_id: str
) -> None:
    first = _record(ok(cim.validate(profile_id, visa_id, "liveMode")))
    second = _record(ok(cim.validate(profile_id, visa_id, "liveMode")))
    for record in (first, second):
        assert record.startswith("1,1,1,This transaction has been approved.,")
        assert len(fields(record)) == 68
        assert len(field(record, 5)) == 6
        assert field(record, 5) != "000000"
        assert field(record, 6) == "Y"
        assert field(record, 7).isdigit()
        assert field(record, 7) != "0"
        assert field(record, 9) == "Test transaction for ValidateCustomerPaymentProfile."
        assert fields(record)[32:38] == ["0.00", "0.00", "0.00", "FALSE", "none", ""]
        assert field(record, 10) == "0.00"
        assert field(record, 11) == "CC"
        assert field(record, 13) == "cust-1"
        assert field(record, 51) == "XXXX1111"
    assert field(first, 7) != field(second, 7)


@pytest.mark.parametrize(
    ("bill_to", "letter"),
    [
        ({}, "Y"),
        ({"zip": "46201"}, "A"),
        ({"zip": "46205"}, "N"),
        ({"zip": "46217"}, "Z"),
        ({"address": None}, "P"),
        (None, "P"),
    ],
)
def test_live_mode_validation_reports_the_avs_result_at_field_6(
    cim: Cim, profile_id: str, bill_to: dict[str, str | None] | None, letter: str
) -> None:
    payment_profile_id = cim.new_payment_profile(
        profile_id, payment_profile(card(MASTERCARD), None if bill_to is None else address(**bill_to))
    )
    record = _record(ok(cim.validate(profile_id, payment_profile_id, "liveMode")))
    assert field(record, 6) == letter


def test_old_live_mode_validates_like_live_mode(cim: Cim, profile_id: str, visa_id: str) -> None:
    record = _record(ok(cim.validate(profile_id, visa_id, "oldLiveMode")))
    assert record.startswith("1,1,1,This transaction has been approved.,")
    assert field(record, 7) != "0"


def test_live_mode_validation_of_other_brands_authorises_one_cent(cim: Cim, profile_id: str) -> None:
    payment_profile_id = cim.new_payment_profile(profile_id, payment_profile(card(MASTERCARD)))
    record = _record(ok(cim.validate(profile_id, payment_profile_id, "liveMode")))
    assert field(record, 10) == "0.01"
    assert (field(record, 51), field(record, 52)) == ("XXXX0015", "MasterCard")


def test_live_mode_validation_of_a_bank_account(cim: Cim, profile_id: str) -> None:
    payment_profile_id = cim.new_payment_profile(profile_id, payment_profile(bank(ACCOUNT)))
    record = _record(ok(cim.validate(profile_id, payment_profile_id, "liveMode")))
    assert record.startswith("1,1,1,This transaction has been approved.,")
    assert field(record, 11) == "ECHECK"
    assert field(record, 51) == "XXXX4321"
    assert field(record, 52) == "Bank Account"
    assert ACCOUNT not in record


def test_declined_validation_is_e00027_with_the_declined_record(cim: Cim, profile_id: str) -> None:
    payment_profile_id = cim.new_payment_profile(
        profile_id, payment_profile(card(VISA), address(zip=DECLINE_ZIP))
    )
    response = cim.validate(profile_id, payment_profile_id, "liveMode", ref_id="ref-decl")
    assert error(response)[0] == "E00027"
    assert text(response, "refId") == "ref-decl"
    record = _record(response)
    assert is_declined(record)
    assert field(record, 20) == DECLINE_ZIP
    assert field(record, 51) == "XXXX1111"
    # a declined validation leaves the payment profile as it was
    ok(cim.get_payment_profile(profile_id, payment_profile_id))


@pytest.mark.parametrize(
    ("card_code", "letter"),
    [
        ("900", "M"),
        ("901", "N"),
        ("902", "S"),
        ("903", "U"),
        ("904", "P"),
        ("123", "M"),
    ],
)
def test_card_code_triggers_show_at_field_39(
    cim: Cim, profile_id: str, visa_id: str, card_code: str, letter: str
) -> None:
    record = _record(ok(cim.validate(profile_id, visa_id, "liveMode", card_code=card_code)))
    assert field(record, 39) == letter
    assert card_code not in fields(record)


def test_without_a_card_code_field_39_is_empty(cim: Cim, profile_id: str, visa_id: str) -> None:
    assert field(_record(ok(cim.validate(profile_id, visa_id, "liveMode"))), 39) == ""


def test_amex_card_code_of_four_digits(cim: Cim, profile_id: str) -> None:
    payment_profile_id = cim.new_payment_profile(profile_id, payment_profile(card(AMEX)))
    record = _record(ok(cim.validate(profile_id, payment_profile_id, "liveMode", card_code="1234")))
    assert field(record, 39) == "M"
    assert field(record, 10) == "0.01"


def test_commas_in_values_do_not_shift_the_record_fields(cim: Cim) -> None:
    profile_id = cim.new_profile(profile("cust,1", email="ellen@example.com"))
    payment_profile_id = cim.new_payment_profile(
        profile_id,
        payment_profile(card(VISA), address(address="14 Main Street, Apt 2", company="Smith, Jones and Co")),
    )
    record = _record(ok(cim.validate(profile_id, payment_profile_id, "testMode")))
    assert len(fields(record)) == 68
    assert field(record, 13) == "cust 1"
    assert field(record, 16) == "Smith  Jones and Co"
    assert field(record, 17) == "14 Main Street  Apt 2"
    assert field(record, 20) == "44628"
    assert field(record, 51) == "XXXX1111"


def test_validation_with_a_shipping_address_fills_the_ship_to_fields(
    cim: Cim, profile_id: str, visa_id: str
) -> None:
    address_id = cim.new_address(profile_id, shipping())
    record = _record(ok(cim.validate(profile_id, visa_id, "testMode", address_id=address_id)))
    assert fields(record)[24:32] == [
        "China",
        "Bayles",
        "Thyme for Herbs",
        "12 Main Street",
        "Pecan Springs",
        "TX",
        "44628",
        "US",
    ]


def test_validation_with_an_unknown_or_foreign_shipping_address_is_e00040(
    cim: Cim, profile_id: str, visa_id: str
) -> None:
    other_profile = cim.new_profile(profile("cust-2"))
    foreign_address = cim.new_address(other_profile)
    assert error(cim.validate(profile_id, visa_id, address_id=foreign_address))[0] == "E00040"
    assert error(cim.validate(profile_id, visa_id, address_id="999999999"))[0] == "E00040"


def test_validation_mode_none_is_refused_for_validate(cim: Cim, profile_id: str, visa_id: str) -> None:
    assert error(cim.validate(profile_id, visa_id, "none"))[0] == "E00013"


def test_validation_of_unknown_records_is_e00040(cim: Cim, profile_id: str, visa_id: str) -> None:
    other_profile = cim.new_profile(profile("cust-2"))
    assert error(cim.validate(profile_id, "1999999999"))[0] == "E00040"
    assert error(cim.validate("1999999999", visa_id))[0] == "E00040"
    assert error(cim.validate(other_profile, visa_id))[0] == "E00040"


def test_expired_card_fails_validation_with_reason_8(cim: Cim, profile_id: str) -> None:
    payment_profile_id = cim.new_payment_profile(profile_id, payment_profile(card(VISA, "2020-01")))
    response = cim.validate(profile_id, payment_profile_id, "testMode")
    assert error(response)[0] == "E00027"
    assert _record(response).startswith("3,1,8,(TESTMODE) The credit card has expired.,")
    live = cim.validate(profile_id, payment_profile_id, "liveMode")
    assert error(live)[0] == "E00027"
    assert _record(live).startswith("3,1,8,The credit card has expired.,")


# ----------------------------------------------------------------------------- validationMode on create


def test_create_payment_profile_in_test_mode_answers_the_testmode_record(cim: Cim, profile_id: str) -> None:
    response = ok(cim.add_payment_profile(profile_id, payment_profile(card(VISA)), "testMode"))
    record = text(response, "validationDirectResponse") or ""
    assert record.startswith(TESTMODE_RECORD_START)
    assert _count(cim, profile_id) == 1


def test_create_payment_profile_in_live_mode_answers_an_approved_record(cim: Cim, profile_id: str) -> None:
    response = ok(cim.add_payment_profile(profile_id, payment_profile(card(VISA, code="901")), "liveMode"))
    record = text(response, "validationDirectResponse") or ""
    assert record.startswith("1,1,1,This transaction has been approved.,")
    assert field(record, 7) != "0"
    assert field(record, 39) == "N"
    payment_profile_id = text(response, "customerPaymentProfileId") or ""
    # the card code was used for the validation only: it is not stored
    later = _record(ok(cim.validate(profile_id, payment_profile_id, "liveMode")))
    assert field(later, 39) == ""


def test_declined_validation_on_create_payment_profile_stores_nothing(cim: Cim, profile_id: str) -> None:
    response = cim.add_payment_profile(
        profile_id, payment_profile(card(VISA), address(zip=DECLINE_ZIP)), "liveMode"
    )
    assert error(response)[0] == "E00027"
    assert is_declined(text(response, "validationDirectResponse") or "")
    assert text(response, "customerPaymentProfileId") is None
    assert _count(cim, profile_id) == 0


def test_decline_zip_is_stored_without_validation(cim: Cim, profile_id: str) -> None:
    response = ok(
        cim.add_payment_profile(profile_id, payment_profile(card(VISA), address(zip=DECLINE_ZIP)), "none")
    )
    assert text(response, "validationDirectResponse") is None
    assert _count(cim, profile_id) == 1
