"""Steps shared by the CIM use cases: adding payment profiles and addresses under the CIM rules."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from strongroom.domain.customers import (
    MAX_PAYMENT_PROFILES,
    MAX_SHIPPING_ADDRESSES,
    Address,
    PaymentProfileDraft,
)
from strongroom.domain.errors import Duplicate, InUse, LimitReached, NotFound
from strongroom.domain.merchants import Merchant
from strongroom.services.ports import PaymentProfileRow, ProfileRow, UnitOfWork, Vault
from strongroom.services.profiles.sealing import seal_payment_profile
from strongroom.services.profiles.verification import ValidationOutcome


def locked_profile(uow: UnitOfWork, merchant: Merchant, profile_ref: str) -> ProfileRow:
    row = uow.profiles.profile(merchant.container_key, profile_ref, lock=True)
    if row is None:
        raise NotFound("The record cannot be found.")
    return row


_IN_USE = (
    "The specified {record} is associated with an active or suspended subscription and cannot be deleted."
)


def refuse_if_in_use(
    uow: UnitOfWork,
    *,
    profile_ref: str | None = None,
    payment_profile_ref: str | None = None,
    address_ref: str | None = None,
) -> None:
    """Records a live (active or suspended) subscription bills cannot be deleted: `InUse`."""
    if (
        uow.subscriptions.live_using(
            profile_ref=profile_ref, payment_profile_ref=payment_profile_ref, address_ref=address_ref
        )
        is None
    ):
        return
    if payment_profile_ref is not None:
        raise InUse("payment_profile", _IN_USE.format(record="payment profile"))
    if address_ref is not None:
        raise InUse("shipping_address", _IN_USE.format(record="shipping profile"))
    raise InUse("customer_profile", _IN_USE.format(record="customer profile"))


def payment_profile_limit_error() -> LimitReached:
    return LimitReached(
        "payment_profile",
        MAX_PAYMENT_PROFILES,
        f"You cannot add more than {MAX_PAYMENT_PROFILES} payment profiles.",
    )


def address_limit_error() -> LimitReached:
    return LimitReached(
        "shipping_address",
        MAX_SHIPPING_ADDRESSES,
        f"You cannot add more than {MAX_SHIPPING_ADDRESSES} shipping addresses.",
    )


def sealed_row(
    vault: Vault,
    merchant: Merchant,
    profile_ref: str,
    draft: PaymentProfileDraft,
    now: datetime,
    validation: ValidationOutcome | None = None,
) -> PaymentProfileRow:
    """Seal a draft into a storable row (done before any unit of work opens: vault I/O)."""
    row = seal_payment_profile(vault, merchant.key, profile_ref, draft, now)
    network_id, amount = draft.original_network_trans_id, draft.original_auth_amount
    if validation is not None and not validation.test_mode:
        # card-on-file: a liveMode validation is the profile's original transaction
        network_id, amount = validation.result.network_trans_id, validation.amount.amount
    return replace(
        row, is_default=draft.is_default, original_network_trans_id=network_id, original_auth_amount=amount
    )


def add_payment_profile(uow: UnitOfWork, merchant: Merchant, profile_ref: str, row: PaymentProfileRow) -> str:
    """Insert one sealed payment profile (profile already locked): limit, duplicate, default."""
    container = merchant.container_key
    existing = uow.profiles.payment_profiles(container, profile_ref)
    if len(existing) >= MAX_PAYMENT_PROFILES:
        raise payment_profile_limit_error()
    duplicate = uow.profiles.duplicate_payment_profile(container, profile_ref, row.fingerprint, row.bill_to)
    if duplicate is not None:
        raise Duplicate(duplicate)
    make_default = row.is_default or not any(item.is_default for item in existing)
    if make_default:
        uow.profiles.clear_default_payment_profile(container, profile_ref)
    return uow.profiles.add_payment_profile(container, replace(row, is_default=make_default))


def add_address(
    uow: UnitOfWork, merchant: Merchant, profile_ref: str, address: Address, is_default: bool, now: datetime
) -> str:
    """Insert one shipping address (profile already locked): limit, duplicate and default rules."""
    container = merchant.container_key
    existing = uow.profiles.addresses(container, profile_ref)
    if len(existing) >= MAX_SHIPPING_ADDRESSES:
        raise address_limit_error()
    duplicate = uow.profiles.duplicate_address(container, profile_ref, address)
    if duplicate is not None:
        raise Duplicate(duplicate)
    make_default = is_default or not any(item.is_default for item in existing)
    if make_default:
        uow.profiles.clear_default_address(container, profile_ref)
    return uow.profiles.add_address(container, profile_ref, address, make_default, now)
