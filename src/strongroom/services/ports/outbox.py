"""The outbox of customer e-mails, and the mailer it is delivered to."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    """An e-mail waiting for (or done with) delivery; `key` 0 until stored."""

    merchant_key: int
    kind: str  # "receipt"
    recipient: str
    subject: str
    body: str
    created_at: datetime
    reply_to: str | None = None
    transaction_ref: str | None = None
    key: int = 0
    attempts: int = 0
    last_error: str | None = None
    sent_at: datetime | None = None


class OutboxRepository(Protocol):
    def add(self, message: OutboxMessage) -> int:
        """Store a message to send; returns its key."""
        ...

    def of_transaction(self, merchant_key: int, transaction_ref: str) -> Sequence[OutboxMessage]:
        """Every message about one transaction, oldest first."""
        ...

    def pending(self, limit: int, max_attempts: int) -> Sequence[OutboxMessage]:
        """Unsent messages tried fewer than `max_attempts` times, oldest first."""
        ...

    def mark_sent(self, key: int, sent_at: datetime) -> bool:
        """Record delivery once (False if it was already recorded)."""
        ...

    def mark_failed(self, key: int, error: str) -> None: ...


class MailUnavailable(Exception):
    """The mail server refused a message or could not be reached (the text says why, never the
    message's content)."""


class Mailer(Protocol):
    """Where e-mails go (SMTP when configured); receipts reach it only through the outbox."""

    def send(self, message: OutboxMessage) -> None:
        """Hand one message over; MailUnavailable if it was not accepted."""
        ...
