"""Partial authorisation of prepaid cards (sandbox ZIP 46225 approves at most $1.23)."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal

from strongroom.domain.split_tenders import SplitTenderStatus
from strongroom.domain.transactions import TransactionKind, TransactionStatus
from strongroom.services.transactions.requests import ChargeRequest, OrderDetails, Settings
from tests.integration.payments.conftest import PARTIAL_ZIP, Gateway, charge, money

S = TransactionStatus


def partial(kind: TransactionKind = TransactionKind.CHARGE, *, allow: bool = True) -> ChargeRequest:
    return replace(
        charge("5.00", kind=kind, zip_code=PARTIAL_ZIP),
        settings=Settings(duplicate_window=0, allow_partial_auth=allow),
    )


def test_a_partial_approval_answers_4_with_a_split_tender_id(gateway: Gateway) -> None:
    result = gateway.charge(partial())

    assert (result.response_code, result.reason_code) == (4, 295)
    assert result.processor is not None
    assert result.processor.approved_amount == Decimal("1.23")
    record = result.record
    assert record is not None
    assert (record.status, record.amount, record.settle_amount) == (
        S.CAPTURED_PENDING_SETTLEMENT,
        Decimal("1.23"),
        Decimal("1.23"),
    )
    assert record.split_tender_id is not None
    assert record.split_tender_id.isdigit()
    assert record.auth_code
    assert json.loads(record.details_json)["requested_amount"] == "5.00"
    assert gateway.stored(record.ref) == record


def test_each_partial_approval_gets_its_own_split_tender_id(gateway: Gateway) -> None:
    first = gateway.charge(partial()).record
    second = gateway.charge(partial()).record

    assert first is not None
    assert second is not None
    assert first.split_tender_id != second.split_tender_id


def test_the_rest_of_the_order_joins_the_split_tender(gateway: Gateway) -> None:
    first = gateway.charge(partial()).record
    assert first is not None

    rest = gateway.approved(replace(charge("3.77"), split_tender_id=first.split_tender_id))

    assert rest.split_tender_id == first.split_tender_id


def test_a_partially_approved_authorization_captures_at_most_what_was_approved(gateway: Gateway) -> None:
    record = gateway.charge(partial(TransactionKind.AUTHORIZATION)).record
    assert record is not None
    assert record.status is S.AUTHORIZED_PENDING_CAPTURE

    over = gateway.payments.capture(gateway.merchant, record.ref, money("1.24"), OrderDetails())
    full = gateway.payments.capture(gateway.merchant, record.ref, None, OrderDetails())

    assert over.reason_code == 47
    assert full.reason_code == 1
    assert gateway.stored(record.ref).settle_amount == Decimal("1.23")


def test_without_allow_partial_auth_a_partial_approval_is_reversed_and_declined(gateway: Gateway) -> None:
    result = gateway.charge(partial(allow=False))

    assert (result.response_code, result.reason_code) == (2, 2)
    record = result.record
    assert record is not None
    assert (record.status, record.amount, record.settle_amount) == (
        S.DECLINED,
        Decimal("5.00"),
        Decimal("0.00"),
    )
    assert record.split_tender_id is None
    assert (record.auth_code, record.network_trans_id) == ("", None)
    kind, reversal = gateway.processor.follow_ups[-1]
    assert kind == "void"
    assert reversal.processor_reference == record.processor_reference


def test_a_prepaid_card_approved_in_full_is_a_plain_approval(gateway: Gateway) -> None:
    result = gateway.charge(charge("5.00", zip_code="46226"))

    assert (result.response_code, result.reason_code) == (1, 1)
    assert result.processor is not None
    assert result.processor.balance_on_card == Decimal("1.23")
    assert result.record is not None
    assert result.record.split_tender_id is None


def order_status(gateway: Gateway, split_tender_id: str) -> SplitTenderStatus | None:
    with gateway.units(write=False) as uow:
        order = uow.split_tenders.get(gateway.merchant.key, split_tender_id)
    return order.status if order is not None else None


def test_a_partial_approval_opens_its_order(gateway: Gateway) -> None:
    record = gateway.charge(partial()).record
    assert record is not None
    assert record.split_tender_id is not None
    assert order_status(gateway, record.split_tender_id) is SplitTenderStatus.OPEN
    rest = gateway.approved(replace(charge("3.77"), split_tender_id=record.split_tender_id))
    assert rest.split_tender_id == record.split_tender_id
    assert order_status(gateway, record.split_tender_id) is SplitTenderStatus.OPEN


def test_a_closed_order_refuses_to_be_joined_and_stores_nothing(gateway: Gateway) -> None:
    first = gateway.charge(partial()).record
    assert first is not None
    assert first.split_tender_id is not None
    split_tenders = gateway.app.services.split_tenders
    split_tenders.update(gateway.merchant, first.split_tender_id, SplitTenderStatus.COMPLETED)
    assert order_status(gateway, first.split_tender_id) is SplitTenderStatus.COMPLETED
    before = gateway.count()
    authorizations = len(gateway.processor.authorizations)

    late = gateway.charge(replace(charge("3.77"), split_tender_id=first.split_tender_id))

    assert (late.response_code, late.reason_code, late.record) == (3, 298, None)
    assert gateway.count() == before
    assert len(gateway.processor.authorizations) == authorizations  # never asked


def test_voiding_the_order_marks_it_voided_and_voids_its_transactions(gateway: Gateway) -> None:
    first = gateway.charge(partial()).record
    assert first is not None
    assert first.split_tender_id is not None
    results = gateway.app.services.split_tenders.update(
        gateway.merchant, first.split_tender_id, SplitTenderStatus.VOIDED
    )
    assert [result.reason_code for result in results] == [1]
    assert order_status(gateway, first.split_tender_id) is SplitTenderStatus.VOIDED
    assert gateway.stored(first.ref).status is S.VOIDED
