"""`strongroom serve` as a real subprocess on a loopback port, its output read line by line."""

from __future__ import annotations

import queue
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

STRONGROOM = Path(sys.executable).parent / "strongroom"
READY_TIMEOUT = 60  # seconds


def free_port() -> int:
    """A port free a moment ago (the server binds it itself, so there is a small race)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ServerProcess:
    """`strongroom serve --port port` (or `command`) with environment `env`; its output is read
    on a thread."""

    def __init__(self, env: dict[str, str], port: int, command: list[str] | None = None) -> None:
        assert STRONGROOM.is_file(), f"console script not installed at {STRONGROOM}"
        self.port = port
        self.process = subprocess.Popen(
            command or [str(STRONGROOM), "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            bufsize=1,
        )
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)  # end of output: the process closed it or exited

    def wait_for(self, marker: str, timeout: float = READY_TIMEOUT) -> str:
        """Block until a line containing `marker` is printed; fail on exit or after `timeout`."""
        while True:
            try:
                line = self._queue.get(timeout=timeout)
            except queue.Empty:
                pytest.fail(f"no {marker!r} within {timeout}s; output so far:\n" + self.output)
            if line is None:
                pytest.fail(f"the server exited ({self.process.wait()}) before {marker!r}:\n" + self.output)
            self.lines.append(line)
            if marker in line:
                return line

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._reader.join(timeout=30)
        if self.process.stdout is not None:
            self.process.stdout.close()
        while not self._queue.empty():
            line = self._queue.get_nowait()
            if line is not None:
                self.lines.append(line)
        return self.process.returncode
