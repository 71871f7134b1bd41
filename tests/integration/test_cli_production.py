"""Production start checks, through the real `strongroom` subprocess: a data directory made in
sandbox, a weak STRONGROOM_MASTER_KEY, the public sample credentials (helpers and fixtures from
test_cli)."""

from __future__ import annotations

import base64
import json
import re
import shlex
from pathlib import Path

from authorizenet import apicontractsv1 as contracts
from authorizenet import apicontrollers as controllers

from strongroom.bootstrap import SANDBOX_LOGIN_ID, SANDBOX_TRANSACTION_KEY
from strongroom.vault.key_file import read_key_entries
from tests.api.live_server import start_server
from tests.api.sdk import ApiMerchant, call
from tests.integration import test_cli
from tests.integration.server_process import ServerProcess, free_port
from tests.integration.test_cli import (
    EXPECTED_NUMBERS,
    Place,
    _auth,
    _create_profiles,
    _stored_numbers,
    create_merchant,
    ok,
    refused,
    strongroom,
    succeeded,
    upgraded,
)

place = test_cli.place
sqlite_place = test_cli.sqlite_place
_no_proxies = test_cli._no_proxies

STRONG_KEY = "_3a8qOAxBOt5MDazAksIFQR1jiPmY82oJ87aSTjnMws="  # os.urandom(32), drawn once
ALL_ZERO_KEY = "A" * 43  # urlsafe base64 of 32 zero bytes


def in_production(place: Place, **extra: str) -> Place:
    return Place(place.data_dir, {**place.env, "STRONGROOM_ENVIRONMENT": "production", **extra})


def started(place: Place) -> ServerProcess:
    """`strongroom serve` that got as far as listening (then stopped by the caller)."""
    server = ServerProcess(place.env, free_port())
    server.wait_for("Uvicorn running on")
    return server


def refused_start(place: Place) -> str:
    return refused(strongroom(place, "serve", "--port", str(free_port())))


def fix_commands(message: str) -> list[list[str]]:
    """The commands the refusal tells the operator to run, as argument lists."""
    return [
        shlex.split(command)
        for command in re.findall(r"`([^`]+)`", message)
        if command.startswith("STRONGROOM_ENVIRONMENT=production strongroom ")
    ]


def run_as_told(place: Place, command: list[str]) -> str:
    assignment, program, *arguments = command
    name, _, value = assignment.partition("=")
    assert (name, value, program) == ("STRONGROOM_ENVIRONMENT", "production", "strongroom")
    return succeeded(strongroom(place, *arguments))


def vault_some_profiles(place: Place) -> tuple[ApiMerchant, list[str]]:
    printed, _ = create_merchant(
        place, "--name", "Rotating merchant", "--login-id", "rotate-1", "--transaction-key", "RotateKey1"
    )
    merchant = ApiMerchant(printed.login_id, printed.transaction_key, printed.signature_key)
    live, stop = start_server(place.settings)
    try:
        return merchant, _create_profiles(live.endpoint, merchant)
    finally:
        stop()


def sample_key_answer(endpoint: str, login_id: str, transaction_key: str) -> tuple[str, str]:
    request = contracts.getCustomerProfileIdsRequest()
    request.merchantAuthentication = _auth(login_id, transaction_key)
    response = call(endpoint, controllers.getCustomerProfileIdsController, request)
    return str(response.messages.resultCode), str(response.messages.message[0]["code"].text)


def test_a_sandbox_data_dir_is_refused_in_production_until_fixed_as_told(place: Place) -> None:
    upgraded(place)
    sandbox = started(place)  # a fresh sandbox server creates the sample merchant
    sandbox.stop()
    assert SANDBOX_TRANSACTION_KEY in sandbox.output
    vaulted = vault_some_profiles(place)  # sealed under the sandbox key file
    production = in_production(place)

    message = refused_start(production)

    assert "refuses to start in production" in message
    assert "master key version(s) 1 made in sandbox" in message
    assert f"Merchant {SANDBOX_LOGIN_ID} (Sandbox merchant) authenticates with the public" in message
    commands = fix_commands(message)
    assert [command[2:4] for command in commands] == [["keys", "rotate"], ["merchant", "rotate-key"]]

    outputs = [run_as_told(production, command) for command in commands]

    assert "Retired sandbox-made master key version(s) 1" in outputs[0]
    entries = read_key_entries(production.settings.master_key_file)
    assert [entry.made_in for entry in entries.values()] == ["production"]
    new_key = re.search(r"transaction key:\s+(\S+)", outputs[1])
    assert new_key is not None
    assert new_key[1] != SANDBOX_TRANSACTION_KEY
    assert _stored_numbers(production.settings, "rotate-1", vaulted[1]) == (EXPECTED_NUMBERS)

    server = started(production)
    try:
        endpoint = re.search(r"endpoint:\s+(\S+)", server.output)
        assert endpoint is not None
        assert sample_key_answer(endpoint[1], SANDBOX_LOGIN_ID, SANDBOX_TRANSACTION_KEY) == (
            "Error",
            "E00007",
        )
        assert sample_key_answer(endpoint[1], SANDBOX_LOGIN_ID, new_key[1]) == ("Ok", "I00001")
        ok(call(endpoint[1], controllers.getCustomerProfileIdsController, _ids_request(vaulted[0])))
    finally:
        server.stop()
    assert "production" in server.output
    assert "Sandbox merchant" not in server.output


def _ids_request(merchant: ApiMerchant) -> object:
    request = contracts.getCustomerProfileIdsRequest()
    request.merchantAuthentication = merchant.auth()
    return request


def test_an_all_zero_master_key_is_refused_and_a_strong_one_starts(sqlite_place: Place) -> None:
    message = refused_start(in_production(sqlite_place, STRONGROOM_MASTER_KEY=ALL_ZERO_KEY))

    assert "Master key version 1 in STRONGROOM_MASTER_KEY is weak: every byte is zero." in message
    assert "base64.urlsafe_b64encode(os.urandom(32))" in message  # how to make a strong one
    assert ALL_ZERO_KEY not in message

    started(in_production(sqlite_place, STRONGROOM_MASTER_KEY=STRONG_KEY)).stop()


def test_a_key_file_from_before_the_record_counts_as_sandbox_made(sqlite_place: Place) -> None:
    succeeded(strongroom(sqlite_place, "db", "upgrade"))
    succeeded(strongroom(sqlite_place, "merchant", "list"))  # makes the sandbox key file
    succeeded(strongroom(sqlite_place, "keys", "rotate"))  # and a version 2 in sandbox
    key_file = sqlite_place.settings.master_key_file
    older = {version: _base64(entry.key) for version, entry in read_key_entries(key_file).items()}
    key_file.write_text(json.dumps({str(version): key for version, key in older.items()}))

    message = refused_start(in_production(sqlite_place))

    assert "master key version(s) 1, 2 made in sandbox" in message
    assert "before Strongroom recorded where a key was made" in message
    assert not any(key in message for key in older.values())


def test_a_copy_of_the_sandbox_key_in_the_environment_is_refused(sqlite_place: Place) -> None:
    succeeded(strongroom(sqlite_place, "db", "upgrade"))
    key_file: Path = sqlite_place.settings.master_key_file
    succeeded(strongroom(sqlite_place, "merchant", "list"))  # makes the sandbox key file
    copied = _base64(read_key_entries(key_file)[1].key)

    message = refused_start(in_production(sqlite_place, STRONGROOM_MASTER_KEY=copied))

    assert "STRONGROOM_MASTER_KEY version(s) 1 are copies of keys the sandbox key file" in message
    assert copied not in message


def test_the_sample_key_under_another_login_is_found_and_rotate_key_is_told(sqlite_place: Place) -> None:
    production = in_production(sqlite_place, STRONGROOM_MASTER_KEY=STRONG_KEY)
    succeeded(
        strongroom(
            production,
            "merchant",
            "create",
            "--name",
            "Copied sample",
            "--login-id",
            "copied-1",
            "--transaction-key",
            SANDBOX_TRANSACTION_KEY,
        )
    )

    message = refused_start(production)

    assert "Merchant copied-1 (Copied sample) authenticates with the public sample" in message
    assert "`STRONGROOM_ENVIRONMENT=production strongroom merchant rotate-key copied-1`" in message
    given = succeeded(
        strongroom(production, "merchant", "rotate-key", "copied-1", "--transaction-key", "Chosen2Key")
    )
    assert "transaction key: Chosen2Key" in given
    started(production).stop()


def test_rotate_key_refuses_a_malformed_key_and_an_unknown_login(sqlite_place: Place) -> None:
    succeeded(strongroom(sqlite_place, "merchant", "create", "--name", "Shop", "--login-id", "shop-1"))

    malformed = refused(
        strongroom(sqlite_place, "merchant", "rotate-key", "shop-1", "--transaction-key", "bad key!")
    )
    unknown = refused(strongroom(sqlite_place, "merchant", "rotate-key", "nobody"))

    assert "Transaction keys are 1-16 letters or digits." in malformed
    assert "No merchant has API login ID 'nobody'." in unknown


def _base64(key: bytes) -> str:
    return base64.urlsafe_b64encode(key).decode()
