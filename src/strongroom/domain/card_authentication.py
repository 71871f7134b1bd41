"""Cardholder authentication done elsewhere (3-D Secure): the indicator and the cryptogram a
merchant obtained, and which combinations a card accepts.

The indicator is the electronic commerce indicator (ECI) for Visa and the UCAF collection
indicator for Mastercard; the value is the CAVV (Visa) or AAV (Mastercard) cryptogram. Only
Visa and Mastercard carry them. The cryptogram is used for the authorisation and never stored.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from strongroom.domain.instruments import CardBrand
from strongroom.domain.sensitive import Secret
from strongroom.domain.transactions import Reason, Refusal


class Assurance(StrEnum):
    """What the authentication established, as its indicator tells."""

    AUTHENTICATED = "authenticated"
    ATTEMPTED = "attempted"  # the issuer does not take part; the attempt is proof
    NOT_AUTHENTICATED = "not_authenticated"  # no cryptogram was obtained


A = Assurance
INDICATORS: Final[Mapping[CardBrand, Mapping[int, Assurance]]] = MappingProxyType(
    {
        CardBrand.VISA: MappingProxyType({5: A.AUTHENTICATED, 6: A.ATTEMPTED, 7: A.NOT_AUTHENTICATED}),
        CardBrand.MASTERCARD: MappingProxyType({2: A.AUTHENTICATED, 1: A.ATTEMPTED, 0: A.NOT_AUTHENTICATED}),
    }
)
_KNOWN_INDICATORS: Final = frozenset(number for table in INDICATORS.values() for number in table)
_INDICATOR = re.compile(r"[0-9]{1,2}")
# A cryptogram is 20 or 21 bytes: 28 base64 characters (the last may be padding) or 40 hex digits.
_CRYPTOGRAM = re.compile(r"[A-Za-z0-9+/]{27}[A-Za-z0-9+/=]|[0-9A-Fa-f]{40}")


@dataclass(frozen=True, slots=True)
class CardholderAuthentication:
    indicator: str
    value: Secret[str]  # empty when the indicator says no cryptogram was obtained

    def indicator_number(self) -> int | None:
        """The indicator as a number ('05' and '5' are the same), None when it is not one."""
        text = self.indicator.strip()
        return int(text) if _INDICATOR.fullmatch(text) else None


def check(
    authentication: CardholderAuthentication, brand: CardBrand, *, recurring: bool = False
) -> Assurance | Refusal:
    """What the authentication established on a card of `brand`, or why it cannot be used."""
    number = authentication.indicator_number()
    if number is None or number not in _KNOWN_INDICATORS:
        return Refusal(
            Reason.AUTHENTICATION_INDICATOR_INVALID,
            "The authentication indicator must be an ECI (Visa: 05, 06, 07) or a "
            "UCAF indicator (Mastercard: 0, 1, 2).",
        )
    value = authentication.value.reveal().strip()
    if value and not _CRYPTOGRAM.fullmatch(value):
        return Refusal(
            Reason.AUTHENTICATION_VALUE_INVALID,
            "The cardholder authentication value must be 28 base64 characters or 40 hexadecimal digits.",
        )
    assurance = INDICATORS.get(brand, {}).get(number)
    if assurance is None:
        return Refusal(
            Reason.AUTHENTICATION_COMBINATION_INVALID,
            "Cardholder authentication is accepted for Visa (ECI 05, 06, 07) and "
            "Mastercard (UCAF 0, 1, 2) cards only.",
        )
    if assurance is Assurance.NOT_AUTHENTICATED and value:
        return Refusal(
            Reason.AUTHENTICATION_COMBINATION_INVALID,
            "A cardholder authentication value cannot go with an indicator that "
            "says the cardholder was not authenticated.",
        )
    if assurance is not Assurance.NOT_AUTHENTICATED and not value:
        return Refusal(
            Reason.AUTHENTICATION_VALUE_INVALID,
            "The cardholder authentication value is required with an authenticated or attempted indicator.",
        )
    if recurring:
        return Refusal(
            Reason.AUTHENTICATION_WITH_RECURRING,
            "Transactions having cardholder authentication values cannot be marked as recurring.",
        )
    return assurance
