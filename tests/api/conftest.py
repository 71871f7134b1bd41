"""API fixtures: one live server per database engine, a fresh merchant per test, a webhook
receiver on loopback, and a schema check of every XML response each test caused."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.api.live_server import LiveServer, serve_engine
from tests.api.sdk import ApiMerchant, new_merchant
from tests.api.webhook_receiver import Receiver
from tests.databases import ENGINES
from tests.shared_spec import schema_errors


@pytest.fixture(scope="session", autouse=True)
def _no_proxies() -> None:
    # requests honours proxy variables; loopback traffic must never leave the machine.
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        os.environ.pop(name, None)
    os.environ["NO_PROXY"] = "127.0.0.1,localhost"


@pytest.fixture(scope="session", params=ENGINES)
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    yield from serve_engine(request, tmp_path_factory, "server")


@pytest.fixture
def merchant(server: LiveServer) -> ApiMerchant:
    return new_merchant(server)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A webhook receiver on a loopback port, checking signatures (tests/api/webhook_receiver)."""
    live = Receiver()
    try:
        yield live
    finally:
        live.close()


@pytest.fixture(autouse=True)
def _xml_responses_follow_the_schema(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every XML response produced by a test must validate against AnetApiSchema.xsd."""
    if "server" not in request.fixturenames:
        yield
        return
    live: LiveServer = request.getfixturevalue("server")
    live.recorder.take()
    yield
    failures = []
    for content_type, body in live.recorder.take():
        if content_type.startswith("application/xml"):
            errors = schema_errors(body)
            if errors:
                failures.append(f"{body[:300]!r}: {errors}")
    assert not failures, "XML responses that break AnetApiSchema.xsd:\n" + "\n".join(failures)
