"""Per-process caches, across processes: changes made through one server (this test's, in
process) reach a `strongroom serve` subprocess on the same database within the cache bound.
Both engines; each check polls the other server with a deadline, no sleeps."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from strongroom.domain.fraud import FilterKind, FraudAction, FraudFilter
from strongroom.domain.merchants import Merchant
from strongroom.domain.money import Money
from strongroom.storage.tables import webhook_notifications
from tests.api.live_server import LiveServer, settings_for, start_server
from tests.api.rest_client import create_webhook, rest
from tests.api.sdk import ApiMerchant, new_merchant
from tests.api.webhook_receiver import Receiver
from tests.integration.server_process import ServerProcess, free_port
from tests.integration.test_cli import PROXY_VARIABLES

DEADLINE = 30.0  # seconds; the bound is 1 s, the rest is slack for a loaded machine
NS = 'xmlns="AnetApi/xml/v1/schema/AnetApiSchema.xsd"'
AUTHCAPTURE = "net.authorize.payment.authcapture.created"


def charge_body(login: str, key: str, amount: str) -> str:
    return (
        f"<createTransactionRequest {NS}><merchantAuthentication><name>{login}</name>"
        f"<transactionKey>{key}</transactionKey></merchantAuthentication><transactionRequest>"
        f"<transactionType>authCaptureTransaction</transactionType><amount>{amount}</amount>"
        "<payment><creditCard><cardNumber>4111111111111111</cardNumber>"
        "<expirationDate>2035-12</expirationDate></creditCard></payment>"
        "<transactionSettings><setting><settingName>duplicateWindow</settingName>"
        "<settingValue>0</settingValue></setting></transactionSettings>"
        "</transactionRequest></createTransactionRequest>"
    )


class OtherProcess:
    """`strongroom serve` on the test's database, charged over HTTP."""

    def __init__(self, server: ServerProcess) -> None:
        self.server = server
        self.client = httpx.Client(trust_env=False, timeout=30)

    def charge(self, login: str, key: str, amount: str) -> tuple[str, str | None]:
        """(resultCode, responseCode or None) of one card charge."""
        answer = self.client.post(
            f"http://127.0.0.1:{self.server.port}/xml/v1/request.api",
            content=charge_body(login, key, amount),
            headers={"content-type": "text/xml"},
        )
        result = re.search(r"<resultCode>(\w+)</resultCode>", answer.text)
        response = re.search(r"<responseCode>(\d)</responseCode>", answer.text)
        assert result is not None, answer.text
        return result.group(1), response.group(1) if response is not None else None


def eventually(check: Callable[[], bool], what: str) -> None:
    """Poll `check` (each call is a request to the other process) until it holds."""
    deadline = time.monotonic() + DEADLINE
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"the other process never saw {what}")


@pytest.fixture
def servers(database_url: str, tmp_path: Path) -> Iterator[tuple[LiveServer, OtherProcess]]:
    settings = settings_for(database_url, tmp_path / "data")
    here, stop = start_server(settings)  # migrates, creates the key file
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("STRONGROOM_") and name not in PROXY_VARIABLES
    }
    env.update(
        STRONGROOM_DATA_DIR=str(settings.data_dir),
        STRONGROOM_DATABASE_URL=database_url,
        STRONGROOM_SCHEDULER_INTERVAL="0",
        PYTHONUNBUFFERED="1",
        NO_PROXY="127.0.0.1,localhost",
    )
    server = ServerProcess(env, free_port())
    try:
        server.wait_for("Uvicorn running on")
        other = OtherProcess(server)
        yield here, other
        other.client.close()
    finally:
        server.stop()
        stop()


def _merchant(here: LiveServer, api: ApiMerchant) -> Merchant:
    merchant = here.application.services.merchants.by_login(api.login_id)
    assert merchant is not None
    return merchant


def _notifications(here: LiveServer) -> int:
    with here.application.engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(webhook_notifications)) or 0)


def test_a_fraud_filter_added_here_screens_the_other_process_s_charges(
    servers: tuple[LiveServer, OtherProcess],
) -> None:
    here, other = servers
    api = new_merchant(here)
    assert other.charge(api.login_id, api.transaction_key, "150.00") == ("Ok", "1")  # cached: none

    here.application.services.fraud_filters.add(
        _merchant(here, api),
        FraudFilter("Hold big", FilterKind.AMOUNT_OVER, FraudAction.HOLD, threshold=Money(Decimal("100.00"))),
    )

    eventually(lambda: other.charge(api.login_id, api.transaction_key, "150.00")[1] == "4", "the filter")
    assert other.charge(api.login_id, api.transaction_key, "20.00") == ("Ok", "1")


def test_a_webhook_created_here_gets_the_other_process_s_events(
    servers: tuple[LiveServer, OtherProcess],
) -> None:
    here, other = servers
    api = new_merchant(here)
    assert other.charge(api.login_id, api.transaction_key, "10.00") == ("Ok", "1")  # cached: none
    receiver = Receiver()
    try:
        with rest(here, api) as client:
            webhook = create_webhook(client, receiver.endpoint(api.signature_key), [AUTHCAPTURE])

        eventually(
            lambda: (
                other.charge(api.login_id, api.transaction_key, "11.00") == ("Ok", "1")
                and _notifications(here) > 0
            ),
            "the webhook",
        )
        with rest(here, api) as client:
            assert client.delete(f"/webhooks/{webhook['webhookId']}").status_code == 200
    finally:
        receiver.close()
    # A webhook deleted here while the other process may still list it never breaks a charge.
    for amount in ("12.00", "13.00", "14.00"):
        assert other.charge(api.login_id, api.transaction_key, amount) == ("Ok", "1")
    assert _notifications(here) == 0  # they went with their webhook


def test_a_new_transaction_key_set_here_retires_the_old_one_there(
    servers: tuple[LiveServer, OtherProcess],
) -> None:
    here, other = servers
    api = new_merchant(here)
    assert other.charge(api.login_id, api.transaction_key, "10.00") == ("Ok", "1")  # cached login

    new_key = here.application.services.merchants.new_transaction_key(_merchant(here, api)).reveal()

    eventually(lambda: other.charge(api.login_id, api.transaction_key, "10.00")[0] == "Error", "the new key")
    assert other.charge(api.login_id, new_key, "10.00") == ("Ok", "1")
