"""What an operation of the Authorize.Net door is: its message definitions and its handler."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from strongroom.domain.merchants import Merchant
from strongroom.services.catalog import Services
from strongroom.services.validation import ValidationOutcome
from strongroom.web.authnet.schema import Complex
from strongroom.web.authnet.tree import Node

Values = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Context:
    services: Services
    merchant: Merchant


Handler = Callable[[Context, Node], Values]
DeclinedView = Callable[[ValidationOutcome], Values]


@dataclass(frozen=True, slots=True)
class Operation:
    request: Complex
    response_name: str
    response: Complex
    handler: Handler
    on_declined: DeclinedView | None = None
