"""Payment-profile use cases: add, read, list cards expiring in a month, validate, update, delete."""

from __future__ import annotations

from dataclasses import dataclass, replace

from strongroom.domain.customers import (
    Address,
    PaymentProfile,
    PaymentProfileDraft,
    ValidationMode,
)
from strongroom.domain.errors import Duplicate, InvalidField, NotFound, ValidationDeclined
from strongroom.domain.events import EventType
from strongroom.domain.instruments import Instrument, YearMonth, parse_expiry
from strongroom.domain.merchants import Merchant
from strongroom.domain.sensitive import Secret
from strongroom.services.ports import (
    Clock,
    PaymentProfileRow,
    ProfileRow,
    UnitOfWork,
    UnitOfWorkFactory,
    Vault,
)
from strongroom.services.profiles.changes import PaymentProfileChange, merged_profile
from strongroom.services.profiles.cim_steps import (
    add_payment_profile,
    locked_profile,
    refuse_if_in_use,
    sealed_row,
)
from strongroom.services.profiles.sealing import (
    instrument_number,
    seal_payment_profile,
    unseal_payment_profile,
)
from strongroom.services.profiles.verification import ValidationInput, ValidationOutcome, Validator
from strongroom.services.webhooks.recording import record_payment_profile


@dataclass(frozen=True, slots=True)
class ExpiringPage:
    total: int
    items: tuple[PaymentProfile, ...]


def parse_month(text: str) -> YearMonth:
    """The list search month: 'YYYY-MM' (also accepts 'MM/YYYY' and 'MMYYYY' forms)."""
    try:
        return parse_expiry(text, field="month")
    except InvalidField:
        raise InvalidField("month", "The month is invalid; use YYYY-MM.") from None


class PaymentProfiles:
    """Payment profiles of customer profiles in the calling merchant's container."""

    def __init__(self, units: UnitOfWorkFactory, vault: Vault, validator: Validator, clock: Clock) -> None:
        self._units = units
        self._vault = vault
        self._validator = validator
        self._clock = clock

    def _validation_input(
        self,
        merchant: Merchant,
        profile: ProfileRow | None,
        draft: PaymentProfileDraft | PaymentProfile,
        card_code: Secret[str] | None,
        ship_to: Address | None = None,
    ) -> ValidationInput:
        return ValidationInput(
            draft.instrument,
            draft.bill_to,
            ship_to,
            card_code,
            profile.merchant_customer_id if profile else None,
            profile.email if profile else None,
            self._vault.fingerprint(merchant.key, instrument_number(draft.instrument)),
        )

    def _validate(
        self, merchant: Merchant, mode: ValidationMode, data: ValidationInput
    ) -> ValidationOutcome | None:
        outcome = self._validator.run(merchant.key, mode, data)
        if outcome is not None and not outcome.approved:
            raise ValidationDeclined(outcome)
        return outcome

    def _profile(self, merchant: Merchant, profile_ref: str) -> ProfileRow:
        with self._units(write=False) as uow:
            row = uow.profiles.profile(merchant.container_key, profile_ref)
        if row is None:
            raise NotFound("The record cannot be found.")
        return row

    def add(
        self, merchant: Merchant, profile_ref: str, draft: PaymentProfileDraft, mode: ValidationMode
    ) -> tuple[str, ValidationOutcome | None]:
        profile = self._profile(merchant, profile_ref)
        outcome = self._validate(
            merchant, mode, self._validation_input(merchant, profile, draft, draft.card_code)
        )
        row = sealed_row(self._vault, merchant, profile_ref, draft, self._clock.now(), outcome)
        with self._units() as uow:
            locked_profile(uow, merchant, profile_ref)
            ref = add_payment_profile(uow, merchant, profile_ref, row)
            if outcome is not None:
                outcome = self._validator.record(uow, merchant.key, ref, outcome)
            record_payment_profile(
                uow, merchant, EventType.PAYMENT_PROFILE_CREATED, profile_ref, ref, self._clock.now()
            )
            uow.commit()
        return ref, outcome

    def get(
        self, merchant: Merchant, profile_ref: str, ref: str, *, with_subscriptions: bool = True
    ) -> PaymentProfile:
        """One payment profile, unsealed; with the subscriptions billing it unless a caller
        that only pays with it says so (`with_subscriptions=False`: one query less)."""
        with self._units(write=False) as uow:
            row = self._row(uow, merchant, profile_ref, ref)
            subscriptions = (
                uow.subscriptions.refs_using(merchant.key, payment_profile_ref=ref)
                if with_subscriptions
                else ()
            )
        return replace(
            unseal_payment_profile(self._vault, merchant.key, row), subscription_refs=tuple(subscriptions)
        )

    def instrument_of(self, merchant: Merchant, profile_ref: str, ref: str) -> Instrument | None:
        """The card or account of one payment profile; None when it is gone."""
        try:
            return self.get(merchant, profile_ref, ref, with_subscriptions=False).instrument
        except NotFound:
            return None

    def _row(self, uow: UnitOfWork, merchant: Merchant, profile_ref: str, ref: str) -> PaymentProfileRow:
        row = uow.profiles.payment_profile(merchant.container_key, profile_ref, ref)
        if row is None:
            raise NotFound("The record cannot be found.")
        return row

    def expiring(
        self, merchant: Merchant, month: YearMonth, descending: bool, page: int, page_size: int
    ) -> ExpiringPage:
        """Card payment profiles expiring in `month`; `page` counts from 1, as the API does."""
        with self._units(write=False) as uow:
            total, rows = uow.profiles.payment_profiles_expiring(
                merchant.container_key, month, descending, (page - 1) * page_size, page_size
            )
        items = tuple(unseal_payment_profile(self._vault, merchant.key, row) for row in rows)
        return ExpiringPage(total, items)

    def validate(
        self,
        merchant: Merchant,
        profile_ref: str,
        ref: str,
        address_ref: str | None,
        card_code: Secret[str] | None,
        mode: ValidationMode,
    ) -> ValidationOutcome:
        with self._units(write=False) as uow:
            profile = uow.profiles.profile(merchant.container_key, profile_ref)
            row = self._row(uow, merchant, profile_ref, ref)
            ship_to = self._ship_to(uow, merchant, profile_ref, address_ref)
        payment_profile = unseal_payment_profile(self._vault, merchant.key, row)
        data = self._validation_input(merchant, profile, payment_profile, card_code, ship_to)
        outcome = self._validator.run(merchant.key, mode, data)
        assert outcome is not None  # mode is testMode or liveMode here
        with self._units() as uow:
            outcome = self._validator.record(uow, merchant.key, ref, outcome)
            uow.commit()
        if not outcome.approved:
            raise ValidationDeclined(outcome)
        return outcome

    def _ship_to(
        self, uow: UnitOfWork, merchant: Merchant, profile_ref: str, address_ref: str | None
    ) -> Address | None:
        if address_ref is None:
            return None
        row = uow.profiles.address(merchant.container_key, profile_ref, address_ref)
        if row is None:
            raise NotFound("The record cannot be found.")
        return row.address

    def update(
        self, merchant: Merchant, profile_ref: str, change: PaymentProfileChange, mode: ValidationMode
    ) -> ValidationOutcome | None:
        """Replace a payment profile; validation (if asked) runs on the merged values."""
        profile = self._profile(merchant, profile_ref)
        current = self.get(merchant, profile_ref, change.ref)
        merged = merged_profile(current, change)
        outcome = self._validate(
            merchant, mode, self._validation_input(merchant, profile, merged, change.card_code)
        )
        draft = PaymentProfileDraft(
            merged.instrument,
            merged.bill_to,
            merged.customer_type,
            merged.drivers_license,
            merged.tax_id,
            exclude_from_account_updater=merged.exclude_from_account_updater,
        )
        sealed = seal_payment_profile(self._vault, merchant.key, profile_ref, draft, self._clock.now())
        with self._units() as uow:
            locked_profile(uow, merchant, profile_ref)
            self._replace(uow, merchant, profile_ref, sealed, change)
            if outcome is not None:
                outcome = self._validator.record(uow, merchant.key, change.ref, outcome)
            record_payment_profile(
                uow, merchant, EventType.PAYMENT_PROFILE_UPDATED, profile_ref, change.ref, self._clock.now()
            )
            uow.commit()
        return outcome

    def _replace(
        self,
        uow: UnitOfWork,
        merchant: Merchant,
        profile_ref: str,
        row: PaymentProfileRow,
        change: PaymentProfileChange,
    ) -> None:
        container = merchant.container_key
        old = self._row(uow, merchant, profile_ref, change.ref)
        row = replace(row, created_at=old.created_at)
        duplicate = uow.profiles.duplicate_payment_profile(
            container, profile_ref, row.fingerprint, row.bill_to, excluding_ref=change.ref
        )
        if duplicate is not None:
            raise Duplicate(duplicate)
        if change.is_default:
            uow.profiles.clear_default_payment_profile(container, profile_ref)
        # card-on-file: the request may name the original transaction (its id and amount go
        # together); otherwise the old one stays, unless a new card or account starts afresh
        network_id: str | None
        if change.original_network_trans_id:
            network_id = change.original_network_trans_id
            amount = change.original_auth_amount
        elif row.fingerprint == old.fingerprint:
            network_id, amount = old.original_network_trans_id, old.original_auth_amount
        else:
            network_id, amount = None, None
        uow.profiles.replace_payment_profile(
            container,
            replace(
                row,
                ref=change.ref,
                is_default=bool(change.is_default) or old.is_default,
                original_network_trans_id=network_id,
                original_auth_amount=amount,
            ),
        )

    def delete(self, merchant: Merchant, profile_ref: str, ref: str) -> None:
        """Delete a payment profile; `InUse` while a live subscription bills it."""
        with self._units() as uow:
            locked_profile(uow, merchant, profile_ref)
            self._row(uow, merchant, profile_ref, ref)  # another tenant's ref: not found
            refuse_if_in_use(uow, payment_profile_ref=ref)
            record_payment_profile(
                uow, merchant, EventType.PAYMENT_PROFILE_DELETED, profile_ref, ref, self._clock.now()
            )
            if not uow.profiles.delete_payment_profile(merchant.container_key, profile_ref, ref):
                raise NotFound("The record cannot be found.")
            uow.commit()
