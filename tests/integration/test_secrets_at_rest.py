"""Secrets are never kept, logged or printed in clear.

A live server (SQLite file, and PostgreSQL when STRONGROOM_TEST_POSTGRES_URL is set) is driven
through the official SDK with cards, a bank account, a driver's license, a tax id and card codes,
validated in liveMode, and a card charge with a 3-D Secure cryptogram, while every log record
is collected (root at DEBUG, so SQLAlchemy logs each statement with its parameters and rows, and
uvicorn's own non-propagating loggers too). Then:

* the database (SQLite: every byte of the file, its -wal and -shm; PostgreSQL: every row of
  every table as text, and every bytea value as raw bytes) holds none of them in clear;
* the server's log output holds none of them (the SDK's own client-side debug log is kept apart
  and, as a canary, does show the card numbers: proof that DEBUG records were collected);
* repr() and str() of the domain objects that carry them show none of them.

Card codes are 4 digits: a 3-digit string turns up by chance in a few hundred kilobytes of
ciphertext, so a search for one would not tell a leak from noise. They are searched as numbers
standing alone (not inside a longer decimal or hexadecimal number: timings, memory addresses and
escaped bytes in log lines are full of digits), and in the database only outside the random bytes
of sealed blobs, wrapped keys, salts and digests.
"""

from __future__ import annotations

import base64
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import pytest
from authorizenet import apicontractsv1 as contracts
from authorizenet import apicontrollers as controllers
from authorizenet.constants import constants as sdk_constants

from strongroom.domain.customers import PaymentProfileDraft
from strongroom.domain.instruments import BankAccount, Card
from strongroom.domain.sensitive import Secret
from strongroom.services.profiles.customer_profiles import ProfileLookup
from strongroom.storage import create_engine_for
from tests.api.arb_client import schedule, subscription, today
from tests.api.builders import address, bank, card, payment_profile
from tests.api.live_server import LiveServer, settings_for, start_server
from tests.api.sdk import ApiMerchant, execute, new_merchant, result
from tests.databases import ENGINES, throwaway_database

CARDS = {  # number -> card code
    "4111111111111111": "7391",
    "5424000000000015": "6284",
    "370000000000002": "4817",
    "6011000000000012": "5926",
}
ROUTING_NUMBER = "121042882"
ACCOUNT_NUMBER = "123456789012"
LICENSE_NUMBER = "D8237461Q"
DATE_OF_BIRTH = "1987-06-15"
TAX_ID = "918273645"
CAVV = "Q0FWVi1zZWNyZXQtYXQtcmVzdCE="  # a 3-D Secure cryptogram: used once, never kept
EXPIRY = "2031-08"
DATABASE_PASSWORD = "pg-Pass-9f3kQ"  # only in the Settings built for the repr check

SDK_LOGGER = sdk_constants.defaultLoggerName  # the client's own log: it prints whole requests
# Loggers that do not pass records up to the root; uvicorn configures them so.
NON_PROPAGATING = ("uvicorn", "uvicorn.access", "uvicorn.error")
# Loggers that set their own level above DEBUG: SQLAlchemy's is WARN unless asked. At DEBUG it
# logs every statement with its parameters and every row it reads.
QUIET_BY_DEFAULT = ("sqlalchemy",)


# --------------------------------------------------------------------------- collecting logs


class CollectingHandler(logging.Handler):
    """Keeps every record it sees once (it sits on the root and on non-propagating loggers),
    formatted with its traceback and stack, as a log file would show it."""

    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        self.records: list[logging.LogRecord] = []
        self.lines: list[tuple[str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        if any(seen is record for seen in self.records[-8:]):
            return  # the same record reached a second logger we sit on
        self.records.append(record)
        self.lines.append((record.name, self.format(record)))


@dataclass
class LogCapture:
    handler: CollectingHandler = field(default_factory=CollectingHandler)
    _levels: dict[str, int] = field(default_factory=dict)

    def loggers(self) -> Iterator[logging.Logger]:
        yield logging.getLogger()
        for name in (*NON_PROPAGATING, *QUIET_BY_DEFAULT):
            yield logging.getLogger(name)

    def start(self) -> None:
        for logger in self.loggers():
            self._levels.setdefault(logger.name, logger.level)
            logger.setLevel(logging.DEBUG)
            if self.handler not in logger.handlers:
                logger.addHandler(self.handler)

    def stop(self) -> None:
        for logger in self.loggers():
            logger.removeHandler(self.handler)
            logger.setLevel(self._levels.get(logger.name, logging.NOTSET))

    def server_text(self) -> str:
        return "\n".join(line for name, line in self.handler.lines if not _is_sdk(name))

    def sdk_text(self) -> str:
        return "\n".join(line for name, line in self.handler.lines if _is_sdk(name))

    def names(self) -> set[str]:
        return {name for name, _ in self.handler.lines}


def _is_sdk(logger_name: str) -> bool:
    return logger_name == SDK_LOGGER or logger_name.startswith(SDK_LOGGER + ".")


# --------------------------------------------------------------------------- the run


@dataclass
class Evidence:
    engine: str
    long_secrets: dict[str, str]  # what each is -> its clear text; never expected anywhere
    card_codes: dict[str, str]
    master_key_text: list[str]
    master_key_bytes: list[bytes]
    stored_bytes: dict[str, bytes] = field(default_factory=dict)  # file -> bytes, or 'bytea'
    stored_text: str = ""  # PostgreSQL: every row as text (bytea as hex)
    stored_plain_text: str = ""  # PostgreSQL: every value but bytea, as text
    random_binary: list[bytes] = field(default_factory=list)
    logs: LogCapture = field(default_factory=LogCapture)
    objects: dict[str, object] = field(default_factory=dict)
    responses: list[tuple[str, str]] = field(default_factory=list)


def _card_payment(number: str, code: str) -> Any:
    return card(number, EXPIRY, code)


def _bank_payment() -> Any:
    return bank(ACCOUNT_NUMBER, ROUTING_NUMBER, "Ellen Johnson", echeck_type="WEB")


def _payment_profile(payment: Any, *, identity: bool = False) -> Any:
    profile = payment_profile(payment, address(), customer_type="individual")
    if identity:
        license_ = contracts.driversLicenseType()
        license_.number = LICENSE_NUMBER
        license_.state = "TX"
        license_.dateOfBirth = DATE_OF_BIRTH
        profile.driversLicense = license_
        profile.taxId = TAX_ID
    return profile


def _drive(server: LiveServer, merchant: ApiMerchant, evidence: Evidence) -> str:
    """Create, add, validate, update and read profiles; returns the customer profile id."""
    numbers = list(CARDS)

    def run(controller: Any, request: Any, label: str) -> Any:
        response = execute(server, controller, request)
        evidence.responses.append((label, ":".join(result(response)[:2])))
        return response

    create = contracts.createCustomerProfileRequest()
    create.merchantAuthentication = merchant.auth()
    create.profile = contracts.customerProfileType()
    create.profile.merchantCustomerId = "secrets-1"
    create.profile.email = "ellen@example.com"
    create.profile.paymentProfiles = [
        _payment_profile(_card_payment(numbers[0], CARDS[numbers[0]]), identity=True),
        _payment_profile(_card_payment(numbers[1], CARDS[numbers[1]])),
        _payment_profile(_bank_payment(), identity=True),
    ]
    create.validationMode = "liveMode"
    # The canary: the SDK logs a whole request, in clear, on the client side at DEBUG.
    controllers.createCustomerProfileController(create).getprettyxmlrequest()
    response = run(controllers.createCustomerProfileController, create, "create")
    profile_id = str(response.customerProfileId)
    payment_ids = [str(item) for item in response.customerPaymentProfileIdList.numericString]

    for number in numbers[2:]:
        add = contracts.createCustomerPaymentProfileRequest()
        add.merchantAuthentication = merchant.auth()
        add.customerProfileId = profile_id
        add.paymentProfile = _payment_profile(_card_payment(number, CARDS[number]), identity=True)
        add.validationMode = "liveMode"
        response = run(controllers.createCustomerPaymentProfileController, add, "add")
        payment_ids.append(str(response.customerPaymentProfileId))

    validate = contracts.validateCustomerPaymentProfileRequest()
    validate.merchantAuthentication = merchant.auth()
    validate.customerProfileId = profile_id
    validate.customerPaymentProfileId = payment_ids[0]
    validate.cardCode = CARDS[numbers[0]]
    validate.validationMode = "liveMode"
    run(controllers.validateCustomerPaymentProfileController, validate, "validate")

    update = contracts.updateCustomerPaymentProfileRequest()
    update.merchantAuthentication = merchant.auth()
    update.customerProfileId = profile_id
    update.paymentProfile = contracts.customerPaymentProfileExType()
    update.paymentProfile.customerPaymentProfileId = payment_ids[1]
    update.paymentProfile.billTo = address()
    update.paymentProfile.payment = _card_payment(numbers[1], CARDS[numbers[1]])
    update.paymentProfile.driversLicense = _payment_profile(None, identity=True).driversLicense
    update.paymentProfile.taxId = TAX_ID
    update.validationMode = "liveMode"
    run(controllers.updateCustomerPaymentProfileController, update, "update")

    # A request refused on the way in (three decimal places in an amount), carrying a card
    # number, code and tax id.
    refused = contracts.createCustomerPaymentProfileRequest()
    refused.merchantAuthentication = merchant.auth()
    refused.customerProfileId = profile_id
    refused.paymentProfile = _payment_profile(_card_payment(numbers[3], CARDS[numbers[3]]), identity=True)
    refused.paymentProfile.billTo.zip = "44629"  # not a duplicate of the one added above
    refused.paymentProfile.subsequentAuthInformation = contracts.subsequentAuthInformation()
    refused.paymentProfile.subsequentAuthInformation.originalNetworkTransId = "NTI0SECRETS"
    refused.paymentProfile.subsequentAuthInformation.originalAuthAmount = "12.345"
    run(controllers.createCustomerPaymentProfileController, refused, "refused")

    # An unexpected failure whose message quotes the request's secrets, as a library's might.
    refused.paymentProfile.subsequentAuthInformation = None
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(server.application.services.payment_profiles, "add", _failing_add)
        run(controllers.createCustomerPaymentProfileController, refused, "crashed")

    # A charge authenticated by 3-D Secure: the cryptogram goes to the processor only.
    pay = contracts.createTransactionRequest()
    pay.merchantAuthentication = merchant.auth()
    pay.transactionRequest = contracts.transactionRequestType()
    pay.transactionRequest.transactionType = "authCaptureTransaction"
    pay.transactionRequest.amount = "12.00"
    pay.transactionRequest.payment = _card_payment(numbers[0], CARDS[numbers[0]])
    pay.transactionRequest.cardholderAuthentication = contracts.ccAuthenticationType()
    pay.transactionRequest.cardholderAuthentication.authenticationIndicator = "05"
    pay.transactionRequest.cardholderAuthentication.cardholderAuthenticationValue = CAVV
    response = run(controllers.createTransactionController, pay, "charge")
    assert response.transactionResponse.cavvResultCode.text == "2"
    _subscribe(server, merchant, run, numbers)

    get = contracts.getCustomerProfileRequest()
    get.merchantAuthentication = merchant.auth()
    get.customerProfileId = profile_id
    get.unmaskExpirationDate = True
    run(controllers.getCustomerProfileController, get, "get")
    return profile_id


def _failing_add(_merchant: object, _profile_ref: str, draft: PaymentProfileDraft, _mode: object) -> None:
    card = draft.instrument
    assert isinstance(card, Card)
    assert draft.card_code is not None
    assert draft.tax_id is not None
    raise RuntimeError(
        f"cannot store card {card.number.reveal()} with code "
        f"{draft.card_code.reveal()} for tax id {draft.tax_id.reveal()}"
    )


def _sqlite_files(database_url: str) -> dict[str, bytes]:
    database = Path(database_url.removeprefix("sqlite:///"))
    return {
        path.name: path.read_bytes()
        for path in sorted(database.parent.glob(database.name + "*"))
        if path.is_file()
    }


def _random_binary_values(database_url: str) -> list[bytes]:
    """Every value that is random bytes by design: sealed blobs, wrapped keys, salts, digests."""
    queries = (
        "SELECT sealed FROM payment_profiles",
        "SELECT sealed_signature_key FROM merchants",
        "SELECT credential_salt FROM merchants",
        "SELECT transaction_key_digest FROM merchants",
        "SELECT wrapped FROM data_keys",
    )
    engine = create_engine_for(database_url)
    try:
        with engine.connect() as connection:
            return [
                bytes(value)
                for query in queries
                for value in connection.exec_driver_sql(query).scalars()
                if value
            ]
    finally:
        engine.dispose()


def _postgres_rows(database_url: str) -> tuple[str, list[bytes]]:
    """Like a data-only pg_dump of the test's schema: every row of every table as text, plus
    each bytea value's raw bytes (whose text form is hex, where clear text would not show)."""
    url = database_url.replace("postgresql+psycopg://", "postgresql://", 1)
    lines: list[str] = []
    raw: list[bytes] = []
    with psycopg.connect(url) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
            )
        ]
        assert {"merchants", "payment_profiles", "transactions", "data_keys"} <= set(tables)
        for table in tables:
            for (row_text,) in connection.execute(f'SELECT t::text FROM "{table}" AS t'):
                lines.append(f"{table}: {row_text}")
            for row in connection.execute(f'SELECT * FROM "{table}"'):
                raw.extend(bytes(value) for value in row if isinstance(value, bytes | memoryview))
    return "\n".join(lines), raw


def _non_binary_postgres_text(database_url: str) -> str:
    url = database_url.replace("postgresql+psycopg://", "postgresql://", 1)
    values: list[str] = []
    with psycopg.connect(url) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
            )
        ]
        for table in tables:
            for row in connection.execute(f'SELECT * FROM "{table}"'):
                values.extend(repr(value) for value in row if not isinstance(value, bytes | memoryview))
    return "\n".join(values)


@pytest.fixture(scope="module", params=ENGINES)
def evidence(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Evidence]:
    directory = tmp_path_factory.mktemp(f"secrets-{request.param}")
    with pytest.MonkeyPatch.context() as patch, throwaway_database(request.param, directory) as database_url:
        for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"):
            patch.delenv(name, raising=False)
        patch.setenv("NO_PROXY", "127.0.0.1,localhost")
        logs = LogCapture()
        logs.start()  # before the server: SQLAlchemy decides per connection whether to log SQL
        try:
            yield _run(request.param, database_url, directory / "data", logs)
        finally:
            logs.stop()


def _run(engine: str, database_url: str, data_dir: Path, logs: LogCapture) -> Evidence:
    server, stop = start_server(settings_for(database_url, data_dir))
    stopped = False
    try:
        logs.start()  # again: uvicorn's config reset its own loggers' levels
        merchant = new_merchant(server, "Secrets merchant")
        master = server.application.master_keys
        master_bytes = [master.key(version) for version in master.versions]
        evidence = Evidence(
            engine=engine,
            long_secrets={
                **{f"card number {number}": number for number in CARDS},
                "routing number": ROUTING_NUMBER,
                "account number": ACCOUNT_NUMBER,
                "license number": LICENSE_NUMBER,
                "date of birth": DATE_OF_BIRTH,
                "tax id": TAX_ID,
                "transaction key": merchant.transaction_key,
                "3-D Secure cryptogram": CAVV,
                "signature key": merchant.signature_key,
                "signature key (lower case)": merchant.signature_key.lower(),
                "database password": DATABASE_PASSWORD,
            },
            card_codes={f"card code of {number}": code for number, code in CARDS.items()},
            master_key_text=[base64.urlsafe_b64encode(key).decode() for key in master_bytes],
            master_key_bytes=master_bytes,
            logs=logs,
        )
        profile_id = _drive(server, merchant, evidence)
        _keep_domain_objects(server, merchant, profile_id, evidence)
        evidence.random_binary = _random_binary_values(database_url)
        if engine == "sqlite":
            evidence.stored_bytes.update(
                {f"{name} (server running)": data for name, data in _sqlite_files(database_url).items()}
            )
        else:
            evidence.stored_text, raw = _postgres_rows(database_url)
            evidence.stored_bytes.update({f"bytea value {i}": value for i, value in enumerate(raw)})
            evidence.stored_plain_text = _non_binary_postgres_text(database_url)
        stop()
        stopped = True
        if engine == "sqlite":
            evidence.stored_bytes.update(
                {f"{name} (server stopped)": data for name, data in _sqlite_files(database_url).items()}
            )
        return evidence
    finally:
        if not stopped:
            stop()


def _keep_domain_objects(server: LiveServer, api: ApiMerchant, profile_id: str, evidence: Evidence) -> None:
    services = server.application.services
    merchant = services.merchants.by_login(api.login_id)
    assert merchant is not None
    profile = services.customer_profiles.get(merchant, ProfileLookup(profile_ref=profile_id))
    numbers = list(CARDS)
    card = Card.parse(numbers[2], EXPIRY)
    bank = BankAccount.parse(ROUTING_NUMBER, ACCOUNT_NUMBER, "Ellen Johnson")
    with_master_key = settings_for(
        f"postgresql://strongroom:{DATABASE_PASSWORD}@db/strongroom",
        server.settings.data_dir,
        master_key=evidence.master_key_text[0],
    )
    password_in_query = settings_for(
        f"postgresql+psycopg://db/strongroom?user=strongroom&password={DATABASE_PASSWORD}",
        server.settings.data_dir,
    )
    objects: dict[str, object] = {
        "CustomerProfile": profile,
        "Card": card,
        "BankAccount": bank,
        "Secret": Secret(numbers[0]),
        "Secret(code)": Secret(CARDS[numbers[0]]),
        "Settings": server.settings,
        "Settings with master key": with_master_key,
        "Settings with password in the query": password_in_query,
        "EnvelopeVault": server.application.vault,
        "MasterKeys": server.application.master_keys,
    }
    for index, stored_profile in enumerate(profile.payment_profiles):
        objects[f"PaymentProfile {index}"] = stored_profile
        objects[f"PaymentProfile {index} instrument"] = stored_profile.instrument
        if stored_profile.drivers_license is not None:
            objects[f"PaymentProfile {index} license"] = stored_profile.drivers_license
    evidence.objects = objects


# --------------------------------------------------------------------------- checks


# A card code standing alone: not inside a longer decimal or hexadecimal number (timings such as
# "0.5926s", memory addresses such as "0x7f3ea5926e10", escaped bytes such as "\\xa5926"), and
# not a bracketed process id (uvicorn logs "Started server process [5926]": any pid can collide).
_NOT_BEFORE = "0-9A-Fa-f.x\\["
_NOT_AFTER = "0-9A-Fa-f"


def _whole_number(code: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![{_NOT_BEFORE}]){re.escape(code)}(?![{_NOT_AFTER}])")


def _whole_number_bytes(code: str) -> re.Pattern[bytes]:
    return re.compile(rf"(?<![{_NOT_BEFORE}]){re.escape(code)}(?![{_NOT_AFTER}])".encode())


def _found_in_text(text: str, evidence: Evidence) -> list[str]:
    found = [label for label, value in evidence.long_secrets.items() if value in text]
    found += [label for label, code in evidence.card_codes.items() if _whole_number(code).search(text)]
    found += [f"master key {number}" for number, key in enumerate(evidence.master_key_text, 1) if key in text]
    return found


def _masked(data: bytes, random_values: Iterable[bytes]) -> bytes:
    for value in sorted(set(random_values), key=len, reverse=True):
        data = data.replace(value, b"\x00" * len(value))
    return data


def _subscribe(server: LiveServer, merchant: ApiMerchant, run: Any, numbers: list[str]) -> None:
    """Subscriptions paid by a card (with its code) and a bank account, billed once, and one
    updated with another card."""
    start = schedule(today(server))
    paid_by_card = contracts.ARBCreateSubscriptionRequest()
    paid_by_card.merchantAuthentication = merchant.auth()
    paid_by_card.subscription = subscription(
        start, payment=_card_payment(numbers[2], CARDS[numbers[2]]), customer_id="secrets-arb"
    )
    response = run(controllers.ARBCreateSubscriptionController, paid_by_card, "subscribe")
    paid_by_bank = contracts.ARBCreateSubscriptionRequest()
    paid_by_bank.merchantAuthentication = merchant.auth()
    paid_by_bank.subscription = subscription(start, payment=_bank_payment())
    run(controllers.ARBCreateSubscriptionController, paid_by_bank, "subscribe")
    server.application.services.billing.run(server.clock.now())
    update = contracts.ARBUpdateSubscriptionRequest()
    update.merchantAuthentication = merchant.auth()
    update.subscriptionId = str(response.subscriptionId)
    update.subscription = subscription(
        None, amount=None, bill_to=None, payment=_card_payment(numbers[3], CARDS[numbers[3]])
    )
    run(controllers.ARBUpdateSubscriptionController, update, "subscription update")


def test_the_run_did_what_the_checks_assume(evidence: Evidence) -> None:
    """Guard against vacuous passes: profiles were stored, and the checks look at real data."""
    assert evidence.responses[:4] == [
        ("create", "Ok:I00001"),
        ("add", "Ok:I00001"),
        ("add", "Ok:I00001"),
        ("validate", "Ok:I00001"),
    ]
    assert ("update", "Ok:I00001") in evidence.responses
    assert ("get", "Ok:I00001") in evidence.responses
    assert evidence.responses.count(("subscribe", "Ok:I00001")) == 2
    assert ("subscription update", "Ok:I00001") in evidence.responses
    assert ("refused", "Ok:I00001") not in evidence.responses
    assert ("crashed", "Error:E00001") in evidence.responses
    assert ("charge", "Ok:I00001") in evidence.responses
    profile = evidence.objects["CustomerProfile"]
    revealed = {
        payment.instrument.number.reveal()
        for payment in profile.payment_profiles  # type: ignore[attr-defined]
        if isinstance(payment.instrument, Card)
    }
    assert revealed == set(CARDS)
    assert len(evidence.random_binary) >= 5
    if evidence.engine == "sqlite":
        assert any(name.startswith("strongroom.db-wal") for name in evidence.stored_bytes)
        running = evidence.stored_bytes["strongroom.db (server running)"]
        assert running.startswith(b"SQLite format 3\x00")
    else:
        assert "payment_profiles:" in evidence.stored_text


def test_the_database_holds_no_secret_in_clear(evidence: Evidence) -> None:
    leaks: list[str] = []
    for name, data in evidence.stored_bytes.items():
        for label, value in evidence.long_secrets.items():
            if value.encode() in data:
                leaks.append(f"{label} in {name}")
        leaks += [f"master key in {name}" for key in evidence.master_key_text if key.encode() in data]
        outside_random = _masked(data, evidence.random_binary)
        leaks += [
            f"{label} in {name}"
            for label, code in evidence.card_codes.items()
            if _whole_number_bytes(code).search(outside_random)
        ]
    # Row text shows bytea as hex, where digits turn up by chance: codes are sought elsewhere.
    leaks += [
        f"{label} in a row" for label, value in evidence.long_secrets.items() if value in evidence.stored_text
    ]
    leaks += [f"{label} in a row" for label in _found_in_text(evidence.stored_plain_text, evidence)]
    assert leaks == []


def test_the_server_logs_hold_no_secret(evidence: Evidence) -> None:
    server_log = evidence.logs.server_text()

    assert _found_in_text(server_log, evidence) == []
    # The capture saw what a DEBUG-level log file would: the server's access log, SQLAlchemy's
    # statements with their parameters, and the failure whose message quoted secrets.
    names = evidence.logs.names()
    assert "uvicorn.access" in names
    assert any(name.startswith("sqlalchemy.engine") for name in names)
    assert "INSERT INTO payment_profiles" in server_log
    assert "strongroom.authnet ERROR unexpected" in server_log


def test_the_log_capture_would_have_seen_a_leak(evidence: Evidence) -> None:
    """The canary: the SDK logged a whole request at DEBUG on the client side, and we saw it."""
    client_log = evidence.logs.sdk_text()

    assert all(number in client_log for number in list(CARDS)[:2])
    assert all(_whole_number(code).search(client_log) for code in list(CARDS.values())[:2])
    assert ACCOUNT_NUMBER in client_log
    assert TAX_ID in client_log


def _printed_forms(item: object) -> tuple[str, ...]:
    return (repr(item), str(item), f"{item}", "%s %r" % (item, item))  # noqa: UP031


def test_domain_objects_print_no_secret(evidence: Evidence) -> None:
    leaks = []
    for label, item in evidence.objects.items():
        for form in _printed_forms(item):
            leaks += [
                f"{label}: {found}" for found in _found_in_text(form, evidence) if found != "date of birth"
            ]  # see the next test
            leaks += [
                f"{label}: master key bytes" for key in evidence.master_key_bytes if repr(key)[2:-1] in form
            ]
    assert leaks == []


def test_a_drivers_license_prints_no_date_of_birth(evidence: Evidence) -> None:
    licenses = [item for label, item in evidence.objects.items() if label.endswith("license")]

    assert licenses
    assert not any(DATE_OF_BIRTH in form for item in licenses for form in _printed_forms(item))
