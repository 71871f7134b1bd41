"""Failed authentications are throttled per API login ID and per client address, on both doors,
with the default limits (10 per login, 50 per address, 15-minute lockouts), on a live server
whose clock moves the lockouts out of the way instead of sleeping."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import timedelta

import pytest
from authorizenet import apicontractsv1 as contracts
from authorizenet import apicontrollers as controllers

from strongroom.config import (
    DEFAULT_AUTH_ADDRESS_FAILURES,
    DEFAULT_AUTH_LOCKOUT_SECONDS,
    DEFAULT_AUTH_LOGIN_FAILURES,
)
from tests.api import raw
from tests.api.live_server import LiveServer, settings_for, start_server
from tests.api.rest_client import assert_error, rest
from tests.api.sdk import ApiMerchant, execute, new_merchant, result
from tests.databases import ENGINES, throwaway_database

LOCKOUT = timedelta(seconds=DEFAULT_AUTH_LOCKOUT_SECONDS)
LOGIN_LOCKED = "too many failed attempts for this API login ID; try again after"
ADDRESS_LOCKED = "too many failed attempts for this client address; try again after"
WRONG_KEY = "WrongKey12345678"
AUDIT = "strongroom.audit"


@pytest.fixture(scope="module", params=ENGINES)
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server with the default limits (the shared test server has no address limit)."""
    directory = tmp_path_factory.mktemp(f"throttle-{request.param}")
    with throwaway_database(request.param, directory) as url:
        live, stop = start_server(
            settings_for(url, directory / "data", auth_address_failures=DEFAULT_AUTH_ADDRESS_FAILURES)
        )
        try:
            yield live
        finally:
            stop()


@pytest.fixture(autouse=True)
def _earlier_lockouts_expired(server: LiveServer) -> None:
    # Each test starts after every earlier lockout and failure of this module has gone.
    server.clock.advance(LOCKOUT * 2)


def profile_ids(server: LiveServer, merchant: ApiMerchant) -> tuple[str, str, str]:
    """getCustomerProfileIds through the official SDK: (resultCode, code, text)."""
    request = contracts.getCustomerProfileIdsRequest()
    request.merchantAuthentication = merchant.auth()
    return result(execute(server, controllers.getCustomerProfileIdsController, request))


def wrong(merchant: ApiMerchant, key: str = WRONG_KEY, login: str | None = None) -> ApiMerchant:
    return ApiMerchant(merchant.login_id if login is None else login, key, "")


def fail_authnet(
    server: LiveServer, merchant: ApiMerchant, times: int, dialect: str = "xml"
) -> list[tuple[str, str]]:
    """`times` getCustomerProfileIds with `merchant`'s (wrong) credentials, hand-written."""
    pairs = [("merchantAuthentication", raw.auth(merchant))]
    return [raw.call(server, dialect, "getCustomerProfileIdsRequest", pairs).error() for _ in range(times)]


def fail_rest(server: LiveServer, login: str, times: int) -> list[int]:
    with rest(server, auth=(login, WRONG_KEY)) as client:
        return [client.get("/eventtypes").status_code for _ in range(times)]


@pytest.mark.parametrize("dialect", raw.DIALECTS)
def test_ten_wrong_keys_lock_the_login_even_for_its_right_key_until_the_lockout_ends(
    server: LiveServer, dialect: str, caplog: pytest.LogCaptureFixture
) -> None:
    victim, neighbour = new_merchant(server), new_merchant(server)
    caplog.set_level(logging.WARNING, logger=AUDIT)

    answers = fail_authnet(server, wrong(victim), DEFAULT_AUTH_LOGIN_FAILURES, dialect)

    assert {code for code, _ in answers} == {"E00007"}
    assert all(LOGIN_LOCKED not in text for _, text in answers)  # the tenth still counted
    code, _, text = profile_ids(server, victim)
    assert (code, LOGIN_LOCKED in text) == ("Error", True)
    assert profile_ids(server, neighbour)[:2] == ("Ok", "I00001")  # same address, not slowed
    audit = [record.getMessage() for record in caplog.records if record.name == AUDIT]
    assert len(audit) == 1
    assert f"scope=login dialect=authnet login='{victim.login_id}' address=127.0.0.1" in audit[0]
    assert "failures=10 until=" in audit[0]
    assert WRONG_KEY not in audit[0]
    assert victim.transaction_key not in caplog.text

    server.clock.advance(LOCKOUT - timedelta(seconds=1))
    assert LOGIN_LOCKED in profile_ids(server, victim)[2]
    server.clock.advance(timedelta(seconds=1))
    assert profile_ids(server, victim)[:2] == ("Ok", "I00001")


def test_the_lockout_answer_names_when_to_come_back(server: LiveServer) -> None:
    victim = new_merchant(server)
    failed_at = server.clock.now()
    fail_authnet(server, wrong(victim), DEFAULT_AUTH_LOGIN_FAILURES)

    text = profile_ids(server, victim)[2]

    assert text == (
        "User authentication failed: " + LOGIN_LOCKED + f" {failed_at + LOCKOUT:%Y-%m-%dT%H:%M:%SZ}."
    )


def test_an_unknown_login_locks_exactly_like_a_known_one(server: LiveServer) -> None:
    known = new_merchant(server)
    unknown = wrong(known, login="nosuchlogin")

    fail_authnet(server, wrong(known), DEFAULT_AUTH_LOGIN_FAILURES)
    fail_authnet(server, unknown, DEFAULT_AUTH_LOGIN_FAILURES)

    # Same code, same words: a lockout tells nothing about which logins exist.
    assert fail_authnet(server, known, 1) == fail_authnet(server, unknown, 1)


def test_ten_wrong_basic_passwords_lock_the_rest_door_with_429_and_retry_after(server: LiveServer) -> None:
    victim, neighbour = new_merchant(server), new_merchant(server)

    statuses = fail_rest(server, victim.login_id, DEFAULT_AUTH_LOGIN_FAILURES)

    assert statuses == [401] * DEFAULT_AUTH_LOGIN_FAILURES
    with rest(server, victim) as client:
        locked = client.get("/eventtypes")
    body = assert_error(locked, 429, "TOO_MANY_FAILED_AUTHENTICATIONS")
    assert LOGIN_LOCKED in body["message"]
    assert locked.headers["retry-after"].endswith(" GMT")
    with rest(server, neighbour) as client:
        assert client.get("/eventtypes").status_code == 200
    assert LOGIN_LOCKED in profile_ids(server, victim)[2]  # one login, one budget, both doors

    server.clock.advance(LOCKOUT)
    with rest(server, victim) as client:
        assert client.get("/eventtypes").status_code == 200


def test_failures_on_both_doors_share_the_login_budget(server: LiveServer) -> None:
    victim = new_merchant(server)
    half = DEFAULT_AUTH_LOGIN_FAILURES // 2

    fail_authnet(server, wrong(victim), half, "json")
    fail_rest(server, victim.login_id, DEFAULT_AUTH_LOGIN_FAILURES - half)

    assert LOGIN_LOCKED in profile_ids(server, victim)[2]


def test_fifty_failures_from_one_address_lock_it_for_every_merchant_then_expire(
    server: LiveServer, caplog: pytest.LogCaptureFixture
) -> None:
    merchant = new_merchant(server)
    caplog.set_level(logging.WARNING, logger=AUDIT)
    # One failure per login, so no login reaches its own limit: only the address does.
    for index in range(DEFAULT_AUTH_ADDRESS_FAILURES):
        fail_authnet(server, wrong(merchant, login=f"spray-{index}"), 1)

    code, _, text = profile_ids(server, merchant)
    assert (code, ADDRESS_LOCKED in text) == ("Error", True)
    with rest(server, merchant) as client:
        body = assert_error(client.get("/eventtypes"), 429, "TOO_MANY_FAILED_AUTHENTICATIONS")
    assert ADDRESS_LOCKED in body["message"]
    audit = [record.getMessage() for record in caplog.records if record.name == AUDIT]
    assert [line.split(" login=")[0] for line in audit] == [
        "authentication lockout: scope=address dialect=authnet"
    ]
    assert "address=127.0.0.1 failures=50" in audit[0]

    server.clock.advance(LOCKOUT)
    assert profile_ids(server, merchant)[:2] == ("Ok", "I00001")


def test_five_hundred_wrong_keys_cost_the_attacker_all_but_the_first_ten(server: LiveServer) -> None:
    victim = new_merchant(server)

    texts = [text for _, text in fail_authnet(server, wrong(victim), 500)]

    checked = [text for text in texts if LOGIN_LOCKED not in text]
    assert len(checked) == DEFAULT_AUTH_LOGIN_FAILURES  # the rest were refused unchecked
