"""The bundle of use-case objects a door is given; built once by bootstrap."""

from __future__ import annotations

from dataclasses import dataclass

from strongroom.services.customer_profiles import CustomerProfiles
from strongroom.services.merchants import Merchants
from strongroom.services.payment_profiles import PaymentProfiles
from strongroom.services.payments import Payments
from strongroom.services.ports import Clock
from strongroom.services.shipping_addresses import ShippingAddresses


@dataclass(frozen=True, slots=True)
class Services:
    clock: Clock
    merchants: Merchants
    customer_profiles: CustomerProfiles
    payment_profiles: PaymentProfiles
    shipping_addresses: ShippingAddresses
    payments: Payments
