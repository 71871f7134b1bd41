"""Mutated requests to the REST door (paths, queries, credentials, JSON bodies, bytes) against
a live server on each engine: only its own error JSON, never a 5xx other than a ping's 502,
never a traceback or ERROR line in the log."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fuzz.campaign import Campaign
from tests.fuzz.conftest import FUZZ
from tests.fuzz.generators import rest_request

# The REST door has a handful of routes: it gets as many examples as eight operations.
ROUTE_SHARE = 8


@settings(FUZZ, max_examples=FUZZ.max_examples * ROUTE_SHARE)
@given(data=st.data())
def test_mutated_rest_requests_get_the_error_shape(campaign: Campaign, data: st.DataObject) -> None:
    request = data.draw(
        rest_request(campaign.merchant.login_id, campaign.merchant.transaction_key, campaign.ids)
    )

    assert campaign.send(request) == [], request.describe()
