"""The jobs `strongroom serve` schedules, and the idempotency-key expiry and instrument purge
jobs doing their work."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from strongroom.bootstrap import IDEMPOTENCY_PURGE, build, build_scheduler
from strongroom.clocks import MovableClock
from strongroom.jobs.billing import NAME as BILLING
from strongroom.jobs.mail import NAME as MAIL
from strongroom.jobs.retention import NAME as INSTRUMENT_PURGE
from strongroom.jobs.settlement import NAME as SETTLEMENT
from strongroom.jobs.webhooks import NAME as WEBHOOKS
from tests.api.live_server import START, settings_for


def test_serve_schedules_settlement_billing_purges_webhooks_and_mail_only_with_smtp(
        database_url: str, tmp_path: Path) -> None:
    settings = replace(settings_for(database_url, tmp_path / "data"), scheduler_interval=60)
    settings.data_dir.mkdir(parents=True)
    app = build(settings, clock=MovableClock(START))
    try:
        scheduler = build_scheduler(app)
        assert scheduler is not None
        assert scheduler.job_names == (SETTLEMENT, BILLING, IDEMPOTENCY_PURGE, INSTRUMENT_PURGE,
                                       WEBHOOKS)
    finally:
        app.close()
    with_mail = build(replace(settings, smtp_host="127.0.0.1"), clock=MovableClock(START))
    try:
        scheduler = build_scheduler(with_mail)
        assert scheduler is not None
        assert scheduler.job_names == (SETTLEMENT, BILLING, IDEMPOTENCY_PURGE, INSTRUMENT_PURGE,
                                       WEBHOOKS, MAIL)
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
    try:
        merchant, _ = app.services.merchants.create("Purge", "purge-1")
        keys = app.idempotency
        assert keys.claim(merchant.key, "old", b"<a/>").state.value == "new"
        keys.complete(merchant.key, "old", b"answer", "application/xml")
        clock.advance(timedelta(hours=23))
        assert keys.claim(merchant.key, "young", b"<b/>").state.value == "new"
        assert keys.purge() == 0
        clock.advance(timedelta(hours=1, seconds=1))
        assert keys.purge() == 1  # "old" is past 24 hours, "young" is not
        assert keys.claim(merchant.key, "young", b"<b/>").state.value == "in_progress"
        assert keys.claim(merchant.key, "old", b"<c/>").state.value == "new"
    finally:
        app.close()
