"""The `strongroom` command: serve, merchants, fraud filters, database migrations, key rotation,
scheduled jobs and the sandbox clock."""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Callable
from dataclasses import fields, replace
from datetime import timedelta
from typing import Any

import click

from strongroom import __version__
from strongroom.bootstrap import (
    SANDBOX_TRANSACTION_KEY,
    Application,
    build,
    build_scheduler,
    ensure_sandbox_merchant,
    migrate,
    rotate_keys,
)
from strongroom.config import Settings, SettingsError, load_settings
from strongroom.domain.customers import Address
from strongroom.domain.errors import Duplicate, StrongroomError
from strongroom.domain.fraud import (
    DEFAULT_NAMES,
    FilterKind,
    FraudAction,
    FraudFilter,
    blocked_networks,
)
from strongroom.domain.merchants import (
    Merchant,
    MerchantContact,
    MerchantCredentials,
    MerchantDetails,
)
from strongroom.domain.money import Money
from strongroom.jobs import retention
from strongroom.jobs.billing import NAME as BILLING_JOB
from strongroom.jobs.billing import describe as describe_billing
from strongroom.jobs.billing import run_billing
from strongroom.jobs.lifespan import WithScheduler
from strongroom.jobs.settlement import NAME as SETTLEMENT_JOB
from strongroom.jobs.settlement import describe, run_settlement
from strongroom.jobs.webhooks import NAME as WEBHOOKS_JOB
from strongroom.jobs.webhooks import describe as describe_webhooks
from strongroom.jobs.webhooks import run_webhook_delivery
from strongroom.production_checks import check_production
from strongroom.services.catalog import Services
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
    from strongroom.web.serving import Bounds, bounds_protocol

    settings = _settings()
    application = _application(settings)
    try:
        check_production(application)
    except StrongroomError as exc:
        application.close()
        raise click.ClickException(exc.message) from None
    host = settings.host if host is None else host
    port = settings.port if port is None else port
    sandbox = ensure_sandbox_merchant(application)
    click.echo(f"Strongroom {__version__} ({settings.environment})")
    click.echo(f"  endpoint:        http://{host}:{port}{AUTHNET_PATH}")
    if sandbox is not None:
        merchant, credentials = sandbox
        _print_credentials(merchant, credentials, SANDBOX_TRANSACTION_KEY)
    scheduler = build_scheduler(application)
    if scheduler is not None:
        click.echo(f"  jobs:            {', '.join(scheduler.job_names)}, "
                   f"every {settings.scheduler_interval} s")
    sys.stdout.flush()
    app = create_app(application.services, settings.max_body_bytes, application.idempotency)
    served = app if scheduler is None else WithScheduler(app, scheduler)
    bounds = Bounds(settings.header_timeout, settings.body_timeout, settings.max_connections)
    try:
        uvicorn.run(served, host=host, port=port, log_level=settings.log_level,
                    server_header=False, date_header=True, http=bounds_protocol(bounds), ws="none")
    finally:
        application.close()


@main.group()
def merchant() -> None:
    """Manage merchants (tenants)."""


# `merchant create` and `merchant details` options: (option, business or contact, field).
_DETAIL_OPTIONS = (
    ("company", "business", "company"), ("address", "business", "address"),
    ("city", "business", "city"), ("state", "business", "state"), ("zip", "business", "zip"),
    ("country", "business", "country"), ("phone", "business", "phone_number"),
    ("fax", "business", "fax_number"), ("email", "business", "email"),
    ("contact-email", "contact", "email"), ("contact-first-name", "contact", "first_name"),
    ("contact-last-name", "contact", "last_name"),
)


def _detail_options(command: Callable[..., None]) -> Callable[..., None]:
    """Business information and contact, as getMerchantDetails reports them."""
    for option, part, _ in reversed(_DETAIL_OPTIONS):
        command = click.option(f"--{option}", default=None,
                               help=f"The {part}'s {option.removeprefix('contact-')}.")(command)
    return command


def _changed_details(current: MerchantDetails, given: dict[str, Any]
                     ) -> tuple[Address, MerchantContact] | None:
    """The business and contact with the given options applied; None when none was given."""
    business: dict[str, str | None] = {}
    contact: dict[str, str | None] = {}
    for option, part, name in _DETAIL_OPTIONS:
        value = given.get(option.replace("-", "_"))
        if value is not None:
            (business if part == "business" else contact)[name] = value.strip() or None
    if not business and not contact:
        return None
    return replace(current.business, **business), replace(current.contact, **contact)


def _print_details(details: MerchantDetails) -> None:
    click.echo(f"  gateway ID:      {details.gateway_id}")
    for label, value in (("business", details.business), ("contact", details.contact)):
        shown = ", ".join(f"{item.name.replace('_', ' ')}: {getattr(value, item.name)}"
                          for item in fields(value) if getattr(value, item.name))
        click.echo(f"  {label + ':':<16} {shown or '(none)'}")


@merchant.command("create")
@click.option("--name", required=True)
@click.option("--login-id", default=None, help="Keep an existing Authorize.Net API login ID.")
@click.option("--transaction-key", default=None, help="Keep an existing transaction key.")
@click.option("--signature-key", default=None, help="Keep an existing 128-hex signature key.")
@_detail_options
def merchant_create(name: str, login_id: str | None, transaction_key: str | None,
                    signature_key: str | None, **details: str | None) -> None:
    """Create a merchant; generates what is omitted and prints the credentials once."""
    application = _application(_settings())
    try:
        merchants = application.services.merchants
        created, credentials = merchants.create(name, login_id, transaction_key, signature_key)
        changed = _changed_details(merchants.details(created), details)
        if changed is not None:
            merchants.set_details(created, *changed)
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


@merchant.command("details")
@click.argument("login_id")
@_detail_options
def merchant_details(login_id: str, **given: str | None) -> None:
    """Show or change a merchant's gateway ID, business information and contact (what
    getMerchantDetails answers); an empty value ("") clears a field."""
    application = _application(_settings())
    try:
        merchants = application.services.merchants
        found = merchants.by_login(login_id)
        if found is None:
            raise click.ClickException(f"No merchant has API login ID {login_id!r}.")
        details = merchants.details(found)
        changed = _changed_details(details, given)
        if changed is not None:
            details = merchants.set_details(found, *changed)
    except StrongroomError as exc:
        raise click.ClickException(exc.message) from None
    finally:
        application.close()
    click.echo(f"{login_id}: {found.name}")
    _print_details(details)


@merchant.command("rotate-key")
@click.argument("login_id")
@click.option("--transaction-key", default=None,
              help="The new key (1-16 letters or digits); generated when omitted.")
def merchant_rotate_key(login_id: str, transaction_key: str | None) -> None:
    """Give a merchant a new transaction key and print it once; the old one stops working."""
    application = _application(_settings())
    try:
        found = _merchant_of(application, login_id)
        new_key = application.services.merchants.new_transaction_key(found, transaction_key)
    except StrongroomError as exc:
        raise click.ClickException(exc.message) from None
    finally:
        application.close()
    click.echo(f"{login_id}: new transaction key (shown once; the old key no longer works)")
    click.echo(f"  transaction key: {new_key.reveal()}")


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


@merchant.command("cutoff")
@click.argument("login_id")
@click.option("--at", "cutoff", default=None, metavar="HH:MM",
              help="New daily transaction cut-off time, local to the time zone.")
@click.option("--timezone", default=None, metavar="ZONE",
              help="New IANA time zone, e.g. America/New_York.")
def merchant_cutoff(login_id: str, cutoff: str | None, timezone: str | None) -> None:
    """Show or change a merchant's settlement cut-off (default 16:00 America/Los_Angeles)."""
    application = _application(_settings())
    try:
        found = application.services.merchants.by_login(login_id)
        if found is None:
            raise click.ClickException(f"No merchant has API login ID {login_id!r}.")
        settlement = application.services.settlement
        if cutoff is None and timezone is None:
            rule = settlement.rule(found)
        else:
            rule = settlement.set_rule(found, cutoff or settlement.rule(found).text, timezone)
        following = rule.next(application.services.clock.now())
    except StrongroomError as exc:
        raise click.ClickException(exc.message) from None
    finally:
        application.close()
    click.echo(f"{login_id}: batches close daily at {rule.text} {rule.timezone}; next cut-off "
               f"{following:%Y-%m-%d %H:%M}Z ({rule.local(following):%Y-%m-%d %H:%M} local).")


@main.group()
def fraud() -> None:
    """A merchant's fraud filters: each declines, holds for review, or reports a charge."""


def _merchant_of(application: Application, login_id: str) -> Merchant:
    found = application.services.merchants.by_login(login_id)
    if found is None:
        raise click.ClickException(f"No merchant has API login ID {login_id!r}.")
    return found


def _fraud_filter(kind: FilterKind, action: FraudAction | None, name: str | None,
                  threshold: str | None, currency: str, max_count: int | None,
                  window: int | None, ips: tuple[str, ...]) -> FraudFilter:
    """The filter the options describe; `InvalidField` names what does not fit."""
    if action is None:
        if kind is not FilterKind.IP_BLOCKLIST:
            raise click.UsageError("--action is required: decline, hold, authorize-and-hold "
                                   "or report.")
        action = FraudAction.DECLINE
    return FraudFilter(
        name=DEFAULT_NAMES[kind] if name is None else name, kind=kind, action=action,
        threshold=None if threshold is None
        else Money.parse(threshold, currency.strip().upper(), "threshold"),
        max_count=max_count, window_seconds=window, blocked=blocked_networks(ips))


_LOGIN_ID = click.option("--login-id", required=True, help="The merchant's API login ID.")
_NAME = click.option("--name", required=True, help="The filter's name (see `fraud list`).")


@fraud.command("list")
@_LOGIN_ID
def fraud_list(login_id: str) -> None:
    """List the merchant's filters in the order they are evaluated."""
    application = _application(_settings())
    try:
        filters = application.services.fraud_filters.list(_merchant_of(application, login_id))
    finally:
        application.close()
    if not filters:
        click.echo(f"{login_id} has no fraud filters: add one with `strongroom fraud add`.")
    for item in filters:
        state = "enabled" if item.enabled else "disabled"
        click.echo(f"{item.name}\t{item.kind}\t{item.describe()}\t{item.action}\t{state}")


@fraud.command("add")
@_LOGIN_ID
@click.option("--filter", "kind", required=True, type=click.Choice([item.value for item in FilterKind]),
              help="What the filter catches.")
@click.option("--action", type=click.Choice([item.value for item in FraudAction]), default=None,
              help="What happens to a charge it catches (ip-blocklist: always decline).")
@click.option("--name", default=None, help="Defaults to the filter kind's name.")
@click.option("--threshold", default=None, metavar="AMOUNT",
              help="amount-over / amount-under: the limit, e.g. 500.00.")
@click.option("--currency", default="USD", show_default=True,
              help="amount-over / amount-under: the threshold's currency.")
@click.option("--max", "max_count", type=int, default=None,
              help="ip-velocity / card-velocity: transactions allowed within the window.")
@click.option("--window", type=int, default=None, metavar="SECONDS",
              help="ip-velocity / card-velocity: the window, in seconds (at most 31 days).")
@click.option("--ip", "ips", multiple=True, metavar="ADDRESS",
              help="ip-blocklist: an address or network (10.0.0.0/8); repeat for more.")
def fraud_add(login_id: str, kind: str, action: str | None, name: str | None,
              threshold: str | None, currency: str, max_count: int | None, window: int | None,
              ips: tuple[str, ...]) -> None:
    """Add a filter, e.g. --filter amount-over --threshold 500.00 --action hold, or
    --filter ip-velocity --max 5 --window 3600 --action decline."""
    application = _application(_settings())
    try:
        item = _fraud_filter(FilterKind(kind), FraudAction(action) if action else None, name,
                             threshold, currency, max_count, window, ips)
        application.services.fraud_filters.add(_merchant_of(application, login_id), item)
    except Duplicate:
        raise click.ClickException(
            f"{login_id} already has a filter named {item.name!r}; choose another --name.") from None
    except StrongroomError as exc:
        raise click.ClickException(exc.message) from None
    finally:
        application.close()
    click.echo(f"Fraud filter {item.name!r} added for {login_id}: {item.describe()} -> "
               f"{item.action}.")


@fraud.command("remove")
@_LOGIN_ID
@_NAME
def fraud_remove(login_id: str, name: str) -> None:
    """Remove a filter; transactions it held stay held until reviewed."""
    _change_filter(login_id, name, "removed",
                   lambda services, merchant: services.fraud_filters.remove(merchant, name))


@fraud.command("enable")
@_LOGIN_ID
@_NAME
def fraud_enable(login_id: str, name: str) -> None:
    """Evaluate a disabled filter again."""
    _change_filter(login_id, name, "enabled", lambda services, merchant:
                   services.fraud_filters.set_enabled(merchant, name, True))


@fraud.command("disable")
@_LOGIN_ID
@_NAME
def fraud_disable(login_id: str, name: str) -> None:
    """Stop evaluating a filter without forgetting it."""
    _change_filter(login_id, name, "disabled", lambda services, merchant:
                   services.fraud_filters.set_enabled(merchant, name, False))


def _change_filter(login_id: str, name: str, done: str,
                   change: Callable[[Services, Merchant], None]) -> None:
    application = _application(_settings())
    try:
        change(application.services, _merchant_of(application, login_id))
    except StrongroomError as exc:
        raise click.ClickException(exc.message) from None
    finally:
        application.close()
    click.echo(f"Fraud filter {name!r} {done} for {login_id}.")


@main.group()
def jobs() -> None:
    """Scheduled jobs (`serve` runs them by itself every STRONGROOM_SCHEDULER_INTERVAL s)."""


@jobs.command("run")
@click.argument("name", type=click.Choice([SETTLEMENT_JOB, BILLING_JOB, retention.NAME,
                                           WEBHOOKS_JOB]))
def jobs_run(name: str) -> None:
    """Run a job once now and print its report (settlement: close due batches; billing:
    charge due subscription payments; instrument-purge: delete kept cards and accounts past
    their retention period; webhooks: send the notifications that are due)."""
    application = _application(_settings())
    try:
        report = _JOBS[name](application.services)
    finally:
        application.close()
    click.echo(report)


def _settle(services: Services) -> str:
    return describe(run_settlement(services, services.clock.now()))


def _purge_instruments(services: Services) -> str:
    return retention.describe(retention.run_instrument_purge(services), services)


def _bill(services: Services) -> str:
    return describe_billing(run_billing(services, services.clock.now()))


def _send_webhooks(services: Services) -> str:
    return describe_webhooks(run_webhook_delivery(services))


_JOBS: dict[str, Callable[[Services], str]] = {SETTLEMENT_JOB: _settle, BILLING_JOB: _bill,
                                               retention.NAME: _purge_instruments,
                                               WEBHOOKS_JOB: _send_webhooks}


_DURATION = re.compile(r"(\d+)([dhms])")
_UNITS = {"d": timedelta(days=1), "h": timedelta(hours=1), "m": timedelta(minutes=1),
          "s": timedelta(seconds=1)}


def parse_duration(text: str) -> timedelta:
    """'1d', '3h', '90m', '30s' or a sum of them ('1d12h'); positive."""
    compact = text.strip().lower()
    if not compact or _DURATION.sub("", compact):
        raise click.BadParameter(f"{text!r}: use a number and a unit, e.g. 1d, 3h, 90m or 1d12h.")
    total = sum((int(count) * _UNITS[unit] for count, unit in _DURATION.findall(compact)),
                timedelta(0))
    if total <= timedelta(0):
        raise click.BadParameter("the clock only moves forward: give a positive duration.")
    return total


def _offset_text(offset: timedelta) -> str:
    seconds = int(offset.total_seconds())
    parts = []
    for unit, size in (("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)):
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count}{unit}")
    return " ".join(parts) or "0s"


@main.group()
def clock() -> None:
    """The sandbox clock: system time plus an offset shared by every process on the database."""


@clock.command("show")
def clock_show() -> None:
    """Print the sandbox time and its offset from system time."""
    application = _application(_settings())
    try:
        sandbox = application.sandbox_clock
        now = application.services.clock.now()
        offset = sandbox.offset() if sandbox is not None else None
    finally:
        application.close()
    if offset is None:
        click.echo(f"System clock: {now:%Y-%m-%d %H:%M:%S}Z (production: no sandbox offset).")
    else:
        click.echo(f"Sandbox clock: {now:%Y-%m-%d %H:%M:%S}Z "
                   f"(system time + {_offset_text(offset)}).")


@clock.command("advance")
@click.argument("duration")
def clock_advance(duration: str) -> None:
    """Move the sandbox clock forward by DURATION (1d, 3h, 90m, 1d12h); sandbox only. Running
    servers follow within a second; their scheduler then settles what the new time makes due."""
    settings = _settings()
    if settings.is_production:
        raise click.ClickException("The clock cannot be moved in production.")
    delta = parse_duration(duration)
    application = _application(settings)
    try:
        sandbox = application.sandbox_clock
        if sandbox is None:
            raise click.ClickException("This environment has no sandbox clock.")
        offset = sandbox.advance(delta)
        now = sandbox.now()
    finally:
        application.close()
    click.echo(f"Sandbox clock advanced by {_offset_text(delta)}: now "
               f"{now:%Y-%m-%d %H:%M:%S}Z (system time + {_offset_text(offset)}).")

if __name__ == "__main__":
    logging.basicConfig()
    main()
