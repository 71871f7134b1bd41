"""Throttling of failed authentications: a leaky bucket of failures per key (an API login ID, a
client address), a lockout when it fills, and a bounded memory of both.

Pure and single-threaded: the caller passes the time (seconds) and serialises the calls.
"""

from __future__ import annotations

import ipaddress
from collections import OrderedDict
from dataclasses import dataclass
from typing import Final, TypeVar

IPV6_NETWORK_BITS: Final = 64  # one IPv6 subscriber usually holds a whole /64
V = TypeVar("V")


@dataclass(frozen=True, slots=True)
class Limit:
    """`failures` failures in a burst fill the bucket and lock the key for `lockout` seconds;
    failures leak away at `failures` per `window` seconds. `failures` 0 turns the limit off."""

    failures: int
    window: float
    lockout: float

    @property
    def enabled(self) -> bool:
        return self.failures > 0


@dataclass(frozen=True, slots=True)
class Lockout:
    """A key that just got locked, and until when (seconds)."""

    key: str
    until: float
    failures: int


class Bucket:
    """One leaky bucket per key, with the keys locked until a moment; at most `capacity` keys of
    each kind are remembered, the least recently touched forgotten first."""

    __slots__ = ("_capacity", "_levels", "_limit", "_locks")

    def __init__(self, limit: Limit, capacity: int) -> None:
        if capacity < 1:
            raise ValueError("a bucket remembers at least one key")
        self._limit = limit
        self._capacity = capacity
        self._levels: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key: (level, at)
        self._locks: OrderedDict[str, float] = OrderedDict()  # key: locked until

    def locked_until(self, key: str, now: float) -> float | None:
        """When the key's lockout ends, or None when it is not locked."""
        until = self._locks.get(key)
        if until is None:
            return None
        if until <= now:
            del self._locks[key]
            return None
        return until

    def fail(self, key: str, now: float) -> Lockout | None:
        """Count one failure; the lockout when it fills the bucket."""
        limit = self._limit
        if not limit.enabled:
            return None
        level = self._level(key, now) + 1.0
        # The bucket holds `failures` - 1; the failure that overflows it locks. (Comparing with
        # `failures` itself would let a real-time burst of exactly that many through: the first
        # ones leak a little while the last arrive.)
        if level <= limit.failures - 1:
            _remember(self._levels, key, (level, now), self._capacity)
            return None
        self._levels.pop(key, None)
        until = now + limit.lockout
        _remember(self._locks, key, until, self._capacity)
        return Lockout(key, until, limit.failures)

    def __len__(self) -> int:
        return len(self._levels) + len(self._locks)

    def _level(self, key: str, now: float) -> float:
        stored = self._levels.get(key)
        if stored is None:
            return 0.0
        level, at = stored
        leaked = max(0.0, now - at) * self._limit.failures / self._limit.window
        return max(0.0, level - leaked)


def _remember(entries: OrderedDict[str, V], key: str, value: V, capacity: int) -> None:
    entries[key] = value
    entries.move_to_end(key)
    while len(entries) > capacity:
        entries.popitem(last=False)


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why an attempt is refused before its key is even checked."""

    scope: str  # "login" or "address"
    until: float


class AuthThrottle:
    """Failed authentications per API login ID and per client address.

    A locked login refuses even its right key until the lockout ends; a locked address refuses
    every login from it. Failures are counted the same for logins that do not exist, so a
    lockout tells nothing about which logins do. A success resets nothing: failures only leak
    away with time (otherwise a merchant's own traffic would erase an attacker's count).
    """

    __slots__ = ("_addresses", "_logins")

    def __init__(self, login: Limit, address: Limit, capacity: int) -> None:
        self._logins = Bucket(login, capacity)
        self._addresses = Bucket(address, capacity)

    def refusal(self, login: str, address: str | None, now: float) -> Refusal | None:
        if address is not None:
            until = self._addresses.locked_until(address_key(address), now)
            if until is not None:
                return Refusal("address", until)
        until = self._logins.locked_until(login, now)
        return Refusal("login", until) if until is not None else None

    def failed(self, login: str, address: str | None, now: float) -> list[tuple[str, Lockout]]:
        """Count a failure against the login and the address; the lockouts it caused."""
        caused = []
        locked = self._logins.fail(login, now)
        if locked is not None:
            caused.append(("login", locked))
        if address is not None:
            locked = self._addresses.fail(address_key(address), now)
            if locked is not None:
                caused.append(("address", locked))
        return caused

    @property
    def remembered(self) -> int:
        """How many logins and addresses are remembered (failures or lockouts)."""
        return len(self._logins) + len(self._addresses)


def address_key(address: str) -> str:
    """The client address as throttled: IPv4 as is, IPv6 by its /64 (one subscriber's block),
    anything else (a Unix socket path, a test client's name) as given."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        mapped = parsed.ipv4_mapped
        if mapped is not None:
            return str(mapped)
        return str(ipaddress.IPv6Network((parsed, IPV6_NETWORK_BITS), strict=False))
    return str(parsed)
