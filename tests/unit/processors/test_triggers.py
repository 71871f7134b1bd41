"""The sandbox trigger table: its rows against hand-written expectations, lookups, Markdown."""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from strongroom.domain.card_authentication import CardholderAuthentication
from strongroom.domain.customers import Address
from strongroom.domain.instruments import CardBrand
from strongroom.domain.sensitive import Secret
from strongroom.processors import triggers
from strongroom.processors.triggers import ReasonCode, render_trigger_table_markdown

README = Path(__file__).resolve().parents[3] / "README.md"
README_HEADING = "## Sandbox triggers"

# Written by hand from the sandbox guide, so that an edit to the table cannot pass silently.
EXPECTED_AVS = {
    "46201": "A",
    "46203": "E",
    "46204": "G",
    "46205": "N",
    "46206": "P",
    "46207": "R",
    "46208": "S",
    "46209": "U",
    "46211": "W",
    "46214": "X",
    "46217": "Z",
}
EXPECTED_EXCLUSIONS = {
    "46204": {CardBrand.AMEX},
    "46211": {CardBrand.AMEX},
    "46214": {CardBrand.VISA, CardBrand.AMEX},
}
EXPECTED_CARD_CODES = {"900": "M", "901": "N", "902": "S", "903": "U", "904": "P"}
EXPECTED_PREPAID = {
    "46225": (Decimal("1.23"), Decimal("0.00")),
    "46226": (None, Decimal("1.23")),
    "46227": (None, Decimal("-1.23")),
    "46228": (None, Decimal("0.00")),
}

FULL_ADDRESS = Address(
    first_name="Ellen",
    last_name="Johnson",
    address="14 Main Street",
    city="Bellevue",
    state="WA",
    zip="98004",
    country="US",
)


def test_reason_codes_use_authorize_net_numbers() -> None:
    assert {code.name: code.value for code in ReasonCode} == {
        "APPROVED": 1,
        "DECLINED": 2,
        "REFERRAL": 3,
        "PICK_UP_CARD": 4,
        "TRANSACTION_NOT_FOUND": 16,
        "AVS_MISMATCH": 27,
        "CARD_CODE_DECLINED": 44,
        "AVS_AND_CARD_CODE_MISMATCH": 45,
        "CARD_CODE_MISMATCH": 65,
        "HELD_FOR_REVIEW": 252,
        "AUTHORIZED_HELD_FOR_REVIEW": 253,
        "PARTIALLY_APPROVED": 295,
    }


def test_decline_zip_row_is_46282_reason_2() -> None:
    assert [(row.zip, row.reason_code) for row in triggers.DECLINE_ZIPS] == [("46282", 2)]


def test_avs_rows_match_the_guide() -> None:
    assert {row.zip: row.avs_result for row in triggers.AVS_ZIPS} == EXPECTED_AVS


def test_avs_brand_exclusions_match_the_guide() -> None:
    table = {row.zip: set(row.excluded_brands) for row in triggers.AVS_ZIPS if row.excluded_brands}
    assert table == EXPECTED_EXCLUSIONS


def test_prepaid_rows_match_the_guide() -> None:
    table = {row.zip: (row.approved_cap, row.balance_on_card) for row in triggers.PREPAID_ZIPS}
    assert table == EXPECTED_PREPAID


def test_card_code_rows_match_the_guide() -> None:
    assert {r.card_code: r.result for r in triggers.CARD_CODE_TRIGGERS} == EXPECTED_CARD_CODES


def test_echeck_limit_is_100_declined_with_reason_2() -> None:
    assert triggers.ECHECK_LIMIT.max_approved == Decimal("100.00")
    assert triggers.ECHECK_LIMIT.reason_code == 2


def test_defaults() -> None:
    assert triggers.DEFAULTS.card_avs == "Y"
    assert triggers.DEFAULTS.not_applicable_avs == "P"
    assert triggers.DEFAULTS.card_code_given == "M"
    assert triggers.DEFAULTS.card_code_absent == ""


def test_every_zip_appears_in_one_row_only() -> None:
    zips = [
        row.zip
        for table in (triggers.DECLINE_ZIPS, triggers.AVS_ZIPS, triggers.PREPAID_ZIPS)
        for row in table
    ]
    assert len(zips) == len(set(zips))
    assert all(len(z) == 5 and z.isdigit() for z in zips)


def test_every_result_letter_has_a_meaning() -> None:
    assert {row.avs_result for row in triggers.AVS_ZIPS} <= set(triggers.AVS_MEANINGS)
    assert {row.result for row in triggers.CARD_CODE_TRIGGERS} <= set(triggers.CARD_CODE_MEANINGS)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("46282", "46282"),
        (" 46282 ", "46282"),
        ("46282-1234", "46282"),
        ("462821234", "46282"),
        ("4628", None),
        ("SW1A 1AA", None),
        ("", None),
        (None, None),
        ("４６２８２", None),
    ],
)
def test_zip5(raw: str | None, expected: str | None) -> None:
    assert triggers.zip5(raw) == expected


@pytest.mark.parametrize("row", triggers.AVS_ZIPS, ids=lambda row: row.zip)
@pytest.mark.parametrize("brand", list(CardBrand), ids=lambda brand: brand.name)
def test_card_avs_result_follows_each_row(row: triggers.AvsZip, brand: CardBrand) -> None:
    bill_to = Address(address="14 Main Street", zip=row.zip)
    expected = row.avs_result if brand not in row.excluded_brands else "Y"
    assert triggers.card_avs_result(brand, bill_to) == expected


@pytest.mark.parametrize(
    ("brand", "zip_code", "expected"),
    [
        (CardBrand.VISA, "46204", "G"),
        (CardBrand.AMEX, "46204", "Y"),
        (CardBrand.MASTERCARD, "46211", "W"),
        (CardBrand.AMEX, "46211", "Y"),
        (CardBrand.DISCOVER, "46214", "X"),
        (CardBrand.VISA, "46214", "Y"),
        (CardBrand.AMEX, "46214", "Y"),
        (CardBrand.AMEX, "46217", "Z"),
    ],
)
def test_card_avs_result_hand_written(brand: CardBrand, zip_code: str, expected: str) -> None:
    assert triggers.card_avs_result(brand, Address(address="1 Elm", zip=zip_code)) == expected


def test_avs_trigger_needs_only_the_zip() -> None:
    assert triggers.card_avs_result(CardBrand.VISA, Address(zip="46205")) == "N"


@pytest.mark.parametrize(
    ("bill_to", "expected"),
    [(FULL_ADDRESS, "Y"), (None, "P"), (Address(zip="98004"), "P"), (Address(address="14 Main Street"), "P")],
)
def test_card_avs_defaults(bill_to: Address | None, expected: str) -> None:
    assert triggers.card_avs_result(CardBrand.VISA, bill_to) == expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        *[(row.card_code, row.result) for row in triggers.CARD_CODE_TRIGGERS],
        ("900", "M"),
        ("901", "N"),
        ("904", "P"),
        ("123", "M"),
        ("1234", "M"),
        ("", ""),
        (None, ""),
    ],
)
def test_card_code_result(code: str | None, expected: str) -> None:
    assert triggers.card_code_result(code) == expected


def test_prepaid_approved_amount_is_capped_at_the_balance() -> None:
    partial = triggers.prepaid_for_zip("46225")
    assert partial is not None
    assert partial.approved_amount(Decimal("10.00")) == Decimal("1.23")
    assert partial.approved_amount(Decimal("1.00")) == Decimal("1.00")
    full = triggers.prepaid_for_zip("46226-0001")
    assert full is not None
    assert full.approved_amount(Decimal("10.00")) == Decimal("10.00")


CAVV = "AAABCZIhcQAAAABZlyFxAAAAAAA="


@pytest.mark.parametrize(
    ("brand", "indicator", "value", "letter"),
    [
        (CardBrand.VISA, "05", CAVV, "2"),
        (CardBrand.VISA, "06", CAVV, "8"),
        (CardBrand.VISA, "07", "", ""),
        (CardBrand.MASTERCARD, "2", CAVV, "2"),
        (CardBrand.MASTERCARD, "1", CAVV, "8"),
        (CardBrand.MASTERCARD, "0", "", ""),
        (CardBrand.VISA, "05", "short", "0"),  # the gateway refuses these before the processor
        (CardBrand.AMEX, "05", CAVV, "0"),
    ],
)
def test_cavv_result_by_indicator(brand: CardBrand, indicator: str, value: str, letter: str) -> None:
    assert triggers.cavv_result(brand, CardholderAuthentication(indicator, Secret(value))) == (letter)


def test_no_cardholder_authentication_is_not_validated() -> None:
    assert triggers.cavv_result(CardBrand.VISA, None) == ""


def test_every_cavv_letter_has_a_meaning() -> None:
    letters = {row.result for row in triggers.CAVV_RESULTS} | {triggers.DEFAULTS.cavv_erroneous}
    assert letters <= set(triggers.CAVV_MEANINGS)


@pytest.mark.parametrize(("amount", "declined"), [("100.00", False), ("100.01", True)])
def test_echeck_declined_boundary(amount: str, declined: bool) -> None:
    assert triggers.echeck_declined(Decimal(amount)) is declined


# --------------------------------------------------------------------------- rendering


def _table_lines() -> list[str]:
    return render_trigger_table_markdown().splitlines()


def test_markdown_has_header_and_a_line_per_row() -> None:
    lines = _table_lines()
    assert lines[0] == "| Trigger | Field | Applies to | Result |"
    assert lines[1] == "|---|---|---|---|"
    rows = (
        len(triggers.DECLINE_ZIPS)
        + len(triggers.AVS_ZIPS)
        + len(triggers.PREPAID_ZIPS)
        + len(triggers.CARD_CODE_TRIGGERS)
        + 1
    )
    defaults = 5 + len(triggers.CAVV_RESULTS) + 1  # AVS and card code, then CAVV
    assert len(lines) == 2 + rows + defaults
    assert all(line.startswith("| ") and line.endswith(" |") for line in lines[2:])
    assert all(line.count(" | ") == 3 for line in lines[2:])


@pytest.mark.parametrize(
    "line",
    [
        "| ZIP 46282 | billTo ZIP (first 5 digits) | cards | declined, reason 2 |",
        "| ZIP 46204 | billTo ZIP (first 5 digits) | cards except American Express "
        "| AVS G (non-US card issuer) |",
        "| ZIP 46214 | billTo ZIP (first 5 digits) | cards except American Express and Visa "
        "| AVS X (street and 9-digit ZIP match) |",
        "| ZIP 46225 | billTo ZIP (first 5 digits) | cards | approves at most 1.23, balance on "
        "card 0.00; reason 295 when less than requested |",
        "| ZIP 46227 | billTo ZIP (first 5 digits) | cards | approved in full, balance on card -1.23 |",
        "| card code 902 | cardCode | cards | card code S (should have been present) |",
        "| amount > 100.00 | amount | bank accounts | declined, reason 2 |",
        "| no trigger; street address and ZIP given | billTo | cards "
        "| AVS Y (street and 5-digit ZIP match) |",
        "| no card code | cardCode | cards | no card-code result |",
        "| ECI 05 (Visa) or UCAF 2 (MasterCard) with a cryptogram | cardholderAuthentication "
        "| Visa and MasterCard; authCapture and authOnly | CAVV 2 (passed validation) |",
        "| ECI 06 (Visa) or UCAF 1 (MasterCard) with a cryptogram | cardholderAuthentication "
        "| Visa and MasterCard; authCapture and authOnly | CAVV 8 (attempt, passed validation) |",
        "| ECI 07 (Visa) or UCAF 0 (MasterCard), or none | cardholderAuthentication | cards "
        "| no CAVV result (not validated) |",
    ],
)
def test_markdown_contains_hand_written_rows(line: str) -> None:
    assert line in _table_lines()


def test_markdown_mentions_every_trigger() -> None:
    text = render_trigger_table_markdown()
    for zip_code in [*EXPECTED_AVS, *EXPECTED_PREPAID, "46282"]:
        assert f"| ZIP {zip_code} |" in text
    for code in EXPECTED_CARD_CODES:
        assert f"| card code {code} |" in text


def _rendered_in_a_new_process(hash_seed: str) -> str:
    """The table as a fresh interpreter renders it, with its own string-hash seed."""
    environment = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": os.pathsep.join(sys.path)}
    completed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from strongroom.processors.triggers import "
            "render_trigger_table_markdown as r; sys.stdout.write(r())",
        ],
        env=environment,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    )
    return completed.stdout


def test_markdown_is_the_same_in_every_process() -> None:
    """Set orders change with the hash seed; the rendered table must not.

    Eight seeds: an unsorted two-brand exclusion (ZIP 46214) renders in both orders among them."""
    here = render_trigger_table_markdown()

    renders = {seed: _rendered_in_a_new_process(seed) for seed in map(str, range(8))}

    assert all(render == here for render in renders.values()), renders
    assert here.endswith("|\n")


def test_readme_contains_the_rendered_table() -> None:
    text = README.read_text(encoding="utf-8")
    assert README_HEADING in text
    section = text.split(README_HEADING, 1)[1]
    assert render_trigger_table_markdown().strip() in section
