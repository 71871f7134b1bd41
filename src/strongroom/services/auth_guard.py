"""The guard in front of credential checks: refuses locked logins and client addresses, counts
failures on the injected clock, and writes one audit line per lockout."""

from __future__ import annotations

import logging
import math
import threading
from dataclasses import dataclass
from datetime import UTC, datetime

from strongroom.domain.auth_throttle import AuthThrottle, Limit, Lockout, address_key
from strongroom.domain.errors import AuthenticationFailed
from strongroom.services.ports import Clock

audit = logging.getLogger("strongroom.audit")

DEFAULT_CAPACITY = 100_000  # logins and addresses remembered, each; the oldest go first
_SHOWN_LOGIN = 64  # characters of a login ID an audit line shows (logins come from clients)


@dataclass(frozen=True, slots=True)
class Attempt:
    """Where an authentication comes from: the door's dialect and the client address."""

    dialect: str
    address: str | None = None


class AuthenticationLocked(AuthenticationFailed):
    """Refused without checking the key: too many failures for the login or the address."""

    code = "authentication_locked"

    def __init__(self, scope: str, until: datetime) -> None:
        whom = "this API login ID" if scope == "login" else "this client address"
        super().__init__(
            f"User authentication failed: too many failed attempts for {whom}; "
            f"try again after {until:%Y-%m-%dT%H:%M:%SZ}."
        )
        self.scope = scope
        self.until = until


class AuthGuard:
    """Thread-safe: one lock around the throttle, held for microseconds (no I/O inside)."""

    def __init__(self, login: Limit, address: Limit, clock: Clock, capacity: int = DEFAULT_CAPACITY) -> None:
        self._throttle = AuthThrottle(login, address, capacity)
        self._clock = clock
        self._lock = threading.Lock()

    def refuse_if_locked(self, login: str, attempt: Attempt) -> None:
        now = self._clock.now().timestamp()
        with self._lock:
            refusal = self._throttle.refusal(login, attempt.address, now)
        if refusal is not None:
            raise AuthenticationLocked(refusal.scope, _moment(refusal.until))

    def failed(self, login: str, attempt: Attempt) -> None:
        now = self._clock.now().timestamp()
        with self._lock:
            lockouts = self._throttle.failed(login, attempt.address, now)
        for scope, lockout in lockouts:
            _audit(scope, lockout, login, attempt)


def _audit(scope: str, lockout: Lockout, login: str, attempt: Attempt) -> None:
    # The login ID is not secret but comes from the client: shown escaped and shortened.
    # Keys and passwords are never passed here.
    address = address_key(attempt.address) if attempt.address is not None else "-"
    audit.warning(
        "authentication lockout: scope=%s dialect=%s login=%s address=%s failures=%d until=%s",
        scope,
        attempt.dialect,
        ascii(login[:_SHOWN_LOGIN]),
        address,
        lockout.failures,
        f"{_moment(lockout.until):%Y-%m-%dT%H:%M:%SZ}",
    )


def _moment(seconds: float) -> datetime:
    """The whole second at or after `seconds`: "try again after" never names a locked moment."""
    return datetime.fromtimestamp(math.ceil(seconds), UTC)
