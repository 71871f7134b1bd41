"""The instrument-purge job: delete the kept cards and bank accounts of transactions older than
the retention period (createCustomerProfileFromTransaction can no longer use them)."""

from __future__ import annotations

from strongroom.services.catalog import Services

NAME = "instrument-purge"


def run_instrument_purge(services: Services) -> int:
    """Delete every kept instrument past retention; how many were deleted. Idempotent."""
    return services.transaction_instruments.purge()


def describe(deleted: int, services: Services) -> str:
    days = services.transaction_instruments.retention.days
    noun = "instrument" if deleted == 1 else "instruments"
    return (
        f"Deleted {deleted} kept {noun} of transactions older than {days} days "
        f"(STRONGROOM_INSTRUMENT_RETENTION_DAYS)."
    )
