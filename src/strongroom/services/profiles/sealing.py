"""How a payment profile is split into sealed secrets and searchable clear columns, and rebuilt."""

from __future__ import annotations

import json
from datetime import datetime

from strongroom.domain.customers import DriversLicense, PaymentProfile, PaymentProfileDraft
from strongroom.domain.instruments import (
    BankAccount,
    BankAccountType,
    Card,
    CardBrand,
    EcheckType,
    Instrument,
)
from strongroom.domain.sensitive import Secret
from strongroom.services.ports import PaymentProfileRow, Vault


def record_identity(profile_ref: str) -> str:
    """Associated data naming the customer profile a payment-profile blob belongs to."""
    return f"cim/payment-profile/{profile_ref}"


def instrument_number(instrument: Instrument) -> str:
    """The number a fingerprint is taken of: card number, or routing + account number."""
    if isinstance(instrument, Card):
        return "card:" + instrument.number.reveal()
    return f"bank:{instrument.routing_number.reveal()}:{instrument.account_number.reveal()}"


def _secrets(draft: PaymentProfileDraft) -> dict[str, str]:
    secrets: dict[str, str] = {}
    instrument = draft.instrument
    if isinstance(instrument, Card):
        secrets["card_number"] = instrument.number.reveal()
    else:
        secrets["routing_number"] = instrument.routing_number.reveal()
        secrets["account_number"] = instrument.account_number.reveal()
    if draft.drivers_license is not None:
        secrets["dl_number"] = draft.drivers_license.number.reveal()
        secrets["dl_date_of_birth"] = draft.drivers_license.date_of_birth
    if draft.tax_id is not None:
        secrets["tax_id"] = draft.tax_id.reveal()
    return secrets


def seal_payment_profile(
    vault: Vault, merchant_key: int, profile_ref: str, draft: PaymentProfileDraft, created_at: datetime
) -> PaymentProfileRow:
    """Build the storable row: secrets sealed under the merchant's data key, the rest in clear."""
    instrument = draft.instrument
    blob = vault.seal(merchant_key, record_identity(profile_ref), json.dumps(_secrets(draft)).encode())
    card = instrument if isinstance(instrument, Card) else None
    bank = instrument if isinstance(instrument, BankAccount) else None
    return PaymentProfileRow(
        ref="",
        profile_ref=profile_ref,
        kind="card" if card else "bank",
        sealed=blob,
        fingerprint=vault.fingerprint(merchant_key, instrument_number(instrument)),
        last4=instrument.last4,
        card_brand=card.brand.value if card else None,
        issuer_number=card.issuer_number if card else None,
        expiry=card.expiry if card else None,
        bank_account_type=bank.account_type.value if bank and bank.account_type else None,
        echeck_type=bank.echeck_type.value if bank and bank.echeck_type else None,
        bank_name=bank.bank_name if bank else None,
        name_on_account=bank.name_on_account if bank else None,
        bill_to=draft.bill_to,
        customer_type=draft.customer_type,
        drivers_license_state=draft.drivers_license.state if draft.drivers_license else None,
        is_default=draft.is_default,
        exclude_from_account_updater=draft.exclude_from_account_updater,
        original_network_trans_id=None,
        original_auth_amount=None,
        created_at=created_at,
    )


def unseal_payment_profile(vault: Vault, merchant_key: int, row: PaymentProfileRow) -> PaymentProfile:
    secrets: dict[str, str] = json.loads(
        vault.unseal(merchant_key, record_identity(row.profile_ref), row.sealed)
    )
    license_ = None
    if "dl_number" in secrets and row.drivers_license_state:
        license_ = DriversLicense(
            Secret(secrets["dl_number"]), row.drivers_license_state, secrets.get("dl_date_of_birth", "")
        )
    tax_id = Secret(secrets["tax_id"]) if "tax_id" in secrets else None
    return PaymentProfile(
        ref=row.ref,
        profile_ref=row.profile_ref,
        instrument=_instrument(row, secrets),
        bill_to=row.bill_to,
        customer_type=row.customer_type,
        drivers_license=license_,
        tax_id=tax_id,
        is_default=row.is_default,
        fingerprint=row.fingerprint,
        exclude_from_account_updater=row.exclude_from_account_updater,
        original_network_trans_id=row.original_network_trans_id,
        original_auth_amount=row.original_auth_amount,
    )


def _instrument(row: PaymentProfileRow, secrets: dict[str, str]) -> Instrument:
    if row.kind == "card":
        assert row.expiry is not None
        assert row.card_brand is not None
        return Card(Secret(secrets["card_number"]), row.expiry, CardBrand(row.card_brand))
    return BankAccount(
        routing_number=Secret(secrets["routing_number"]),
        account_number=Secret(secrets["account_number"]),
        name_on_account=row.name_on_account or "",
        account_type=BankAccountType(row.bank_account_type) if row.bank_account_type else None,
        echeck_type=EcheckType(row.echeck_type) if row.echeck_type else None,
        bank_name=row.bank_name,
    )
