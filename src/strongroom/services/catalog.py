"""The bundle of use-case objects a door is given; built once by bootstrap."""

from __future__ import annotations

from dataclasses import dataclass

from strongroom.services.billing import Billing
from strongroom.services.customer_profiles import CustomerProfiles
from strongroom.services.fraud import FraudFilters
from strongroom.services.leases import Leases
from strongroom.services.merchants import Merchants
from strongroom.services.outbox import OutboxDelivery
from strongroom.services.payment_profiles import PaymentProfiles
from strongroom.services.payments import Payments
from strongroom.services.ports import Clock
from strongroom.services.profile_from_transaction import ProfilesFromTransactions
from strongroom.services.profile_transactions import ProfileTransactions
from strongroom.services.receipts import Receipts
from strongroom.services.reporting import Reporting
from strongroom.services.settlement import Settlement
from strongroom.services.shipping_addresses import ShippingAddresses
from strongroom.services.split_tenders import SplitTenders
from strongroom.services.subscriptions import Subscriptions
from strongroom.services.transaction_instruments import TransactionInstruments
from strongroom.services.webhook_delivery import WebhookDelivery
from strongroom.services.webhooks import Webhooks


@dataclass(frozen=True, slots=True)
class Services:
    clock: Clock
    merchants: Merchants
    customer_profiles: CustomerProfiles
    payment_profiles: PaymentProfiles
    shipping_addresses: ShippingAddresses
    payments: Payments
    settlement: Settlement
    leases: Leases
    profile_transactions: ProfileTransactions
    profiles_from_transactions: ProfilesFromTransactions
    receipts: Receipts
    split_tenders: SplitTenders
    transaction_instruments: TransactionInstruments
    subscriptions: Subscriptions
    billing: Billing
    reporting: Reporting
    fraud_filters: FraudFilters
    webhooks: Webhooks
    webhook_delivery: WebhookDelivery
    mail_delivery: OutboxDelivery | None = None  # None: no mail server configured
