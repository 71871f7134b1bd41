"""The duplicate window (wire reference 6.4): what counts as the same request, for how long."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from strongroom.domain.customers import Address
from strongroom.domain.transactions import TransactionKind
from strongroom.services.transactions.requests import (
    DEFAULT_DUPLICATE_WINDOW,
    MAX_DUPLICATE_WINDOW,
    ChargeRequest,
    Customer,
    MaskedSource,
    RefundRequest,
    Settings,
)
from tests.integration.payments.conftest import (
    BILL_TO,
    DECLINE_ZIP,
    MASTERCARD,
    VISA,
    Gateway,
    bank,
    card,
    charge,
    money,
    order,
)

MICROSECOND = timedelta(microseconds=1)


def test_the_same_request_within_the_window_is_a_duplicate(gateway: Gateway) -> None:
    request = charge(window=DEFAULT_DUPLICATE_WINDOW)
    original = gateway.approved(request)
    gateway.clock.advance(timedelta(seconds=30))

    result = gateway.charge(request)

    assert (result.response_code, result.reason_code) == (3, 11)
    assert result.message == "A duplicate transaction has been submitted."
    assert result.record is None
    assert result.duplicate_of == original
    assert gateway.count() == 1
    assert len(gateway.processor.authorizations) == 1


@pytest.mark.parametrize(
    ("elapsed", "is_duplicate"),
    [
        (timedelta(0), True),
        (timedelta(seconds=DEFAULT_DUPLICATE_WINDOW) - MICROSECOND, True),
        (timedelta(seconds=DEFAULT_DUPLICATE_WINDOW), True),  # the window's last instant
        (timedelta(seconds=DEFAULT_DUPLICATE_WINDOW) + MICROSECOND, False),
    ],
)
def test_window_edges(gateway: Gateway, elapsed: timedelta, is_duplicate: bool) -> None:
    request = charge(window=DEFAULT_DUPLICATE_WINDOW)
    gateway.approved(request)
    gateway.clock.advance(elapsed)

    result = gateway.charge(request)

    assert (result.reason_code == 11) is is_duplicate


def test_the_default_window_is_two_minutes(gateway: Gateway) -> None:
    request = replace(charge(), settings=Settings())
    gateway.approved(request)
    gateway.clock.advance(timedelta(seconds=119))

    assert gateway.charge(request).reason_code == 11


def test_window_zero_disables_the_check(gateway: Gateway) -> None:
    request = charge(window=0)
    first = gateway.approved(request)

    second = gateway.approved(request)

    assert first.ref != second.ref
    assert gateway.count() == 2


def test_windows_above_the_maximum_are_lowered_to_it(gateway: Gateway) -> None:
    gateway.approved(charge(window=99_999))
    gateway.clock.advance(timedelta(seconds=MAX_DUPLICATE_WINDOW))

    # the same key as a request sent with the maximum itself, still inside its window
    assert gateway.charge(charge(window=MAX_DUPLICATE_WINDOW)).reason_code == 11
    gateway.clock.advance(MICROSECOND)
    gateway.approved(charge(window=99_999))


def test_declined_transactions_count_as_earlier_transactions(gateway: Gateway) -> None:
    request = charge(zip_code=DECLINE_ZIP, window=600)
    assert gateway.charge(request).response_code == 2

    result = gateway.charge(request)

    assert result.reason_code == 11
    assert result.duplicate_of is not None
    assert result.duplicate_of.response_code == 2


def _variants() -> dict[str, ChargeRequest]:
    base = charge(window=600, order=order(po_number="PO-1", customer=Customer(id="c-1")))
    bill_to = base.order.bill_to
    assert bill_to is not None

    def with_bill_to(**fields: str) -> ChargeRequest:
        return replace(base, order=replace(base.order, bill_to=replace(bill_to, **fields)))

    variants = {
        "card number": replace(base, source=card(MASTERCARD)),
        "expiry": replace(base, source=card(VISA, "2034-12")),
        "type": replace(base, kind=TransactionKind.AUTHORIZATION),
        "amount": replace(base, amount=money("10.01")),
        "invoice": replace(base, order=replace(base.order, invoice_number="INV-2")),
        "po number": replace(base, order=replace(base.order, po_number="PO-2")),
        "customer id": replace(base, order=replace(base.order, customer=Customer(id="c-2"))),
        "window value": replace(base, settings=Settings(duplicate_window=601)),
        "bank account": replace(base, source=bank()),
    }
    for name in ("first_name", "last_name", "company", "address", "city", "state", "zip", "country"):
        variants[f"billTo {name}"] = with_bill_to(**{name: "46201" if name == "zip" else "X"})
    return {"same": base, **variants}


VARIANTS = _variants()


@pytest.mark.parametrize("name", [name for name in VARIANTS if name != "same"])
def test_any_compared_field_that_differs_makes_a_new_transaction(gateway: Gateway, name: str) -> None:
    gateway.approved(VARIANTS["same"])

    result = gateway.charge(VARIANTS[name])

    assert result.reason_code != 11, name
    assert result.record is not None


def test_fields_outside_the_comparison_do_not_matter(gateway: Gateway) -> None:
    base = VARIANTS["same"]
    gateway.approved(base)
    other = replace(
        base,
        source=card(code="123"),
        order=replace(
            base.order,
            description="Other words",
            ship_to=Address(first_name="Someone"),
            bill_to=replace(BILL_TO, phone_number="000-000-0000"),
        ),
    )

    assert gateway.charge(other).reason_code == 11


def test_a_stored_profile_and_its_card_sent_in_full_are_the_same_account(gateway: Gateway) -> None:
    source = gateway.profile()
    request = charge(source=source, window=600, order=order(bill_to=BILL_TO))
    gateway.approved(request)

    assert gateway.charge(replace(request, source=card())).reason_code == 11


def test_merchants_never_share_duplicates(gateway: Gateway) -> None:
    request = charge(window=600)
    first = gateway.approved(request)
    other, _ = gateway.app.services.merchants.create("Other shop")

    result = gateway.payments.charge(other, request)

    assert result.response_code == 1
    assert result.record is not None
    assert result.record.duplicate_key != first.duplicate_key


def test_test_requests_are_never_duplicates_and_leave_no_trace(gateway: Gateway) -> None:
    request = replace(charge(), settings=Settings(duplicate_window=600, test_request=True))
    assert gateway.charge(request).test_request
    assert gateway.charge(request).test_request

    gateway.approved(replace(request, settings=Settings(duplicate_window=600)))


def test_identical_refunds_within_the_window_are_duplicates(gateway: Gateway) -> None:
    original = gateway.settled_charge("30.00")
    refund = RefundRequest(
        original.ref, money("5.00"), MaskedSource("XXXX1111"), settings=Settings(duplicate_window=600)
    )
    first = gateway.payments.refund(gateway.merchant, refund)
    assert first.response_code == 1

    second = gateway.payments.refund(gateway.merchant, refund)

    assert (second.response_code, second.reason_code) == (3, 11)
    assert second.duplicate_of == first.record
    assert gateway.stored(original.ref).refunded == money("5.00").amount
