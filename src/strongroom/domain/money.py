"""Money: a Decimal amount with two places and its ISO currency; never a float."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from strongroom.domain.errors import InvalidField

CENT = Decimal("0.01")


def is_valid_amount(amount: Decimal) -> bool:
    """Finite, not negative, and at most two decimal places."""
    return amount.is_finite() and amount >= 0 and amount == amount.quantize(CENT)


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str = "USD"

    @classmethod
    def parse(cls, text: str, currency: str = "USD", field: str = "amount") -> Money:
        """Read a decimal string such as '12.5' or '1234.0'; at most two places are kept."""
        try:
            value = Decimal(text.strip())
        except InvalidOperation as exc:
            raise InvalidField(field, f"{field} is not a valid amount.") from exc
        if not value.is_finite() or value < 0:
            raise InvalidField(field, f"{field} is not a valid amount.")
        if value != value.quantize(CENT, rounding=ROUND_HALF_UP):
            raise InvalidField(field, f"{field} has more than two decimal places.")
        return cls(value.quantize(CENT), currency)

    @classmethod
    def of(cls, amount: str | int | Decimal, currency: str = "USD") -> Money:
        return cls(Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP), currency)

    def minor_units(self) -> int:
        return int((self.amount * 100).to_integral_value())

    def __str__(self) -> str:
        return f"{self.amount:.2f}"
