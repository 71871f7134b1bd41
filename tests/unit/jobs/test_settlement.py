"""The settlement job: it closes batches at the instant it is given, and its report reads line by line."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import cast

from strongroom.jobs.settlement import describe, run_settlement
from strongroom.services.catalog import Services
from strongroom.services.ports import BatchTotals
from strongroom.services.settlement import ClosedBatch, SettlementReport

NOW = datetime(2026, 11, 23, 8, 0, 1, tzinfo=UTC)
CUTOFF = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


class RecordingSettlement:
    def __init__(self, report: SettlementReport) -> None:
        self.report = report
        self.runs: list[datetime] = []

    def close_batches(self, now: datetime) -> SettlementReport:
        self.runs.append(now)
        return self.report


def batch(ref: str, method: str, *totals: BatchTotals) -> ClosedBatch:
    return ClosedBatch(1, "login-1", ref, method, CUTOFF, datetime(2026, 11, 23, 0, 0), totals)


def test_run_closes_the_batches_due_at_the_given_instant() -> None:
    report = SettlementReport(NOW, 0, (), 0)
    settlement = RecordingSettlement(report)
    assert run_settlement(cast(Services, SimpleNamespace(settlement=settlement)), NOW) is report
    assert settlement.runs == [NOW]


def test_describe_totals_the_run_and_writes_a_line_per_batch_with_its_method() -> None:
    visa = BatchTotals("Visa", charge_count=2, charge_amount=Decimal("30.00"))
    amex = BatchTotals("AmericanExpress", refund_count=1, refund_amount=Decimal("5.50"))
    echeck = BatchTotals("eCheck", charge_count=1, charge_amount=Decimal("12.00"))
    report = SettlementReport(
        NOW, 1, (batch("70", "card", visa, amex), batch("71", "bank", echeck), batch("72", "other")), 4
    )
    assert describe(report).splitlines() == [
        "Settlement at 2026-11-23 08:00:01Z: 3 batches, 4 transactions settled, 4 authorizations expired.",
        "  batch 70  login-1  credit card  settled 2026-11-23 08:00Z (2026-11-23 00:00 local)"
        "  3 transactions, charges 30.00, refunds 5.50",
        "  batch 71  login-1  eCheck  settled 2026-11-23 08:00Z (2026-11-23 00:00 local)"
        "  1 transactions, charges 12.00, refunds 0.00",
        "  batch 72  login-1  other  settled 2026-11-23 08:00Z (2026-11-23 00:00 local)"
        "  0 transactions, charges 0.00, refunds 0.00",
    ]
