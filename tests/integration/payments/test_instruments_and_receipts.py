"""Kept instruments (sealed at charge time, recalled for createCustomerProfileFromTransaction,
re-encrypted with the rest) and receipts (outbox rows, delivered over SMTP by the mail job)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select

from strongroom.bootstrap import build, reencrypt_records
from strongroom.clocks import MovableClock
from strongroom.jobs.mail import run_mail_delivery
from strongroom.mail.smtp import SmtpMailer
from strongroom.services.outbox import MAX_ATTEMPTS, OutboxDelivery
from strongroom.services.receipts import ReceiptOptions
from strongroom.services.transaction_instruments import TransactionInstruments
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
)
from tests.integration.smtp_server import smtp_server


def sealed_blob(gateway: Gateway, ref: str) -> bytes | None:
    with gateway.engine.connect() as connection:
        return connection.execute(select(transaction_instruments.c.sealed).where(
            transaction_instruments.c.transaction_ref == ref)).scalar_one_or_none()


def recall(gateway: Gateway, ref: str) -> object:
    instruments = TransactionInstruments(gateway.units, gateway.app.vault)
    return instruments.recall(gateway.merchant, ref)


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


def test_another_merchant_cannot_recall_an_instrument(gateway: Gateway) -> None:
    record = gateway.approved(charge("8.00"))
    other, _ = gateway.app.services.merchants.create("Other shop")
    assert TransactionInstruments(gateway.units, gateway.app.vault).recall(other, record.ref) \
        is None


def test_reencryption_moves_kept_instruments_to_the_new_key(gateway: Gateway) -> None:
    source = card()
    record = gateway.approved(charge("9.00", source))
    before = sealed_blob(gateway, record.ref)
    reencrypt_records(gateway.app)
    after = sealed_blob(gateway, record.ref)
    assert after is not None
    assert after != before
    assert recall(gateway, record.ref) == source.card


# ----------------------------------------------------------------------------- receipts


def queue_receipt(gateway: Gateway, email: str = "buyer@example.com") -> str:
    record = gateway.approved(charge("21.00"))
    gateway.app.services.receipts.send(gateway.merchant, record.ref, email,
                                       ReceiptOptions(header="Thanks!",
                                                      merchant_email="shop@example.com"))
    return record.ref


def test_the_mail_job_delivers_pending_receipts_once(gateway: Gateway) -> None:
    ref = queue_receipt(gateway)
    with smtp_server() as (port, mailbox):
        delivery = OutboxDelivery(gateway.units, SmtpMailer("127.0.0.1", port,
                                                            "receipts@shop.example"),
                                  gateway.clock)
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
        delivery = OutboxDelivery(gateway.units, SmtpMailer("127.0.0.1", port, "r@example.com"),
                                  gateway.clock)
        reports = [delivery.deliver() for _ in range(MAX_ATTEMPTS + 1)]
    assert [(item.sent, item.failed) for item in reports] == \
        [(0, 2)] * MAX_ATTEMPTS + [(0, 0)]
    with gateway.units(write=False) as uow:
        stored = uow.outbox.of_transaction(gateway.merchant.key, ref)
    assert all(item.sent_at is None for item in stored)
    assert all(item.attempts == MAX_ATTEMPTS for item in stored)
    assert all(item.last_error == "SMTP delivery failed (SMTPRecipientsRefused)"
               for item in stored)
    assert mailbox.messages == []


def test_an_unreachable_server_fails_without_losing_the_message(gateway: Gateway) -> None:
    queue_receipt(gateway)
    with smtp_server() as (port, _):
        pass  # closed again: nothing listens on the port now
    delivery = OutboxDelivery(gateway.units, SmtpMailer("127.0.0.1", port, "r@example.com",
                                                        timeout=5), gateway.clock)
    assert delivery.deliver().failed == 2


@pytest.mark.parametrize("configured", [True, False])
def test_mail_delivery_is_wired_only_with_an_smtp_host(database_url: str, tmp_path: Path,
                                                       configured: bool) -> None:
    with smtp_server() as (port, mailbox):
        settings = settings_for(database_url, tmp_path / "data",
                                smtp_host="127.0.0.1" if configured else None, smtp_port=port)
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
