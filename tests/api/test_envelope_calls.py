"""isAlive (no credentials) and authenticateTest (credentials only), through the official SDK."""

from __future__ import annotations

from authorizenet import apicontractsv1 as contracts
from authorizenet import apicontrollers as controllers

from tests.api.live_server import LiveServer
from tests.api.sdk import ApiMerchant, execute, result


def test_authenticate_test_accepts_good_credentials(server: LiveServer, merchant: ApiMerchant) -> None:
    request = contracts.authenticateTestRequest()
    request.merchantAuthentication = merchant.auth()
    request.refId = "ping-1"
    response = execute(server, controllers.authenticateTestController, request)
    assert result(response)[:2] == ("Ok", "I00001")
    assert str(response.refId) == "ping-1"


def test_authenticate_test_refuses_a_wrong_key(server: LiveServer, merchant: ApiMerchant) -> None:
    request = contracts.authenticateTestRequest()
    request.merchantAuthentication = ApiMerchant(merchant.login_id, "WrongKey00000000", "").auth()
    response = execute(server, controllers.authenticateTestController, request)
    assert result(response)[:2] == ("Error", "E00007")


def test_is_alive_needs_no_credentials(server: LiveServer) -> None:
    request = contracts.isAliveRequest()
    request.refId = "alive"
    response = execute(server, controllers.isAliveController, request)
    assert result(response)[:2] == ("Ok", "I00001")
