"""`strongroom jobs run settlement|instrument-purge`, `strongroom clock show|advance` and
`strongroom merchant cutoff` as real subprocesses on both engines (helpers and fixtures from
test_cli)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from strongroom.bootstrap import build
from strongroom.domain.transactions import TransactionStatus
from tests.integration import test_cli
from tests.integration.payments.conftest import bank, charge
from tests.integration.test_cli import (
    Place,
    create_merchant,
    refused,
    strongroom,
    succeeded,
    upgraded,
)

# test_cli's fixtures, for these tests too (the proxy one is autouse).
place = test_cli.place
sqlite_place = test_cli.sqlite_place
_no_proxies = test_cli._no_proxies

S = TransactionStatus


def charged(place: Place) -> tuple[str, str]:
    """A card and an eCheck charge of a new merchant, made in-process at sandbox time."""
    application = build(place.settings)
    try:
        merchant, _ = application.services.merchants.create("Settling shop", "settle-1")
        refs = []
        for request in (charge("10.00"), charge("20.00", bank())):
            record = application.services.payments.charge(merchant, request).record
            assert record is not None
            assert record.status is S.CAPTURED_PENDING_SETTLEMENT
            refs.append(record.ref)
    finally:
        application.close()
    return refs[0], refs[1]


def statuses(place: Place, refs: tuple[str, str]) -> list[tuple[TransactionStatus, str | None]]:
    application = build(place.settings)
    try:
        merchant = application.services.merchants.by_login("settle-1")
        assert merchant is not None
        records = [application.services.payments.get(merchant, ref) for ref in refs]
    finally:
        application.close()
    return [(record.status, record.batch_ref) for record in records]


def test_jobs_run_settlement_settles_what_the_advanced_clock_made_due(place: Place) -> None:
    upgraded(place)
    refs = charged(place)

    # Two days: at least one cut-off passes even across a 25-hour daylight-saving day.
    advanced = succeeded(strongroom(place, "clock", "advance", "2d"))
    report = succeeded(strongroom(place, "jobs", "run", "settlement"))
    again = succeeded(strongroom(place, "jobs", "run", "settlement"))

    assert "Sandbox clock advanced by 2d" in advanced
    assert "2 batches, 2 transactions settled, 0 authorizations expired." in report
    card = re.search(
        r"batch (\d{8})  settle-1  credit card  settled .*1 transactions, "
        r"charges 10\.00, refunds 0\.00",
        report,
    )
    check = re.search(
        r"batch (\d{8})  settle-1  eCheck  settled .*1 transactions, "
        r"charges 20\.00, refunds 0\.00",
        report,
    )
    assert card, report
    assert check, report
    assert ": 0 batches, 0 transactions settled" in again
    assert statuses(place, refs) == [(S.SETTLED, card[1]), (S.SETTLED, check[1])]


def _shown(place: Place) -> tuple[datetime, datetime, datetime, str]:
    """(system time before, sandbox time printed, system time after, offset text)."""
    before = datetime.now(UTC).replace(microsecond=0)
    shown = succeeded(strongroom(place, "clock", "show"))
    after = datetime.now(UTC)
    match = re.fullmatch(r"Sandbox clock: (\S+ \S+)Z \(system time \+ ([^)]+)\)\.\n", shown)
    assert match, shown
    printed = datetime.strptime(match[1], "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    return before, printed, after, match[2]


def test_clock_advance_persists_across_processes_and_accumulates(place: Place) -> None:
    upgraded(place)
    before, printed, after, offset = _shown(place)
    assert offset == "0s"
    assert before <= printed <= after

    assert "advanced by 1d" in succeeded(strongroom(place, "clock", "advance", "1d"))
    assert "advanced by 3h" in succeeded(strongroom(place, "clock", "advance", "3h"))
    moved = succeeded(strongroom(place, "clock", "advance", "90m"))

    assert moved.endswith("(system time + 1d 4h 30m).\n")
    before, printed, after, offset = _shown(place)
    assert offset == "1d 4h 30m"
    ahead = timedelta(days=1, hours=4, minutes=30)
    assert before + ahead <= printed <= after + ahead


@pytest.mark.parametrize("duration", ["1w", "-1d", "0m", "1.5h", "d", "1d-2h", "soon"])
def test_clock_advance_refuses_what_is_not_a_forward_duration(sqlite_place: Place, duration: str) -> None:
    completed = strongroom(sqlite_place, "clock", "advance", "--", duration)

    assert completed.returncode == 2, completed.stdout
    assert "Traceback" not in completed.stderr
    assert "Error: Invalid value" in completed.stderr
    assert "+ 0s" in succeeded(strongroom(sqlite_place, "clock", "show"))


def test_clock_advance_is_refused_in_production(sqlite_place: Place) -> None:
    production = Place(sqlite_place.data_dir, {**sqlite_place.env, "STRONGROOM_ENVIRONMENT": "production"})

    error = refused(strongroom(production, "clock", "advance", "1d"))

    assert "The clock cannot be moved in production." in error
    assert not sqlite_place.data_dir.exists()  # refused before any work


def test_merchant_cutoff_shows_and_changes_the_cutoff(place: Place) -> None:
    upgraded(place)
    create_merchant(place, "--name", "Acme", "--login-id", "acme-1", "--transaction-key", "Key1")

    shown = succeeded(strongroom(place, "merchant", "cutoff", "acme-1"))
    changed = succeeded(
        strongroom(place, "merchant", "cutoff", "acme-1", "--at", "9:30", "--timezone", "America/New_York")
    )
    zone_only = succeeded(strongroom(place, "merchant", "cutoff", "acme-1", "--timezone", "Europe/Berlin"))

    assert shown.startswith("acme-1: batches close daily at 16:00 America/Los_Angeles; ")
    assert re.search(r"next cut-off \S+ \S+Z \(\S+ 16:00 local\)\.", shown), shown
    assert changed.startswith("acme-1: batches close daily at 09:30 America/New_York; ")
    assert zone_only.startswith("acme-1: batches close daily at 09:30 Europe/Berlin; ")
    assert "not a known IANA time zone" in refused(
        strongroom(place, "merchant", "cutoff", "acme-1", "--timezone", "Mars/Olympus")
    )
    assert "A cut-off time is HH:MM" in refused(
        strongroom(place, "merchant", "cutoff", "acme-1", "--at", "25:00")
    )
    assert "No merchant has API login ID 'nobody'" in refused(
        strongroom(place, "merchant", "cutoff", "nobody")
    )


def test_jobs_run_instrument_purge_deletes_what_is_past_retention(place: Place) -> None:
    """STRONGROOM_INSTRUMENT_RETENTION_DAYS reaches the CLI; the purge is idempotent."""
    kept_two_days = Place(place.data_dir, {**place.env, "STRONGROOM_INSTRUMENT_RETENTION_DAYS": "2"})
    upgraded(kept_two_days)
    card_ref, bank_ref = charged(kept_two_days)

    none_yet = succeeded(strongroom(kept_two_days, "jobs", "run", "instrument-purge"))
    succeeded(strongroom(kept_two_days, "clock", "advance", "2d1m"))
    purged = succeeded(strongroom(kept_two_days, "jobs", "run", "instrument-purge"))
    again = succeeded(strongroom(kept_two_days, "jobs", "run", "instrument-purge"))

    expected = "kept {} of transactions older than 2 days (STRONGROOM_INSTRUMENT_RETENTION_DAYS)."
    assert none_yet.strip() == "Deleted 0 " + expected.format("instruments")
    assert purged.strip() == "Deleted 2 " + expected.format("instruments")
    assert again.strip() == "Deleted 0 " + expected.format("instruments")
    application = build(kept_two_days.settings)
    try:
        merchant = application.services.merchants.by_login("settle-1")
        assert merchant is not None
        instruments = application.services.transaction_instruments
        assert [instruments.recall(merchant, ref) for ref in (card_ref, bank_ref)] == [None, None]
    finally:
        application.close()
