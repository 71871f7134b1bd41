"""Typed secrets: values whose repr and str are masked and that must be revealed explicitly."""

from __future__ import annotations

from typing import Final, Generic, TypeVar

T = TypeVar("T")

_MASK: Final = "***"


class Secret(Generic[T]):
    """Holds a sensitive value; printing, logging or formatting it never shows the value."""

    __slots__ = ("_value",)

    def __init__(self, value: T) -> None:
        self._value = value

    def reveal(self) -> T:
        """Return the wrapped value; call sites that reveal are the ones to audit."""
        return self._value

    def __repr__(self) -> str:
        return f"Secret({_MASK})"

    def __str__(self) -> str:
        return _MASK

    def __format__(self, format_spec: str) -> str:
        return _MASK

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and bool(self._value == other._value)

    def __hash__(self) -> int:
        return hash(self._value)

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("Secret values are not picklable")
