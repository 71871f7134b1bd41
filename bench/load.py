"""Load driver: wrk against `strongroom serve`: req/s, p50/p99, server CPU per request, per call.

Starts `strongroom serve` as its own process on a fresh database (a temp SQLite data dir, or a
fresh PostgreSQL schema; on PostgreSQL once with one process and, when `strongroom serve` has
`--workers`, once more with `--workers 2`) and drives it on loopback with wrk (installed from
Debian when missing) through bench/load.lua, which builds every request (amounts and customer
ids vary per request) and checks every answer. Each call is one bounded wrk run at 4 and at 32
connections (2 wrk threads); reps are interleaved (rep 1: every call at 4 and 32, then rep 2).
Around each run the CPU time (utime + stime) of the server process and all its descendants is
read from /proc. Any answer that is not Ok, a socket error or a run with no answer makes the
script exit 1.

    python bench/load.py [--seconds 5] [--reps 3] [--quick] [--engine sqlite|postgres|both]
                         [--database-url URL]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text

LOGIN, KEY = "5KP3u95bQpv", "346HZ32z3fP4hTG2"  # the sandbox merchant a fresh server creates
NS = 'xmlns="AnetApi/xml/v1/schema/AnetApiSchema.xsd"'
POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
LUA_SCRIPT = Path(__file__).with_name("load.lua")
CONNECTIONS = (4, 32)
WRK_THREADS = 2
WRK_GRACE = 30.0  # seconds a wrk run may take beyond its -d before it is killed
SETTLE_LIMIT = 10.0  # seconds one request may take after a run, once the run's backlog drains
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Call:
    name: str  # the call's key in load.lua
    label: str
    path: str


CALLS = (
    Call("isalive", "isAlive (XML)", "/xml/v1/request.api"),
    Call("healthz", "GET /healthz", "/healthz"),
    Call("charge_profile_xml", "charge a profile (XML)", "/xml/v1/request.api"),
    Call("charge_profile_json", "charge a profile (JSON)", "/xml/v1/request.api"),
    Call("charge_card", "charge a card (XML)", "/xml/v1/request.api"),
    Call("get_profile", "getCustomerProfile (XML)", "/xml/v1/request.api"),
    Call("create_profile", "create a profile + card (XML)", "/xml/v1/request.api"),
)
BASELINE = "isalive"


@dataclass(frozen=True)
class Run:
    """One wrk run's figures, as printed by load.lua's done()."""

    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    not_ok: int
    socket_errors: int
    cpu_us_per_request: float
    bad_answers: tuple[str, ...]

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def create_profile(tag: str) -> str:
    return (
        f"<createCustomerProfileRequest {NS}><merchantAuthentication><name>{LOGIN}</name>"
        f"<transactionKey>{KEY}</transactionKey></merchantAuthentication><profile>"
        f"<merchantCustomerId>{tag}</merchantCustomerId>"
        "<paymentProfiles><billTo><firstName>Ellen</firstName><lastName>Johnson</lastName>"
        "<address>14 Main Street</address><zip>44628</zip></billTo><payment><creditCard>"
        "<cardNumber>4111111111111111</cardNumber><expirationDate>2035-12</expirationDate>"
        "</creditCard></payment></paymentProfiles></profile></createCustomerProfileRequest>"
    )


def ensure_wrk() -> str:
    """The path of wrk, installing Debian's package first when it is not on PATH."""
    found = shutil.which("wrk")
    if found:
        return found
    if shutil.which("apt-get") is None:
        sys.exit("wrk is not on PATH and there is no apt-get to install it: install wrk and retry")
    prefix = [] if os.getuid() == 0 else ["sudo", "-n"]
    if prefix and shutil.which("sudo") is None:
        sys.exit("wrk is not on PATH and installing it needs root (no sudo): apt-get install wrk")
    install = [*prefix, "apt-get", "install", "-y", "wrk"]
    print("wrk not found: " + " ".join(install), file=sys.stderr)
    if subprocess.run(install, check=False, timeout=600).returncode != 0:
        subprocess.run([*prefix, "apt-get", "update"], check=False, timeout=600)
        subprocess.run(install, check=False, timeout=600)
    found = shutil.which("wrk")
    if not found:
        sys.exit("could not install wrk (" + " ".join(install) + " failed): install it and retry")
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def strongroom_command() -> str:
    return str(Path(sys.executable).parent / "strongroom")


def serve_process(env: dict[str, str], port: int, *, workers: int | None = None) -> subprocess.Popen[bytes]:
    """`strongroom serve --port port [--workers N]` in its own process, once it accepts connections."""
    command = [strongroom_command(), "serve", "--port", str(port)]
    if workers is not None:
        command += ["--workers", str(workers)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(600):  # up to ~30 s: migrations, key file, sandbox merchant, then listen
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            if server.poll() is not None:
                break
            time.sleep(0.05)
    server.kill()
    raise RuntimeError("the server did not start")


def serve_has_workers() -> bool:
    """Whether this checkout's `strongroom serve` has a --workers option (detected at run time)."""
    shown = subprocess.run(
        [strongroom_command(), "serve", "--help"], capture_output=True, text=True, timeout=60, check=True
    )
    return "--workers" in shown.stdout


def process_tree(root: int) -> dict[int, int]:
    """root and all its descendants: pid -> utime + stime (and those of reaped children), in ticks."""
    parents: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # the process ended meanwhile
            continue
        fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (comm) "; comm may hold spaces
        pid = int(entry.name)
        parents[pid] = int(fields[1])
        ticks[pid] = sum(int(value) for value in fields[11:15])  # utime stime cutime cstime
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent and pid not in tree]
        tree.update(children)
        frontier.extend(children)
    return {pid: ticks[pid] for pid in tree if pid in ticks}


def process_tree_ticks(root: int) -> int:
    return sum(process_tree(root).values())


def stop_server(server: subprocess.Popen[bytes]) -> bool:
    """SIGTERM, then SIGKILL for the server and its worker processes if it has not ended in 30 s.

    Whether it stopped on SIGTERM.
    """
    family = process_tree(server.pid)
    server.terminate()
    try:
        server.wait(timeout=30)
        return True
    except subprocess.TimeoutExpired:
        for pid in family:
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        server.wait(timeout=30)
        return False


SUMMARY = re.compile(
    r"strongroom-load requests=(\d+) duration_us=(\d+) p50_us=(\d+) p99_us=(\d+) seen=(\d+) "
    r"not_ok=(\d+) connect_errors=(\d+) read_errors=(\d+) write_errors=(\d+) timeouts=(\d+)"
)


def wrk_run(
    wrk: str, base_url: str, call: Call, connections: int, seconds: float, server_pid: int, extra: list[str]
) -> Run:
    """One bounded wrk run of one call; the server's CPU time is read around it."""
    command = [
        wrk,
        f"-t{WRK_THREADS}",
        f"-c{connections}",
        f"-d{seconds:g}s",
        "--timeout",
        "10s",
        "-s",
        str(LUA_SCRIPT),
        base_url + call.path,
        "--",
        call.name,
        *extra,
    ]
    before = process_tree_ticks(server_pid)
    bound = seconds + WRK_GRACE
    finished = subprocess.run(command, capture_output=True, text=True, timeout=bound, check=False)
    spent = process_tree_ticks(server_pid) - before
    found = SUMMARY.search(finished.stdout)
    if finished.returncode != 0 or found is None:
        said = finished.stderr.strip() or finished.stdout
        raise RuntimeError(f"wrk failed ({finished.returncode}): {said}")
    requests, duration, p50, p99, seen, not_ok, *errors = (int(value) for value in found.groups())
    bad = tuple(line for line in finished.stdout.splitlines() if line.startswith("strongroom-load-bad"))
    return Run(
        requests=requests,
        seconds=duration / 1e6,
        p50_ms=p50 / 1e3,
        p99_ms=p99 / 1e3,
        not_ok=not_ok + max(0, requests - seen),
        socket_errors=sum(errors),
        cpu_us_per_request=spent * 1e6 / CLOCK_TICKS / requests if requests else 0.0,
        bad_answers=bad,
    )


def post_xml(url: str, body: str, timeout: float = 30) -> str:
    request = urllib.request.Request(url, data=body.encode(), headers={"content-type": "text/xml"})
    with urllib.request.urlopen(request, timeout=timeout) as answer:
        return bytes(answer.read()).decode("utf-8-sig")


def get_profile(profile_id: str) -> str:
    return (
        f"<getCustomerProfileRequest {NS}><merchantAuthentication><name>{LOGIN}</name>"
        f"<transactionKey>{KEY}</transactionKey></merchantAuthentication>"
        f"<customerProfileId>{profile_id}</customerProfileId></getCustomerProfileRequest>"
    )


def settle(endpoint: str, profile_id: str) -> str | None:
    """After a run: one database-backed request (getCustomerProfile), answered Ok in time?

    wrk stops counting when its -d ends, but the server still works off the requests in
    flight; a server that stalls (say, on a lock or an exhausted connection pool) shows here,
    and the next run starts on a drained server. None when fine, else what went wrong.
    """
    began = time.perf_counter()
    try:
        answer = post_xml(endpoint, get_profile(profile_id), timeout=SETTLE_LIMIT + WRK_GRACE)
    except OSError as error:
        return f"no answer ({error})"
    took = time.perf_counter() - began
    code = re.search(r"<code>(\w+)</code>", answer)
    if "<resultCode>Ok<" not in answer:
        return f"answered {code[1] if code else answer[:100]!r} after {took:.1f} s"
    if took > SETTLE_LIMIT:
        return f"answered Ok only after {took:.1f} s"
    return None


def stored_profile(endpoint: str) -> tuple[str, str]:
    """Create the customer profile (with a card) the profile calls use: its id and its card's."""
    created = post_xml(endpoint, create_profile(f"load-{uuid.uuid4().hex[:12]}"))
    profile = re.search(r"<customerProfileId>(\d+)<", created)
    payment = re.search(r"<customerPaymentProfileIdList><numericString>(\d+)<", created)
    if profile is None or payment is None:
        raise RuntimeError(f"could not create the stored profile: {created[:300]}")
    return profile[1], payment[1]


@dataclass(frozen=True)
class Setup:
    engine: str
    workers: int | None  # None: one process, no --workers given

    @property
    def label(self) -> str:
        return f"{self.engine}/{self.workers or 1}p"


Results = dict[tuple[str, int, int], Run]  # (call, connections, rep) -> run


@contextmanager
def database_url(
    engine: str, directory: Path, postgres_url: str, prefix: str = "bench_load"
) -> Iterator[str]:
    """A fresh database: a SQLite file in directory, or a PostgreSQL schema (named from
    `prefix`) dropped afterwards."""
    if engine == "sqlite":
        yield f"sqlite:///{directory / 'strongroom.db'}"
        return
    schema = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        separator = "&" if "?" in postgres_url else "?"
        yield f"{postgres_url}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def running_server(setup: Setup, postgres_url: str, problems: list[str]) -> Iterator[tuple[str, int]]:
    """`strongroom serve` on a fresh database: its base URL and process id."""
    with (
        tempfile.TemporaryDirectory(prefix="strongroom-load-") as directory,
        database_url(setup.engine, Path(directory), postgres_url) as url,
    ):
        env = {
            **os.environ,
            "STRONGROOM_DATA_DIR": directory,
            "STRONGROOM_DATABASE_URL": url,
            "STRONGROOM_LOG_LEVEL": "warning",
            "STRONGROOM_AUTO_MIGRATE": "true",
        }
        env.pop("STRONGROOM_WORKERS", None)
        port = free_port()
        server = serve_process(env, port, workers=setup.workers)
        try:
            yield f"http://127.0.0.1:{port}", server.pid
        finally:
            if not stop_server(server):
                problems.append(f"{setup.label}: the server did not stop in 30 s after SIGTERM (killed)")


def measure(wrk: str, setup: Setup, args: argparse.Namespace, problems: list[str]) -> Results:
    """Every call at every connection count, reps interleaved, against one fresh server."""
    results: Results = {}
    with running_server(setup, args.database_url, problems) as (base_url, pid):
        endpoint = base_url + "/xml/v1/request.api"
        profile, payment_profile = stored_profile(endpoint)
        for rep in range(1, args.reps + 1):
            for call in CALLS:
                for connections in CONNECTIONS:
                    tag = f"r{rep}c{connections}"  # with the wrk thread and counter: a unique customer id
                    run = wrk_run(
                        wrk, base_url, call, connections, args.seconds, pid, [tag, profile, payment_profile]
                    )
                    results[call.name, connections, rep] = run
                    report_bad(setup, call, connections, rep, run)
                    unsettled = settle(endpoint, profile)
                    if unsettled:
                        problems.append(
                            f"{setup.label} after {call.label} c{connections} rep {rep}: "
                            f"getCustomerProfile {unsettled}"
                        )
                        print("  " + problems[-1], file=sys.stderr)
    return results


def report_bad(setup: Setup, call: Call, connections: int, rep: int, run: Run) -> None:
    if not run.requests:
        print(
            f"  {setup.label} {call.label} c{connections} rep {rep}: no answer in {run.seconds:.1f} s",
            file=sys.stderr,
        )
    if run.not_ok or run.socket_errors:
        print(
            f"  {setup.label} {call.label} c{connections} rep {rep}: {run.not_ok} of {run.requests} "
            f"not Ok, {run.socket_errors} socket errors",
            file=sys.stderr,
        )
        for line in run.bad_answers:
            print("    " + line, file=sys.stderr)


HEADER = (
    f"{'engine/procs':<12} {'call':<30} {'conns':>5} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
    f"{'CPU µs/req':>10} {'× isAlive':>9}"
)


def table_rows(setup: Setup, results: Results, reps: int) -> list[str]:
    rows = []
    for call in CALLS:
        for connections in CONNECTIONS:
            runs = [results[call.name, connections, rep] for rep in range(1, reps + 1)]
            # throughput relative to isAlive: this call's req/s over isAlive's, same rep and conns
            ratios = [
                run.rate / results[BASELINE, connections, rep].rate for rep, run in enumerate(runs, start=1)
            ]
            rows.append(
                f"{setup.label:<12} {call.label:<30} {connections:>5} "
                f"{statistics.median(run.rate for run in runs):>8,.0f} "
                f"{statistics.median(run.p50_ms for run in runs):>8.2f} "
                f"{statistics.median(run.p99_ms for run in runs):>8.2f} "
                f"{statistics.median(run.cpu_us_per_request for run in runs):>10,.0f} "
                f"{statistics.median(ratios):>8.2f}×"
            )
    return rows


def print_scaling(measured: dict[str, Results], reps: int) -> None:
    """With PostgreSQL measured with one process and with two: each call's req/s with two over
    its req/s with one, at 32 connections (median over reps)."""
    single, double = measured.get("postgres/1p"), measured.get("postgres/2p")
    if single is None or double is None:
        return
    print("PostgreSQL, --workers 2 over one process, 32 connections:")
    for call in CALLS:
        ratios = [
            double[call.name, 32, rep].rate / single[call.name, 32, rep].rate
            for rep in range(1, reps + 1)
            if single[call.name, 32, rep].rate
        ]
        if ratios:
            print(f"  {call.label:<30} {statistics.median(ratios):.2f}×")


def setups(engine: str) -> list[Setup]:
    chosen = [Setup("sqlite", None)] if engine in ("sqlite", "both") else []
    if engine in ("postgres", "both"):
        chosen.append(Setup("postgres", None))
        if serve_has_workers():
            chosen.append(Setup("postgres", 2))
        else:
            print("strongroom serve has no --workers: PostgreSQL with one process only")
    return chosen


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seconds", type=float, default=5.0, help="duration of each wrk run")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="smoke run: 1 rep of 2 s")
    parser.add_argument("--engine", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument(
        "--database-url", default=os.environ.get("STRONGROOM_TEST_POSTGRES_URL", POSTGRES_URL)
    )
    args = parser.parse_args()
    if args.quick:
        args.seconds, args.reps = 2.0, 1
    if args.reps < 1 or args.seconds <= 0:
        parser.error("--reps must be at least 1 and --seconds positive")
    return args


def main() -> None:
    args = parse_args()
    wrk = ensure_wrk()
    print(
        f"loopback, wrk -t{WRK_THREADS} -c{'/'.join(map(str, CONNECTIONS))}, {args.seconds:g} s per run, "
        f"{args.reps} interleaved rep(s); medians over reps; × isAlive = call req/s ÷ isAlive req/s"
    )
    rows: list[str] = []
    requests = not_ok = socket_errors = silent = 0
    problems: list[str] = []
    measured: dict[str, Results] = {}
    for setup in setups(args.engine):
        results = measure(wrk, setup, args, problems)
        measured[setup.label] = results
        rows += table_rows(setup, results, args.reps)
        requests += sum(run.requests for run in results.values())
        not_ok += sum(run.not_ok for run in results.values())
        socket_errors += sum(run.socket_errors for run in results.values())
        silent += sum(not run.requests for run in results.values())
    print(HEADER)
    print("\n".join(rows))
    print_scaling(measured, args.reps)
    share = not_ok / requests if requests else 1.0
    print(
        f"not Ok: {not_ok} of {requests:,} answers ({share:.2%}); socket errors: {socket_errors}; "
        f"runs with no answer: {silent}; server stalls: {len(problems)}"
    )
    for problem in problems:
        print("  " + problem)
    sys.exit(0 if requests and not (not_ok or socket_errors or silent or problems) else 1)


if __name__ == "__main__":
    main()
