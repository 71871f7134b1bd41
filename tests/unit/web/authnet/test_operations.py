"""The one envelope rule of the Authorize.Net door: resultCode follows the message code."""

from __future__ import annotations

from strongroom.web.authnet import codes
from strongroom.web.authnet.operations import messages


def test_an_information_code_answers_ok() -> None:
    assert messages(codes.SUCCESS) == {
        "resultCode": "Ok",
        "message": [{"code": "I00001", "text": "Successful."}],
    }


def test_an_error_code_answers_error() -> None:
    refused = codes.parse_error("The element is invalid.")
    assert messages(refused) == {
        "resultCode": "Error",
        "message": [{"code": "E00003", "text": "The element is invalid."}],
    }
