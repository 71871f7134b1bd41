"""Kept instruments (sealed at charge time, recalled for createCustomerProfileFromTransaction,
re-encrypted with the rest; a profile-funded charge recalls its payment profile's instead) and
receipts (outbox rows, delivered over SMTP by the mail job)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from strongroom.bootstrap import build, build_scheduler, reencrypt_records
from strongroom.clocks import MovableClock
from strongroom.jobs.mail import run_mail_delivery
from strongroom.jobs.retention import NAME as INSTRUMENT_PURGE
from strongroom.mail.smtp import SmtpMailer
from strongroom.services.receipts.outbox import MAX_ATTEMPTS, OutboxDelivery
from strongroom.services.transactions.requests import Customer, ReceiptOptions, Settings
from strongroom.storage import create_engine_for
from strongroom.storage.tables import transaction_instruments
from tests.api.live_server import START, settings_for
from tests.integration.payments.conftest import (
    ACCOUNT,
    DECLINE_ZIP,
    VISA,
    Gateway,
    bank,
    card,
    charge,
    order,
)
from tests.integration.smtp_server import smtp_server


def sealed_blob(gateway: Gateway, ref: str) -> bytes | None:
    with gateway.engine.connect() as connection:
        return connection.execute(
            select(transaction_instruments.c.sealed).where(transaction_instruments.c.transaction_ref == ref)
        ).scalar_one_or_none()


def recall(gateway: Gateway, ref: str) -> object:
    return gateway.app.services.transaction_instruments.recall(gateway.merchant, ref)


# ----------------------------------------------------------------------------- instruments


def test_an_approved_card_charge_keeps_its_card_sealed(gateway: Gateway) -> None:
    source = card()
    record = gateway.approved(charge("12.00", source))
    blob = sealed_blob(gateway, record.ref)
    assert blob is not None
    assert VISA.encode() not in blob
    assert recall(gateway, record.ref) == source.card


def test_an_approved_bank_debit_keeps_its_account(gateway: Gateway) -> None:
    source = bank()
    record = gateway.approved(charge("12.00", source))
    assert ACCOUNT.encode() not in (sealed_blob(gateway, record.ref) or b"")
    assert recall(gateway, record.ref) == source.account


def test_declines_test_requests_and_duplicates_keep_nothing(gateway: Gateway) -> None:
    declined = gateway.charge(charge("5.00", zip_code=DECLINE_ZIP))
    assert declined.record is not None
    assert declined.response_code == 2
    assert recall(gateway, declined.record.ref) is None
    test = charge("6.00")
    test = replace(test, settings=replace(test.settings, test_request=True))
    assert gateway.charge(test).record is None
    first = gateway.approved(charge("7.00", window=120))
    again = gateway.charge(charge("7.00", window=120))
    assert again.reason_code == 11
    assert again.record is None
    assert recall(gateway, first.ref) is not None


def test_a_profile_charge_keeps_no_copy_and_recalls_the_payment_profiles_card(gateway: Gateway) -> None:
    source = card()
    record = gateway.approved(charge("12.00", gateway.profile(source)))

    assert sealed_blob(gateway, record.ref) is None
    assert recall(gateway, record.ref) == source.card


def test_a_profile_charge_recalls_nothing_past_retention_for_others_or_once_deleted(
    gateway: Gateway,
) -> None:
    instruments = gateway.app.services.transaction_instruments
    stored = gateway.profile(card())
    approved = gateway.approved(charge("6.00", stored))
    other, _ = gateway.app.services.merchants.create("Other shop")

    assert instruments.recall(other, approved.ref) is None
    gateway.clock.advance(instruments.retention + timedelta(microseconds=1))
    assert recall(gateway, approved.ref) is None
    assert instruments.recall(gateway.merchant, approved.ref, awaiting_review=True) is not None
    gateway.app.services.payment_profiles.delete(
        gateway.merchant, stored.profile_ref, stored.payment_profile_ref
    )
    assert instruments.recall(gateway.merchant, approved.ref, awaiting_review=True) is None


def test_another_merchant_cannot_recall_an_instrument(gateway: Gateway) -> None:
    record = gateway.approved(charge("8.00"))
    other, _ = gateway.app.services.merchants.create("Other shop")
    assert gateway.app.services.transaction_instruments.recall(other, record.ref) is None


def test_reencryption_moves_kept_instruments_to_the_new_key(gateway: Gateway) -> None:
    source = card()
    record = gateway.approved(charge("9.00", source))
    before = sealed_blob(gateway, record.ref)
    reencrypt_records(gateway.app)
    after = sealed_blob(gateway, record.ref)
    assert after is not None
    assert after != before
    assert recall(gateway, record.ref) == source.card


def test_an_instrument_is_kept_for_exactly_the_retention_period(gateway: Gateway) -> None:
    instruments = gateway.app.services.transaction_instruments
    assert instruments.retention == timedelta(days=30)  # the default
    source = card()
    record = gateway.approved(charge("10.00", source))
    gateway.clock.advance(instruments.retention)
    assert recall(gateway, record.ref) == source.card
    assert instruments.purge() == 0
    gateway.clock.advance(timedelta(microseconds=1))
    assert recall(gateway, record.ref) is None
    assert sealed_blob(gateway, record.ref) is not None  # not yet purged, already unusable
    assert instruments.purge() == 1
    assert sealed_blob(gateway, record.ref) is None


def test_the_scheduler_purges_with_the_configured_retention(database_url: str, tmp_path: Path) -> None:
    settings = replace(
        settings_for(database_url, tmp_path / "data"), scheduler_interval=60, instrument_retention_days=2
    )
    settings.data_dir.mkdir(parents=True)
    clock = MovableClock(START)
    app = build(settings, clock=clock)
    try:
        merchant, _ = app.services.merchants.create("Retention shop")
        old = app.services.payments.charge(merchant, charge("11.00")).record
        clock.advance(timedelta(days=1))
        young = app.services.payments.charge(merchant, charge("12.00")).record
        assert old is not None
        assert young is not None
        clock.advance(timedelta(days=1, seconds=1))
        scheduler = build_scheduler(app)
        assert scheduler is not None
        assert INSTRUMENT_PURGE in scheduler.run_once()
        scheduler.stop()
        instruments = app.services.transaction_instruments
        assert instruments.recall(merchant, old.ref) is None
        assert instruments.recall(merchant, young.ref) is not None
        engine = create_engine_for(database_url)
        try:
            with engine.connect() as connection:
                kept = list(connection.execute(select(transaction_instruments.c.transaction_ref)).scalars())
        finally:
            engine.dispose()
        assert kept == [young.ref]
    finally:
        app.close()


# ----------------------------------------------------------------------------- receipts


def emailed(window: int = 0) -> Settings:
    return Settings(
        duplicate_window=window,
        email_customer=True,
        receipt=ReceiptOptions(header="Hi", footer="Bye", merchant_email="shop@example.com"),
    )


def test_the_payment_use_cases_queue_receipts_themselves(gateway: Gateway) -> None:
    buyer = Customer(email="buyer@example.com")
    record = gateway.approved(charge("13.00", settings=emailed(window=120), order=order(customer=buyer)))
    with gateway.units(write=False) as uow:
        messages = uow.outbox.of_transaction(gateway.merchant.key, record.ref)
    assert [(item.recipient, item.reply_to) for item in messages] == [
        ("buyer@example.com", "shop@example.com"),
        ("shop@example.com", "shop@example.com"),
    ]
    assert all(item.created_at == record.submitted_at for item in messages)
    assert all(item.body.startswith("Hi\n") for item in messages)

    declined = gateway.charge(
        charge("14.00", zip_code=DECLINE_ZIP, settings=emailed(), order=order(DECLINE_ZIP, customer=buyer))
    )
    duplicate = gateway.charge(charge("13.00", settings=emailed(window=120), order=order(customer=buyer)))
    assert declined.record is not None
    assert duplicate.reason_code == 11
    with gateway.units(write=False) as uow:
        assert uow.outbox.of_transaction(gateway.merchant.key, declined.record.ref) == []
        assert len(uow.outbox.of_transaction(gateway.merchant.key, record.ref)) == 2


def queue_receipt(gateway: Gateway, email: str = "buyer@example.com") -> str:
    record = gateway.approved(charge("21.00"))
    gateway.app.services.receipts.send(
        gateway.merchant,
        record.ref,
        email,
        ReceiptOptions(header="Thanks!", merchant_email="shop@example.com"),
    )
    return record.ref


def test_the_mail_job_delivers_pending_receipts_once(gateway: Gateway) -> None:
    ref = queue_receipt(gateway)
    with smtp_server() as (port, mailbox):
        delivery = OutboxDelivery(
            gateway.units, SmtpMailer("127.0.0.1", port, "receipts@shop.example"), gateway.clock
        )
        report = delivery.deliver()
        assert (report.sent, report.failed) == (2, 0)
        assert delivery.deliver() == type(report)(0, 0)
    assert len(mailbox.messages) == 2
    sender, recipients, message = mailbox.messages[0]
    assert sender == "receipts@shop.example"
    assert recipients == ["buyer@example.com"]
    assert message["To"] == "buyer@example.com"
    assert message["Reply-To"] == "shop@example.com"
    assert message["Subject"] == "Transaction Receipt from Payments shop for 21.00 (USD)"
    body = message.get_content().replace("\r\n", "\n")
    assert body.startswith("Thanks!\n")
    assert ref in body
    assert mailbox.messages[1][1] == ["shop@example.com"]
    with gateway.units(write=False) as uow:
        stored = uow.outbox.of_transaction(gateway.merchant.key, ref)
    assert all(item.sent_at == gateway.clock.now() for item in stored)
    assert [item.attempts for item in stored] == [1, 1]


def test_a_refused_message_is_retried_then_given_up(gateway: Gateway) -> None:
    ref = queue_receipt(gateway)
    with smtp_server() as (port, mailbox):
        mailbox.refuse_recipients = True
        delivery = OutboxDelivery(
            gateway.units, SmtpMailer("127.0.0.1", port, "r@example.com"), gateway.clock
        )
        reports = [delivery.deliver() for _ in range(MAX_ATTEMPTS + 1)]
    assert [(item.sent, item.failed) for item in reports] == [(0, 2)] * MAX_ATTEMPTS + [(0, 0)]
    with gateway.units(write=False) as uow:
        stored = uow.outbox.of_transaction(gateway.merchant.key, ref)
    assert all(item.sent_at is None for item in stored)
    assert all(item.attempts == MAX_ATTEMPTS for item in stored)
    assert all(item.last_error == "SMTP delivery failed (SMTPRecipientsRefused)" for item in stored)
    assert mailbox.messages == []


def test_an_unreachable_server_fails_without_losing_the_message(gateway: Gateway) -> None:
    queue_receipt(gateway)
    with smtp_server() as (port, _):
        pass  # closed again: nothing listens on the port now
    delivery = OutboxDelivery(
        gateway.units, SmtpMailer("127.0.0.1", port, "r@example.com", timeout=5), gateway.clock
    )
    assert delivery.deliver().failed == 2


@pytest.mark.parametrize("configured", [True, False])
def test_mail_delivery_is_wired_only_with_an_smtp_host(
    database_url: str, tmp_path: Path, configured: bool
) -> None:
    with smtp_server() as (port, mailbox):
        settings = settings_for(
            database_url, tmp_path / "data", smtp_host="127.0.0.1" if configured else None, smtp_port=port
        )
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        app = build(settings, clock=MovableClock(START))
        try:
            services = app.services
            merchant, _ = services.merchants.create("Wired shop")
            result = services.payments.charge(merchant, charge("4.00"))
            assert result.record is not None
            services.receipts.send(merchant, result.record.ref, "buyer@example.com")
            report = run_mail_delivery(services)
        finally:
            app.close()
    if configured:
        assert report is not None
        assert report.sent == 1
        assert len(mailbox.messages) == 1
    else:
        assert report is None
        assert mailbox.messages == []
