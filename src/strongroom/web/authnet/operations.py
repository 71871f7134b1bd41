"""What an operation of the Authorize.Net door is: its message definitions and its handler."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from strongroom.domain.merchants import Merchant
from strongroom.services.catalog import Services
from strongroom.services.merchants import Authenticated, SignatureKey
from strongroom.web.authnet import codes
from strongroom.web.authnet.wire.schema import Complex
from strongroom.web.authnet.wire.tree import Node

# An answer's (or part of an answer's) element values by name, as the codecs write them.
Values = dict[str, Any]


def messages(message: codes.WireMessage) -> Values:
    """An answer's `messages`: resultCode Ok for an information code (I...), else Error."""
    result = "Ok" if message.code.startswith("I") else "Error"
    return {"resultCode": result, "message": [{"code": message.code, "text": message.text}]}


@dataclass(frozen=True, slots=True)
class Context:
    services: Services
    merchant: Merchant | None  # None only for operations that need no credentials
    signature_key: SignatureKey | None = None  # as authentication read it, unsealed on use

    @classmethod
    def of(cls, services: Services, signed_in: Authenticated | None) -> Context:
        if signed_in is None:
            return cls(services, None)
        return cls(services, signed_in.merchant, signed_in.signature_key)

    @property
    def tenant(self) -> Merchant:
        """The authenticated merchant (every operation but isAlive has one)."""
        assert self.merchant is not None
        return self.merchant


# A handler's values are merged over the success envelope, so a handler that answers with
# resultCode Error itself (createTransaction: declines are E00027) returns its own `messages`.
Handler = Callable[[Context, Node], Values]
# Values an operation adds to an error answer (required elements, ids the caller needs).
ErrorView = Callable[[Node, Exception], Values]


@dataclass(frozen=True, slots=True)
class Operation:
    request: Complex
    response_name: str
    response: Complex
    handler: Handler
    on_error: ErrorView | None = None
    authenticated: bool = True
    # A refusal answers with the messages-only ErrorResponse: the response requires elements
    # only a success can fill (getTransactionDetails' transaction, getMerchantDetails' name).
    refusals_as_error_response: bool = False
