"""How a transaction shows the fraud filters that fired: FDSFilterAction and FDSFilters (the
getTransactionDetails elements), in the protocol's words for each action."""

from __future__ import annotations

from typing import Any, Final

from strongroom.domain.fraud import FraudAction
from strongroom.services.ports import TransactionRecord

# FDSFilterActionEnum: reject | decline | hold | authAndHold | report.
FDS_ACTIONS: Final = {FraudAction.DECLINE: "decline", FraudAction.HOLD: "hold",
                      FraudAction.AUTHORIZE_AND_HOLD: "authAndHold",
                      FraudAction.REPORT: "report"}


def fds_values(record: TransactionRecord) -> dict[str, Any]:
    """FDSFilterAction and FDSFilters of `record`; empty when no filter fired."""
    if record.fraud_action is None:
        return {}
    return {
        "FDSFilterAction": FDS_ACTIONS[record.fraud_action],
        "FDSFilters": {"FDSFilter": [{"name": name, "action": FDS_ACTIONS[action]}
                                     for name, action in record.fraud_filters]},
    }
