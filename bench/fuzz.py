"""The long fuzz run: the test suite's generators (tests/fuzz) for N examples per Authorize.Net
operation and for the REST door, against a live server per engine, printing requests sent,
statuses and codes seen, and every failure (5xx, E00001, traceback or ERROR in the log).

    python bench/fuzz.py                    # 200 per target; SQLite, PostgreSQL too if
    python bench/fuzz.py --examples 2000    #   STRONGROOM_TEST_POSTGRES_URL is set
    python bench/fuzz.py --seed 7           # reproducible (default: a new random run)
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.api.live_server import settings_for, start_server
from tests.fuzz.campaign import Campaign, LogCapture
from tests.fuzz.corpus import CORPUS, EXAMPLES
from tests.fuzz.generators import Request, authnet_request, rest_request

from strongroom.web.app import AUTHNET_PATH
from strongroom.web.authnet.registry import OPERATIONS

POSTGRES_ENV = "STRONGROOM_TEST_POSTGRES_URL"
SHOWN_FAILURES = 20


@contextmanager
def database(engine: str, directory: Path) -> Iterator[str]:
    if engine == "sqlite":
        yield f"sqlite:///{directory / 'strongroom.db'}"
        return
    from tests.pg import drop_schema, fresh_schema_url

    base = os.environ[POSTGRES_ENV]
    url, schema = fresh_schema_url(base, f"fuzz_{uuid.uuid4().hex[:12]}")
    try:
        yield url
    finally:
        drop_schema(base, schema)


def _drive(
    campaign: Campaign, strategy: Callable[[], st.SearchStrategy[Request]], examples: int, run_seed: int
) -> None:
    """Send `examples` drawn requests; failures are tallied, never raised (no shrinking)."""

    @seed(run_seed)
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        campaign.send(data.draw(strategy()))

    run()


def _authnet(campaign: Campaign, operation: str) -> Callable[[], st.SearchStrategy[Request]]:
    examples = [EXAMPLES[operation](campaign)] if operation in EXAMPLES else []
    return lambda: authnet_request(operation, campaign.credentials, campaign.ids, AUTHNET_PATH, examples)


def fuzz_engine(engine: str, examples: int, run_seed: int) -> int:
    with tempfile.TemporaryDirectory() as folder, database(engine, Path(folder)) as url:
        live, stop = start_server(settings_for(url, Path(folder) / "data"))
        capture = LogCapture()
        capture.attach()
        campaign = Campaign(live, capture)
        started = time.perf_counter()
        try:
            for build in CORPUS.values():
                campaign.send(build(campaign))
            for operation in sorted(OPERATIONS):
                _drive(campaign, _authnet(campaign, operation), examples, run_seed)
            _drive(
                campaign,
                lambda: rest_request(
                    campaign.merchant.login_id, campaign.merchant.transaction_key, campaign.ids
                ),
                examples * 8,
                run_seed,
            )
        finally:
            elapsed = time.perf_counter() - started
            campaign.close()
            capture.detach()
            stop()
        _report(engine, campaign, elapsed)
        return len(campaign.tally.failures)


def _report(engine: str, campaign: Campaign, elapsed: float) -> None:
    tally = campaign.tally
    print(
        f"\n== {engine}: {tally.sent:,} requests in {elapsed:,.0f} s "
        f"({tally.sent / elapsed:,.0f}/s), {len(tally.failures)} failures"
    )
    print("statuses: " + ", ".join(f"{status}×{count:,}" for status, count in sorted(tally.statuses.items())))
    print("codes:    " + ", ".join(f"{code}×{count:,}" for code, count in tally.codes.most_common(15)))
    for failure in tally.failures[:SHOWN_FAILURES]:
        print("FAIL " + failure)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--examples",
        type=int,
        default=200,
        help="examples per Authorize.Net operation (the REST door gets 8×)",
    )
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    run_seed = args.seed if args.seed is not None else int.from_bytes(os.urandom(4), "big")
    engines = ["sqlite"] + (["postgres"] if os.environ.get(POSTGRES_ENV) else [])
    print(
        f"seed {run_seed}; {len(OPERATIONS)} operations × {args.examples} examples, "
        f"REST × {args.examples * 8}, corpus {len(CORPUS)}; engines: {', '.join(engines)}"
    )
    failures = sum(fuzz_engine(engine, args.examples, run_seed) for engine in engines)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
