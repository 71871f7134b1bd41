"""The weak-key rules production applies to every master key version."""

from __future__ import annotations

import os

import pytest

from strongroom.vault.key_strength import weakness


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        (bytes(32), "every byte is zero"),
        (b"\xff" * 32, "every byte is 0xff"),
        (bytes(16), "shorter than 32"),
        (os.urandom(31), "31 bytes long"),
        (bytes([1, 2, 3]) * 10 + b"\x01\x02", "only 3 distinct byte values"),
        (bytes(range(15)) + bytes(17), "only 15 distinct byte values"),
        (bytes.fromhex("9f3c01e7b2584dd6a05e71c8f4962b3a") * 2, "repeats a block of 16 bytes"),
        (bytes(range(32)), "count up or down in even steps"),
        (bytes(range(255, 191, -2)), "count up or down in even steps"),
        (bytes(range(240, 256)) + bytes(range(16)), "count up or down in even steps"),
        (b"correct horse battery staple!!?", "shorter than 32"),
        (b"correct horse battery staple 42!", "printable text"),
    ],
    ids=[
        "all-zero",
        "all-same",
        "too-short",
        "one-byte-short",
        "three-values",
        "fifteen-values",
        "repeated-half",
        "counting-up",
        "counting-down-by-two",
        "counting-up-through-zero",
        "short-passphrase",
        "passphrase",
    ],
)
def test_weak_keys_are_named_with_the_reason(key: bytes, reason: str) -> None:
    found = weakness(key)

    assert found is not None
    assert reason in found


def test_random_keys_are_not_weak() -> None:
    assert [key for key in (os.urandom(32) for _ in range(2_000)) if weakness(key)] == []


def test_a_key_just_above_each_limit_is_not_weak() -> None:
    sixteen_values = bytes(range(0x80, 0x90)) + bytes(range(0x8F, 0x7F, -1))

    assert weakness(sixteen_values) is None
    assert weakness(bytes(range(31)) + b"\x00") is None  # steps even except the last
