"""`strongroom merchant`: create, list and change merchants (tenants)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, replace
from typing import Any

import click

from strongroom.cli.common import (
    application_session,
    merchant_of,
    open_application,
    print_credentials,
    settings_or_exit,
)
from strongroom.domain.customers import Address
from strongroom.domain.errors import Duplicate
from strongroom.domain.merchants import MerchantContact, MerchantDetails


@click.group()
def merchant() -> None:
    """Manage merchants (tenants)."""


# `merchant create` and `merchant details` options: (option, business or contact, field).
_DETAIL_OPTIONS = (
    ("company", "business", "company"),
    ("address", "business", "address"),
    ("city", "business", "city"),
    ("state", "business", "state"),
    ("zip", "business", "zip"),
    ("country", "business", "country"),
    ("phone", "business", "phone_number"),
    ("fax", "business", "fax_number"),
    ("email", "business", "email"),
    ("contact-email", "contact", "email"),
    ("contact-first-name", "contact", "first_name"),
    ("contact-last-name", "contact", "last_name"),
)


def _detail_options(command: Callable[..., None]) -> Callable[..., None]:
    """Business information and contact, as getMerchantDetails reports them."""
    for option, part, _ in reversed(_DETAIL_OPTIONS):
        command = click.option(
            f"--{option}", default=None, help=f"The {part}'s {option.removeprefix('contact-')}."
        )(command)
    return command


def _changed_details(
    current: MerchantDetails, given: dict[str, Any]
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
        shown = ", ".join(
            f"{item.name.replace('_', ' ')}: {getattr(value, item.name)}"
            for item in fields(value)
            if getattr(value, item.name)
        )
        click.echo(f"  {label + ':':<16} {shown or '(none)'}")


@merchant.command("create")
@click.option("--name", required=True)
@click.option("--login-id", default=None, help="Keep an existing Authorize.Net API login ID.")
@click.option("--transaction-key", default=None, help="Keep an existing transaction key.")
@click.option("--signature-key", default=None, help="Keep an existing 128-hex signature key.")
@_detail_options
def merchant_create(
    name: str,
    login_id: str | None,
    transaction_key: str | None,
    signature_key: str | None,
    **details: str | None,
) -> None:
    """Create a merchant; generates what is omitted and prints the credentials once."""
    with application_session() as application:
        merchants = application.services.merchants
        try:
            created, credentials = merchants.create(name, login_id, transaction_key, signature_key)
            changed = _changed_details(merchants.details(created), details)
            if changed is not None:
                merchants.set_details(created, *changed)
        except Duplicate as exc:
            raise click.ClickException(
                f"A merchant with API login ID {exc.existing_ref!r} already exists; "
                "choose another --login-id."
            ) from None
    click.echo("Merchant created.")
    print_credentials(created, credentials)


@merchant.command("details")
@click.argument("login_id")
@_detail_options
def merchant_details(login_id: str, **given: str | None) -> None:
    """Show or change a merchant's gateway ID, business information and contact (what
    getMerchantDetails answers); an empty value ("") clears a field."""
    with application_session() as application:
        merchants = application.services.merchants
        found = merchant_of(application, login_id)
        details = merchants.details(found)
        changed = _changed_details(details, given)
        if changed is not None:
            details = merchants.set_details(found, *changed)
    click.echo(f"{login_id}: {found.name}")
    _print_details(details)


@merchant.command("rotate-key")
@click.argument("login_id")
@click.option(
    "--transaction-key", default=None, help="The new key (1-16 letters or digits); generated when omitted."
)
def merchant_rotate_key(login_id: str, transaction_key: str | None) -> None:
    """Give a merchant a new transaction key and print it once; the old one stops working."""
    with application_session() as application:
        found = merchant_of(application, login_id)
        new_key = application.services.merchants.new_transaction_key(found, transaction_key)
    click.echo(f"{login_id}: new transaction key (shown once; the old key no longer works)")
    click.echo(f"  transaction key: {new_key.reveal()}")


@merchant.command("list")
def merchant_list() -> None:
    """List merchants (never their keys)."""
    application = open_application(settings_or_exit())
    try:
        merchants = application.services.merchants.all()
    finally:
        application.close()
    if not merchants:
        click.echo("No merchants yet: create one with `strongroom merchant create`.")
    for item in merchants:
        click.echo(f"{item.login_id}\t{item.name}\tcreated {item.created_at:%Y-%m-%d %H:%M}Z")


@merchant.command("cutoff")
@click.argument("login_id")
@click.option(
    "--at",
    "cutoff",
    default=None,
    metavar="HH:MM",
    help="New daily transaction cut-off time, local to the time zone.",
)
@click.option("--timezone", default=None, metavar="ZONE", help="New IANA time zone, e.g. America/New_York.")
def merchant_cutoff(login_id: str, cutoff: str | None, timezone: str | None) -> None:
    """Show or change a merchant's settlement cut-off (default 16:00 America/Los_Angeles)."""
    with application_session() as application:
        found = merchant_of(application, login_id)
        settlement = application.services.settlement
        if cutoff is None and timezone is None:
            rule = settlement.rule(found)
        else:
            rule = settlement.set_rule(found, cutoff or settlement.rule(found).text, timezone)
        following = rule.next(application.services.clock.now())
    click.echo(
        f"{login_id}: batches close daily at {rule.text} {rule.timezone}; next cut-off "
        f"{following:%Y-%m-%d %H:%M}Z ({rule.local(following):%Y-%m-%d %H:%M} local)."
    )
