"""Payment instruments: cards and bank accounts, their validation rules and their masked forms."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from strongroom.domain.errors import FieldLength, InvalidField, MissingField
from strongroom.domain.sensitive import Secret

_DIGITS = re.compile(r"[0-9]+")


class CardBrand(StrEnum):
    """Brand names as the Authorize.Net dialect reports them (accountType / cardType)."""

    VISA = "Visa"
    MASTERCARD = "MasterCard"
    AMEX = "AmericanExpress"
    DISCOVER = "Discover"
    JCB = "JCB"
    DINERS = "DinersClub"
    UNIONPAY = "ChinaUnionPay"


# Ordered prefix table: (first digits range, brand).  Longer, more specific ranges first.
_BRAND_RANGES: tuple[tuple[int, int, int, CardBrand], ...] = (
    (4, 4, 1, CardBrand.VISA),
    (51, 55, 2, CardBrand.MASTERCARD),
    (2221, 2720, 4, CardBrand.MASTERCARD),
    (34, 34, 2, CardBrand.AMEX),
    (37, 37, 2, CardBrand.AMEX),
    (6011, 6011, 4, CardBrand.DISCOVER),
    (644, 649, 3, CardBrand.DISCOVER),
    (65, 65, 2, CardBrand.DISCOVER),
    (3528, 3589, 4, CardBrand.JCB),
    (3088, 3088, 4, CardBrand.JCB),
    (300, 305, 3, CardBrand.DINERS),
    (36, 36, 2, CardBrand.DINERS),
    (38, 39, 2, CardBrand.DINERS),
    (62, 62, 2, CardBrand.UNIONPAY),
)


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = ord(char) - 48
        if index % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def card_brand(digits: str) -> CardBrand | None:
    for low, high, width, brand in _BRAND_RANGES:
        if len(digits) >= width and low <= int(digits[:width]) <= high:
            return brand
    return None


@dataclass(frozen=True, slots=True, order=True)
class YearMonth:
    year: int
    month: int

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @classmethod
    def parse_iso(cls, text: str) -> YearMonth:
        """Read 'YYYY-MM' (the form Strongroom stores)."""
        year, month = text.split("-")
        return cls(int(year), int(month))


_EXPIRY_FORMATS = (
    re.compile(r"(?P<y>\d{4})-(?P<m>\d{2})"),
    re.compile(r"(?P<m>\d{2})(?P<y>\d{2})"),
    re.compile(r"(?P<m>\d{2})[/-](?P<y>\d{2})"),
    re.compile(r"(?P<m>\d{2})(?P<y>\d{4})"),
    re.compile(r"(?P<m>\d{2})[/-](?P<y>\d{4})"),
)


def parse_expiry(text: str, field: str = "expirationDate") -> YearMonth:
    """Read every expiry form the API documents: YYYY-MM, MMYY, MM/YY, MM-YY, MMYYYY, MM/YYYY, MM-YYYY."""
    value = text.strip()
    for pattern in _EXPIRY_FORMATS:
        match = pattern.fullmatch(value)
        if match:
            year = int(match["y"])
            month = int(match["m"])
            if year < 100:
                year += 2000
            if 1 <= month <= 12:
                return YearMonth(year, month)
    raise InvalidField(field, "Credit card expiration date is invalid.")


def is_masked(text: str) -> bool:
    """True for masked values such as 'XXXX1111' or 'XXXX' that mean 'unchanged' in updates."""
    return text.upper().startswith("XXXX")


@dataclass(frozen=True, slots=True)
class Card:
    number: Secret[str]
    expiry: YearMonth
    brand: CardBrand

    @classmethod
    def parse(cls, number: str, expiry: str) -> Card:
        """Validate a number (13–16 digits, Luhn, known brand) and any documented expiry form."""
        return cls.with_number(number, parse_expiry(expiry))

    @classmethod
    def with_number(cls, number: str, expiry: YearMonth) -> Card:
        digits = number.strip()
        if not digits:
            raise MissingField("cardNumber", "Credit card number is required.")
        if not _DIGITS.fullmatch(digits) or not 13 <= len(digits) <= 16 or not luhn_valid(digits):
            raise InvalidField("cardNumber", "Credit card number is invalid.")
        brand = card_brand(digits)
        if brand is None:
            raise InvalidField("cardNumber", "Credit card number is invalid.")
        return cls(Secret(digits), expiry, brand)

    @property
    def last4(self) -> str:
        return self.number.reveal()[-4:]

    @property
    def issuer_number(self) -> str:
        return self.number.reveal()[:6]

    @property
    def masked_number(self) -> str:
        return "XXXX" + self.last4

    def has_expired(self, today: date) -> bool:
        """True once the expiry month is over (a card is good through its expiry month)."""
        return (self.expiry.year, self.expiry.month) < (today.year, today.month)


class EntryMode(StrEnum):
    """How a card's details reached a card-present transaction (card-not-present ones have
    none)."""

    SWIPED = "swiped"  # read from the magnetic stripe: track 1 or track 2 data


class BankAccountType(StrEnum):
    CHECKING = "checking"
    SAVINGS = "savings"
    BUSINESS_CHECKING = "businessChecking"


class EcheckType(StrEnum):
    PPD = "PPD"
    WEB = "WEB"
    CCD = "CCD"
    TEL = "TEL"
    ARC = "ARC"
    BOC = "BOC"


def aba_checksum_valid(routing: str) -> bool:
    weights = (3, 7, 1) * 3
    return sum(int(d) * w for d, w in zip(routing, weights, strict=True)) % 10 == 0


@dataclass(frozen=True, slots=True)
class BankAccount:
    routing_number: Secret[str]
    account_number: Secret[str]
    name_on_account: str
    account_type: BankAccountType | None = None
    echeck_type: EcheckType | None = None
    bank_name: str | None = None

    @classmethod
    def parse(
        cls,
        routing: str,
        account: str,
        name_on_account: str,
        account_type: BankAccountType | None = None,
        echeck_type: EcheckType | None = None,
        bank_name: str | None = None,
    ) -> BankAccount:
        routing = routing.strip()
        account = account.strip()
        if not _DIGITS.fullmatch(routing) or len(routing) != 9 or not aba_checksum_valid(routing):
            raise InvalidField("routingNumber", "The ABA code is invalid.")
        if not _DIGITS.fullmatch(account):
            raise InvalidField("accountNumber", "The bank account number is invalid.")
        if not 5 <= len(account) <= 17:
            raise FieldLength("accountNumber", "The bank account number must be 5 to 17 digits.")
        if not name_on_account.strip():
            raise MissingField("nameOnAccount", "Name on account is required.")
        return cls(
            Secret(routing), Secret(account), name_on_account.strip(), account_type, echeck_type, bank_name
        )

    @property
    def last4(self) -> str:
        return self.account_number.reveal()[-4:]

    @property
    def masked_account(self) -> str:
        return "XXXX" + self.last4

    @property
    def masked_routing(self) -> str:
        return "XXXX" + self.routing_number.reveal()[-4:]


Instrument = Card | BankAccount


def card_code_valid(code: str) -> bool:
    """Card codes are 3 or 4 digits (4 on American Express); used for validation only, never stored."""
    return bool(_DIGITS.fullmatch(code)) and len(code) in (3, 4)
