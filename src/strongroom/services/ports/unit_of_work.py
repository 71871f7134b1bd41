"""One database transaction and the repositories it opens."""

from __future__ import annotations

from types import TracebackType
from typing import Protocol

from strongroom.services.ports.fraud_filters import FraudFilterRepository
from strongroom.services.ports.leases import LeaseRepository
from strongroom.services.ports.merchants import MerchantRepository
from strongroom.services.ports.outbox import OutboxRepository
from strongroom.services.ports.profiles import ProfileRepository
from strongroom.services.ports.reporting import ReportingRepository
from strongroom.services.ports.settlement import BatchRepository
from strongroom.services.ports.subscriptions import SubscriptionRepository
from strongroom.services.ports.transactions import (
    SplitTenderRepository,
    TransactionInstrumentRepository,
    TransactionRepository,
)
from strongroom.services.ports.webhooks import EventRecorder, NotificationRepository, WebhookRepository


class UnitOfWork(Protocol):
    """One database transaction; leaving the `with` block without `commit()` rolls back."""

    merchants: MerchantRepository
    profiles: ProfileRepository
    transactions: TransactionRepository
    batches: BatchRepository
    leases: LeaseRepository
    instruments: TransactionInstrumentRepository
    outbox: OutboxRepository
    split_tenders: SplitTenderRepository
    subscriptions: SubscriptionRepository
    reporting: ReportingRepository
    fraud: FraudFilterRepository
    webhooks: WebhookRepository
    notifications: NotificationRepository
    events: EventRecorder

    def __enter__(self) -> UnitOfWork: ...

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...

    def commit(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self, *, write: bool = True) -> UnitOfWork:
        """A new unit of work. `write=False` promises only reads (no write lock on SQLite)."""
        ...
