"""Mutated XML and JSON for every registered Authorize.Net operation against a live server on
each engine: never a 5xx, never E00001, never a traceback or ERROR line in the log."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from strongroom.web.app import AUTHNET_PATH
from strongroom.web.authnet.registry import OPERATIONS
from tests.fuzz.campaign import Campaign
from tests.fuzz.conftest import FUZZ
from tests.fuzz.corpus import EXAMPLES
from tests.fuzz.generators import authnet_request


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
@FUZZ
@given(data=st.data())
def test_mutated_requests_get_an_api_answer(campaign: Campaign, operation: str, data: st.DataObject) -> None:
    examples = [EXAMPLES[operation](campaign)] if operation in EXAMPLES else []
    request = data.draw(
        authnet_request(operation, campaign.credentials, campaign.ids, AUTHNET_PATH, examples)
    )

    assert campaign.send(request) == [], request.describe()
