"""Public ids chosen by services: random, of a fixed width, and within what the schema types allow."""

from __future__ import annotations

from strongroom.services.refs import INT32_MAX, new_profile_ref, new_subscription_ref

DRAWS = 2000


def test_profile_refs_are_ten_digits_within_int32() -> None:
    refs = [new_profile_ref() for _ in range(DRAWS)]
    assert all(ref.isdigit() and len(ref) == 10 for ref in refs)
    assert all(10**9 <= int(ref) <= INT32_MAX for ref in refs)
    assert len(set(refs)) > DRAWS * 0.99  # random, not a counter


def test_subscription_refs_are_nine_digits() -> None:
    refs = [new_subscription_ref() for _ in range(DRAWS)]
    assert all(ref.isdigit() and len(ref) == 9 and not ref.startswith("0") for ref in refs)
    assert len(set(refs)) > DRAWS * 0.99
