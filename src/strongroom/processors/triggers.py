"""The simulated processor's sandbox triggers held as data, their lookups and Markdown rendering."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import IntEnum
from types import MappingProxyType

from strongroom.domain.card_authentication import (
    INDICATORS,
    Assurance,
    CardholderAuthentication,
    check,
)
from strongroom.domain.customers import Address
from strongroom.domain.instruments import CardBrand


class ReasonCode(IntEnum):
    """Strongroom's canonical decline vocabulary: Authorize.Net's transaction reason-code numbers.

    Every processor reports `ProcessorResult.reason_code` in this numbering; a real connector maps
    its network's codes onto it at its edge. Doors translate it to their own wire form.
    """

    APPROVED = 1
    DECLINED = 2
    REFERRAL = 3
    PICK_UP_CARD = 4
    TRANSACTION_NOT_FOUND = 16
    AVS_MISMATCH = 27
    CARD_CODE_DECLINED = 44
    AVS_AND_CARD_CODE_MISMATCH = 45
    CARD_CODE_MISMATCH = 65
    HELD_FOR_REVIEW = 252
    AUTHORIZED_HELD_FOR_REVIEW = 253
    PARTIALLY_APPROVED = 295


AVS_MEANINGS: Mapping[str, str] = MappingProxyType(
    {
        "A": "street matches, ZIP does not",
        "E": "AVS error",
        "G": "non-US card issuer",
        "N": "neither street nor ZIP matches",
        "P": "AVS not applicable",
        "R": "retry, AVS system unavailable",
        "S": "issuer does not support AVS",
        "U": "address information unavailable",
        "W": "9-digit ZIP matches, street does not",
        "X": "street and 9-digit ZIP match",
        "Y": "street and 5-digit ZIP match",
        "Z": "5-digit ZIP matches, street does not",
    }
)

CARD_CODE_MEANINGS: Mapping[str, str] = MappingProxyType(
    {
        "M": "match",
        "N": "no match",
        "P": "not processed",
        "S": "should have been present",
        "U": "issuer unable to process",
    }
)

CAVV_MEANINGS: Mapping[str, str] = MappingProxyType(
    {
        "0": "not validated, erroneous data",
        "2": "passed validation",
        "8": "attempt, passed validation",
    }
)


@dataclass(frozen=True, slots=True)
class DeclineZip:
    """A billTo ZIP the issuer declines."""

    zip: str
    reason_code: ReasonCode


@dataclass(frozen=True, slots=True)
class AvsZip:
    """A billTo ZIP that yields an AVS result letter, except on the excluded card brands."""

    zip: str
    avs_result: str
    excluded_brands: frozenset[CardBrand] = frozenset()

    def applies_to(self, brand: CardBrand) -> bool:
        return brand not in self.excluded_brands


@dataclass(frozen=True, slots=True)
class PrepaidZip:
    """A billTo ZIP answered as a prepaid card: approves up to `approved_cap` (None: in full)."""

    zip: str
    approved_cap: Decimal | None
    balance_on_card: Decimal

    def approved_amount(self, requested: Decimal) -> Decimal:
        return requested if self.approved_cap is None else min(requested, self.approved_cap)


@dataclass(frozen=True, slots=True)
class CardCodeTrigger:
    """A card code that yields a card-code result letter."""

    card_code: str
    result: str


@dataclass(frozen=True, slots=True)
class CavvResult:
    """The CAVV result letter for a cryptogram whose indicator tells `assurance`."""

    assurance: Assurance
    result: str


@dataclass(frozen=True, slots=True)
class EcheckLimit:
    """Bank-account debits above `max_approved` are declined."""

    max_approved: Decimal
    reason_code: ReasonCode


@dataclass(frozen=True, slots=True)
class Defaults:
    """Results when no trigger matches."""

    card_avs: str = "Y"  # a card with a billTo street address and ZIP
    not_applicable_avs: str = "P"  # bank accounts, cards without address or ZIP, declines
    card_code_given: str = "M"
    card_code_absent: str = ""
    cavv_absent: str = ""  # no cryptogram: not validated
    cavv_erroneous: str = "0"  # a cryptogram the gateway should have refused


_NOT_AMEX = frozenset({CardBrand.AMEX})
_NOT_VISA_OR_AMEX = frozenset({CardBrand.VISA, CardBrand.AMEX})

DECLINE_ZIPS: tuple[DeclineZip, ...] = (DeclineZip("46282", ReasonCode.DECLINED),)

AVS_ZIPS: tuple[AvsZip, ...] = (
    AvsZip("46201", "A"),
    AvsZip("46203", "E"),
    AvsZip("46204", "G", _NOT_AMEX),
    AvsZip("46205", "N"),
    AvsZip("46206", "P"),
    AvsZip("46207", "R"),
    AvsZip("46208", "S"),
    AvsZip("46209", "U"),
    AvsZip("46211", "W", _NOT_AMEX),
    AvsZip("46214", "X", _NOT_VISA_OR_AMEX),
    AvsZip("46217", "Z"),
)

PREPAID_ZIPS: tuple[PrepaidZip, ...] = (
    PrepaidZip("46225", Decimal("1.23"), Decimal("0.00")),
    PrepaidZip("46226", None, Decimal("1.23")),
    PrepaidZip("46227", None, Decimal("-1.23")),
    PrepaidZip("46228", None, Decimal("0.00")),
)

CARD_CODE_TRIGGERS: tuple[CardCodeTrigger, ...] = (
    CardCodeTrigger("900", "M"),
    CardCodeTrigger("901", "N"),
    CardCodeTrigger("902", "S"),
    CardCodeTrigger("903", "U"),
    CardCodeTrigger("904", "P"),
)

# The sandbox documents no CAVV triggers: the indicator decides, and every cryptogram validates.
CAVV_RESULTS: tuple[CavvResult, ...] = (
    CavvResult(Assurance.AUTHENTICATED, "2"),
    CavvResult(Assurance.ATTEMPTED, "8"),
)

ECHECK_LIMIT = EcheckLimit(Decimal("100.00"), ReasonCode.DECLINED)

DEFAULTS = Defaults()

_DECLINES_BY_ZIP = {row.zip: row for row in DECLINE_ZIPS}
_AVS_BY_ZIP = {row.zip: row for row in AVS_ZIPS}
_PREPAID_BY_ZIP = {row.zip: row for row in PREPAID_ZIPS}
_CARD_CODE_RESULTS = {row.card_code: row.result for row in CARD_CODE_TRIGGERS}
_CAVV_BY_ASSURANCE = {row.assurance: row.result for row in CAVV_RESULTS}


# --------------------------------------------------------------------------- lookups


def zip5(zip_code: str | None) -> str | None:
    """The 5-digit ZIP triggers match on; a ZIP+4 ('46282-1234') counts by its first five."""
    head = (zip_code or "").strip()[:5]
    return head if len(head) == 5 and head.isascii() and head.isdigit() else None


def decline_for_zip(zip_code: str | None) -> DeclineZip | None:
    return _DECLINES_BY_ZIP.get(zip5(zip_code) or "")


def prepaid_for_zip(zip_code: str | None) -> PrepaidZip | None:
    return _PREPAID_BY_ZIP.get(zip5(zip_code) or "")


def card_avs_result(brand: CardBrand, bill_to: Address | None) -> str:
    """The AVS letter for an approved card authorisation: a ZIP trigger, else the defaults."""
    zip_code = bill_to.zip if bill_to else None
    row = _AVS_BY_ZIP.get(zip5(zip_code) or "")
    if row is not None and row.applies_to(brand):
        return row.avs_result
    if bill_to is not None and bill_to.address and bill_to.zip:
        return DEFAULTS.card_avs
    return DEFAULTS.not_applicable_avs


def card_code_result(card_code: str | None) -> str:
    """The card-code letter: a trigger, else a match when a code was given, else nothing."""
    if not card_code:
        return DEFAULTS.card_code_absent
    return _CARD_CODE_RESULTS.get(card_code, DEFAULTS.card_code_given)


def cavv_result(brand: CardBrand, authentication: CardholderAuthentication | None) -> str:
    """The CAVV letter: by the indicator when a cryptogram came, else not validated."""
    if authentication is None:
        return DEFAULTS.cavv_absent
    assurance = check(authentication, brand)
    if not isinstance(assurance, Assurance):
        return DEFAULTS.cavv_erroneous
    return _CAVV_BY_ASSURANCE.get(assurance, DEFAULTS.cavv_absent)


def echeck_declined(amount: Decimal) -> bool:
    return amount > ECHECK_LIMIT.max_approved


# --------------------------------------------------------------------------- rendering

_ZIP_FIELD = "billTo ZIP (first 5 digits)"
_BRAND_LABELS = {
    CardBrand.AMEX: "American Express",
    CardBrand.DINERS: "Diners Club",
    CardBrand.UNIONPAY: "China UnionPay",
}

Row = tuple[str, str, str, str]  # trigger, field, applies to, result


def _cards_label(excluded: frozenset[CardBrand]) -> str:
    if not excluded:
        return "cards"
    names = sorted(_BRAND_LABELS.get(brand, brand.value) for brand in excluded)
    return "cards except " + " and ".join(names)


def _avs_label(letter: str) -> str:
    return f"AVS {letter} ({AVS_MEANINGS[letter]})"


def _card_code_label(letter: str) -> str:
    return f"card code {letter} ({CARD_CODE_MEANINGS[letter]})"


def _cavv_label(letter: str) -> str:
    return f"CAVV {letter} ({CAVV_MEANINGS[letter]})"


# How each brand's indicator is usually written: Visa's ECI has two digits, the UCAF one.
_INDICATOR_FORMS = {CardBrand.VISA: ("ECI", "02d"), CardBrand.MASTERCARD: ("UCAF", "d")}


def _indicators_label(assurance: Assurance) -> str:
    """e.g. 'ECI 05 (Visa) or UCAF 2 (MasterCard)'."""
    labels = []
    for brand, table in INDICATORS.items():
        name, form = _INDICATOR_FORMS[brand]
        labels += [
            f"{name} {number:{form}} ({brand})" for number, meaning in table.items() if meaning is assurance
        ]
    return " or ".join(labels)


def _prepaid_result(row: PrepaidZip) -> str:
    balance = f"balance on card {row.balance_on_card}"
    if row.approved_cap is None:
        return f"approved in full, {balance}"
    return (
        f"approves at most {row.approved_cap}, {balance}; "
        f"reason {ReasonCode.PARTIALLY_APPROVED:d} when less than requested"
    )


def _trigger_rows() -> Iterable[Row]:
    for decline in DECLINE_ZIPS:
        yield (f"ZIP {decline.zip}", _ZIP_FIELD, "cards", f"declined, reason {decline.reason_code:d}")
    for avs in AVS_ZIPS:
        yield (f"ZIP {avs.zip}", _ZIP_FIELD, _cards_label(avs.excluded_brands), _avs_label(avs.avs_result))
    for prepaid in PREPAID_ZIPS:
        yield (f"ZIP {prepaid.zip}", _ZIP_FIELD, "cards", _prepaid_result(prepaid))
    for code in CARD_CODE_TRIGGERS:
        yield (f"card code {code.card_code}", "cardCode", "cards", _card_code_label(code.result))
    yield (
        f"amount > {ECHECK_LIMIT.max_approved}",
        "amount",
        "bank accounts",
        f"declined, reason {ECHECK_LIMIT.reason_code:d}",
    )


def _default_rows() -> Iterable[Row]:
    yield ("no trigger; street address and ZIP given", "billTo", "cards", _avs_label(DEFAULTS.card_avs))
    yield (
        "no trigger; street address or ZIP missing",
        "billTo",
        "cards",
        _avs_label(DEFAULTS.not_applicable_avs),
    )
    yield ("any", "-", "bank accounts; declines", _avs_label(DEFAULTS.not_applicable_avs))
    yield ("no trigger; card code given", "cardCode", "cards", _card_code_label(DEFAULTS.card_code_given))
    yield ("no card code", "cardCode", "cards", "no card-code result")
    for row in CAVV_RESULTS:
        yield (
            f"{_indicators_label(row.assurance)} with a cryptogram",
            "cardholderAuthentication",
            "Visa and MasterCard; authCapture and authOnly",
            _cavv_label(row.result),
        )
    yield (
        f"{_indicators_label(Assurance.NOT_AUTHENTICATED)}, or none",
        "cardholderAuthentication",
        "cards",
        "no CAVV result (not validated)",
    )


def render_trigger_table_markdown() -> str:
    """The trigger table and its defaults as a Markdown table (pasted into README.md)."""
    lines = ["| Trigger | Field | Applies to | Result |", "|---|---|---|---|"]
    lines += ["| " + " | ".join(row) + " |" for row in (*_trigger_rows(), *_default_rows())]
    return "\n".join(lines) + "\n"
