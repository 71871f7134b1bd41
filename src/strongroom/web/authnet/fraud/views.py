"""How a transaction shows the fraud filters that fired: FDSFilterAction and FDSFilters (the
getTransactionDetails elements), in the protocol's words for each action."""

from __future__ import annotations

from typing import Any, Final

from strongroom.services.ports import TransactionRecord
from strongroom.services.webhooks.recording import FRAUD_ACTIONS

# FDSFilterActionEnum: reject | decline | hold | authAndHold | report — the words webhook
# notifications use in their fraudList too, kept in one table with them.
FDS_ACTIONS: Final = FRAUD_ACTIONS


def fds_values(record: TransactionRecord) -> dict[str, Any]:
    """FDSFilterAction and FDSFilters of `record`; empty when no filter fired."""
    if record.fraud_action is None:
        return {}
    return {
        "FDSFilterAction": FDS_ACTIONS[record.fraud_action],
        "FDSFilters": {"FDSFilter": [{"name": name, "action": FDS_ACTIONS[action]}
                                     for name, action in record.fraud_filters]},
    }
