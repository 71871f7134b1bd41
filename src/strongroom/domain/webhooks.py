"""Webhooks: where a merchant's notifications go (URL rules), whether they go (status), and the
retry schedule of a notification its receiver did not accept."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum
from urllib.parse import urlsplit

from strongroom.domain.errors import FieldLength, InvalidField, MissingField

MAX_URL_LENGTH = 2048
MAX_NAME_LENGTH = 100
SCHEMES = frozenset({"http", "https"})


class WebhookStatus(StrEnum):
    ACTIVE = "active"  # receives notifications
    INACTIVE = "inactive"  # receives none (pings still work); pending retries wait


class NotificationState(StrEnum):
    PENDING = "pending"  # not yet accepted by the receiver; next attempt due at a set time
    DELIVERED = "delivered"  # the receiver answered 2xx
    FAILED = "failed"  # every attempt failed; no more attempts


def valid_url(text: str) -> str:
    """`text` if it is an absolute http(s) URL with a host, else InvalidField naming "url"."""
    url = text.strip()
    if not url:
        raise MissingField("url", "A webhook needs a url.")
    if len(url) > MAX_URL_LENGTH:
        raise FieldLength("url", f"The url is longer than {MAX_URL_LENGTH} characters.")
    if any(char.isspace() or ord(char) < 32 or ord(char) == 127 for char in url):
        raise InvalidField("url", "The url must not contain spaces or control characters.")
    try:
        parts = urlsplit(url)
        port = parts.port  # ValueError when the port is not a number in range
    except ValueError:
        raise InvalidField("url", "The url is not a valid URL.") from None
    if parts.scheme.lower() not in SCHEMES:
        raise InvalidField("url", "The url must start with http:// or https://.")
    if not parts.hostname:
        raise InvalidField("url", "The url must name a host.")
    if parts.username is not None or parts.password is not None:
        raise InvalidField("url", "The url must not contain a user name or password.")
    if port == 0:
        raise InvalidField("url", "The url's port must be between 1 and 65535.")
    return url


def valid_name(text: str | None) -> str | None:
    """A webhook's optional name, trimmed; None when blank."""
    name = (text or "").strip()
    if len(name) > MAX_NAME_LENGTH:
        raise FieldLength("name", f"The name is longer than {MAX_NAME_LENGTH} characters.")
    return name or None


class RetrySchedule:
    """Exponential backoff: after failed attempt n (1, 2, ...) the next one waits
    `first * 2**(n-1)`, at most `longest`; after `attempts` failed attempts the notification
    has failed for good."""

    def __init__(
        self,
        first: timedelta = timedelta(minutes=1),
        longest: timedelta = timedelta(hours=4),
        attempts: int = 10,
    ) -> None:
        if first <= timedelta(0) or longest < first or attempts < 1:
            raise ValueError("a retry schedule needs a positive first wait and attempts >= 1")
        self.first = first
        self.longest = longest
        self.attempts = attempts

    def wait_after(self, failed_attempts: int) -> timedelta | None:
        """How long to wait before the next attempt; None when there is none."""
        if failed_attempts < 1:
            raise ValueError("waits follow a failed attempt")
        if failed_attempts >= self.attempts:
            return None
        # Doubling past `longest` only wastes big numbers: stop at the first that exceeds it.
        wait = self.first
        for _ in range(failed_attempts - 1):
            wait *= 2
            if wait >= self.longest:
                return self.longest
        return min(wait, self.longest)

    def waits(self) -> list[timedelta]:
        """Every wait between attempts, in order (len = attempts - 1)."""
        waits = [self.wait_after(n) for n in range(1, self.attempts)]
        return [wait for wait in waits if wait is not None]
