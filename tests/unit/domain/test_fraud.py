"""Fraud filters: the matrix of kinds x actions x amounts, velocity counts, the block list,
which action wins, and the filters a merchant cannot configure."""

from __future__ import annotations

from decimal import Decimal

import pytest

from strongroom.domain.errors import InvalidField
from strongroom.domain.fraud import (
    NOT_SCREENED,
    ChargeFacts,
    FilterKind,
    FiredFilter,
    FraudAction,
    FraudFilter,
    VelocityScope,
    VelocityWindow,
    blocked_networks,
    canonical_ip,
    evaluate,
    velocity_windows,
)
from strongroom.domain.money import Money

A = FraudAction
K = FilterKind
IP = "203.0.113.7"
CARD = "fp-card-1"
HOUR = 3600


def usd(text: str) -> Money:
    return Money(Decimal(text))


def facts(
    amount: str = "100.00", ip: str | None = IP, fingerprint: str | None = CARD, currency: str = "USD"
) -> ChargeFacts:
    return ChargeFacts(Money(Decimal(amount), currency), ip, fingerprint)


def amount_filter(kind: FilterKind, threshold: str, action: FraudAction, name: str = "Amount") -> FraudFilter:
    return FraudFilter(name, kind, action, threshold=usd(threshold))


def velocity(
    kind: FilterKind, max_count: int, window: int, action: FraudAction, name: str = "Velocity"
) -> FraudFilter:
    return FraudFilter(name, kind, action, max_count=max_count, window_seconds=window)


def blocklist(*networks: str, name: str = "Blocked") -> FraudFilter:
    return FraudFilter(name, K.IP_BLOCKLIST, A.DECLINE, blocked=blocked_networks(networks))


# ----------------------------------------------------------------------------- the matrix

REASONS = {A.DECLINE: 251, A.HOLD: 252, A.AUTHORIZE_AND_HOLD: 253, A.REPORT: None}
AMOUNTS = [
    # kind, threshold, amount, fires
    (K.AMOUNT_OVER, "500.00", "499.99", False),
    (K.AMOUNT_OVER, "500.00", "500.00", False),
    (K.AMOUNT_OVER, "500.00", "500.01", True),
    (K.AMOUNT_OVER, "0.00", "0.01", True),
    (K.AMOUNT_UNDER, "1.00", "0.99", True),
    (K.AMOUNT_UNDER, "1.00", "1.00", False),
    (K.AMOUNT_UNDER, "1.00", "250.00", False),
]


@pytest.mark.parametrize("action", list(FraudAction))
@pytest.mark.parametrize(("kind", "threshold", "amount", "fires"), AMOUNTS)
def test_amount_filters(
    kind: FilterKind, threshold: str, amount: str, fires: bool, action: FraudAction
) -> None:
    verdict = evaluate([amount_filter(kind, threshold, action)], facts(amount), {})

    if fires:
        assert verdict.fired == (FiredFilter("Amount", action),)
        assert verdict.action is action
        assert verdict.reason_code == REASONS[action]
    else:
        assert verdict == NOT_SCREENED
        assert verdict.action is None
        assert verdict.reason_code is None


@pytest.mark.parametrize("kind", [K.AMOUNT_OVER, K.AMOUNT_UNDER])
def test_amount_filters_compare_in_their_own_currency_only(kind: FilterKind) -> None:
    item = amount_filter(kind, "10.00", A.DECLINE)

    assert not evaluate([item], facts("5000.00", currency="EUR"), {}).fired
    assert not evaluate([item], facts("0.01", currency="EUR"), {}).fired


# earlier transactions in the window -> fires, for "more than 3 in an hour"
VELOCITY_COUNTS = [(0, False), (2, False), (3, True), (10, True)]


@pytest.mark.parametrize("action", list(FraudAction))
@pytest.mark.parametrize(("earlier", "fires"), VELOCITY_COUNTS)
@pytest.mark.parametrize(
    ("kind", "scope"),
    [(K.IP_VELOCITY, VelocityScope.CUSTOMER_IP), (K.CARD_VELOCITY, VelocityScope.FINGERPRINT)],
)
def test_velocity_filters_fire_on_the_transaction_past_the_limit(
    kind: FilterKind, scope: VelocityScope, earlier: int, fires: bool, action: FraudAction
) -> None:
    item = velocity(kind, 3, HOUR, action)
    window = VelocityWindow(scope, HOUR)
    assert velocity_windows([item], facts()) == {window}

    verdict = evaluate([item], facts(), {window: earlier})

    assert verdict.action is (action if fires else None)
    assert verdict.reason_code == (REASONS[action] if fires else None)


def test_velocity_counts_are_per_scope_and_window() -> None:
    by_ip = velocity(K.IP_VELOCITY, 1, HOUR, A.HOLD, "IP hourly")
    by_ip_daily = velocity(K.IP_VELOCITY, 5, 24 * HOUR, A.DECLINE, "IP daily")
    by_card = velocity(K.CARD_VELOCITY, 2, HOUR, A.REPORT, "Card hourly")
    filters = [by_ip, by_ip_daily, by_card]
    ip_hour = VelocityWindow(VelocityScope.CUSTOMER_IP, HOUR)
    ip_day = VelocityWindow(VelocityScope.CUSTOMER_IP, 24 * HOUR)
    card_hour = VelocityWindow(VelocityScope.FINGERPRINT, HOUR)

    assert velocity_windows(filters, facts()) == {ip_hour, ip_day, card_hour}
    verdict = evaluate(filters, facts(), {ip_hour: 1, ip_day: 4, card_hour: 2})

    assert verdict.fired == (FiredFilter("IP hourly", A.HOLD), FiredFilter("Card hourly", A.REPORT))
    assert verdict.action is A.HOLD


def test_a_charge_without_an_ip_or_fingerprint_is_not_counted_by_it() -> None:
    filters = [
        velocity(K.IP_VELOCITY, 1, HOUR, A.DECLINE, "IP"),
        velocity(K.CARD_VELOCITY, 1, HOUR, A.DECLINE, "Card"),
    ]
    anonymous = facts(ip=None, fingerprint=None)

    assert velocity_windows(filters, anonymous) == frozenset()
    everything = {VelocityWindow(scope, HOUR): 99 for scope in VelocityScope}
    assert evaluate(filters, anonymous, everything) == NOT_SCREENED


@pytest.mark.parametrize(
    ("customer_ip", "blocked"),
    [
        ("203.0.113.7", True),
        ("10.200.3.4", True),
        ("2001:db8::1", True),
        ("203.0.113.8", False),
        ("192.0.2.1", False),
        ("2001:db9::1", False),
        (None, False),
    ],
)
def test_the_block_list_declines_with_reason_250(customer_ip: str | None, blocked: bool) -> None:
    item = blocklist("203.0.113.7", "10.0.0.0/8", "2001:db8::/32")

    verdict = evaluate([item], facts(ip=customer_ip), {})

    assert verdict.blocked_ip is blocked
    assert verdict.reason_code == (250 if blocked else None)


# ----------------------------------------------------------------------------- which action wins


@pytest.mark.parametrize(
    ("actions", "winner"),
    [
        ((A.REPORT, A.AUTHORIZE_AND_HOLD), A.AUTHORIZE_AND_HOLD),
        ((A.AUTHORIZE_AND_HOLD, A.HOLD), A.HOLD),
        ((A.HOLD, A.AUTHORIZE_AND_HOLD, A.REPORT), A.HOLD),
        ((A.REPORT, A.DECLINE, A.HOLD), A.DECLINE),
        ((A.REPORT, A.REPORT), A.REPORT),
    ],
)
def test_the_strongest_action_wins_and_every_fired_filter_is_kept(
    actions: tuple[FraudAction, ...], winner: FraudAction
) -> None:
    filters = [
        amount_filter(K.AMOUNT_OVER, "10.00", action, f"Filter {index}")
        for index, action in enumerate(actions)
    ]

    verdict = evaluate(filters, facts("50.00"), {})

    assert verdict.action is winner
    assert verdict.fired == tuple(
        FiredFilter(f"Filter {index}", action) for index, action in enumerate(actions)
    )


def test_a_blocked_ip_outranks_another_decline_reason() -> None:
    filters = [amount_filter(K.AMOUNT_OVER, "10.00", A.DECLINE), blocklist(IP)]

    verdict = evaluate(filters, facts("50.00"), {})

    assert verdict.reason_code == 250


def test_a_blocked_ip_beside_a_hold_is_still_a_decline() -> None:
    filters = [amount_filter(K.AMOUNT_OVER, "10.00", A.HOLD), blocklist(IP)]

    verdict = evaluate(filters, facts("50.00"), {})

    assert (verdict.action, verdict.reason_code) == (A.DECLINE, 250)


def test_disabled_filters_are_not_evaluated() -> None:
    item = FraudFilter("Off", K.AMOUNT_OVER, A.DECLINE, threshold=usd("1.00"), enabled=False)
    counted = FraudFilter(
        "Off velocity", K.IP_VELOCITY, A.DECLINE, max_count=1, window_seconds=HOUR, enabled=False
    )

    assert velocity_windows([item, counted], facts()) == frozenset()
    assert evaluate([item, counted], facts("99.00"), {}) == NOT_SCREENED


# ----------------------------------------------------------------------------- configuration


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: FraudFilter("A", K.AMOUNT_OVER, A.HOLD), "threshold"),
        (lambda: FraudFilter("A", K.AMOUNT_OVER, A.HOLD, threshold=usd("-1.00")), "threshold"),
        (lambda: FraudFilter("A", K.AMOUNT_OVER, A.HOLD, threshold=Money(Decimal("1.001"))), "threshold"),
        (lambda: FraudFilter("A", K.AMOUNT_OVER, A.HOLD, threshold=Money(Decimal(1), "usd")), "currency"),
        (lambda: FraudFilter("A", K.AMOUNT_OVER, A.HOLD, threshold=usd("1.00"), max_count=3), "max"),
        (lambda: FraudFilter("V", K.IP_VELOCITY, A.HOLD, window_seconds=60), "max"),
        (lambda: FraudFilter("V", K.IP_VELOCITY, A.HOLD, max_count=0, window_seconds=60), "max"),
        (lambda: FraudFilter("V", K.CARD_VELOCITY, A.HOLD, max_count=1), "window"),
        (lambda: FraudFilter("V", K.CARD_VELOCITY, A.HOLD, max_count=1, window_seconds=0), "window"),
        (
            lambda: FraudFilter("V", K.CARD_VELOCITY, A.HOLD, max_count=1, window_seconds=31 * 86_400 + 1),
            "window",
        ),
        (
            lambda: FraudFilter(
                "V", K.IP_VELOCITY, A.HOLD, max_count=1, window_seconds=60, threshold=usd("1.00")
            ),
            "threshold",
        ),
        (lambda: FraudFilter("B", K.IP_BLOCKLIST, A.DECLINE), "ip"),
        (lambda: FraudFilter("B", K.IP_BLOCKLIST, A.HOLD, blocked=("10.0.0.0/8",)), "action"),
        (lambda: FraudFilter("B", K.IP_BLOCKLIST, A.DECLINE, blocked=("10.1.2.3/8",)), "ip"),
        (
            lambda: FraudFilter("A", K.AMOUNT_OVER, A.HOLD, threshold=usd("1.00"), blocked=("10.0.0.0/8",)),
            "ip",
        ),
        (lambda: FraudFilter("", K.AMOUNT_OVER, A.HOLD, threshold=usd("1.00")), "name"),
        (lambda: FraudFilter(" padded", K.AMOUNT_OVER, A.HOLD, threshold=usd("1.00")), "name"),
        (lambda: FraudFilter("x" * 65, K.AMOUNT_OVER, A.HOLD, threshold=usd("1.00")), "name"),
        (lambda: blocked_networks(["10.0.0.300"]), "ip"),
        (lambda: blocked_networks(["not an address"]), "ip"),
    ],
)
def test_incoherent_filters_are_refused(build: object, field: str) -> None:
    assert callable(build)
    with pytest.raises(InvalidField) as refused:
        build()
    assert refused.value.field == field


def test_block_lists_are_kept_canonical_and_once() -> None:
    assert blocked_networks(["10.1.2.3/8", " 203.0.113.7 ", "10.0.0.0/8", "2001:DB8::/32"]) == (
        "10.0.0.0/8",
        "203.0.113.7/32",
        "2001:db8::/32",
    )


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("203.0.113.7", "203.0.113.7"),
        (" 203.0.113.7 ", "203.0.113.7"),
        ("2001:DB8:0:0::1", "2001:db8::1"),
        ("255.255.255.255", "255.255.255.255"),
        ("203.0.113", None),
        ("localhost", None),
        ("", None),
        (None, None),
    ],
)
def test_customer_ips_are_compared_in_canonical_form(text: str | None, canonical: str | None) -> None:
    assert canonical_ip(text) == canonical


def test_filters_describe_what_they_look_at() -> None:
    assert amount_filter(K.AMOUNT_OVER, "500.00", A.HOLD).describe() == "amount > 500.00 USD"
    assert amount_filter(K.AMOUNT_UNDER, "1.00", A.HOLD).describe() == "amount < 1.00 USD"
    assert velocity(K.IP_VELOCITY, 5, HOUR, A.DECLINE).describe() == (
        "more than 5 from one customer IP within 3600 s"
    )
    assert velocity(K.CARD_VELOCITY, 2, 60, A.DECLINE).describe() == (
        "more than 2 from one card/account within 60 s"
    )
    assert blocklist("10.0.0.0/8", "203.0.113.7").describe() == ("customer IP in 10.0.0.0/8, 203.0.113.7/32")
