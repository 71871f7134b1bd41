"""The instrument-purge job: it purges through the service and says how many, and after how long."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from typing import cast

import pytest

from strongroom.jobs.retention import describe, run_instrument_purge
from strongroom.services.catalog import Services


class Instruments:
    def __init__(self, deleted: int, retention: timedelta) -> None:
        self.deleted = deleted
        self.retention = retention
        self.purges = 0

    def purge(self) -> int:
        self.purges += 1
        return self.deleted


def services(instruments: Instruments) -> Services:
    return cast(Services, SimpleNamespace(transaction_instruments=instruments))


def test_run_purges_once_and_returns_how_many_were_deleted() -> None:
    instruments = Instruments(3, timedelta(days=30))
    assert run_instrument_purge(services(instruments)) == 3
    assert instruments.purges == 1


@pytest.mark.parametrize(("deleted", "noun"), [(0, "instruments"), (1, "instrument"), (2, "instruments")])
def test_describe_names_the_count_and_the_retention_days(deleted: int, noun: str) -> None:
    text = describe(deleted, services(Instruments(deleted, timedelta(days=45))))
    assert text == (
        f"Deleted {deleted} kept {noun} of transactions older than 45 days "
        "(STRONGROOM_INSTRUMENT_RETENTION_DAYS)."
    )
