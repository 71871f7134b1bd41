"""Money: a Decimal amount with two places and its ISO currency; never a float."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

from strongroom.domain.errors import InvalidField

CENT = Decimal("0.01")
# Text with more integer digits than this is no amount at all, whatever the caller's limit.
MAX_INTEGER_DIGITS = 40
# Wide enough that quantizing any amount of at most MAX_INTEGER_DIGITS to cents is exact: the
# default context (28 digits) raises InvalidOperation for a 27-digit amount.
_CENTS_CONTEXT = Context(prec=MAX_INTEGER_DIGITS + 8, rounding=ROUND_HALF_UP)


def _in_range(amount: Decimal) -> bool:
    """Finite, not negative and not absurdly long: safe to quantize."""
    return amount.is_finite() and amount >= 0 and amount.adjusted() < MAX_INTEGER_DIGITS


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, context=_CENTS_CONTEXT)


def is_valid_amount(amount: Decimal) -> bool:
    """Finite, not negative, and at most two decimal places."""
    return _in_range(amount) and amount == _cents(amount)


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str = "USD"

    @classmethod
    def parse(cls, text: str, currency: str = "USD", field: str = "amount") -> Money:
        """Read a decimal string such as '12.5' or '1234.0'; at most two places are kept.

        Anything else (NaN, infinities, exponents past any amount, garbage) is an InvalidField,
        never a decimal signal."""
        try:
            value = Decimal(text.strip())
        except (InvalidOperation, ValueError):
            raise InvalidField(field, f"{field} is not a valid amount.") from None
        if not _in_range(value):
            raise InvalidField(field, f"{field} is not a valid amount.")
        if value != _cents(value):
            raise InvalidField(field, f"{field} has more than two decimal places.")
        return cls(_cents(value), currency)

    @classmethod
    def of(cls, amount: str | int | Decimal, currency: str = "USD") -> Money:
        return cls(_cents(Decimal(amount)), currency)

    def minor_units(self) -> int:
        return int((self.amount * 100).to_integral_value())

    def __str__(self) -> str:
        return f"{self.amount:.2f}"
