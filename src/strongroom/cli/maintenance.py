"""`strongroom db` and `strongroom keys`: migrations and encryption key rotation."""

from __future__ import annotations

import click

from strongroom.bootstrap import migrate, rotate_keys
from strongroom.cli.common import settings_or_exit
from strongroom.domain.errors import StrongroomError


@click.group()
def db() -> None:
    """Database maintenance."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply all pending migrations."""
    migrate(settings_or_exit())
    click.echo("Database is up to date.")


@click.group()
def keys() -> None:
    """Encryption key maintenance."""


@keys.command("rotate")
@click.option("--reencrypt", is_flag=True, help="Also move every sealed record to a new data key version.")
def keys_rotate(reencrypt: bool) -> None:
    """Add a master key version and re-wrap all data keys; safe while servers run."""
    try:
        report = rotate_keys(settings_or_exit(), reencrypt=reencrypt)
    except StrongroomError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(report)
