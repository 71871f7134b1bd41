"""Failed-authentication lockouts in real time, on the sandbox clock a sandbox server runs on
(system time plus the offset `strongroom clock advance` stores), on a live server."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from authorizenet import apicontractsv1 as contracts
from authorizenet import apicontrollers as controllers

from strongroom.bootstrap import Application, build
from strongroom.config import (
    DEFAULT_AUTH_ADDRESS_FAILURES,
    DEFAULT_AUTH_LOCKOUT_SECONDS,
    DEFAULT_AUTH_LOGIN_FAILURES,
)
from strongroom.web.app import AUTHNET_PATH
from tests.api.live_server import serve_application, settings_for
from tests.api.sdk import ApiMerchant, call, result

LOGIN_LOCKED = "too many failed attempts for this API login ID"


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[tuple[str, Application]]:
    data = tmp_path / "data"
    data.mkdir()
    settings = settings_for(
        f"sqlite:///{data / 'strongroom.db'}", data, auth_address_failures=DEFAULT_AUTH_ADDRESS_FAILURES
    )
    application = build(settings)  # no clock given: the sandbox clock on the database's offset
    url, _, stop = serve_application(application)
    try:
        yield url + AUTHNET_PATH, application
    finally:
        stop()


def profile_ids(endpoint: str, login_id: str, key: str) -> tuple[str, str, str]:
    request = contracts.getCustomerProfileIdsRequest()
    request.merchantAuthentication = ApiMerchant(login_id, key, "").auth()
    return result(call(endpoint, controllers.getCustomerProfileIdsController, request))


def test_ten_wrong_keys_in_real_time_lock_and_the_advanced_sandbox_clock_unlocks(
    sandbox: tuple[str, Application],
) -> None:
    endpoint, application = sandbox
    sandbox_clock = application.sandbox_clock
    assert sandbox_clock is not None
    _, credentials = application.services.merchants.create("Victim", "victim-1")

    # Real time passes between these ten, and still the tenth locks the login.
    answers = [
        profile_ids(endpoint, "victim-1", "WrongKey12345678") for _ in range(DEFAULT_AUTH_LOGIN_FAILURES)
    ]
    locked = profile_ids(endpoint, "victim-1", credentials.transaction_key)

    assert {answer[1] for answer in answers} == {"E00007"}
    assert (locked[1], LOGIN_LOCKED in locked[2]) == ("E00007", True)

    # What `strongroom clock advance 15m` stores; this process's own clock follows at once.
    sandbox_clock.advance(timedelta(seconds=DEFAULT_AUTH_LOCKOUT_SECONDS))

    assert profile_ids(endpoint, "victim-1", credentials.transaction_key)[:2] == ("Ok", "I00001")
