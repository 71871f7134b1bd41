"""Weak master keys: the shapes a key typed, padded or copied by a person takes, and a random one
practically never does."""

from __future__ import annotations

from itertools import pairwise
from typing import Final

from strongroom.vault.key_file import MASTER_KEY_BYTES

# 32 random bytes show about 30 distinct values; fewer than 16 happens with a probability far
# below 2^-100, so a key with so few was not drawn at random.
MIN_DISTINCT_BYTES: Final = 16
# A random key repeats a block of up to half its length with probability at most 2^-128.
MAX_REPEATED_BLOCK: Final = MASTER_KEY_BYTES // 2
_PRINTABLE = frozenset(range(0x20, 0x7F))


def weakness(key: bytes) -> str | None:
    """Why `key` is too weak to be a production master key, or None when it is not.

    The rules, in order: shorter than 32 bytes; all zero; one byte value repeated; fewer than
    16 distinct byte values; a short block repeated; bytes counting up or down in even steps;
    nothing but printable ASCII (a passphrase, not random bytes: (95/256)^32 < 2^-45).
    """
    if len(key) < MASTER_KEY_BYTES:
        return f"it is {len(key)} bytes long, shorter than {MASTER_KEY_BYTES}"
    if not any(key):
        return "every byte is zero"
    distinct = len(set(key))
    if distinct == 1:
        return f"every byte is 0x{key[0]:02x}"
    if distinct < MIN_DISTINCT_BYTES:
        return (
            f"it has only {distinct} distinct byte values (a random key has about 30; "
            f"fewer than {MIN_DISTINCT_BYTES} is not chance)"
        )
    block = _repeated_block(key)
    if block is not None:
        return f"it repeats a block of {block} bytes"
    if _even_steps(key):
        return "its bytes count up or down in even steps"
    if set(key) <= _PRINTABLE:
        return "every byte is printable text: a passphrase, not random bytes"
    return None


def _repeated_block(key: bytes) -> int | None:
    for size in range(1, MAX_REPEATED_BLOCK + 1):
        if all(key[index] == key[index % size] for index in range(size, len(key))):
            return size
    return None


def _even_steps(key: bytes) -> bool:
    step = (key[1] - key[0]) % 256
    return all((later - earlier) % 256 == step for earlier, later in pairwise(key))
