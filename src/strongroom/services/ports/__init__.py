"""Every interface the core needs from the outside world, as typing.Protocols.

This package is the map of the system's edges: storage (repositories and the unit of work),
the vault (encryption and fingerprints), processors (the card network), and the clock.
Services depend on these protocols only; `bootstrap.py` picks the concrete classes.

One module per area; every public name is re-exported here, so
`from strongroom.services.ports import X` names any of them.
"""

from __future__ import annotations

from strongroom.services.ports.clock import Clock, ClockOffsets
from strongroom.services.ports.fraud_filters import FraudFilterRepository
from strongroom.services.ports.idempotency import IdempotencyEntry, IdempotencyStore, KeyGuard
from strongroom.services.ports.leases import Lease, LeaseRepository
from strongroom.services.ports.merchants import MerchantRepository, MerchantRow
from strongroom.services.ports.outbox import Mailer, MailUnavailable, OutboxMessage, OutboxRepository
from strongroom.services.ports.processor import (
    AuthorizationRequest,
    FollowUpRequest,
    Outcome,
    Processor,
    ProcessorResult,
    ProcessorUnavailable,
    StoredCredential,
)
from strongroom.services.ports.profiles import (
    AddressRow,
    PaymentProfileRow,
    ProfileRepository,
    ProfileRow,
    RefTaken,
)
from strongroom.services.ports.reporting import (
    PageRequest,
    ReportingRepository,
    TransactionPage,
    TransactionSort,
)
from strongroom.services.ports.settlement import BatchRecord, BatchRepository, BatchTotals, SettlementSchedule
from strongroom.services.ports.subscriptions import (
    AttemptOutcome,
    OccurrenceAttempt,
    SubscriptionFilter,
    SubscriptionOrder,
    SubscriptionRepository,
    SubscriptionSummary,
)
from strongroom.services.ports.transactions import (
    SealedInstrumentRow,
    SplitTenderOrder,
    SplitTenderRepository,
    TransactionInstrumentRepository,
    TransactionRecord,
    TransactionRepository,
    ValidationRecord,
)
from strongroom.services.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from strongroom.services.ports.vault import (
    DataKeyStore,
    Resealer,
    SealedRecord,
    SealedRecordStore,
    Vault,
    WrappedDataKey,
)
from strongroom.services.ports.webhooks import (
    DeliveryFailed,
    DueNotification,
    EventRecorder,
    NotificationRepository,
    NotificationRow,
    WebhookRepository,
    WebhookRow,
    WebhookSender,
)

__all__ = [
    "AddressRow",
    "AttemptOutcome",
    "AuthorizationRequest",
    "BatchRecord",
    "BatchRepository",
    "BatchTotals",
    "Clock",
    "ClockOffsets",
    "DataKeyStore",
    "DeliveryFailed",
    "DueNotification",
    "EventRecorder",
    "FollowUpRequest",
    "FraudFilterRepository",
    "IdempotencyEntry",
    "IdempotencyStore",
    "KeyGuard",
    "Lease",
    "LeaseRepository",
    "MailUnavailable",
    "Mailer",
    "MerchantRepository",
    "MerchantRow",
    "NotificationRepository",
    "NotificationRow",
    "OccurrenceAttempt",
    "OutboxMessage",
    "OutboxRepository",
    "Outcome",
    "PageRequest",
    "PaymentProfileRow",
    "Processor",
    "ProcessorResult",
    "ProcessorUnavailable",
    "ProfileRepository",
    "ProfileRow",
    "RefTaken",
    "ReportingRepository",
    "Resealer",
    "SealedInstrumentRow",
    "SealedRecord",
    "SealedRecordStore",
    "SettlementSchedule",
    "SplitTenderOrder",
    "SplitTenderRepository",
    "StoredCredential",
    "SubscriptionFilter",
    "SubscriptionOrder",
    "SubscriptionRepository",
    "SubscriptionSummary",
    "TransactionInstrumentRepository",
    "TransactionPage",
    "TransactionRecord",
    "TransactionRepository",
    "TransactionSort",
    "UnitOfWork",
    "UnitOfWorkFactory",
    "ValidationRecord",
    "Vault",
    "WebhookRepository",
    "WebhookRow",
    "WebhookSender",
    "WrappedDataKey",
]
