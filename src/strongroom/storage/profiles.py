"""SqlProfileRepository: customer profiles, payment profiles and addresses on one connection."""

from __future__ import annotations

from sqlalchemy import Connection

from strongroom.services.ports import ProfileRepository
from strongroom.storage.customer_profiles import SqlCustomerProfiles
from strongroom.storage.payment_profiles import SqlPaymentProfiles
from strongroom.storage.refs import RefSource, random_ref
from strongroom.storage.shipping_addresses import SqlShippingAddresses


class SqlProfileRepository(SqlCustomerProfiles, SqlPaymentProfiles, SqlShippingAddresses, ProfileRepository):
    """ProfileRepository; every statement is scoped by the caller's container key."""

    def __init__(self, connection: Connection, new_ref: RefSource = random_ref) -> None:
        self._connection = connection
        self._new_ref = new_ref
