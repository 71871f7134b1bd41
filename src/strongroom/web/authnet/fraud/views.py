"""How a transaction shows the fraud filters that fired: FDSFilterAction and FDSFilters (the
getTransactionDetails elements), in the protocol's words for each action."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from strongroom.domain.fraud import FraudAction
from strongroom.services.webhooks.recording import FRAUD_ACTIONS

# FDSFilterActionEnum: reject | decline | hold | authAndHold | report — the words webhook
# notifications use in their fraudList too, kept in one table with them.
FDS_ACTIONS: Final = FRAUD_ACTIONS


def fds_values(action: FraudAction | None, filters: Sequence[tuple[str, FraudAction]]) -> dict[str, Any]:
    """FDSFilterAction and FDSFilters: the action taken and the filters that fired (each with
    its own action); empty when no filter fired."""
    if action is None:
        return {}
    return {
        "FDSFilterAction": FDS_ACTIONS[action],
        "FDSFilters": {"FDSFilter": [{"name": name, "action": FDS_ACTIONS[each]} for name, each in filters]},
    }
