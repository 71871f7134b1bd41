"""Stored transactions under the rules: moves through the state machine, expiry as of an instant,
and the order details kept as JSON (merged when a capture re-submits them)."""

from __future__ import annotations

import json
from dataclasses import fields, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from strongroom.domain.customers import Address
from strongroom.domain.transactions import AUTHORIZATION_LIFETIME, Action, TransactionKind, TransactionStatus
from strongroom.services.ports import TransactionRecord
from strongroom.services.transactions.records import as_of, details_json, moved, state_of, with_order
from strongroom.services.transactions.requests import Charge, OrderDetails

S = TransactionStatus
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
AUTHORIZED = TransactionRecord(
    ref="60000000001",
    merchant_key=1,
    kind=TransactionKind.AUTHORIZATION,
    status=S.AUTHORIZED_PENDING_CAPTURE,
    amount=Decimal("25.00"),
    currency="USD",
    settle_amount=Decimal("0.00"),
    refunded=Decimal("0.00"),
    response_code=1,
    reason_code=1,
    auth_code="ABC123",
    avs_result="Y",
    card_code_result="M",
    cavv_result="",
    payment_method="card",
    account_last4="1111",
    account_type="Visa",
    fingerprint="fp",
    duplicate_key="dup",
    submitted_at=NOW,
    invoice_number="INV-1",
    description="first",
    details_json='{"invoice_number": "INV-1", "tax": {"amount": "1.00"}}',
)


def test_state_of_carries_what_the_rules_read() -> None:
    state = state_of(AUTHORIZED)
    assert (state.kind, state.status, state.amount, state.submitted_at) == (
        TransactionKind.AUTHORIZATION,
        S.AUTHORIZED_PENDING_CAPTURE,
        Decimal("25.00"),
        NOW,
    )


def test_a_move_sets_the_next_status_and_when() -> None:
    later = NOW + timedelta(hours=1)
    captured = moved(AUTHORIZED, Action.CAPTURE, later)
    assert (captured.status, captured.updated_at) == (S.CAPTURED_PENDING_SETTLEMENT, later)
    assert moved(AUTHORIZED, Action.VOID, later).status is S.VOIDED


def test_a_move_the_state_machine_forbids_is_an_error() -> None:
    with pytest.raises(ValueError, match="not allowed"):
        moved(replace(AUTHORIZED, status=S.VOIDED), Action.CAPTURE, NOW)


def test_an_authorisation_reads_as_expired_only_past_its_lifetime() -> None:
    assert as_of(AUTHORIZED, NOW + AUTHORIZATION_LIFETIME) is AUTHORIZED
    expired = as_of(AUTHORIZED, NOW + AUTHORIZATION_LIFETIME + timedelta(seconds=1))
    assert expired.status is S.EXPIRED
    assert expired.updated_at is None  # a reading, not a move
    settled = replace(AUTHORIZED, status=S.SETTLED)
    assert as_of(settled, NOW + timedelta(days=400)) is settled


def test_details_json_keeps_what_was_sent_plus_extras_sorted() -> None:
    order = OrderDetails(invoice_number="INV-2", tax=Charge(Decimal("2.50")), bill_to=Address(zip="78701"))
    details = json.loads(details_json(order, split_tender="ST-1", missing=None))
    assert details == {
        "invoice_number": "INV-2",
        "tax": {"amount": "2.50", "name": None, "description": None},
        "bill_to": {**{item.name: None for item in fields(Address)}, "zip": "78701"},
        "split_tender": "ST-1",
    }
    assert details_json(OrderDetails()) == "{}"


def test_an_empty_resubmitted_order_leaves_the_record_alone() -> None:
    assert with_order(AUTHORIZED, OrderDetails()) is AUTHORIZED


def test_a_resubmitted_order_replaces_what_it_sends_and_keeps_the_rest() -> None:
    updated = with_order(AUTHORIZED, OrderDetails(description="second", po_number="PO-9"))
    assert (updated.invoice_number, updated.description, updated.po_number) == ("INV-1", "second", "PO-9")
    assert json.loads(updated.details_json) == {
        "invoice_number": "INV-1",
        "tax": {"amount": "1.00"},
        "description": "second",
        "po_number": "PO-9",
    }
