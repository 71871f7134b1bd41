"""Shipping-address use cases: add, read, replace and delete the addresses of a customer profile."""

from __future__ import annotations

from strongroom.domain.customers import Address, ShippingAddress
from strongroom.domain.errors import Duplicate, NotFound
from strongroom.domain.merchants import Merchant
from strongroom.services.ports import AddressRow, Clock, UnitOfWorkFactory
from strongroom.services.profiles.cim_steps import add_address, locked_profile, refuse_if_in_use


class ShippingAddresses:
    """Shipping addresses of customer profiles in the calling merchant's container."""

    def __init__(self, units: UnitOfWorkFactory, clock: Clock) -> None:
        self._units = units
        self._clock = clock

    def add(self, merchant: Merchant, profile_ref: str, address: Address, is_default: bool) -> str:
        with self._units() as uow:
            locked_profile(uow, merchant, profile_ref)
            ref = add_address(uow, merchant, profile_ref, address, is_default, self._clock.now())
            uow.commit()
        return ref

    def get(self, merchant: Merchant, profile_ref: str, ref: str) -> ShippingAddress:
        with self._units(write=False) as uow:
            row = uow.profiles.address(merchant.container_key, profile_ref, ref)
            subscriptions = uow.subscriptions.refs_using(merchant.key, address_ref=ref)
        if row is None:
            raise NotFound("The record cannot be found.")
        return ShippingAddress(row.ref, row.profile_ref, row.address, row.is_default, tuple(subscriptions))

    def replace(
        self, merchant: Merchant, profile_ref: str, ref: str, address: Address, is_default: bool | None
    ) -> None:
        """Replace every field of the address (omitted fields are cleared)."""
        container = merchant.container_key
        with self._units() as uow:
            locked_profile(uow, merchant, profile_ref)
            old = uow.profiles.address(container, profile_ref, ref)
            if old is None:
                raise NotFound("The record cannot be found.")
            duplicate = uow.profiles.duplicate_address(container, profile_ref, address, excluding_ref=ref)
            if duplicate is not None:
                raise Duplicate(duplicate)
            if is_default:
                uow.profiles.clear_default_address(container, profile_ref)
            uow.profiles.replace_address(
                container,
                AddressRow(ref, profile_ref, address, bool(is_default) or old.is_default, old.created_at),
            )
            uow.commit()

    def delete(self, merchant: Merchant, profile_ref: str, ref: str) -> None:
        """Delete an address; `InUse` while a live subscription ships to it."""
        with self._units() as uow:
            locked_profile(uow, merchant, profile_ref)
            if uow.profiles.address(merchant.container_key, profile_ref, ref) is None:
                raise NotFound("The record cannot be found.")  # another tenant's ref too
            refuse_if_in_use(uow, address_ref=ref)
            if not uow.profiles.delete_address(merchant.container_key, profile_ref, ref):
                raise NotFound("The record cannot be found.")
            uow.commit()
