"""The `strongroom` command: serve, merchants, database migrations and key rotation."""

from __future__ import annotations

import logging
import sys

import click

from strongroom import __version__
from strongroom.bootstrap import (
    SANDBOX_TRANSACTION_KEY,
    Application,
    build,
    ensure_sandbox_merchant,
    migrate,
    rotate_keys,
)
from strongroom.config import Settings, SettingsError, load_settings
from strongroom.domain.errors import Duplicate, StrongroomError
from strongroom.domain.merchants import Merchant, MerchantCredentials
from strongroom.web.app import AUTHNET_PATH


def _settings() -> Settings:
    try:
        return load_settings()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None


def _application(settings: Settings) -> Application:
    try:
        return build(settings)
    except StrongroomError as exc:
        raise click.ClickException(exc.message) from None


@click.group()
@click.version_option(__version__, prog_name="strongroom")
def main() -> None:
    """Strongroom: a self-hosted customer vault and payment gateway."""


def _print_credentials(merchant: Merchant, credentials: MerchantCredentials | None,
                       known_key: str | None = None) -> None:
    click.echo(f"  merchant:        {merchant.name}")
    click.echo(f"  API login ID:    {merchant.login_id}")
    key = credentials.transaction_key if credentials else known_key
    if key:
        click.echo(f"  transaction key: {key}")
    if credentials:
        click.echo(f"  signature key:   {credentials.signature_key}")
        click.echo("  (keys are shown once; Strongroom stores them only hashed or sealed)")


@main.command()
@click.option("--host", default=None, help="Interface to bind (default STRONGROOM_HOST or 127.0.0.1).")
@click.option("--port", default=None, type=click.IntRange(1, 65_535),
              help="Port (default STRONGROOM_PORT or 8080).")
def serve(host: str | None, port: int | None) -> None:
    """Run the API server (creates the sandbox merchant on a fresh sandbox)."""
    import uvicorn

    from strongroom.web.app import create_app

    settings = _settings()
    application = _application(settings)
    host = settings.host if host is None else host
    port = settings.port if port is None else port
    sandbox = ensure_sandbox_merchant(application)
    click.echo(f"Strongroom {__version__} ({settings.environment})")
    click.echo(f"  endpoint:        http://{host}:{port}{AUTHNET_PATH}")
    if sandbox is not None:
        merchant, credentials = sandbox
        _print_credentials(merchant, credentials, SANDBOX_TRANSACTION_KEY)
    sys.stdout.flush()
    app = create_app(application.services, settings.max_body_bytes)
    try:
        uvicorn.run(app, host=host, port=port, log_level=settings.log_level,
                    server_header=False, date_header=True)
    finally:
        application.close()


@main.group()
def merchant() -> None:
    """Manage merchants (tenants)."""


@merchant.command("create")
@click.option("--name", required=True)
@click.option("--login-id", default=None, help="Keep an existing Authorize.Net API login ID.")
@click.option("--transaction-key", default=None, help="Keep an existing transaction key.")
@click.option("--signature-key", default=None, help="Keep an existing 128-hex signature key.")
def merchant_create(name: str, login_id: str | None, transaction_key: str | None,
                    signature_key: str | None) -> None:
    """Create a merchant; generates what is omitted and prints the credentials once."""
    application = _application(_settings())
    try:
        created, credentials = application.services.merchants.create(
            name, login_id, transaction_key, signature_key)
    except Duplicate as exc:
        raise click.ClickException(
            f"A merchant with API login ID {exc.existing_ref!r} already exists; "
            "choose another --login-id.") from None
    except StrongroomError as exc:
        raise click.ClickException(exc.message) from None
    finally:
        application.close()
    click.echo("Merchant created.")
    _print_credentials(created, credentials)


@merchant.command("list")
def merchant_list() -> None:
    """List merchants (never their keys)."""
    application = _application(_settings())
    try:
        merchants = application.services.merchants.all()
    finally:
        application.close()
    if not merchants:
        click.echo("No merchants yet: create one with `strongroom merchant create`.")
    for item in merchants:
        click.echo(f"{item.login_id}\t{item.name}\tcreated {item.created_at:%Y-%m-%d %H:%M}Z")


@main.group()
def db() -> None:
    """Database maintenance."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply all pending migrations."""
    migrate(_settings())
    click.echo("Database is up to date.")


@main.group()
def keys() -> None:
    """Encryption key maintenance."""


@keys.command("rotate")
@click.option("--reencrypt", is_flag=True,
              help="Also move every sealed record to a new data key version.")
def keys_rotate(reencrypt: bool) -> None:
    """Add a master key version and re-wrap all data keys; safe while servers run."""
    try:
        report = rotate_keys(_settings(), reencrypt=reencrypt)
    except StrongroomError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(report)


if __name__ == "__main__":
    logging.basicConfig()
    main()
