"""Split-tender orders: the transactions that together pay one order after a prepaid card was
approved for part of it, and the order's own status.

An order is `open` from the partial approval that starts it; `held` keeps it open; `completed`
(no further transactions) and `voided` (every transaction voided) close it for good. A closed
order accepts no new transaction. Nothing closes an order by itself: the reference documents no
automatic completion or expiry of an unfinished order, and each of its transactions settles,
expires or is voided on its own, as any transaction does.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

from strongroom.domain.transactions import Reason, Refusal


class SplitTenderStatus(StrEnum):
    OPEN = "open"  # never updated since the partial approval that started it
    HELD = "held"
    COMPLETED = "completed"
    VOIDED = "voided"


ACCEPTS_TRANSACTIONS: Final = frozenset({SplitTenderStatus.OPEN, SplitTenderStatus.HELD})

UNKNOWN_ORDER: Final = "The specified SplitTenderID is invalid."
CLOSED_ORDER: Final = (
    "This order has already been released or voided therefore new "
    "transaction associations cannot be accepted."
)


def joining_refusal(status: SplitTenderStatus | None) -> Refusal | None:
    """Whether a new transaction may join an order (`None`: the merchant has no such order)."""
    if status is None:
        return Refusal(Reason.SPLIT_TENDER_INVALID, UNKNOWN_ORDER)
    if status not in ACCEPTS_TRANSACTIONS:
        return Refusal(Reason.SPLIT_TENDER_CLOSED, CLOSED_ORDER)
    return None


def update_refusal(current: SplitTenderStatus, requested: SplitTenderStatus) -> str | None:
    """Why an order cannot move from `current` to `requested`, if it cannot.

    Repeating the current status is allowed (a retry changes nothing); a voided order stays
    voided; a completed order can still be voided (its unsettled transactions are), but it
    cannot be held or reopened.
    """
    if requested is SplitTenderStatus.OPEN:
        return "A split tender order cannot be reopened."
    if current is requested or requested is SplitTenderStatus.VOIDED:
        return None
    if current is SplitTenderStatus.VOIDED:
        return f"The split tender order has been voided; it cannot be {requested.value}."
    if current is SplitTenderStatus.COMPLETED:
        return "The split tender order is already completed; it can no longer be held."
    return None
