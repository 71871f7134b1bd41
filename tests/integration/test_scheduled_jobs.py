"""The jobs `strongroom serve` schedules, and the idempotency-key expiry and instrument purge
jobs doing their work."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from strongroom.bootstrap import IDEMPOTENCY_PURGE, build, build_scheduler
from strongroom.clocks import MovableClock
from strongroom.domain.errors import RequestConflict
from strongroom.jobs.billing import NAME as BILLING
from strongroom.jobs.mail import NAME as MAIL
from strongroom.jobs.retention import NAME as INSTRUMENT_PURGE
from strongroom.jobs.settlement import NAME as SETTLEMENT
from strongroom.jobs.webhooks import NAME as WEBHOOKS
from strongroom.services.idempotency import Answer
from tests.api.live_server import START, settings_for


def test_serve_schedules_settlement_billing_purges_webhooks_and_mail_only_with_smtp(
    database_url: str, tmp_path: Path
) -> None:
    settings = replace(settings_for(database_url, tmp_path / "data"), scheduler_interval=60)
    settings.data_dir.mkdir(parents=True)
    app = build(settings, clock=MovableClock(START))
    try:
        scheduler = build_scheduler(app)
        assert scheduler is not None
        assert scheduler.job_names == (SETTLEMENT, BILLING, IDEMPOTENCY_PURGE, INSTRUMENT_PURGE, WEBHOOKS)
    finally:
        app.close()
    with_mail = build(replace(settings, smtp_host="127.0.0.1"), clock=MovableClock(START))
    try:
        scheduler = build_scheduler(with_mail)
        assert scheduler is not None
        assert scheduler.job_names == (
            SETTLEMENT,
            BILLING,
            IDEMPOTENCY_PURGE,
            INSTRUMENT_PURGE,
            WEBHOOKS,
            MAIL,
        )
    finally:
        with_mail.close()
    off = build(replace(settings, scheduler_interval=0), clock=MovableClock(START))
    try:
        assert build_scheduler(off) is None
    finally:
        off.close()


def test_expired_idempotency_keys_are_purged(database_url: str, tmp_path: Path) -> None:
    settings = settings_for(database_url, tmp_path / "data")
    settings.data_dir.mkdir(parents=True)
    clock = MovableClock(START)
    app = build(settings, clock=clock)
    runs: list[bytes] = []

    def work(body: bytes) -> Callable[[], Answer]:
        def run() -> Answer:
            runs.append(body)
            return Answer(body + b" answered", "application/xml")

        return run

    try:
        merchant, _ = app.services.merchants.create("Purge", "purge-1")
        keys = app.idempotency
        keys.answer(merchant.key, "old", b"<a/>", work(b"<a/>"))
        clock.advance(timedelta(hours=23))
        keys.answer(merchant.key, "young", b"<b/>", work(b"<b/>"))
        assert keys.purge() == 0
        clock.advance(timedelta(hours=1, seconds=1))
        assert keys.purge() == 1  # the answer to "old" is past 24 hours, "young" is not
        assert keys.answer(merchant.key, "young", b"<b/>", work(b"<b/>")).body == b"<b/> answered"
        with pytest.raises(RequestConflict, match="no longer kept"):
            keys.answer(merchant.key, "old", b"<a/>", work(b"<a/>"))
        with pytest.raises(RequestConflict, match="different request"):
            keys.answer(merchant.key, "old", b"<c/>", work(b"<c/>"))
        assert runs == [b"<a/>", b"<b/>"]  # nothing ran twice
        clock.advance(timedelta(days=30))
        assert keys.purge() == 2  # both keys are forgotten after 30 days
        keys.answer(merchant.key, "old", b"<c/>", work(b"<c/>"))
        assert runs == [b"<a/>", b"<b/>", b"<c/>"]
    finally:
        app.close()
