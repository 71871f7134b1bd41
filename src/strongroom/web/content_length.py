"""The Content-Length header, read without trusting it: any text, however long, is safe."""

from __future__ import annotations

# More digits than any body size; longer text is never handed to int().
_MAX_DIGITS = 18


def declared_over(declared: str, limit: int) -> bool:
    """True when a well-formed Content-Length announces more than `limit` bytes; a malformed
    one (not ASCII digits) is left to the body read, which counts what actually arrives."""
    if not declared.isascii() or not declared.isdigit():
        return False
    digits = declared.lstrip("0")
    return len(digits) > _MAX_DIGITS or (bool(digits) and int(digits) > limit)
