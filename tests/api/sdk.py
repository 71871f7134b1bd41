"""Driving Strongroom with the official `authorizenet` SDK, exactly as integrations do."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from authorizenet import apicontractsv1 as contracts

from strongroom.domain.merchants import MerchantCredentials
from tests.api.live_server import LiveServer


@dataclass(frozen=True)
class ApiMerchant:
    login_id: str
    transaction_key: str
    signature_key: str

    def auth(self) -> Any:
        auth = contracts.merchantAuthenticationType()
        auth.name = self.login_id
        auth.transactionKey = self.transaction_key
        return auth


@dataclass(frozen=True)
class MerchantClient:
    """Calls of one merchant through SDK controllers: credentials (and refId) set, then run."""

    server: LiveServer
    merchant: ApiMerchant

    def send(self, controller: Any, request: Any, ref_id: str | None = None) -> Any:
        request.merchantAuthentication = self.merchant.auth()
        if ref_id is not None:
            request.refId = ref_id
        return execute(self.server, controller, request)


def new_merchant(server: LiveServer, name: str = "Test merchant") -> ApiMerchant:
    login = "t" + uuid.uuid4().hex[:12]
    _, credentials = server.application.services.merchants.create(name, login)
    return _from(credentials)


def _from(credentials: MerchantCredentials) -> ApiMerchant:
    return ApiMerchant(credentials.login_id, credentials.transaction_key, credentials.signature_key)


def execute(server: LiveServer, controller_class: Any, request: Any) -> Any:
    """Run one SDK controller against the live server."""
    return call(server.endpoint, controller_class, request)


def call(endpoint: str, controller_class: Any, request: Any) -> Any:
    """Run one SDK controller against `endpoint`; the SDK resets its endpoint on construction,
    so the environment is set after constructing the controller (see wire reference 3.8)."""
    controller = controller_class(request)
    controller.setenvironment(endpoint)
    controller.execute()
    response = controller.getresponse()
    assert response is not None, "the SDK got no response (non-200 status or unparseable body)"
    return response


def result(response: Any) -> tuple[str, str, str]:
    """(resultCode, first message code, first message text) of an SDK response."""
    message = response.messages.message[0]
    return (str(response.messages.resultCode), str(message["code"].text), str(message["text"].text))
