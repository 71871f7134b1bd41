"""A signed charge reads its merchant once: authentication's read carries the signature key."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from authorizenet import apicontractsv1 as contracts
from authorizenet import apicontrollers as controllers

from strongroom.storage.merchants import SqlMerchantRepository
from tests.api.builders import card
from tests.api.live_server import LiveServer
from tests.api.raw import merchant_of
from tests.api.sdk import ApiMerchant, execute


def counted(reads: list[object], read: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    def counting(repository: Any, key: Any) -> Any:
        reads.append(key)
        return read(repository, key)

    return counting


def test_a_signed_charge_reads_the_merchant_once(
    server: LiveServer, merchant: ApiMerchant, monkeypatch: pytest.MonkeyPatch
) -> None:
    merchant_key = merchant_of(server, merchant).key
    logins: list[object] = []
    keys: list[object] = []
    monkeypatch.setattr(SqlMerchantRepository, "by_login", counted(logins, SqlMerchantRepository.by_login))
    monkeypatch.setattr(SqlMerchantRepository, "by_key", counted(keys, SqlMerchantRepository.by_key))
    request = contracts.createTransactionRequest()
    request.merchantAuthentication = merchant.auth()
    request.transactionRequest = contracts.transactionRequestType()
    request.transactionRequest.transactionType = "authCaptureTransaction"
    request.transactionRequest.amount = "12.50"
    request.transactionRequest.payment = card()

    response = execute(server, controllers.createTransactionController, request)

    assert str(response.messages.resultCode) == "Ok"
    assert re.fullmatch(r"[0-9A-F]{128}", str(response.transactionResponse.transHashSha2))
    assert logins.count(merchant.login_id) == 1
    assert merchant_key not in keys
