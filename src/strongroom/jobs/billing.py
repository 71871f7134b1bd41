"""The billing job: charge every subscription occurrence that has come due, exactly once."""

from __future__ import annotations

from datetime import datetime

from strongroom.services.catalog import Services
from strongroom.services.ports import AttemptOutcome
from strongroom.services.subscriptions.billing import Billed, BillingReport

NAME = "billing"
_OUTCOMES = {
    AttemptOutcome.APPROVED: "approved",
    AttemptOutcome.DECLINED: "declined",
    AttemptOutcome.ERROR: "failed",
    AttemptOutcome.FREE: "free (nothing charged)",
}


def run_billing(services: Services, now: datetime) -> BillingReport:
    """Bill what is due at `now` (normally `services.clock.now()`); safe to repeat."""
    return services.billing.run(now)


def _line(item: Billed) -> str:
    if item.outcome is None:
        return (
            f"  subscription {item.subscription_ref}  terminated (not reactivated before "
            f"occurrence {item.pay_num + 1})"
        )
    transaction = f"  transaction {item.transaction_ref}" if item.transaction_ref else ""
    return (
        f"  subscription {item.subscription_ref}  payment {item.pay_num}"
        f" (attempt {item.attempt_num})  {item.amount}  {_OUTCOMES[item.outcome]}"
        f"{transaction}  now {item.status.value}"
    )


def describe(report: BillingReport) -> str:
    """The report as text, one line per occurrence billed or subscription ended."""
    charged = report.count(AttemptOutcome.APPROVED)
    failed = report.count(AttemptOutcome.DECLINED) + report.count(AttemptOutcome.ERROR)
    lines = [
        f"Billing at {report.now:%Y-%m-%d %H:%M:%S}Z: {charged} payments approved, "
        f"{failed} failed, {report.count(AttemptOutcome.FREE)} free, "
        f"{report.count(None)} subscriptions terminated."
    ]
    lines.extend(_line(item) for item in report.items)
    return "\n".join(lines)
