"""Split-tender order rules: which orders take new transactions, and which status moves are
allowed."""

from __future__ import annotations

import pytest

from strongroom.domain.split_tenders import (
    CLOSED_ORDER,
    UNKNOWN_ORDER,
    SplitTenderStatus,
    joining_refusal,
    update_refusal,
)
from strongroom.domain.transactions import Refusal

S = SplitTenderStatus


@pytest.mark.parametrize("status", [S.OPEN, S.HELD])
def test_open_and_held_orders_take_new_transactions(status: SplitTenderStatus) -> None:
    assert joining_refusal(status) is None


@pytest.mark.parametrize("status", [S.COMPLETED, S.VOIDED])
def test_completed_and_voided_orders_refuse_them_298(status: SplitTenderStatus) -> None:
    assert joining_refusal(status) == Refusal(298, CLOSED_ORDER)


def test_an_unknown_order_is_296() -> None:
    assert joining_refusal(None) == Refusal(296, UNKNOWN_ORDER)


@pytest.mark.parametrize(
    ("current", "requested"),
    [
        (S.OPEN, S.HELD),
        (S.OPEN, S.COMPLETED),
        (S.OPEN, S.VOIDED),
        (S.HELD, S.HELD),
        (S.HELD, S.COMPLETED),
        (S.HELD, S.VOIDED),
        (S.COMPLETED, S.COMPLETED),
        (S.COMPLETED, S.VOIDED),
        (S.VOIDED, S.VOIDED),
    ],
)
def test_allowed_moves(current: SplitTenderStatus, requested: SplitTenderStatus) -> None:
    assert update_refusal(current, requested) is None


@pytest.mark.parametrize(
    ("current", "requested", "reason"),
    [
        (S.COMPLETED, S.HELD, "already completed; it can no longer be held"),
        (S.VOIDED, S.HELD, "has been voided; it cannot be held"),
        (S.VOIDED, S.COMPLETED, "has been voided; it cannot be completed"),
        (S.HELD, S.OPEN, "cannot be reopened"),
        (S.OPEN, S.OPEN, "cannot be reopened"),
    ],
)
def test_refused_moves(current: SplitTenderStatus, requested: SplitTenderStatus, reason: str) -> None:
    refusal = update_refusal(current, requested)
    assert refusal is not None
    assert reason in refusal
