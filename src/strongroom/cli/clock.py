"""`strongroom clock`: show or advance the sandbox clock."""

from __future__ import annotations

import re
from datetime import timedelta

import click

from strongroom.cli.common import open_application, settings_or_exit

_DURATION = re.compile(r"(\d+)([dhms])")
_UNITS = {
    "d": timedelta(days=1),
    "h": timedelta(hours=1),
    "m": timedelta(minutes=1),
    "s": timedelta(seconds=1),
}


def parse_duration(text: str) -> timedelta:
    """'1d', '3h', '90m', '30s' or a sum of them ('1d12h'); positive."""
    compact = text.strip().lower()
    if not compact or _DURATION.sub("", compact):
        raise click.BadParameter(f"{text!r}: use a number and a unit, e.g. 1d, 3h, 90m or 1d12h.")
    total = sum((int(count) * _UNITS[unit] for count, unit in _DURATION.findall(compact)), timedelta(0))
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


@click.group()
def clock() -> None:
    """The sandbox clock: system time plus an offset shared by every process on the database."""


@clock.command("show")
def clock_show() -> None:
    """Print the sandbox time and its offset from system time."""
    application = open_application(settings_or_exit())
    try:
        sandbox = application.sandbox_clock
        now = application.services.clock.now()
        offset = sandbox.offset() if sandbox is not None else None
    finally:
        application.close()
    if offset is None:
        click.echo(f"System clock: {now:%Y-%m-%d %H:%M:%S}Z (production: no sandbox offset).")
    else:
        click.echo(f"Sandbox clock: {now:%Y-%m-%d %H:%M:%S}Z (system time + {_offset_text(offset)}).")


@clock.command("advance")
@click.argument("duration")
def clock_advance(duration: str) -> None:
    """Move the sandbox clock forward by DURATION (1d, 3h, 90m, 1d12h); sandbox only. Running
    servers follow within a second; their scheduler then settles what the new time makes due."""
    settings = settings_or_exit()
    if settings.is_production:
        raise click.ClickException("The clock cannot be moved in production.")
    delta = parse_duration(duration)
    application = open_application(settings)
    try:
        sandbox = application.sandbox_clock
        if sandbox is None:
            raise click.ClickException("This environment has no sandbox clock.")
        offset = sandbox.advance(delta)
        now = sandbox.now()
    finally:
        application.close()
    click.echo(
        f"Sandbox clock advanced by {_offset_text(delta)}: now "
        f"{now:%Y-%m-%d %H:%M:%S}Z (system time + {_offset_text(offset)})."
    )
