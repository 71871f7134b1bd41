"""`strongroom serve --workers N`: several uvicorn workers on PostgreSQL, refused on SQLite (helpers
and fixtures from test_cli)."""

from __future__ import annotations

import os
import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from authorizenet import apicontractsv1 as contracts
from authorizenet import apicontrollers as controllers

from strongroom.bootstrap import SANDBOX_LOGIN_ID, SANDBOX_TRANSACTION_KEY
from tests.api.builders import card, ok
from tests.api.sdk import ApiMerchant, call
from tests.databases import throwaway_database
from tests.integration import test_cli
from tests.integration.server_process import STRONGROOM, ServerProcess, free_port
from tests.integration.test_cli import PROXY_VARIABLES, Place, refused, strongroom

sqlite_place = test_cli.sqlite_place
_no_proxies = test_cli._no_proxies

STOP_TIMEOUT = 30  # seconds the parent and its workers get to stop after SIGTERM
WORKER_STARTED = re.compile(r"Started server process \[(\d+)\]")


@pytest.fixture
def postgres_place(tmp_path: Path) -> Iterator[Place]:
    data_dir = tmp_path / "data"
    with throwaway_database("postgres", tmp_path) as database_url:
        env = {
            name: value
            for name, value in os.environ.items()
            if not name.startswith("STRONGROOM_") and name not in PROXY_VARIABLES
        }
        env.update(
            STRONGROOM_DATA_DIR=str(data_dir),
            STRONGROOM_DATABASE_URL=database_url,
            STRONGROOM_AUTO_MIGRATE="true",  # the parent migrates, once; its workers only check
            PYTHONUNBUFFERED="1",
            NO_PROXY="127.0.0.1,localhost",
        )
        yield Place(data_dir, env)


def _stat(pid: int) -> tuple[str, int, int] | None:
    """(state, parent PID, start time) of a process, or None when there is none."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (command) "
    return fields[0], int(fields[1]), int(fields[19])


def _children(parent: int) -> dict[int, int]:
    """PID to start time of every live child of `parent`."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = _stat(int(entry.name))
            if stat is not None and stat[1] == parent and stat[0] != "Z":
                found[int(entry.name)] = stat[2]
    return found


def _alive(pid: int, started: int) -> bool:
    stat = _stat(pid)
    return stat is not None and stat[2] == started and stat[0] != "Z"


def _wait_for_lines(server: ServerProcess, marker: str, count: int) -> list[str]:
    while len(matching := [line for line in server.lines if marker in line]) < count:
        server.wait_for(marker)
    return matching


def _charge(endpoint: str) -> object:
    request = contracts.createTransactionRequest()
    request.merchantAuthentication = ApiMerchant(SANDBOX_LOGIN_ID, SANDBOX_TRANSACTION_KEY, "").auth()
    request.transactionRequest = contracts.transactionRequestType()
    request.transactionRequest.transactionType = "authCaptureTransaction"
    request.transactionRequest.amount = "12.50"
    request.transactionRequest.payment = card()
    return call(endpoint, controllers.createTransactionController, request)


def test_two_workers_on_postgresql_serve_the_sandbox_merchant_and_stop_on_sigterm(
    postgres_place: Place,
) -> None:
    port = free_port()
    command = [str(STRONGROOM), "serve", "--port", str(port), "--workers", "2"]
    server = ServerProcess(postgres_place.env, port, command)
    try:
        server.wait_for("Uvicorn running on")
        started = _wait_for_lines(server, "Started server process", 2)
        _wait_for_lines(server, "Application startup complete", 2)
        workers = {int(match[1]) for line in started if (match := WORKER_STARTED.search(line))}
        children = _children(server.process.pid)
        assert len(workers) == 2, server.output
        assert workers <= children.keys(), (workers, children)
        endpoint = re.search(r"endpoint:\s+(\S+)", server.output)
        assert endpoint is not None, server.output
        assert f"transaction key: {SANDBOX_TRANSACTION_KEY}" in server.output
        assert server.output.count("API login ID:") == 1  # printed by the parent, once

        alive = contracts.isAliveRequest()
        alive.refId = "workers"  # the SDK drops the namespace of an empty request
        ok(call(endpoint[1], controllers.isAliveController, alive))
        charged = ok(_charge(endpoint[1]))
        assert str(charged.transactionResponse.responseCode) == "1"

        server.process.terminate()
        assert server.process.wait(timeout=STOP_TIMEOUT) == 0
        deadline = time.monotonic() + STOP_TIMEOUT
        while left := [pid for pid, start in children.items() if _alive(pid, start)]:
            assert time.monotonic() < deadline, f"still running after SIGTERM: {left}"
            time.sleep(0.05)
    finally:
        server.stop()
    assert "Stopping parent process" in server.output


@pytest.mark.parametrize(
    ("arguments", "env"),
    [(["--workers", "2"], {}), ([], {"STRONGROOM_WORKERS": "2"})],
    ids=["option", "setting"],
)
def test_several_workers_on_sqlite_are_refused_naming_postgresql(
    sqlite_place: Place, arguments: list[str], env: dict[str, str]
) -> None:
    place = Place(sqlite_place.data_dir, {**sqlite_place.env, **env})

    message = refused(strongroom(place, "serve", "--port", str(free_port()), *arguments))

    assert "PostgreSQL" in message
    assert "SQLite has one writer" in message
    assert not place.data_dir.exists()  # refused before anything was created


def test_zero_workers_are_refused(sqlite_place: Place) -> None:
    completed = strongroom(sqlite_place, "serve", "--port", str(free_port()), "--workers", "0")

    assert completed.returncode == 2, completed
    assert "Invalid value for '--workers'" in completed.stderr
    assert "Traceback" not in completed.stderr
    setting = Place(sqlite_place.data_dir, {**sqlite_place.env, "STRONGROOM_WORKERS": "0"})
    assert "STRONGROOM_WORKERS must be at least 1" in refused(strongroom(setting, "serve"))


def test_serve_help_lists_the_workers_option(sqlite_place: Place) -> None:
    completed = subprocess.run(
        [str(STRONGROOM), "serve", "--help"],
        env=sqlite_place.env,
        capture_output=True,
        text=True,
        timeout=test_cli.COMMAND_TIMEOUT,
        check=True,
    )
    assert "--workers" in completed.stdout
    assert "PostgreSQL only" in completed.stdout
