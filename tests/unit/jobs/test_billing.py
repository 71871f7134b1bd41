"""The billing job: it bills at the instant it is given, and its report reads line by line."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import cast

from strongroom.domain.subscriptions import SubscriptionStatus
from strongroom.jobs.billing import describe, run_billing
from strongroom.services.catalog import Services
from strongroom.services.ports import AttemptOutcome
from strongroom.services.subscriptions.billing import Billed, BillingReport

NOW = datetime(2026, 11, 23, 6, 30, 5, tzinfo=UTC)


class RecordingBilling:
    def __init__(self) -> None:
        self.runs: list[datetime] = []

    def run(self, now: datetime) -> BillingReport:
        self.runs.append(now)
        return BillingReport(now)


def billed(ref: str, outcome: AttemptOutcome | None, **changes: object) -> Billed:
    values: dict[str, object] = {
        "merchant_key": 1,
        "subscription_ref": ref,
        "pay_num": 3,
        "attempt_num": 1,
        "outcome": outcome,
        "amount": Decimal("9.99"),
        "status": SubscriptionStatus.ACTIVE,
    }
    values.update(changes)
    return Billed(**values)  # type: ignore[arg-type]


def test_run_bills_at_the_given_instant_and_returns_the_services_report() -> None:
    billing = RecordingBilling()
    report = run_billing(cast(Services, SimpleNamespace(billing=billing)), NOW)
    assert billing.runs == [NOW]
    assert report == BillingReport(NOW)


def test_describe_counts_each_outcome_and_writes_a_line_per_item() -> None:
    report = BillingReport(
        NOW,
        (
            billed("100", AttemptOutcome.APPROVED, transaction_ref="6000"),
            billed("101", AttemptOutcome.DECLINED, status=SubscriptionStatus.SUSPENDED, attempt_num=2),
            billed("102", AttemptOutcome.ERROR, transaction_ref="6001"),
            billed("103", AttemptOutcome.FREE, amount=Decimal("0.00")),
            billed("104", None, pay_num=4, status=SubscriptionStatus.TERMINATED),
        ),
    )
    assert describe(report).splitlines() == [
        "Billing at 2026-11-23 06:30:05Z: 1 payments approved, 2 failed, 1 free, 1 subscriptions terminated.",
        "  subscription 100  payment 3 (attempt 1)  9.99  approved  transaction 6000  now active",
        "  subscription 101  payment 3 (attempt 2)  9.99  declined  now suspended",
        "  subscription 102  payment 3 (attempt 1)  9.99  failed  transaction 6001  now active",
        "  subscription 103  payment 3 (attempt 1)  0.00  free (nothing charged)  now active",
        "  subscription 104  terminated (not reactivated before occurrence 5)",
    ]


def test_describe_an_empty_run_is_one_line() -> None:
    assert describe(BillingReport(NOW)) == (
        "Billing at 2026-11-23 06:30:05Z: 0 payments approved, 0 failed, 0 free, 0 subscriptions terminated."
    )
