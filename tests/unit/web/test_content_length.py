"""Content-Length is read without trusting it: long or non-ASCII digits never reach int()."""

from __future__ import annotations

import pytest

from strongroom.web.content_length import declared_over


@pytest.mark.parametrize(
    ("declared", "over"),
    [
        ("100", False),
        ("101", True),
        ("0" * 5000 + "100", False),
        ("9" * 5000, True),
        ("", False),
        ("abc", False),
        ("\u00b2", False),
        ("\u0661\u0662", False),
        ("-5", False),
    ],
)
def test_declared_over(declared: str, over: bool) -> None:
    assert declared_over(declared, 100) is over
