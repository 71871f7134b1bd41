"""What every command shares: settings, the application, merchant lookup and credentials."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click

from strongroom.bootstrap import Application, build
from strongroom.config import Settings, SettingsError, load_settings
from strongroom.domain.errors import StrongroomError
from strongroom.domain.merchants import Merchant, MerchantCredentials


def settings_or_exit() -> Settings:
    try:
        return load_settings()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None


def open_application(settings: Settings) -> Application:
    try:
        return build(settings)
    except StrongroomError as exc:
        raise click.ClickException(exc.message) from None


@contextmanager
def application_session() -> Iterator[Application]:
    """The application for one command, closed however it ends; a StrongroomError becomes the
    command's error message."""
    application = open_application(settings_or_exit())
    try:
        yield application
    except StrongroomError as exc:
        raise click.ClickException(exc.message) from None
    finally:
        application.close()


def merchant_of(application: Application, login_id: str) -> Merchant:
    found = application.services.merchants.by_login(login_id)
    if found is None:
        raise click.ClickException(f"No merchant has API login ID {login_id!r}.")
    return found


def print_credentials(
    merchant: Merchant, credentials: MerchantCredentials | None, known_key: str | None = None
) -> None:
    click.echo(f"  merchant:        {merchant.name}")
    click.echo(f"  API login ID:    {merchant.login_id}")
    key = credentials.transaction_key if credentials else known_key
    if key:
        click.echo(f"  transaction key: {key}")
    if credentials:
        click.echo(f"  signature key:   {credentials.signature_key}")
        click.echo("  (keys are shown once; Strongroom stores them only hashed or sealed)")
