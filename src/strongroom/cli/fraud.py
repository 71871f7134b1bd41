"""`strongroom fraud`: a merchant's fraud filters."""

from __future__ import annotations

from collections.abc import Callable

import click

from strongroom.cli.common import application_session, merchant_of, open_application, settings_or_exit
from strongroom.domain.errors import Duplicate
from strongroom.domain.fraud import (
    DEFAULT_NAMES,
    FilterKind,
    FraudAction,
    FraudFilter,
    blocked_networks,
)
from strongroom.domain.merchants import Merchant
from strongroom.domain.money import Money
from strongroom.services.catalog import Services


@click.group()
def fraud() -> None:
    """A merchant's fraud filters: each declines, holds for review, or reports a charge."""


def _fraud_filter(
    kind: FilterKind,
    action: FraudAction | None,
    name: str | None,
    threshold: str | None,
    currency: str,
    max_count: int | None,
    window: int | None,
    ips: tuple[str, ...],
) -> FraudFilter:
    """The filter the options describe; `InvalidField` names what does not fit."""
    if action is None:
        if kind is not FilterKind.IP_BLOCKLIST:
            raise click.UsageError("--action is required: decline, hold, authorize-and-hold or report.")
        action = FraudAction.DECLINE
    return FraudFilter(
        name=DEFAULT_NAMES[kind] if name is None else name,
        kind=kind,
        action=action,
        threshold=None
        if threshold is None
        else Money.parse(threshold, currency.strip().upper(), "threshold"),
        max_count=max_count,
        window_seconds=window,
        blocked=blocked_networks(ips),
    )


_LOGIN_ID = click.option("--login-id", required=True, help="The merchant's API login ID.")
_NAME = click.option("--name", required=True, help="The filter's name (see `fraud list`).")


@fraud.command("list")
@_LOGIN_ID
def fraud_list(login_id: str) -> None:
    """List the merchant's filters in the order they are evaluated."""
    application = open_application(settings_or_exit())
    try:
        filters = application.services.fraud_filters.list(merchant_of(application, login_id))
    finally:
        application.close()
    if not filters:
        click.echo(f"{login_id} has no fraud filters: add one with `strongroom fraud add`.")
    for item in filters:
        state = "enabled" if item.enabled else "disabled"
        click.echo(f"{item.name}\t{item.kind}\t{item.describe()}\t{item.action}\t{state}")


@fraud.command("add")
@_LOGIN_ID
@click.option(
    "--filter",
    "kind",
    required=True,
    type=click.Choice([item.value for item in FilterKind]),
    help="What the filter catches.",
)
@click.option(
    "--action",
    type=click.Choice([item.value for item in FraudAction]),
    default=None,
    help="What happens to a charge it catches (ip-blocklist: always decline).",
)
@click.option("--name", default=None, help="Defaults to the filter kind's name.")
@click.option(
    "--threshold", default=None, metavar="AMOUNT", help="amount-over / amount-under: the limit, e.g. 500.00."
)
@click.option(
    "--currency",
    default="USD",
    show_default=True,
    help="amount-over / amount-under: the threshold's currency.",
)
@click.option(
    "--max",
    "max_count",
    type=int,
    default=None,
    help="ip-velocity / card-velocity: transactions allowed within the window.",
)
@click.option(
    "--window",
    type=int,
    default=None,
    metavar="SECONDS",
    help="ip-velocity / card-velocity: the window, in seconds (at most 31 days).",
)
@click.option(
    "--ip",
    "ips",
    multiple=True,
    metavar="ADDRESS",
    help="ip-blocklist: an address or network (10.0.0.0/8); repeat for more.",
)
def fraud_add(
    login_id: str,
    kind: str,
    action: str | None,
    name: str | None,
    threshold: str | None,
    currency: str,
    max_count: int | None,
    window: int | None,
    ips: tuple[str, ...],
) -> None:
    """Add a filter, e.g. --filter amount-over --threshold 500.00 --action hold, or
    --filter ip-velocity --max 5 --window 3600 --action decline."""
    with application_session() as application:
        item = _fraud_filter(
            FilterKind(kind),
            FraudAction(action) if action else None,
            name,
            threshold,
            currency,
            max_count,
            window,
            ips,
        )
        try:
            application.services.fraud_filters.add(merchant_of(application, login_id), item)
        except Duplicate:
            raise click.ClickException(
                f"{login_id} already has a filter named {item.name!r}; choose another --name."
            ) from None
    click.echo(f"Fraud filter {item.name!r} added for {login_id}: {item.describe()} -> {item.action}.")


@fraud.command("remove")
@_LOGIN_ID
@_NAME
def fraud_remove(login_id: str, name: str) -> None:
    """Remove a filter; transactions it held stay held until reviewed."""
    _change_filter(
        login_id, name, "removed", lambda services, merchant: services.fraud_filters.remove(merchant, name)
    )


def _switch(enabled: bool) -> Callable[[str, str], None]:
    """`fraud enable` or `fraud disable`."""

    def switch(login_id: str, name: str) -> None:
        _change_filter(
            login_id,
            name,
            "enabled" if enabled else "disabled",
            lambda services, merchant: services.fraud_filters.set_enabled(merchant, name, enabled),
        )

    return switch


fraud_enable = fraud.command("enable", help="Evaluate a disabled filter again.")(
    _LOGIN_ID(_NAME(_switch(True)))
)
fraud_disable = fraud.command("disable", help="Stop evaluating a filter without forgetting it.")(
    _LOGIN_ID(_NAME(_switch(False)))
)


def _change_filter(login_id: str, name: str, done: str, change: Callable[[Services, Merchant], None]) -> None:
    with application_session() as application:
        change(application.services, merchant_of(application, login_id))
    click.echo(f"Fraud filter {name!r} {done} for {login_id}.")
