"""Settlement batches: the merchant's daily cut-off, which transactions settle, and how they are
grouped.

Once a day, at the merchant's transaction cut-off time (local wall-clock time in the merchant's
time zone, 16:00 America/Los_Angeles unless configured), every transaction that became due
before that instant settles: captured charges become settled, refunds become refund-settled.
Card transactions and eCheck (bank) transactions go into separate batches; voided, declined
and errored transactions join the batch of their cut-off too, unchanged, as the batch's record.
Authorisations and holds for review older than their lifetime expire at the same run; held
transactions never settle until approved. Which statuses move, and to what, is read from the
one table of transitions in `domain.transactions`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from strongroom.domain.errors import InvalidField
from strongroom.domain.transactions import (
    LIFETIMES,
    TRANSITIONS,
    Action,
    TransactionStatus,
)

DEFAULT_CUTOFF: Final = time(16, 0)
DEFAULT_TIMEZONE: Final = "America/Los_Angeles"
CARD_METHOD: Final = "card"
BANK_METHOD: Final = "bank"  # eCheck

_CUTOFF_TEXT = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")

# Statuses the settlement run moves, and where to: read from the state machine, not repeated.
SETTLES: Final[dict[TransactionStatus, TransactionStatus]] = {
    status: target for (status, action), target in TRANSITIONS.items() if action is Action.SETTLE
}
EXPIRES: Final[dict[TransactionStatus, TransactionStatus]] = {
    status: target for (status, action), target in TRANSITIONS.items() if action is Action.EXPIRE
}
SETTLED_STATUSES: Final = frozenset(SETTLES.values())
# Statuses that join the batch of their cut-off as they are: the batch reports them (its list,
# its void, decline and error counts) but they move no money. Terminal: they never change again.
JOINS_UNCHANGED: Final = frozenset(
    {TransactionStatus.VOIDED, TransactionStatus.DECLINED, TransactionStatus.GENERAL_ERROR}
)


class BatchState(StrEnum):
    SETTLED = "settled"
    SETTLEMENT_ERROR = "settlement_error"
    PENDING = "pending"


def parse_cutoff(text: str) -> time:
    """'16:00' (or '9:30') as a time of day; `InvalidField` otherwise."""
    match = _CUTOFF_TEXT.fullmatch(text.strip())
    if match is None:
        raise InvalidField("settlement_cutoff", "A cut-off time is HH:MM, from 00:00 to 23:59.")
    return time(int(match[1]), int(match[2]))


def format_cutoff(cutoff: time) -> str:
    return f"{cutoff.hour:02d}:{cutoff.minute:02d}"


def zone(name: str) -> ZoneInfo:
    """The IANA time zone `name`; `InvalidField` if there is no such zone."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidField("settlement_timezone", f"{name!r} is not a known IANA time zone.") from None


@dataclass(frozen=True, slots=True)
class CutoffRule:
    """A merchant's daily transaction cut-off: a wall-clock time in a time zone.

    A cut-off falling in a daylight-saving gap (the clock jumps over it) happens at the same
    instant as the wall-clock time shifted by the gap (02:30 becomes 03:30); one falling in a
    repeated hour happens at its first occurrence. Cut-offs are therefore strictly increasing,
    one per local calendar day, 23 to 25 hours apart around a change.
    """

    cutoff: time = DEFAULT_CUTOFF
    timezone: str = DEFAULT_TIMEZONE

    def __post_init__(self) -> None:
        zone(self.timezone)
        if self.cutoff.tzinfo is not None or self.cutoff.second or self.cutoff.microsecond:
            raise InvalidField("settlement_cutoff", "A cut-off time is HH:MM, local time.")

    @classmethod
    def parse(cls, cutoff: str, timezone: str = DEFAULT_TIMEZONE) -> CutoffRule:
        return cls(parse_cutoff(cutoff), timezone)

    @property
    def text(self) -> str:
        return format_cutoff(self.cutoff)

    def on(self, day: date) -> datetime:
        """The cut-off instant (UTC) of the local calendar day `day`."""
        local = datetime.combine(day, self.cutoff, tzinfo=zone(self.timezone))  # fold=0
        return local.astimezone(UTC)

    def previous(self, now: datetime) -> datetime:
        """The latest cut-off at or before `now`."""
        today = _aware(now).astimezone(zone(self.timezone)).date()
        candidate = self.on(today)
        return candidate if candidate <= now else self.on(today - timedelta(days=1))

    def next(self, now: datetime) -> datetime:
        """The earliest cut-off strictly after `now`."""
        today = _aware(now).astimezone(zone(self.timezone)).date()
        candidate = self.on(today)
        return candidate if candidate > now else self.on(today + timedelta(days=1))

    def local(self, instant: datetime) -> datetime:
        """`instant` as naive wall-clock time in the rule's zone (settlementTimeLocal)."""
        return _aware(instant).astimezone(zone(self.timezone)).replace(tzinfo=None)


def _aware(instant: datetime) -> datetime:
    if instant.tzinfo is None:
        raise ValueError("settlement times must be timezone-aware")
    return instant


def batch_cutoff(rule: CutoffRule, became_due: datetime, closed_through: datetime | None) -> datetime:
    """The cut-off whose batch a transaction joins: the first one after it became due
    (captured, approved or refunded), but never one already closed — a late arrival joins the
    next open batch instead of reopening a closed one."""
    start = became_due if closed_through is None else max(became_due, closed_through)
    return rule.next(start)


def settles(status: TransactionStatus) -> bool:
    return status in SETTLES


def settled_status(status: TransactionStatus) -> TransactionStatus:
    """Where a settling transaction ends (settled, or refund-settled for refunds)."""
    return SETTLES[status]


# The shortest lifetime: nothing submitted more recently than this ago can expire.
SHORTEST_LIFETIME: Final = min(LIFETIMES[status] for status in EXPIRES)


def expires(status: TransactionStatus, submitted_at: datetime, now: datetime) -> bool:
    """An authorisation not captured, or a hold not reviewed, within its lifetime expires at
    the settlement run."""
    return status in EXPIRES and now - submitted_at > LIFETIMES[status]


def is_refund(status: TransactionStatus) -> bool:
    """Whether a settling status credits the customer (counted as a refund in statistics)."""
    return settles(status) and settled_status(status) is TransactionStatus.REFUND_SETTLED
