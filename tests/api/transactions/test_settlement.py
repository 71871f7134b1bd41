"""Settlement seen through the official SDK: once the cut-off passes and the settlement job runs,
a charge can be refunded (card last four and XXXX expiry) up to what settled, and can no longer
be voided.

The live server is shared by the tests of a session: its clock is moved forward only to just
past the next cut-off, and settlement settles every merchant's due transactions (each test has
its own merchant, so no other test sees a difference)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from strongroom.domain.transactions import TransactionStatus
from tests.api.builders import bank, card, text
from tests.api.live_server import LiveServer
from tests.api.raw import merchant_of
from tests.api.sdk import ApiMerchant
from tests.api.transactions.test_create_transaction import (
    REFUND,
    VOID,
    Gateway,
    refused,
    trans_id,
    transaction,
)

S = TransactionStatus


@pytest.fixture
def gateway(server: LiveServer, merchant: ApiMerchant) -> Gateway:
    return Gateway(server, merchant)


def settle(gateway: Gateway) -> None:
    """Move the server's clock just past the merchant's next cut-off and run settlement."""
    server = gateway.server
    settlement = server.application.services.settlement
    rule = settlement.rule(merchant_of(server, gateway.merchant))
    now = server.clock.now()
    server.clock.advance(rule.next(now) - now + timedelta(minutes=1))
    settlement.close_batches(server.clock.now())


def test_a_settled_charge_is_refunded_up_to_what_settled_and_cannot_be_voided(gateway: Gateway) -> None:
    ref = gateway.charge("25.00")
    # Before settlement a refund is refused: the charge is voided instead.
    refused(gateway.send(transaction(REFUND, "10.00", card("XXXX1111", "XXXX"), ref=ref)), "54")

    settle(gateway)

    record = gateway.server.application.services.payments.get(
        merchant_of(gateway.server, gateway.merchant), ref
    )
    assert (record.status, record.settle_amount) == (S.SETTLED, Decimal("25.00"))
    assert record.batch_ref is not None
    batch = gateway.server.application.services.settlement.batch(
        merchant_of(gateway.server, gateway.merchant), record.batch_ref
    )
    assert (batch.payment_method, batch.settled_at) == ("card", record.settled_at)

    answer = gateway.approved(transaction(REFUND, "10.00", card("XXXX1111", "XXXX"), ref=ref))
    refund_id = trans_id(answer)
    assert refund_id != ref
    assert text(answer, "refTransID") == ref
    assert text(answer, "accountNumber") == "XXXX1111"
    assert gateway.status(refund_id) is S.REFUND_PENDING_SETTLEMENT

    # 15.00 remains: 15.01 is above it (reason 55), 15.00 exactly is not.
    refused(gateway.send(transaction(REFUND, "15.01", card("1111", "XXXX"), ref=ref)), "55")
    gateway.approved(transaction(REFUND, "15.00", card("1111", "XXXX"), ref=ref))

    refused(gateway.send(transaction(VOID, None, ref=ref)), "327")
    assert gateway.status(ref) is S.SETTLED


def test_a_settled_refund_cannot_be_voided_either(gateway: Gateway) -> None:
    ref = gateway.charge("8.00")
    settle(gateway)
    refund_id = trans_id(gateway.approved(transaction(REFUND, "8.00", card("XXXX1111", "XXXX"), ref=ref)))

    settle(gateway)

    assert gateway.status(refund_id) is S.REFUND_SETTLED
    refused(gateway.send(transaction(VOID, None, ref=refund_id)), "327")


def test_an_echeck_debit_settles_in_its_own_batch_and_is_then_refundable(gateway: Gateway) -> None:
    card_ref = gateway.charge("5.00")
    bank_ref = gateway.charge("40.00", bank("987654321"))

    settle(gateway)

    payments = gateway.server.application.services.payments
    merchant = merchant_of(gateway.server, gateway.merchant)
    card_batch = payments.get(merchant, card_ref).batch_ref
    bank_batch = payments.get(merchant, bank_ref).batch_ref
    assert card_batch is not None
    assert bank_batch is not None
    assert card_batch != bank_batch
    assert gateway.server.application.services.settlement.batch(merchant, bank_batch).payment_method == "bank"
    answer = gateway.approved(transaction(REFUND, "40.00", bank("XXXX4321", "XXXX2882"), ref=bank_ref))
    assert text(answer, "accountType") == "eCheck"
