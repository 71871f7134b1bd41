"""A charge with an Idempotency-Key, stopped dead at each step, then retried on a restarted
server with the same key and body: the work is done exactly once and the key never sticks.
Real server subprocesses, both engines; the process ends with os._exit, like kill -9."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from strongroom.bootstrap import build
from strongroom.config import load_settings
from tests.api.test_idempotency import CHARGE, code, trans_id
from tests.integration.crashes.crashing_server import ARMED, CRASH_EXIT

ROOT = Path(__file__).resolve().parents[3]
AUTHNET = "/xml/v1/request.api"
UNSETTLED = (
    '<getUnsettledTransactionListRequest xmlns="AnetApi/xml/v1/schema/AnetApiSchema.xsd">'
    "<merchantAuthentication><name>{login}</name><transactionKey>{key}</transactionKey>"
    "</merchantAuthentication></getUnsettledTransactionListRequest>"
)


class Server:
    def __init__(self, process: subprocess.Popen[str], port: int) -> None:
        self.process = process
        self.endpoint = f"http://127.0.0.1:{port}{AUTHNET}"


class Place:
    def __init__(self, database_url: str, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.env = {name: value for name, value in os.environ.items() if not name.startswith("STRONGROOM_")}
        self.env.update(
            STRONGROOM_DATA_DIR=str(data_dir),
            STRONGROOM_DATABASE_URL=database_url,
            STRONGROOM_LOG_LEVEL="warning",
            STRONGROOM_AUTO_MIGRATE="true",
            PYTHONUNBUFFERED="1",
            PYTHONPATH=os.pathsep.join(
                filter(None, [str(ROOT / "src"), str(ROOT), os.environ.get("PYTHONPATH")])
            ),
        )
        application = build(load_settings(self.env))
        try:
            _, credentials = application.services.merchants.create("Crash merchant", "crash1")
        finally:
            application.close()
        self.login, self.key = credentials.login_id, credentials.transaction_key

    def arm(self) -> None:
        (self.data_dir / ARMED).touch()

    def armed(self) -> bool:
        return (self.data_dir / ARMED).exists()

    @contextmanager
    def server(self, step: str) -> Iterator[Server]:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.integration.crashes.crashing_server", step],
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert process.stdout is not None
            line = process.stdout.readline()  # blocks until the server listens (or dies)
            assert line.startswith("port "), (line, process.communicate(timeout=30))
            yield Server(process, int(line.split()[1]))
        finally:
            if process.poll() is None:
                process.terminate()
            process.communicate(timeout=30)

    def charge(self, server: Server, key: str) -> httpx.Response:
        body = CHARGE.format(login=self.login, key=self.key, amount="21.50")
        return httpx.post(
            server.endpoint,
            content=body,
            timeout=30,
            headers={"content-type": "text/xml", "idempotency-key": key},
        )

    def charged(self, server: Server) -> list[str]:
        body = UNSETTLED.format(login=self.login, key=self.key)
        answer = httpx.post(server.endpoint, content=body, timeout=30, headers={"content-type": "text/xml"})
        return re.findall(r"<transId>(\d+)</transId>", answer.text)


@pytest.fixture
def place(database_url: str, tmp_path: Path) -> Place:
    return Place(database_url, tmp_path / "data")


@pytest.mark.parametrize("step", ["claimed", "processor-answered", "committed"])
def test_a_retry_after_a_crash_charges_exactly_once(place: Place, step: str) -> None:
    with place.server(step) as first:
        place.arm()
        with pytest.raises(httpx.TransportError):  # the server died mid-request
            place.charge(first, "order-crash")
        assert first.process.wait(timeout=30) == CRASH_EXIT
    assert not place.armed()

    with place.server(step) as second:
        retried = place.charge(second, "order-crash")
        assert code(retried) == "I00001", retried.text  # never "still being processed"
        again = place.charge(second, "order-crash")
        assert again.content == retried.content
        assert place.charged(second) == [trans_id(retried)]  # one charge, whatever the step


def test_a_retry_after_an_unexpected_failure_runs_the_work_once(place: Place) -> None:
    with place.server("processor-fails") as server:
        place.arm()
        failed = place.charge(server, "order-fails")
        assert code(failed) == "E00001"
        assert place.charged(server) == []  # the failed attempt left nothing behind
        retried = place.charge(server, "order-fails")
        assert code(retried) == "I00001", retried.text
        assert place.charge(server, "order-fails").content == retried.content
        assert place.charged(server) == [trans_id(retried)]
