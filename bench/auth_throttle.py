"""Benchmark: what failed-authentication throttling costs, in process (SQLite): a merchant's
right key alone, the same while another login from the same address is hammered and locked,
a wrong key that is checked, and one refused unchecked by a lockout."""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.api.live_server import START, settings_for

from strongroom.bootstrap import build
from strongroom.clocks import MovableClock
from strongroom.config import DEFAULT_AUTH_ADDRESS_FAILURES
from strongroom.domain.errors import AuthenticationFailed
from strongroom.domain.sensitive import Secret
from strongroom.services.auth_guard import Attempt
from strongroom.services.merchants import Merchants

COUNT = 3_000
ADDRESS = Attempt("authnet", "198.51.100.7")
WRONG = Secret("WrongKey12345678")


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def refused(action: Callable[[], object]) -> Callable[[], None]:
    def run() -> None:
        try:
            action()
        except AuthenticationFailed:
            return
        raise AssertionError("the attempt was not refused")

    return run


def report(label: str, seconds: list[float]) -> None:
    mean = sum(seconds) / len(seconds)
    print(f"{label:<58} {1 / mean:>9,.0f}/s   ({mean * 1e6:,.1f} µs each)")


def main() -> None:
    with tempfile.TemporaryDirectory() as directory:
        data = Path(directory) / "data"
        data.mkdir()
        settings = settings_for(
            f"sqlite:///{data / 'bench.db'}", data, auth_address_failures=DEFAULT_AUTH_ADDRESS_FAILURES
        )
        application = build(settings, clock=MovableClock(START))
        try:
            run(application.services.merchants)
        finally:
            application.close()


def run(merchants: Merchants) -> None:
    victim, _ = merchants.create("Victim", "victim-1")
    neighbour, credentials = merchants.create("Neighbour", "neighbour-1")
    right = Secret(credentials.transaction_key)

    def neighbour_signs_in() -> object:
        return merchants.authenticate(neighbour.login_id, right, ADDRESS)

    def victim_is_guessed() -> object:
        return merchants.authenticate(victim.login_id, WRONG, ADDRESS)

    report("right key, nobody failing", [timed(neighbour_signs_in) for _ in range(COUNT)])
    checked = [timed(refused(victim_is_guessed)) for _ in range(9)]
    report("wrong key, checked (first 9 failures)", checked)
    timed(refused(victim_is_guessed))  # the tenth locks the victim's login
    unchecked, beside = [], []
    for _ in range(COUNT):
        unchecked.append(timed(refused(victim_is_guessed)))
        beside.append(timed(neighbour_signs_in))
    report("wrong key, refused unchecked (login locked)", unchecked)
    report("right key of another login, same address, meanwhile", beside)


if __name__ == "__main__":
    main()
