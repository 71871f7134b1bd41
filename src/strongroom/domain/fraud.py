"""Fraud filters: what a merchant screens its charges with, and the verdict on one charge.

A filter has a kind (amount over or under a threshold, more than N transactions from one customer
IP or one card/account within a window, customer IPs on a block list) and an action. Every
enabled filter is evaluated and each one that fires is recorded with its action; the strongest
action decides: decline > hold (nothing is authorised until the merchant approves) > authorise
and hold > report (recorded only). Pure: the caller counts recent transactions for velocity.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Final

from strongroom.domain.errors import InvalidField
from strongroom.domain.money import Money, is_valid_amount
from strongroom.domain.transactions import Reason

MAX_NAME_LENGTH: Final = 64
MAX_WINDOW_SECONDS: Final = 31 * 86_400
MAX_COUNT: Final = 1_000_000
MAX_BLOCKED: Final = 1_000
MAX_IP_LENGTH: Final = 45  # the stored column's width; longer texts are no usable address


class FilterKind(StrEnum):
    AMOUNT_OVER = "amount-over"  # the amount is above a threshold
    AMOUNT_UNDER = "amount-under"  # the amount is below a minimum
    IP_VELOCITY = "ip-velocity"  # more than N transactions from one customer IP in a window
    CARD_VELOCITY = "card-velocity"  # more than N transactions on one card/account in a window
    IP_BLOCKLIST = "ip-blocklist"  # the customer IP is in a blocked address or network


class FraudAction(StrEnum):
    REPORT = "report"  # recorded on the transaction, nothing else
    AUTHORIZE_AND_HOLD = "authorize-and-hold"  # authorised, held before capture until approved
    HOLD = "hold"  # not authorised until the merchant approves
    DECLINE = "decline"


# Strongest last: the strongest action among the filters that fired decides.
_STRENGTH: Final = {action: rank for rank, action in enumerate(FraudAction)}
_REASONS: Final = {
    FraudAction.DECLINE: Reason.FRAUD_DECLINED,
    FraudAction.HOLD: Reason.HELD_FOR_REVIEW,
    FraudAction.AUTHORIZE_AND_HOLD: Reason.AUTHORIZED_HELD_FOR_REVIEW,
}


class VelocityScope(StrEnum):
    """What a velocity filter counts transactions by."""

    CUSTOMER_IP = "customer_ip"
    FINGERPRINT = "fingerprint"  # the keyed fingerprint of the card or account number


AMOUNT_KINDS: Final = frozenset({FilterKind.AMOUNT_OVER, FilterKind.AMOUNT_UNDER})
VELOCITY_SCOPES: Final = {
    FilterKind.IP_VELOCITY: VelocityScope.CUSTOMER_IP,
    FilterKind.CARD_VELOCITY: VelocityScope.FINGERPRINT,
}
DEFAULT_NAMES: Final = {
    FilterKind.AMOUNT_OVER: "Maximum Amount Filter",
    FilterKind.AMOUNT_UNDER: "Minimum Amount Filter",
    FilterKind.IP_VELOCITY: "IP Velocity Filter",
    FilterKind.CARD_VELOCITY: "Card Velocity Filter",
    FilterKind.IP_BLOCKLIST: "IP Address Blocking",
}


def canonical_ip(text: str | None) -> str | None:
    """A customer IP in its canonical spelling, or None when it is absent or no address."""
    if text is None:
        return None
    try:
        canonical = str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None
    return canonical if len(canonical) <= MAX_IP_LENGTH else None


def canonical_network(text: str) -> str:
    """A blocked address or network ('203.0.113.7', '10.0.0.0/8', '2001:db8::/32')."""
    try:
        return str(ipaddress.ip_network(text.strip(), strict=False))
    except ValueError:
        raise InvalidField(
            "ip", f"{text!r} is not an IP address or network (e.g. 203.0.113.7 or 10.0.0.0/8)."
        ) from None


@dataclass(frozen=True, slots=True)
class FraudFilter:
    """One of a merchant's filters; construction refuses an incoherent one (`InvalidField`)."""

    name: str
    kind: FilterKind
    action: FraudAction
    threshold: Money | None = None  # amount filters
    max_count: int | None = None  # velocity: transactions allowed within the window
    window_seconds: int | None = None  # velocity
    blocked: tuple[str, ...] = ()  # ip-blocklist: canonical addresses and networks
    enabled: bool = True

    def __post_init__(self) -> None:
        _check_name(self.name)
        if self.kind in AMOUNT_KINDS:
            _check_threshold(self.threshold)
        elif self.threshold is not None:
            raise InvalidField("threshold", "Only amount filters have a threshold.")
        if self.kind in VELOCITY_SCOPES:
            _check_velocity(self.max_count, self.window_seconds)
        elif self.max_count is not None or self.window_seconds is not None:
            raise InvalidField("max", "Only velocity filters have a count and a window.")
        if self.kind is FilterKind.IP_BLOCKLIST:
            _check_blocked(self.blocked, self.action)
        elif self.blocked:
            raise InvalidField("ip", "Only an ip-blocklist filter has blocked addresses.")

    def describe(self) -> str:
        """What the filter looks at, in words (for listings)."""
        if self.threshold is not None:
            sign = ">" if self.kind is FilterKind.AMOUNT_OVER else "<"
            return f"amount {sign} {self.threshold} {self.threshold.currency}"
        if self.max_count is not None:
            scope = "customer IP" if self.kind is FilterKind.IP_VELOCITY else "card/account"
            return f"more than {self.max_count} from one {scope} within {self.window_seconds} s"
        return "customer IP in " + ", ".join(self.blocked)


def _check_name(name: str) -> None:
    if not name.strip() or name != name.strip() or not name.isprintable():
        raise InvalidField("name", "A filter name is printable text without leading or trailing spaces.")
    if len(name) > MAX_NAME_LENGTH:
        raise InvalidField("name", f"A filter name has at most {MAX_NAME_LENGTH} characters.")


def _check_threshold(threshold: Money | None) -> None:
    if threshold is None:
        raise InvalidField("threshold", "An amount filter needs a threshold, e.g. 500.00.")
    if not is_valid_amount(threshold.amount):
        raise InvalidField(
            "threshold", "A threshold is an amount of at least 0.00 with at most two decimal places."
        )
    currency = threshold.currency
    if len(currency) != 3 or not currency.isascii() or not currency.isupper():
        raise InvalidField("currency", f"{currency!r} is not a three-letter currency code.")


def _check_velocity(max_count: int | None, window_seconds: int | None) -> None:
    if max_count is None or not 1 <= max_count <= MAX_COUNT:
        raise InvalidField(
            "max", f"A velocity filter allows from 1 to {MAX_COUNT} transactions in its window."
        )
    if window_seconds is None or not 1 <= window_seconds <= MAX_WINDOW_SECONDS:
        raise InvalidField(
            "window", f"A velocity window is from 1 second to 31 days ({MAX_WINDOW_SECONDS} seconds)."
        )


def _check_blocked(blocked: tuple[str, ...], action: FraudAction) -> None:
    if not blocked:
        raise InvalidField("ip", "An ip-blocklist filter needs at least one address or network.")
    if len(blocked) > MAX_BLOCKED:
        raise InvalidField("ip", f"An ip-blocklist filter holds at most {MAX_BLOCKED} entries.")
    if any(canonical_network(item) != item for item in blocked):
        raise InvalidField("ip", "Blocked addresses must be in canonical form.")
    if action is not FraudAction.DECLINE:
        raise InvalidField(
            "action", "A blocked IP is always declined: an ip-blocklist filter's action is decline."
        )


def blocked_networks(texts: Iterable[str]) -> tuple[str, ...]:
    """Addresses and networks as an ip-blocklist keeps them: canonical, each once, in order."""
    return tuple(dict.fromkeys(canonical_network(text) for text in texts))


@dataclass(frozen=True, slots=True)
class ChargeFacts:
    """What the filters look at in a charge."""

    amount: Money
    customer_ip: str | None  # canonical (`canonical_ip`), None when absent or unusable
    fingerprint: str | None  # keyed fingerprint of the card or account number

    def value_of(self, scope: VelocityScope) -> str | None:
        return self.customer_ip if scope is VelocityScope.CUSTOMER_IP else self.fingerprint


@dataclass(frozen=True, slots=True, order=True)
class VelocityWindow:
    """A count the caller must make: transactions with the charge's `scope` value submitted in
    the last `seconds`."""

    scope: VelocityScope
    seconds: int


def velocity_windows(filters: Iterable[FraudFilter], facts: ChargeFacts) -> frozenset[VelocityWindow]:
    """The counts `evaluate` needs; a charge without a customer IP (or fingerprint) is never
    counted by that scope."""
    return frozenset(
        VelocityWindow(VELOCITY_SCOPES[item.kind], item.window_seconds)
        for item in filters
        if item.enabled
        and item.kind in VELOCITY_SCOPES
        and item.window_seconds is not None
        and facts.value_of(VELOCITY_SCOPES[item.kind]) is not None
    )


@dataclass(frozen=True, slots=True)
class FiredFilter:
    name: str
    action: FraudAction


@dataclass(frozen=True, slots=True)
class Verdict:
    """The filters that fired, in the merchant's order, and what follows from them."""

    fired: tuple[FiredFilter, ...] = ()
    blocked_ip: bool = False  # an ip-blocklist filter fired

    @property
    def action(self) -> FraudAction | None:
        """The strongest action among the filters that fired; None when none fired."""
        if not self.fired:
            return None
        return max((item.action for item in self.fired), key=_STRENGTH.__getitem__)

    @property
    def reason_code(self) -> int | None:
        """250 blocked IP, 251 declined, 252 held, 253 authorised and held; None otherwise."""
        action = self.action
        if action is FraudAction.DECLINE and self.blocked_ip:
            return Reason.BLOCKED_IP
        return _REASONS.get(action) if action is not None else None


NOT_SCREENED: Final = Verdict()


def evaluate(
    filters: Iterable[FraudFilter], facts: ChargeFacts, counts: Mapping[VelocityWindow, int]
) -> Verdict:
    """Judge one charge by every enabled filter; `counts` holds the earlier transactions in
    each of `velocity_windows` (the charge itself not included)."""
    fired: list[FiredFilter] = []
    blocked_ip = False
    for item in filters:
        if item.enabled and _fires(item, facts, counts):
            fired.append(FiredFilter(item.name, item.action))
            blocked_ip = blocked_ip or item.kind is FilterKind.IP_BLOCKLIST
    return Verdict(tuple(fired), blocked_ip)


def _fires(item: FraudFilter, facts: ChargeFacts, counts: Mapping[VelocityWindow, int]) -> bool:
    if item.threshold is not None:
        return _beyond(item.kind, facts.amount, item.threshold)
    scope = VELOCITY_SCOPES.get(item.kind)
    if scope is not None:
        if facts.value_of(scope) is None or item.window_seconds is None:
            return False
        earlier = counts.get(VelocityWindow(scope, item.window_seconds), 0)
        return item.max_count is not None and earlier >= item.max_count
    return _is_blocked(facts.customer_ip, item.blocked)


def _beyond(kind: FilterKind, amount: Money, threshold: Money) -> bool:
    """Amount filters compare amounts in the threshold's currency only."""
    if amount.currency != threshold.currency:
        return False
    limit: Decimal = threshold.amount
    return amount.amount > limit if kind is FilterKind.AMOUNT_OVER else amount.amount < limit


def _is_blocked(customer_ip: str | None, blocked: tuple[str, ...]) -> bool:
    if customer_ip is None:
        return False
    address = ipaddress.ip_address(customer_ip)
    return any(address in ipaddress.ip_network(item) for item in blocked)
