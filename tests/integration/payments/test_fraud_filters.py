"""Fraud filters on both engines: screening of real charges (velocity counted from stored
transactions), holds for review approved or declined, expiry of unreviewed holds, settlement
of approved ones only, and velocity limits under concurrent charges."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest

from strongroom.domain.errors import Duplicate, NotFound
from strongroom.domain.fraud import FilterKind, FraudAction, FraudFilter, blocked_networks
from strongroom.domain.money import Money
from strongroom.domain.transactions import TransactionKind, TransactionStatus
from strongroom.services.payments.held_reviews import ReviewDecision
from strongroom.services.ports import ProcessorResult, ProcessorUnavailable
from strongroom.services.transactions.instruments import TransactionInstruments
from strongroom.services.transactions.requests import (
    ChargeRequest,
    MaskedSource,
    OrderDetails,
    PaymentSource,
    RefundRequest,
    TransactionResult,
)
from tests.integration.payments.conftest import (
    DECLINE_ZIP,
    MASTERCARD,
    Gateway,
    card,
    charge,
    money,
    order,
)
from tests.integration.storage.threads import run_together

A = FraudAction
K = FilterKind
S = TransactionStatus
IP = "203.0.113.7"
OTHER_IP = "198.51.100.4"
HOUR = 3600


def add(gateway: Gateway, item: FraudFilter) -> None:
    gateway.app.services.fraud_filters.add(gateway.merchant, item)


def over(threshold: str, action: FraudAction, name: str = "Maximum Amount Filter") -> FraudFilter:
    return FraudFilter(name, K.AMOUNT_OVER, action, threshold=Money(Decimal(threshold)))


def velocity(
    kind: FilterKind, max_count: int, action: FraudAction, window: int = HOUR, name: str = "Velocity"
) -> FraudFilter:
    return FraudFilter(name, kind, action, max_count=max_count, window_seconds=window)


def from_ip(
    amount: str = "10.00",
    ip: str | None = IP,
    *,
    kind: TransactionKind = TransactionKind.CHARGE,
    zip_code: str | None = None,
    source: PaymentSource | None = None,
) -> ChargeRequest:
    request = charge(amount, source, kind)
    details: OrderDetails = order(zip_code) if zip_code else request.order
    return replace(request, order=replace(details, customer_ip=ip))


def review(gateway: Gateway, ref: str, decision: ReviewDecision) -> TransactionResult:
    return gateway.payments.review_held(gateway.merchant, ref, decision)


def held(gateway: Gateway, request: ChargeRequest, reason: int = 252) -> str:
    result = gateway.charge(request)
    assert (result.response_code, result.reason_code) == (4, reason), result
    assert result.record is not None
    return result.record.ref


# ----------------------------------------------------------------------------- screening


def test_a_hold_is_stored_unauthorised_with_the_filters_that_fired(gateway: Gateway) -> None:
    add(gateway, over("500.00", A.HOLD))
    add(gateway, FraudFilter("Big spender report", K.AMOUNT_OVER, A.REPORT, threshold=money("100.00")))

    ref = held(gateway, from_ip("600.00", " 2001:DB8::1 "))

    stored = gateway.stored(ref)
    assert stored.status is S.HELD_FOR_REVIEW
    assert (stored.response_code, stored.reason_code, stored.auth_code) == (4, 252, "")
    assert stored.fraud_action is A.HOLD
    assert stored.fraud_filters == (("Maximum Amount Filter", A.HOLD), ("Big spender report", A.REPORT))
    assert stored.customer_ip == "2001:db8::1"
    assert stored.processor_reference == ""
    assert gateway.processor.authorizations == []


def test_authorize_and_hold_asks_the_processor_and_holds_its_approval(gateway: Gateway) -> None:
    add(gateway, over("500.00", A.AUTHORIZE_AND_HOLD))

    result = gateway.charge(from_ip("600.00"))

    assert (result.response_code, result.reason_code) == (4, 253)
    assert result.record is not None
    assert result.record.status is S.AUTHORIZED_HELD_FOR_REVIEW
    assert result.record.auth_code != ""
    assert result.record.fraud_action is A.AUTHORIZE_AND_HOLD
    [asked] = gateway.processor.authorizations
    assert asked.capture


def test_authorize_and_hold_keeps_a_processor_decline(gateway: Gateway) -> None:
    add(gateway, over("1.00", A.AUTHORIZE_AND_HOLD))

    result = gateway.charge(from_ip("20.00", zip_code=DECLINE_ZIP))

    assert (result.response_code, result.reason_code) == (2, 2)
    assert result.record is not None
    assert result.record.status is S.DECLINED
    assert result.record.fraud_action is A.AUTHORIZE_AND_HOLD


def test_a_declining_filter_declines_without_the_processor(gateway: Gateway) -> None:
    add(gateway, over("500.00", A.DECLINE))

    result = gateway.charge(from_ip("600.00"))

    assert (result.response_code, result.reason_code) == (2, 251)
    assert result.record is not None
    assert result.record.status is S.DECLINED
    assert result.record.fraud_filters == (("Maximum Amount Filter", A.DECLINE),)
    assert gateway.processor.authorizations == []


def test_a_blocked_ip_is_declined_with_reason_250(gateway: Gateway) -> None:
    add(
        gateway,
        FraudFilter(
            "IP Address Blocking", K.IP_BLOCKLIST, A.DECLINE, blocked=blocked_networks(["203.0.113.0/24"])
        ),
    )

    blocked = gateway.charge(from_ip(ip=IP))
    allowed = gateway.charge(from_ip(ip=OTHER_IP))
    anonymous = gateway.charge(from_ip(ip=None))

    assert (blocked.response_code, blocked.reason_code) == (2, 250)
    assert (allowed.response_code, allowed.reason_code) == (1, 1)
    assert (anonymous.response_code, anonymous.reason_code) == (1, 1)


def test_a_report_only_filter_lets_the_charge_through_and_says_so(gateway: Gateway) -> None:
    add(gateway, over("5.00", A.REPORT))

    record = gateway.approved(from_ip("6.00"))

    assert record.status is S.CAPTURED_PENDING_SETTLEMENT
    assert (record.fraud_action, record.fraud_filters) == (A.REPORT, (("Maximum Amount Filter", A.REPORT),))


def test_an_unfiltered_charge_records_no_fraud_action(gateway: Gateway) -> None:
    add(gateway, over("500.00", A.DECLINE))

    record = gateway.approved(from_ip("10.00"))

    assert (record.fraud_action, record.fraud_filters) == (None, ())
    assert gateway.stored(record.ref).customer_ip == IP


def test_a_disabled_filter_is_not_evaluated_until_enabled_again(gateway: Gateway) -> None:
    add(gateway, over("5.00", A.DECLINE))
    filters = gateway.app.services.fraud_filters

    filters.set_enabled(gateway.merchant, "Maximum Amount Filter", False)
    assert gateway.charge(from_ip("6.00")).response_code == 1
    filters.set_enabled(gateway.merchant, "Maximum Amount Filter", True)
    assert gateway.charge(from_ip("6.01")).response_code == 2


def test_another_merchants_filters_do_not_apply(gateway: Gateway) -> None:
    other, _ = gateway.app.services.merchants.create("Other shop")
    gateway.app.services.fraud_filters.add(other, over("1.00", A.DECLINE))

    assert gateway.charge(from_ip("50.00")).response_code == 1
    assert gateway.app.services.fraud_filters.list(gateway.merchant) == []


def test_test_requests_are_not_screened(gateway: Gateway) -> None:
    add(gateway, over("1.00", A.DECLINE))
    request = replace(from_ip("50.00"), settings=replace(charge().settings, test_request=True))

    assert gateway.charge(request).response_code == 1


# ----------------------------------------------------------------------------- velocity


def test_ip_velocity_counts_the_earlier_charges_from_that_ip_within_the_window(gateway: Gateway) -> None:
    add(gateway, velocity(K.IP_VELOCITY, 2, A.DECLINE))

    first = gateway.charge(from_ip("1.00"))
    declined = gateway.charge(from_ip("2.00", zip_code=DECLINE_ZIP))  # declines count too
    third = gateway.charge(from_ip("3.00"))
    elsewhere = gateway.charge(from_ip("4.00", OTHER_IP))
    gateway.clock.advance(timedelta(seconds=HOUR - 1))
    still = gateway.charge(from_ip("5.00"))
    gateway.clock.advance(timedelta(seconds=2))  # the first two leave the window
    later = gateway.charge(from_ip("6.00"))

    assert [first.response_code, declined.response_code] == [1, 2]
    assert (third.response_code, third.reason_code) == (2, 251)
    assert elsewhere.response_code == 1
    assert (still.response_code, still.reason_code) == (2, 251)
    assert later.response_code == 1


def test_card_velocity_counts_the_same_card_from_any_ip(gateway: Gateway) -> None:
    add(gateway, velocity(K.CARD_VELOCITY, 1, A.HOLD, window=600, name="Card Velocity Filter"))

    gateway.approved(from_ip("1.00", IP))
    same_card = gateway.charge(from_ip("2.00", OTHER_IP))
    other_card = gateway.charge(from_ip("3.00", OTHER_IP, source=card(MASTERCARD)))

    assert (same_card.response_code, same_card.reason_code) == (4, 252)
    assert other_card.response_code == 1


def test_refunds_and_validations_do_not_count_towards_velocity(gateway: Gateway) -> None:
    add(gateway, velocity(K.CARD_VELOCITY, 2, A.DECLINE, window=30 * 86_400))
    settled = gateway.settled_charge("10.00")
    gateway.profile(live=True)  # a live validation stores a verification of the same card

    refund = gateway.payments.refund(
        gateway.merchant, RefundRequest(settled.ref, money("1.00"), MaskedSource("1111"))
    )
    assert refund.response_code == 1

    assert gateway.charge(from_ip("1.00")).response_code == 1  # 1 earlier charge
    assert gateway.charge(from_ip("2.00")).response_code == 2  # 2 earlier charges


def test_concurrent_charges_from_one_ip_never_both_slip_under_the_limit(gateway: Gateway) -> None:
    add(gateway, velocity(K.IP_VELOCITY, 1, A.DECLINE))
    threads = 4

    def task(index: int, barrier: threading.Barrier) -> int:
        barrier.wait()
        return gateway.charge(from_ip(f"{index + 1}.00")).response_code

    codes = run_together(task, threads)

    assert sorted(codes) == [1] + [2] * (threads - 1)


# ----------------------------------------------------------------------------- review


@pytest.mark.parametrize(
    ("kind", "approved"),
    [
        (TransactionKind.CHARGE, S.CAPTURED_PENDING_SETTLEMENT),
        (TransactionKind.AUTHORIZATION, S.AUTHORIZED_PENDING_CAPTURE),
    ],
)
def test_approving_a_hold_authorises_it_then(
    gateway: Gateway, kind: TransactionKind, approved: TransactionStatus
) -> None:
    add(gateway, over("500.00", A.HOLD))
    ref = held(gateway, from_ip("600.00", kind=kind))
    gateway.clock.advance(timedelta(hours=2))

    result = review(gateway, ref, ReviewDecision.APPROVE)

    assert (result.response_code, result.reason_code) == (1, 1)
    [asked] = gateway.processor.authorizations
    assert asked.capture is (kind is TransactionKind.CHARGE)
    assert asked.amount == money("600.00")
    assert asked.bill_to is not None
    assert asked.bill_to.zip == "44628"
    stored = gateway.stored(ref)
    assert stored.status is approved
    assert (stored.response_code, stored.reason_code) == (1, 1)
    assert stored.auth_code != ""
    assert stored.processor_reference != ""
    assert stored.updated_at == gateway.clock.now()
    assert stored.fraud_action is A.HOLD  # what the filters decided stays on record


def test_an_approved_authorization_can_then_be_captured(gateway: Gateway) -> None:
    add(gateway, over("500.00", A.HOLD))
    ref = held(gateway, from_ip("600.00", kind=TransactionKind.AUTHORIZATION))
    review(gateway, ref, ReviewDecision.APPROVE)

    captured = gateway.payments.capture(gateway.merchant, ref, None, OrderDetails())

    assert captured.response_code == 1
    assert gateway.stored(ref).status is S.CAPTURED_PENDING_SETTLEMENT


@pytest.mark.parametrize(
    ("kind", "approved"),
    [
        (TransactionKind.CHARGE, S.CAPTURED_PENDING_SETTLEMENT),
        (TransactionKind.AUTHORIZATION, S.AUTHORIZED_PENDING_CAPTURE),
    ],
)
def test_approving_an_authorised_hold_releases_it(
    gateway: Gateway, kind: TransactionKind, approved: TransactionStatus
) -> None:
    add(gateway, over("500.00", A.AUTHORIZE_AND_HOLD))
    ref = held(gateway, from_ip("600.00", kind=kind), 253)
    auth_code = gateway.stored(ref).auth_code

    result = review(gateway, ref, ReviewDecision.APPROVE)

    assert (result.response_code, result.reason_code) == (1, 1)
    assert len(gateway.processor.authorizations) == 1  # the one at the charge, none now
    stored = gateway.stored(ref)
    assert (stored.status, stored.auth_code) == (approved, auth_code)


def test_declining_a_hold_stores_a_decline_without_the_processor(gateway: Gateway) -> None:
    add(gateway, over("500.00", A.HOLD))
    ref = held(gateway, from_ip("600.00"))

    result = review(gateway, ref, ReviewDecision.DECLINE)

    assert (result.response_code, result.reason_code) == (2, 254)
    stored = gateway.stored(ref)
    assert (stored.status, stored.response_code, stored.reason_code) == (S.DECLINED, 2, 254)
    assert stored.settle_amount == Decimal("0.00")
    assert gateway.processor.authorizations == []
    assert gateway.processor.follow_ups == []


def test_declining_an_authorised_hold_voids_the_authorisation(gateway: Gateway) -> None:
    add(gateway, over("500.00", A.AUTHORIZE_AND_HOLD))
    ref = held(gateway, from_ip("600.00"), 253)
    reference = gateway.stored(ref).processor_reference

    result = review(gateway, ref, ReviewDecision.DECLINE)

    assert (result.response_code, result.reason_code) == (2, 254)
    assert [(name, call.processor_reference) for name, call in gateway.processor.follow_ups] == [
        ("void", reference)
    ]
    assert gateway.stored(ref).status is S.DECLINED


def test_an_approval_the_processor_declines_ends_declined(gateway: Gateway) -> None:
    add(gateway, over("5.00", A.HOLD))
    ref = held(gateway, from_ip("20.00", zip_code=DECLINE_ZIP))

    result = review(gateway, ref, ReviewDecision.APPROVE)

    assert (result.response_code, result.reason_code) == (2, 2)
    stored = gateway.stored(ref)
    assert (stored.status, stored.response_code, stored.auth_code) == (S.DECLINED, 2, "")


def test_an_unreachable_processor_leaves_the_hold_for_another_try(
    gateway: Gateway, monkeypatch: pytest.MonkeyPatch
) -> None:
    add(gateway, over("5.00", A.HOLD))
    ref = held(gateway, from_ip("20.00"))

    def unreachable(*_args: object) -> ProcessorResult:
        raise ProcessorUnavailable("timeout")

    with monkeypatch.context() as patched:
        patched.setattr(gateway.processor, "authorize", unreachable)
        failed = review(gateway, ref, ReviewDecision.APPROVE)
    assert (failed.response_code, failed.reason_code) == (3, 19)
    assert gateway.stored(ref).status is S.HELD_FOR_REVIEW

    assert review(gateway, ref, ReviewDecision.APPROVE).response_code == 1


@pytest.mark.parametrize("decision", list(ReviewDecision))
def test_only_held_transactions_of_this_merchant_are_reviewed(
    gateway: Gateway, decision: ReviewDecision
) -> None:
    add(gateway, over("500.00", A.HOLD))
    approved = gateway.approved(from_ip("10.00"))
    ref = held(gateway, from_ip("600.00"))
    other, _ = gateway.app.services.merchants.create("Other shop")

    plain = review(gateway, approved.ref, decision)
    unknown = review(gateway, "99999999999", decision)
    foreign = gateway.payments.review_held(other, ref, decision)
    review(gateway, ref, decision)
    again = review(gateway, ref, decision)

    assert (plain.response_code, plain.reason_code, plain.message) == (
        3,
        16,
        "The transaction is not held for review.",
    )
    assert (unknown.response_code, unknown.reason_code) == (3, 16)
    assert (foreign.response_code, foreign.reason_code) == (3, 16)
    assert (again.response_code, again.message) == (3, "The transaction is not held for review.")
    assert gateway.stored(approved.ref).status is S.CAPTURED_PENDING_SETTLEMENT


def test_held_transactions_can_be_voided(gateway: Gateway) -> None:
    add(gateway, over("500.00", A.HOLD))
    add(gateway, over("900.00", A.AUTHORIZE_AND_HOLD, "Authorise big ones"))
    unauthorised = held(gateway, from_ip("600.00"))
    gateway.app.services.fraud_filters.remove(gateway.merchant, "Maximum Amount Filter")
    authorised = held(gateway, from_ip("1000.00"), 253)

    assert gateway.payments.void(gateway.merchant, unauthorised).response_code == 1
    assert gateway.payments.void(gateway.merchant, authorised).response_code == 1

    assert gateway.stored(unauthorised).status is S.VOIDED
    assert gateway.stored(authorised).status is S.VOIDED
    assert [name for name, _ in gateway.processor.follow_ups] == ["void"]  # the authorised one


# ----------------------------------------------------------------------------- time


def test_held_transactions_never_settle_until_approved(gateway: Gateway) -> None:
    add(gateway, over("500.00", A.HOLD))
    settlement = gateway.app.services.settlement
    ref = held(gateway, from_ip("600.00"))

    gateway.clock.advance(timedelta(days=2))
    settlement.close_batches(gateway.clock.now())
    assert gateway.stored(ref).status is S.HELD_FOR_REVIEW

    review(gateway, ref, ReviewDecision.APPROVE)
    approved_at = gateway.clock.now()
    gateway.clock.advance(timedelta(days=2))
    settlement.close_batches(gateway.clock.now())

    stored = gateway.stored(ref)
    assert stored.status is S.SETTLED
    assert stored.settle_amount == Decimal("600.00")
    rule = settlement.rule(gateway.merchant)
    assert stored.settled_at == rule.next(approved_at)  # the first cut-off after approval


def test_an_unreviewed_hold_expires_after_five_days(gateway: Gateway) -> None:
    add(gateway, over("500.00", A.HOLD))
    add(gateway, over("900.00", A.AUTHORIZE_AND_HOLD, "Authorise big ones"))
    waiting = held(gateway, from_ip("600.00"))
    gateway.app.services.fraud_filters.remove(gateway.merchant, "Maximum Amount Filter")
    authorised = held(gateway, from_ip("1000.00"), 253)

    gateway.clock.advance(timedelta(days=5, seconds=1))
    report = gateway.app.services.settlement.close_batches(gateway.clock.now())

    assert report.expired == 1
    assert gateway.stored(waiting).status is S.EXPIRED
    assert gateway.stored(authorised).status is S.AUTHORIZED_HELD_FOR_REVIEW
    refused = review(gateway, waiting, ReviewDecision.APPROVE)
    assert (refused.response_code, refused.reason_code) == (3, 16)


def test_a_review_after_the_review_time_finds_it_expired_even_before_the_run(gateway: Gateway) -> None:
    add(gateway, over("500.00", A.AUTHORIZE_AND_HOLD))
    ref = held(gateway, from_ip("600.00"), 253)
    gateway.clock.advance(timedelta(days=30, seconds=1))

    refused = review(gateway, ref, ReviewDecision.APPROVE)

    assert (refused.response_code, refused.message) == (3, "The transaction is not held for review.")
    assert gateway.stored(ref).status is S.EXPIRED


# ----------------------------------------------------------------------------- management


def test_filters_are_listed_in_order_named_uniquely_and_removed_by_name(gateway: Gateway) -> None:
    filters = gateway.app.services.fraud_filters
    first = over("500.00", A.HOLD)
    second = velocity(K.IP_VELOCITY, 5, A.DECLINE, name="IP Velocity Filter")
    third = FraudFilter(
        "Blocked", K.IP_BLOCKLIST, A.DECLINE, blocked=blocked_networks(["10.0.0.0/8", "2001:db8::/32"])
    )
    for item in (first, second, third):
        add(gateway, item)

    assert filters.list(gateway.merchant) == [first, second, third]
    with pytest.raises(Duplicate):
        add(gateway, over("1.00", A.REPORT))
    filters.remove(gateway.merchant, "IP Velocity Filter")
    assert filters.list(gateway.merchant) == [first, third]
    with pytest.raises(NotFound):
        filters.remove(gateway.merchant, "IP Velocity Filter")
    with pytest.raises(NotFound):
        filters.set_enabled(gateway.merchant, "Nope", False)


def test_a_hold_awaiting_review_keeps_its_card_past_a_short_retention(gateway: Gateway) -> None:
    short = TransactionInstruments(gateway.units, gateway.app.vault, gateway.clock, timedelta(days=1))
    add(gateway, over("500.00", A.HOLD))
    waiting = held(gateway, from_ip("600.00"))
    approved = gateway.approved(from_ip("20.00"))

    gateway.clock.advance(timedelta(days=2))

    assert short.recall(gateway.merchant, waiting) is None  # not for profiles any more
    assert short.purge() == 1  # the approved charge's card only
    assert short.recall(gateway.merchant, approved.ref, awaiting_review=True) is None
    kept = short.recall(gateway.merchant, waiting, awaiting_review=True)
    assert kept is not None
    assert kept.last4 == card().card.last4
    review(gateway, waiting, ReviewDecision.APPROVE)
    assert gateway.stored(waiting).status is S.CAPTURED_PENDING_SETTLEMENT
    assert short.purge() == 1  # reviewed: no longer spared
