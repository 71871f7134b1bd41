"""The issue's acceptance walk-through with the official SDK against a live server."""

from __future__ import annotations

from tests.api.live_server import LiveServer
from tests.api.sdk import ApiMerchant
from tests.api.walkthrough import walk_profile_lifecycle


def test_full_profile_lifecycle(server: LiveServer, merchant: ApiMerchant) -> None:
    walk_profile_lifecycle(server.endpoint, merchant.auth())
