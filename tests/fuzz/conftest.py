"""Fuzz fixtures: one live server per engine per module with its log captured, a campaign
(merchant, real records) on it, and the Hypothesis profile that keeps CI bounded.

STRONGROOM_FUZZ_EXAMPLES raises the examples per test (default 12); bench/fuzz.py runs the
same generators for as long as asked."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

from tests.api.live_server import LiveServer, serve_engine
from tests.databases import ENGINES
from tests.fuzz.campaign import Campaign, LogCapture

EXAMPLES_ENV = "STRONGROOM_FUZZ_EXAMPLES"
settings.register_profile(
    "strongroom-fuzz",
    max_examples=int(os.environ.get(EXAMPLES_ENV, "12")),
    derandomize=True,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
FUZZ = settings.get_profile("strongroom-fuzz")


@pytest.fixture(scope="module", params=ENGINES)
def fuzz_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    yield from serve_engine(request, tmp_path_factory, "fuzz")


@pytest.fixture(scope="module")
def campaign(fuzz_server: LiveServer) -> Iterator[Campaign]:
    capture = LogCapture()
    capture.attach()
    live = Campaign(fuzz_server, capture)
    try:
        yield live
    finally:
        live.close()
        capture.detach()
