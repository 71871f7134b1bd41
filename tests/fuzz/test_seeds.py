"""The campaign's seeds are valid requests: unmutated, every registered operation's generated
body passes our own parser and validator in both dialects, so mutations start from requests
that reach the handlers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from strongroom.web.authnet.registry import OPERATIONS
from strongroom.web.authnet.wire.json_codec import parse_json
from strongroom.web.authnet.wire.validation import validate
from strongroom.web.authnet.wire.xml_codec import parse_xml
from tests.fuzz.conftest import FUZZ
from tests.fuzz.generators import authnet_seed, encode

CREDENTIALS = [("name", "login"), ("transactionKey", "0123456789abcdef")]
IDS = {
    "customerProfileId": "1234567",
    "customerPaymentProfileId": "2345678",
    "transId": "3456789",
    "subscriptionId": "4567890",
}


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
@FUZZ
@given(data=st.data())
def test_every_operations_seed_is_valid(operation: str, data: st.DataObject) -> None:
    pairs = data.draw(authnet_seed(operation, CREDENTIALS, IDS))
    request = OPERATIONS[operation].request

    validate(parse_xml(encode("xml", operation, pairs)), request)
    validate(parse_json(encode("json", operation, pairs)), request)
