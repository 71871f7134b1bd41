"""The failed-authentication throttle: leaky buckets per login and per address, lockouts that
expire, and a bounded memory."""

from __future__ import annotations

import pytest

from strongroom.domain.auth_throttle import AuthThrottle, Bucket, Limit, Refusal, address_key

LOGIN = Limit(failures=10, window=300, lockout=900)
ADDRESS = Limit(failures=50, window=300, lockout=900)
HERE, THERE = "198.51.100.7", "203.0.113.9"


def throttle(capacity: int = 1_000) -> AuthThrottle:
    return AuthThrottle(LOGIN, ADDRESS, capacity)


def fail(
    guard: AuthThrottle, times: int, login: str = "victim", address: str | None = HERE, at: float = 0.0
) -> list[tuple[str, int]]:
    """Fail `times` times at `at`; the (scope, failures) of every lockout caused."""
    caused = []
    for _ in range(times):
        caused += [(scope, lockout.failures) for scope, lockout in guard.failed(login, address, at)]
    return caused


def test_the_tenth_failure_in_a_burst_locks_the_login_for_the_lockout() -> None:
    guard = throttle()

    assert fail(guard, 9) == []
    assert guard.refusal("victim", HERE, 0.0) is None
    assert fail(guard, 1) == [("login", 10)]

    assert guard.refusal("victim", HERE, 1.0) == Refusal("login", 900.0)
    assert guard.refusal("victim", THERE, 899.0) == Refusal("login", 900.0)  # any address
    assert guard.refusal("victim", HERE, 900.0) is None  # expired


def test_a_burst_spread_over_real_seconds_still_locks_at_the_tenth() -> None:
    guard = throttle()

    caused = [fail(guard, 1, at=index * 0.4) for index in range(10)]  # 0.3 of one leaked

    assert caused[-1] == [("login", 10)]
    assert [item for item in caused[:-1] if item] == []


def test_other_logins_from_the_same_address_are_not_refused() -> None:
    guard = throttle()
    fail(guard, 10)

    assert guard.refusal("neighbour", HERE, 1.0) is None


def test_failures_leak_away_at_the_limit_per_window() -> None:
    guard = throttle()
    fail(guard, 9)

    # 300 s leak all 10; after 30 s one has leaked, so two more fit before the tenth.
    assert fail(guard, 1, at=30.0) == []
    assert fail(guard, 1, at=30.0) == [("login", 10)]
    other = throttle()
    fail(other, 9)
    assert fail(other, 9, at=300.0) == []  # the first nine have leaked away entirely


def test_a_steady_trickle_under_the_rate_never_locks() -> None:
    guard = throttle()

    caused = [fail(guard, 1, at=second * 31.0) for second in range(200)]

    assert [item for item in caused if item] == []


def test_fifty_failures_from_one_address_lock_it_for_every_login() -> None:
    guard = throttle()

    caused = [fail(guard, 1, login=f"login-{index}") for index in range(50)]

    assert [item for item in caused if item] == [[("address", 50)]]
    assert guard.refusal("someone-else", HERE, 1.0) == Refusal("address", 900.0)
    assert guard.refusal("someone-else", THERE, 1.0) is None
    assert guard.refusal("someone-else", None, 1.0) is None  # in-process, no address


def test_an_address_lock_takes_precedence_over_a_login_lock() -> None:
    guard = throttle()
    fail(guard, 10)  # the login locks at 0
    fail(guard, 45, login="others", at=10.0)  # 8.3 left of the first 10: full at 10 s

    assert guard.refusal("victim", HERE, 11.0) == Refusal("address", 910.0)
    assert guard.refusal("victim", THERE, 11.0) == Refusal("login", 900.0)


def test_failures_without_an_address_count_against_the_login_only() -> None:
    guard = throttle()

    assert fail(guard, 10, address=None) == [("login", 10)]
    assert guard.refusal("other", HERE, 1.0) is None


def test_a_disabled_limit_never_locks() -> None:
    guard = AuthThrottle(Limit(0, 300, 900), ADDRESS, 100)

    assert fail(guard, 49) == []
    assert fail(guard, 1) == [("address", 50)]


def test_memory_is_bounded_and_the_least_recently_touched_key_goes_first() -> None:
    bucket = Bucket(Limit(3, 300, 900), capacity=2)
    bucket.fail("first", 0.0)
    bucket.fail("second", 0.0)
    bucket.fail("first", 0.0)
    bucket.fail("third", 0.0)  # forgets "second"

    assert len(bucket) == 2
    assert bucket.fail("first", 0.0) is not None  # kept: its third failure locks it
    assert bucket.fail("second", 0.0) is None  # forgotten: counting again from one


def test_a_spray_of_logins_stays_within_capacity() -> None:
    guard = throttle(capacity=100)

    for index in range(5_000):
        guard.failed(f"login-{index}", f"10.0.{index // 256}.{index % 256}", 0.0)

    assert guard.remembered <= 200


def test_capacity_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least one key"):
        Bucket(LOGIN, 0)


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("198.51.100.7", "198.51.100.7"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"),
        ("::ffff:198.51.100.7", "198.51.100.7"),
        ("testclient", "testclient"),
    ],
)
def test_addresses_are_throttled_by_ipv4_address_or_ipv6_slash_64(address: str, key: str) -> None:
    assert address_key(address) == key


def test_one_ipv6_subscriber_rotating_addresses_in_its_64_is_one_address() -> None:
    guard = throttle()

    caused = [guard.failed(f"login-{index}", f"2001:db8:1:2::{index + 1:x}", 0.0) for index in range(50)]

    assert [scope for item in caused for scope, _ in item] == ["address"]
    assert guard.refusal("x", "2001:db8:1:2::ffff", 1.0) == Refusal("address", 900.0)
    assert guard.refusal("x", "2001:db8:1:3::1", 1.0) is None
