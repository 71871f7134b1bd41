"""The bundle of use-case objects a door is given; built once by bootstrap."""

from __future__ import annotations

from dataclasses import dataclass

from strongroom.services.fraud_filters import FraudFilters
from strongroom.services.leases import Leases
from strongroom.services.merchants import Merchants
from strongroom.services.payments.facade import Payments
from strongroom.services.payments.profile_from_transaction import ProfilesFromTransactions
from strongroom.services.payments.profile_transactions import ProfileTransactions
from strongroom.services.payments.split_tenders import SplitTenders
from strongroom.services.ports import Clock
from strongroom.services.profiles.customer_profiles import CustomerProfiles
from strongroom.services.profiles.payment_profiles import PaymentProfiles
from strongroom.services.profiles.shipping_addresses import ShippingAddresses
from strongroom.services.receipts.outbox import OutboxDelivery
from strongroom.services.receipts.sending import Receipts
from strongroom.services.reporting.reports import Reporting
from strongroom.services.settlement import Settlement
from strongroom.services.subscriptions.billing import Billing
from strongroom.services.subscriptions.lifecycle import Subscriptions
from strongroom.services.transactions.instruments import TransactionInstruments
from strongroom.services.webhooks.delivery import WebhookDelivery
from strongroom.services.webhooks.management import Webhooks


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
