"""The settlement job: close every merchant's batches whose cut-off has passed."""

from __future__ import annotations

from datetime import datetime

from strongroom.services.catalog import Services
from strongroom.services.settlement import SettlementReport

NAME = "settlement"
_METHODS = {"card": "credit card", "bank": "eCheck"}


def run_settlement(services: Services, now: datetime) -> SettlementReport:
    """Close the batches due at `now` (normally `services.clock.now()`); idempotent."""
    return services.settlement.close_batches(now)


def describe(report: SettlementReport) -> str:
    """The report as text, one line per batch."""
    lines = [
        f"Settlement at {report.now:%Y-%m-%d %H:%M:%S}Z: {len(report.batches)} batches, "
        f"{report.settled} transactions settled, {report.expired} authorizations expired."
    ]
    for batch in report.batches:
        method = _METHODS.get(batch.payment_method, batch.payment_method)
        lines.append(
            f"  batch {batch.ref}  {batch.login_id}  {method}"
            f"  settled {batch.settled_at:%Y-%m-%d %H:%M}Z ({batch.settled_local:%Y-%m-%d %H:%M} local)"
            f"  {batch.count} transactions, charges {batch.charged}, refunds {batch.refunded}"
        )
    return "\n".join(lines)
