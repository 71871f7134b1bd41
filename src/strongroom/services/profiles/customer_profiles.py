"""Customer-profile use cases: create (with nested records), read, list ids, update, delete."""

from __future__ import annotations

from dataclasses import dataclass, replace

from strongroom.domain.customers import (
    MAX_PAYMENT_PROFILES,
    MAX_SHIPPING_ADDRESSES,
    CustomerProfile,
    ProfileDraft,
    ProfileType,
    ShippingAddress,
    ValidationMode,
)
from strongroom.domain.errors import (
    Duplicate,
    MissingField,
    NotFound,
    NothingToChange,
    ValidationDeclined,
)
from strongroom.domain.events import EventType
from strongroom.domain.merchants import Merchant
from strongroom.services.ports import (
    Clock,
    PaymentProfileRow,
    ProfileRow,
    RefTaken,
    UnitOfWork,
    UnitOfWorkFactory,
    Vault,
)
from strongroom.services.profiles.cim_steps import (
    add_address,
    add_payment_profile,
    address_limit_error,
    payment_profile_limit_error,
    refuse_if_in_use,
    sealed_row,
)
from strongroom.services.profiles.sealing import instrument_number, unseal_payment_profile
from strongroom.services.profiles.verification import (
    ValidationInput,
    ValidationOutcome,
    Validator,
)
from strongroom.services.refs import REF_ATTEMPTS, new_profile_ref
from strongroom.services.webhooks.recording import record_customer, record_profile_created


@dataclass(frozen=True, slots=True)
class CreatedProfile:
    profile_ref: str
    payment_profile_refs: tuple[str, ...]
    address_refs: tuple[str, ...]
    validations: tuple[ValidationOutcome, ...]


@dataclass(frozen=True, slots=True)
class ProfileLookup:
    profile_ref: str | None = None
    merchant_customer_id: str | None = None
    email: str | None = None


def require_identity(merchant_customer_id: str | None, description: str | None, email: str | None) -> None:
    if not any((merchant_customer_id, description, email)):
        raise NothingToChange(
            "One or more fields in the profile must contain a value: "
            "merchantCustomerId, description or email."
        )


class CustomerProfiles:
    """Customer profiles of one vault; every call is scoped to the calling merchant's container."""

    def __init__(self, units: UnitOfWorkFactory, vault: Vault, validator: Validator, clock: Clock) -> None:
        self._units = units
        self._vault = vault
        self._validator = validator
        self._clock = clock

    def create(self, merchant: Merchant, draft: ProfileDraft, mode: ValidationMode) -> CreatedProfile:
        """Create a profile with its payment profiles and addresses, all or nothing."""
        require_identity(draft.merchant_customer_id, draft.description, draft.email)
        if len(draft.payment_profiles) > MAX_PAYMENT_PROFILES:
            raise payment_profile_limit_error()
        if len(draft.ship_to) > MAX_SHIPPING_ADDRESSES:
            raise address_limit_error()
        validations = self._validate_all(merchant, draft, mode)
        for _ in range(REF_ATTEMPTS):
            ref = new_profile_ref()
            # Sealing needs the profile ref (it is bound into each blob) and happens before
            # the unit of work opens: vault I/O never runs while a database lock is held.
            rows = [
                sealed_row(self._vault, merchant, ref, item, self._clock.now(), outcome)
                for item, outcome in zip(draft.payment_profiles, validations, strict=True)
            ]
            try:
                with self._units() as uow:
                    created = self._insert(uow, merchant, ref, draft, rows, validations)
                    uow.commit()
            except RefTaken:
                continue
            return created
        raise RuntimeError("could not find a free customer profile id")

    def _validate_all(
        self, merchant: Merchant, draft: ProfileDraft, mode: ValidationMode
    ) -> list[ValidationOutcome | None]:
        outcomes: list[ValidationOutcome | None] = []
        for item in draft.payment_profiles:
            data = ValidationInput(
                item.instrument,
                item.bill_to,
                None,
                item.card_code,
                draft.merchant_customer_id,
                draft.email,
                self._vault.fingerprint(merchant.key, instrument_number(item.instrument)),
            )
            outcome = self._validator.run(merchant.key, mode, data)
            if outcome is not None and not outcome.approved:
                raise ValidationDeclined(outcome)
            outcomes.append(outcome)
        return outcomes

    def _insert(
        self,
        uow: UnitOfWork,
        merchant: Merchant,
        ref: str,
        draft: ProfileDraft,
        rows: list[PaymentProfileRow],
        validations: list[ValidationOutcome | None],
    ) -> CreatedProfile:
        container = merchant.container_key
        uow.profiles.lock_container(container)
        duplicate = uow.profiles.duplicate_profile(
            container, draft.merchant_customer_id, draft.description, draft.email
        )
        if duplicate is not None:
            raise Duplicate(duplicate)
        now = self._clock.now()
        uow.profiles.add_profile(
            container,
            ref,
            draft.merchant_customer_id,
            draft.description,
            draft.email,
            draft.profile_type,
            now,
        )
        uow.profiles.profile(container, ref, lock=True)
        payment_refs: list[str] = []
        recorded: list[ValidationOutcome] = []
        for row, outcome in zip(rows, validations, strict=True):
            pp_ref = add_payment_profile(uow, merchant, ref, row)
            payment_refs.append(pp_ref)
            if outcome is not None:
                recorded.append(self._validator.record(uow, merchant.key, pp_ref, outcome))
        address_refs = [add_address(uow, merchant, ref, address, False, now) for address in draft.ship_to]
        record_profile_created(uow, merchant, ref, payment_refs, now)
        return CreatedProfile(ref, tuple(payment_refs), tuple(address_refs), tuple(recorded))

    def get(self, merchant: Merchant, lookup: ProfileLookup) -> CustomerProfile:
        container = merchant.container_key
        with self._units(write=False) as uow:
            row = self._find(uow, merchant, lookup)
            payment_rows = uow.profiles.payment_profiles(container, row.ref)
            address_rows = uow.profiles.addresses(container, row.ref)
            subscriptions = uow.subscriptions.refs_using(merchant.key, profile_ref=row.ref)
            billing = {
                item.ref: tuple(uow.subscriptions.refs_using(merchant.key, payment_profile_ref=item.ref))
                for item in payment_rows
            }
        payment_profiles = tuple(
            replace(
                unseal_payment_profile(self._vault, merchant.key, item), subscription_refs=billing[item.ref]
            )
            for item in payment_rows
        )
        addresses = tuple(
            ShippingAddress(item.ref, row.ref, item.address, item.is_default) for item in address_rows
        )
        return CustomerProfile(
            row.ref,
            row.merchant_customer_id,
            row.description,
            row.email,
            row.profile_type,
            payment_profiles,
            addresses,
            tuple(subscriptions),
        )

    def _find(self, uow: UnitOfWork, merchant: Merchant, lookup: ProfileLookup) -> ProfileRow:
        container = merchant.container_key
        if lookup.profile_ref is not None:
            row = uow.profiles.profile(container, lookup.profile_ref)
        elif lookup.merchant_customer_id is not None:
            row = uow.profiles.profile_by_merchant_customer_id(container, lookup.merchant_customer_id)
        elif lookup.email is not None:
            row = uow.profiles.profile_by_email(container, lookup.email)
        else:
            raise MissingField(
                "customerProfileId", "customerProfileId, merchantCustomerId or email is required."
            )
        if row is None:
            raise NotFound("The record cannot be found.")
        return row

    def ids(self, merchant: Merchant) -> list[str]:
        with self._units(write=False) as uow:
            return list(uow.profiles.profile_refs(merchant.container_key))

    def update(
        self,
        merchant: Merchant,
        profile_ref: str,
        merchant_customer_id: str | None,
        description: str | None,
        email: str | None,
        profile_type: ProfileType | None,
    ) -> None:
        """Replace the profile's own fields; omitted fields are cleared, as the API documents."""
        require_identity(merchant_customer_id, description, email)
        container = merchant.container_key
        with self._units() as uow:
            uow.profiles.lock_container(container)
            if uow.profiles.profile(container, profile_ref, lock=True) is None:
                raise NotFound("The record cannot be found.")
            duplicate = uow.profiles.duplicate_profile(
                container, merchant_customer_id, description, email, excluding_ref=profile_ref
            )
            if duplicate is not None:
                raise Duplicate(duplicate)
            uow.profiles.update_profile(
                container, profile_ref, merchant_customer_id, description, email, profile_type
            )
            record_customer(uow, merchant, EventType.CUSTOMER_UPDATED, profile_ref, self._clock.now())
            uow.commit()

    def delete(self, merchant: Merchant, profile_ref: str) -> None:
        """Delete a profile with its records; `InUse` while a live subscription bills it."""
        container = merchant.container_key
        with self._units() as uow:
            if uow.profiles.profile(container, profile_ref, lock=True) is None:
                raise NotFound("The record cannot be found.")
            refuse_if_in_use(uow, profile_ref=profile_ref)
            record_customer(uow, merchant, EventType.CUSTOMER_DELETED, profile_ref, self._clock.now())
            if not uow.profiles.delete_profile(container, profile_ref):
                raise NotFound("The record cannot be found.")
            uow.commit()
