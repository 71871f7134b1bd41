"""FDSFilterAction and FDSFilters as a transaction shows them: the protocol's word for every
action, the strongest one first, each filter that fired after it."""

from __future__ import annotations

import pytest
from lxml import etree

from strongroom.domain.fraud import FraudAction
from strongroom.web.authnet.fraud.views import FDS_ACTIONS, fds_values
from tests.shared_spec import shared_dir
from tests.unit.web.authnet.transactions.test_views import record

XS = "{http://www.w3.org/2001/XMLSchema}"

A = FraudAction


def test_every_action_has_a_word_of_the_schema_enumeration() -> None:
    schema = etree.parse(str(shared_dir() / "reference" / "AnetApiSchema.xsd"))
    [enum] = schema.getroot().iterfind(f"{XS}simpleType[@name='FDSFilterActionEnum']")
    words = {item.get("value") for item in enum.iter(f"{XS}enumeration")}

    assert set(FDS_ACTIONS) == set(FraudAction)
    assert set(FDS_ACTIONS.values()) <= words


def test_the_filters_that_fired_are_listed_with_their_own_actions() -> None:
    held = record(
        fraud_action=A.HOLD, fraud_filters=(("Amount Filter", A.HOLD), ("Velocity", A.AUTHORIZE_AND_HOLD))
    )

    assert fds_values(held.fraud_action, held.fraud_filters) == {
        "FDSFilterAction": "hold",
        "FDSFilters": {
            "FDSFilter": [
                {"name": "Amount Filter", "action": "hold"},
                {"name": "Velocity", "action": "authAndHold"},
            ]
        },
    }


@pytest.mark.parametrize("action", list(FraudAction))
def test_nothing_is_shown_when_no_filter_fired(action: FraudAction) -> None:
    assert fds_values(None, ()) == {}
    fired = record(fraud_action=action, fraud_filters=(("F", action),))
    assert fds_values(fired.fraud_action, fired.fraud_filters)["FDSFilterAction"] == FDS_ACTIONS[action]
