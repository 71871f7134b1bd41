"""The `strongroom` console script, run as a real subprocess on a temporary data directory.

Every command gets STRONGROOM_DATA_DIR (and, for PostgreSQL, STRONGROOM_DATABASE_URL on a throwaway
schema) and nothing else of the caller's STRONGROOM_* environment. The test process builds its own
applications and live servers from `load_settings` of that same environment, so both sides
see one database and one master key file.
"""

from __future__ import annotations

import os
import re
import signal
import struct
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from authorizenet import apicontractsv1 as contracts
from authorizenet import apicontrollers as controllers
from sqlalchemy import select

from strongroom.bootstrap import SANDBOX_LOGIN_ID, SANDBOX_TRANSACTION_KEY, build
from strongroom.config import Settings, load_settings
from strongroom.domain.errors import AuthenticationFailed
from strongroom.domain.instruments import BankAccount, Card
from strongroom.domain.merchants import Merchant
from strongroom.domain.sensitive import Secret
from strongroom.services.profiles.customer_profiles import ProfileLookup
from strongroom.storage import create_engine_for, current_revision, head_revision
from strongroom.storage import schema_differences as schema_drift
from strongroom.storage.tables import data_keys, merchants, payment_profiles
from strongroom.vault.key_file import read_key_file
from tests.api.builders import address, bank, card
from tests.api.live_server import start_server
from tests.api.sdk import ApiMerchant, call
from tests.api.walkthrough import walk_profile_lifecycle
from tests.databases import ENGINES, throwaway_database
from tests.integration.server_process import STRONGROOM, ServerProcess, free_port

PROXY_VARIABLES = ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy")
COMMAND_TIMEOUT = 120  # seconds; a hung command fails the test instead of hanging the run

CARD = "4111111111111111"
AMEX = "370000000000002"
ROUTING, ACCOUNT = "121042882", "123456789012"


@pytest.fixture(autouse=True)
def _no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    # requests (inside the SDK) honours proxy variables; loopback traffic stays on this machine.
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


# --------------------------------------------------------------------------- running the CLI


@dataclass(frozen=True)
class Place:
    """Where the CLI and the test's own applications keep their data."""

    data_dir: Path
    env: dict[str, str]

    @property
    def settings(self) -> Settings:
        return load_settings(self.env)


@pytest.fixture(params=ENGINES)
def place(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Place]:
    data_dir = tmp_path / "data"
    with throwaway_database(request.param, data_dir) as database_url:
        env = {
            name: value
            for name, value in os.environ.items()
            if not name.startswith("STRONGROOM_") and name not in PROXY_VARIABLES
        }
        env.update(STRONGROOM_DATA_DIR=str(data_dir), PYTHONUNBUFFERED="1", NO_PROXY="127.0.0.1,localhost")
        if request.param == "sqlite":
            # The CLI's default database: STRONGROOM_DATA_DIR/strongroom.db.
            assert database_url == f"sqlite:///{data_dir / 'strongroom.db'}"
        else:
            env["STRONGROOM_DATABASE_URL"] = database_url
        yield Place(data_dir, env)


@pytest.fixture
def sqlite_place(tmp_path: Path) -> Place:
    """For checks of the command line itself, where the engine makes no difference."""
    data_dir = tmp_path / "data"
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("STRONGROOM_") and name not in PROXY_VARIABLES
    }
    env.update(STRONGROOM_DATA_DIR=str(data_dir), PYTHONUNBUFFERED="1", NO_PROXY="127.0.0.1,localhost")
    return Place(data_dir, env)


def strongroom(place: Place, *args: str) -> subprocess.CompletedProcess[str]:
    assert STRONGROOM.is_file(), f"console script not installed at {STRONGROOM}"
    return subprocess.run(
        [str(STRONGROOM), *args],
        env=place.env,
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
        check=False,
    )


def succeeded(completed: subprocess.CompletedProcess[str]) -> str:
    assert completed.returncode == 0, (
        f"{completed.args} exited {completed.returncode}\n"
        f"stdout:\n{completed.stdout}\nstderr:\n{completed.stderr}"
    )
    return completed.stdout


def refused(completed: subprocess.CompletedProcess[str]) -> str:
    """The error text of a command that failed the way a CLI should: non-zero, no traceback."""
    assert completed.returncode != 0, f"{completed.args} succeeded:\n{completed.stdout}"
    assert "Traceback" not in completed.stderr, completed.stderr
    assert completed.stderr.startswith("Error: "), completed.stderr
    return completed.stderr


def upgraded(place: Place) -> Place:
    assert "Database is up to date." in succeeded(strongroom(place, "db", "upgrade"))
    return place


@dataclass(frozen=True)
class Printed:
    login_id: str
    transaction_key: str
    signature_key: str


def printed_credentials(stdout: str) -> Printed:
    login = re.search(r"API login ID:\s+(\S+)", stdout)
    key = re.search(r"transaction key:\s+(\S+)", stdout)
    signature = re.search(r"signature key:\s+(\S+)", stdout)
    assert login, stdout
    assert key, stdout
    assert signature, stdout
    return Printed(login[1], key[1], signature[1])


def create_merchant(place: Place, *args: str) -> tuple[Printed, str]:
    stdout = succeeded(strongroom(place, "merchant", "create", *args))
    assert "Merchant created." in stdout
    return printed_credentials(stdout), stdout


def stored_merchants(settings: Settings) -> list[tuple[str, str]]:
    """(login ID, name) of every merchant, read in-process through a new application."""
    application = build(settings)
    try:
        return [(item.login_id, item.name) for item in application.services.merchants.all()]
    finally:
        application.close()


def authenticate(settings: Settings, login_id: str, transaction_key: str) -> Merchant:
    """Authenticate through a freshly built application, as a server process would."""
    application = build(settings)
    try:
        return application.services.merchants.authenticate(login_id, Secret(transaction_key)).merchant
    finally:
        application.close()


# --------------------------------------------------------------------------- db upgrade


def test_db_upgrade_migrates_a_fresh_database_to_head(place: Place) -> None:
    database_url = place.settings.database_url
    if place.settings.is_sqlite:
        assert not place.data_dir.exists()  # the command creates the directory and database
    else:
        assert current_revision(database_url) is None

    upgraded(place)

    assert current_revision(database_url) == head_revision()
    assert schema_drift(database_url) == []
    upgraded(place)  # idempotent
    assert current_revision(database_url) == head_revision()


# --------------------------------------------------------------------------- merchant create


def test_merchant_create_keeps_the_given_credentials_which_then_authenticate(place: Place) -> None:
    upgraded(place)

    printed, stdout = create_merchant(
        place, "--name", "Acme Widgets", "--login-id", "acme-1", "--transaction-key", "Abc123XYZ789"
    )

    assert (printed.login_id, printed.transaction_key) == ("acme-1", "Abc123XYZ789")
    assert re.fullmatch(r"[0-9A-F]{128}", printed.signature_key)
    assert stdout.count("Abc123XYZ789") == 1
    assert stdout.count(printed.signature_key) == 1
    merchant = authenticate(place.settings, "acme-1", "Abc123XYZ789")
    assert (merchant.login_id, merchant.name) == ("acme-1", "Acme Widgets")
    with pytest.raises(AuthenticationFailed):
        authenticate(place.settings, "acme-1", "Abc123XYZ788")
    application = build(place.settings)
    try:
        signed_in = application.services.merchants.authenticate("acme-1", Secret("Abc123XYZ789"))
        signature = signed_in.signature_key.reveal()
    finally:
        application.close()
    assert signature is not None
    assert signature.reveal() == printed.signature_key


def test_merchant_create_generates_what_is_omitted(sqlite_place: Place) -> None:
    first, _ = create_merchant(sqlite_place, "--name", "Generated one")
    second, _ = create_merchant(sqlite_place, "--name", "Generated two")

    for printed in (first, second):
        assert re.fullmatch(r"[A-Za-z0-9]{11}", printed.login_id)
        assert re.fullmatch(r"[A-Za-z0-9]{16}", printed.transaction_key)
        assert re.fullmatch(r"[0-9A-F]{128}", printed.signature_key)
    assert first != second
    assert authenticate(sqlite_place.settings, first.login_id, first.transaction_key).name == "Generated one"
    assert (
        authenticate(sqlite_place.settings, second.login_id, second.transaction_key).name == "Generated two"
    )


def test_a_duplicate_login_id_is_refused(place: Place) -> None:
    upgraded(place)
    create_merchant(place, "--name", "First", "--login-id", "acme-1", "--transaction-key", "Key1")

    error = refused(
        strongroom(
            place,
            "merchant",
            "create",
            "--name",
            "Second",
            "--login-id",
            "acme-1",
            "--transaction-key",
            "Key2",
        )
    )

    assert "'acme-1' already exists" in error
    assert stored_merchants(place.settings) == [("acme-1", "First")]
    assert authenticate(place.settings, "acme-1", "Key1").name == "First"
    with pytest.raises(AuthenticationFailed):
        authenticate(place.settings, "acme-1", "Key2")


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--transaction-key", "bad key!", "Transaction keys are 1-16 letters or digits."),
        ("--transaction-key", "A" * 17, "Transaction keys are 1-16 letters or digits."),
        ("--login-id", "has space", "API login IDs are 1-25 letters, digits"),
        ("--login-id", "L" * 26, "API login IDs are 1-25 letters, digits"),
        ("--signature-key", "XYZ", "Signature keys are 128 hexadecimal characters."),
        ("--signature-key", "A" * 127, "Signature keys are 128 hexadecimal characters."),
        ("--name", "   ", "A merchant needs a name."),
    ],
)
def test_malformed_credentials_are_refused(
    sqlite_place: Place, option: str, value: str, message: str
) -> None:
    args = {"--name": "Refused", "--login-id": "refused-1", "--transaction-key": "Key1", option: value}

    error = refused(
        strongroom(sqlite_place, "merchant", "create", *[item for pair in args.items() for item in pair])
    )

    assert message in error
    assert stored_merchants(sqlite_place.settings) == []


def test_commands_refuse_an_unmigrated_database_when_not_migrating_by_themselves(sqlite_place: Place) -> None:
    place = Place(sqlite_place.data_dir, {**sqlite_place.env, "STRONGROOM_AUTO_MIGRATE": "false"})

    error = refused(strongroom(place, "merchant", "list"))

    assert "The database is not migrated yet" in error
    assert "strongroom db upgrade" in error
    upgraded(place)
    assert "No merchants yet" in succeeded(strongroom(place, "merchant", "list"))


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("STRONGROOM_LOG_LEVEL", "verbose", "STRONGROOM_LOG_LEVEL must be one of critical, error"),
        ("STRONGROOM_PORT", "70000", "STRONGROOM_PORT must be at most 65535"),
        ("STRONGROOM_ENVIRONMENT", "staging", "STRONGROOM_ENVIRONMENT must be sandbox or production"),
    ],
)
def test_unusable_settings_are_refused_before_any_work(
    sqlite_place: Place, variable: str, value: str, message: str
) -> None:
    place = Place(sqlite_place.data_dir, {**sqlite_place.env, variable: value})

    error = refused(strongroom(place, "db", "upgrade"))

    assert message in error
    assert not place.data_dir.exists()


def test_merchant_list_shows_logins_and_names_but_never_keys(sqlite_place: Place) -> None:
    acme, _ = create_merchant(
        sqlite_place, "--name", "Acme Widgets", "--login-id", "acme-1", "--transaction-key", "AcmeKey123"
    )
    other, _ = create_merchant(
        sqlite_place, "--name", "Globex", "--login-id", "globex-7", "--transaction-key", "GlobexKey456"
    )

    listing = strongroom(sqlite_place, "merchant", "list")

    lines = succeeded(listing).splitlines()
    assert [line.split("\t")[:2] for line in lines] == [["acme-1", "Acme Widgets"], ["globex-7", "Globex"]]
    shown = listing.stdout + listing.stderr
    for printed in (acme, other):
        assert printed.transaction_key not in shown
        assert printed.signature_key not in shown.upper()


# --------------------------------------------------------------------------- keys rotate


def ok(response: Any) -> Any:
    message = response.messages.message[0]
    assert (str(response.messages.resultCode), str(message["code"].text)) == ("Ok", "I00001"), (
        f"{message['code'].text}: {message['text'].text}"
    )
    return response


def _auth(login_id: str, transaction_key: str) -> Any:
    auth = contracts.merchantAuthenticationType()
    auth.name = login_id
    auth.transactionKey = transaction_key
    return auth


def _create_profiles(endpoint: str, merchant: ApiMerchant) -> list[str]:
    """Two customer profiles: one with a Visa and a bank account, one with an Amex."""
    profile_ids = []
    for customer_id, payments in (
        ("rotate-1", [card(CARD), bank(ACCOUNT, ROUTING, "Ellen Johnson")]),
        ("rotate-2", [card(AMEX)]),
    ):
        create = contracts.createCustomerProfileRequest()
        create.merchantAuthentication = merchant.auth()
        create.profile = contracts.customerProfileType()
        create.profile.merchantCustomerId = customer_id
        create.profile.paymentProfiles = []
        for payment in payments:
            payment_profile = contracts.customerPaymentProfileType()
            payment_profile.billTo = address()
            payment_profile.payment = payment
            create.profile.paymentProfiles.append(payment_profile)
        profile_ids.append(
            str(ok(call(endpoint, controllers.createCustomerProfileController, create)).customerProfileId)
        )
    return profile_ids


def _stored_numbers(settings: Settings, login_id: str, profile_ids: list[str]) -> list[list[tuple[str, ...]]]:
    """The instruments of each profile, unsealed by a NEW application on these settings."""
    application = build(settings)
    try:
        merchant = application.services.merchants.by_login(login_id)
        assert merchant is not None
        found = []
        for profile_id in profile_ids:
            profile = application.services.customer_profiles.get(
                merchant, ProfileLookup(profile_ref=profile_id)
            )
            found.append([_revealed(item.instrument) for item in profile.payment_profiles])
        return found
    finally:
        application.close()


def _revealed(instrument: Card | BankAccount) -> tuple[str, ...]:
    if isinstance(instrument, Card):
        return (instrument.number.reveal(),)
    return instrument.routing_number.reveal(), instrument.account_number.reveal()


EXPECTED_NUMBERS = [[(CARD,), (ROUTING, ACCOUNT)], [(AMEX,)]]


def _masked_through(endpoint: str, merchant: ApiMerchant, profile_ids: list[str]) -> list[list[str]]:
    """getCustomerProfile of each profile (the server unseals every payment profile for it)."""
    masked = []
    for profile_id in profile_ids:
        get = contracts.getCustomerProfileRequest()
        get.merchantAuthentication = merchant.auth()
        get.customerProfileId = profile_id
        profile = ok(call(endpoint, controllers.getCustomerProfileController, get))
        masked.append([_masked_number(item.payment) for item in profile.profile.paymentProfiles])
    return masked


def _masked_through_a_new_server(
    settings: Settings, merchant: ApiMerchant, profile_ids: list[str]
) -> list[list[str]]:
    live, stop = start_server(settings)
    try:
        return _masked_through(live.endpoint, merchant, profile_ids)
    finally:
        stop()


def _masked_number(payment: Any) -> str:
    card = getattr(payment, "creditCard", None)  # objectified responses raise, not return None
    return str(card.cardNumber if card is not None else payment.bankAccount.accountNumber)


EXPECTED_MASKED = [["XXXX1111", "XXXX9012"], ["XXXX0002"]]


@dataclass(frozen=True)
class Sealed:
    """What the database holds: each sealed blob by row, and each data key's versions."""

    blobs: dict[tuple[str, int], bytes]
    data_key_master_versions: dict[int, int]
    newest_data_key: dict[int, int]  # merchant key -> key id of its newest 'data' key

    def key_id(self, row: tuple[str, int]) -> int:
        # The blob names its data key: format byte, then the key id as 8 big-endian bytes.
        return int(struct.unpack_from(">BQ", self.blobs[row])[1])


def _sealed(settings: Settings) -> Sealed:
    engine = create_engine_for(settings.database_url)
    try:
        with engine.connect() as connection:
            blobs = {
                ("payment_profile", key): sealed
                for key, sealed in connection.execute(
                    select(payment_profiles.c.key, payment_profiles.c.sealed)
                )
            }
            blobs |= {
                ("signature_key", key): sealed
                for key, sealed in connection.execute(
                    select(merchants.c.key, merchants.c.sealed_signature_key)
                )
            }
            keys = connection.execute(select(data_keys)).mappings().all()
    finally:
        engine.dispose()
    newest: dict[int, tuple[int, int]] = {}
    for row in keys:
        if row["purpose"] == "data":
            version_and_id = (row["version"], row["key_id"])
            newest[row["merchant_key"]] = max(newest.get(row["merchant_key"], version_and_id), version_and_id)
    return Sealed(
        blobs,
        {row["key_id"]: row["master_version"] for row in keys},
        {merchant: key_id for merchant, (_, key_id) in newest.items()},
    )


@dataclass(frozen=True)
class Vaulted:
    merchant: ApiMerchant
    profile_ids: list[str]
    before: Sealed


def _vault_some_profiles(place: Place) -> Vaulted:
    """Profiles created through a live server on the CLI's data directory and database."""
    upgraded(place)
    printed, _ = create_merchant(
        place, "--name", "Rotating merchant", "--login-id", "rotate-1", "--transaction-key", "RotateKey1"
    )
    merchant = ApiMerchant(printed.login_id, printed.transaction_key, printed.signature_key)
    live, stop = start_server(place.settings)
    try:
        profile_ids = _create_profiles(live.endpoint, merchant)
    finally:
        stop()
    before = _sealed(place.settings)
    assert len(before.blobs) == 4  # three payment profiles and the signature key
    assert set(read_key_file(place.settings.master_key_file)) == {1}
    assert set(before.data_key_master_versions.values()) == {1}
    return Vaulted(merchant, profile_ids, before)


def test_keys_rotate_rewraps_data_keys_and_profiles_stay_readable(place: Place) -> None:
    vaulted = _vault_some_profiles(place)

    output = succeeded(strongroom(place, "keys", "rotate"))

    assert "Master key version 2 is current" in output
    assert set(read_key_file(place.settings.master_key_file)) == {1, 2}
    after = _sealed(place.settings)
    assert set(after.data_key_master_versions.values()) == {2}
    assert after.data_key_master_versions.keys() == vaulted.before.data_key_master_versions.keys()
    assert after.blobs == vaulted.before.blobs  # records stay sealed under the same data keys
    assert _stored_numbers(place.settings, "rotate-1", vaulted.profile_ids) == EXPECTED_NUMBERS
    assert (
        _masked_through_a_new_server(place.settings, vaulted.merchant, vaulted.profile_ids) == EXPECTED_MASKED
    )
    assert authenticate(place.settings, "rotate-1", "RotateKey1").name == "Rotating merchant"


def test_keys_rotate_reencrypt_moves_every_blob_to_a_new_data_key(place: Place) -> None:
    vaulted = _vault_some_profiles(place)
    running, stop_running = start_server(place.settings)  # keeps serving across the rotation
    try:
        assert _masked_through(running.endpoint, vaulted.merchant, vaulted.profile_ids) == EXPECTED_MASKED

        output = succeeded(strongroom(place, "keys", "rotate", "--reencrypt"))

        # It has to re-read the key file to open data keys wrapped under the new master key.
        assert _masked_through(running.endpoint, vaulted.merchant, vaulted.profile_ids) == EXPECTED_MASKED
    finally:
        stop_running()

    assert "Master key version 2 is current" in output
    assert "4 records re-encrypted" in output
    assert set(read_key_file(place.settings.master_key_file)) == {1, 2}
    after = _sealed(place.settings)
    assert after.blobs.keys() == vaulted.before.blobs.keys()
    (newest,) = after.newest_data_key.values()  # the one merchant's newest data key
    for row, blob in after.blobs.items():
        assert blob != vaulted.before.blobs[row], row
        assert after.key_id(row) > vaulted.before.key_id(row), row
        assert after.key_id(row) == newest, row
    assert set(after.data_key_master_versions.values()) == {2}
    assert _stored_numbers(place.settings, "rotate-1", vaulted.profile_ids) == EXPECTED_NUMBERS
    assert (
        _masked_through_a_new_server(place.settings, vaulted.merchant, vaulted.profile_ids) == EXPECTED_MASKED
    )
    assert authenticate(place.settings, "rotate-1", "RotateKey1").name == "Rotating merchant"

    # Once more: each rotation adds a master key version and moves the blobs again.
    succeeded(strongroom(place, "keys", "rotate", "--reencrypt"))
    assert set(read_key_file(place.settings.master_key_file)) == {1, 2, 3}
    again = _sealed(place.settings)
    assert all(again.key_id(row) > after.key_id(row) for row in again.blobs)
    assert _stored_numbers(place.settings, "rotate-1", vaulted.profile_ids) == EXPECTED_NUMBERS


# --------------------------------------------------------------------------- serve


@pytest.fixture
def serve(place: Place) -> Iterator[tuple[ServerProcess, int]]:
    upgraded(place)  # SQLite would migrate by itself; PostgreSQL must be upgraded first
    port = free_port()
    server = ServerProcess(place.env, port)
    try:
        yield server, port
    finally:
        server.stop()


def test_acceptance_serve_then_the_official_sdk_runs_the_whole_profile_lifecycle(
    place: Place, serve: tuple[ServerProcess, int]
) -> None:
    """The issue's acceptance test: `strongroom db upgrade`, `strongroom serve`, a merchant from
    `strongroom merchant create`, then create → add payment profile → add address → get → list
    → update → validate → delete with the official SDK against the printed endpoint."""
    server, port = serve
    server.wait_for("Uvicorn running on")
    banner = server.output
    endpoint_line = re.search(r"endpoint:\s+(\S+)", banner)
    assert endpoint_line, banner
    endpoint = endpoint_line[1]
    assert endpoint == f"http://127.0.0.1:{port}/xml/v1/request.api"
    sandbox = printed_credentials(banner)
    assert (sandbox.login_id, sandbox.transaction_key) == (SANDBOX_LOGIN_ID, SANDBOX_TRANSACTION_KEY)
    health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=10)
    assert (health.status_code, health.json()["status"]) == (200, "ok")

    printed, _ = create_merchant(
        place, "--name", "Acceptance merchant", "--login-id", "accept-1", "--transaction-key", "Accept2Key9"
    )
    walk_profile_lifecycle(endpoint, _auth(printed.login_id, printed.transaction_key))

    # The printed sandbox credentials work too.
    ids = contracts.getCustomerProfileIdsRequest()
    ids.merchantAuthentication = _auth(sandbox.login_id, sandbox.transaction_key)
    ok(call(endpoint, controllers.getCustomerProfileIdsController, ids))

    # SIGTERM shuts down cleanly (uvicorn then re-raises the signal, so that is the exit status).
    assert server.stop() in (0, -signal.SIGTERM)
    assert "Finished server process" in server.output
