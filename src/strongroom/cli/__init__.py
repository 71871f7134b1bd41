"""The `strongroom` command: serve, merchants, fraud filters, database migrations, key rotation,
scheduled jobs and the sandbox clock; one module per command group."""

from __future__ import annotations

import click

from strongroom import __version__
from strongroom.cli.clock import clock
from strongroom.cli.fraud import fraud
from strongroom.cli.jobs import jobs
from strongroom.cli.maintenance import db, keys
from strongroom.cli.merchants import merchant
from strongroom.cli.serve import serve


@click.group()
@click.version_option(__version__, prog_name="strongroom")
def main() -> None:
    """Strongroom: a self-hosted customer vault and payment gateway."""


for _command in (serve, merchant, db, keys, fraud, jobs, clock):
    main.add_command(_command)
