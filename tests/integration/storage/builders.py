"""Test data for storage tests: fixed instants, merchants, payment-profile and transaction rows."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from strongroom.domain.customers import Address, CustomerType, ProfileType
from strongroom.domain.instruments import YearMonth
from strongroom.domain.merchants import Merchant
from strongroom.domain.transactions import TransactionKind, TransactionStatus
from strongroom.services.ports import (
    PaymentProfileRow,
    TransactionRecord,
    UnitOfWork,
    UnitOfWorkFactory,
)
from strongroom.storage.refs import random_ref
from strongroom.storage.tables import PROFILE_REF_DIGITS

MAY_2030 = YearMonth(2030, 5)
NOW = datetime(2025, 3, 14, 15, 9, 26, 535000, tzinfo=UTC)

ADA = Address(
    first_name="Ada",
    last_name="Lovelace",
    company="Analytical",
    address="12 St James",
    city="London",
    state="LDN",
    zip="SW1",
    country="GB",
    phone_number="020-1111",
    fax_number="020-2222",
    email="ada@example.com",
)


def later(seconds: int) -> datetime:
    return NOW + timedelta(seconds=seconds)


def add_merchant(uow: UnitOfWork, login_id: str) -> Merchant:
    return uow.merchants.add(
        name=f"Merchant {login_id}",
        login_id=login_id,
        credential_salt=b"salt-" + login_id.encode(),
        transaction_key_digest=b"digest",
        public_client_key=f"pck-{login_id}",
        created_at=NOW,
        is_sandbox=True,
    )


def is_ref(text: str, digits: int) -> bool:
    """True for a public ref: exactly `digits` digits, no leading zero."""
    return re.fullmatch(f"[1-9][0-9]{{{digits - 1}}}", text) is not None


def new_profile_ref() -> str:
    return random_ref(PROFILE_REF_DIGITS)


def add_profile(
    uow_factory: UnitOfWorkFactory,
    container_key: int,
    merchant_customer_id: str | None = None,
    description: str | None = None,
    email: str | None = None,
    profile_type: ProfileType = ProfileType.REGULAR,
) -> str:
    """Commit a new customer profile under a fresh random ref and return the ref."""
    ref = new_profile_ref()
    with uow_factory() as uow:
        uow.profiles.add_profile(
            container_key, ref, merchant_customer_id, description, email, profile_type, NOW
        )
        uow.commit()
    return ref


def card_row(
    profile_ref: str,
    *,
    fingerprint: str = "fp-4111",
    bill_to: Address | None = ADA,
    expiry: YearMonth | None = MAY_2030,
    is_default: bool = False,
    created_at: datetime = NOW,
) -> PaymentProfileRow:
    return PaymentProfileRow(
        ref="ignored",
        profile_ref=profile_ref,
        kind="card",
        sealed=b"\x00sealed\xff",
        fingerprint=fingerprint,
        last4="1111",
        card_brand="Visa",
        issuer_number="411111",
        expiry=expiry,
        bank_account_type=None,
        echeck_type=None,
        bank_name=None,
        name_on_account=None,
        bill_to=bill_to,
        customer_type=CustomerType.INDIVIDUAL,
        drivers_license_state="CA",
        is_default=is_default,
        exclude_from_account_updater=True,
        original_network_trans_id="NTI123",
        original_auth_amount=Decimal("1234567890123.45"),
        created_at=created_at,
    )


def bank_row(
    profile_ref: str, *, fingerprint: str = "fp-bank", created_at: datetime = NOW
) -> PaymentProfileRow:
    return replace(
        card_row(profile_ref, fingerprint=fingerprint, bill_to=None, expiry=None, created_at=created_at),
        kind="bank",
        last4="6789",
        card_brand=None,
        issuer_number=None,
        bank_account_type="checking",
        echeck_type="WEB",
        bank_name="First Bank",
        name_on_account="Ada Lovelace",
        customer_type=None,
        drivers_license_state=None,
        exclude_from_account_updater=None,
        original_network_trans_id=None,
        original_auth_amount=None,
    )


def charge_record(
    merchant_key: int,
    *,
    kind: TransactionKind = TransactionKind.AUTHORIZATION,
    status: TransactionStatus = TransactionStatus.AUTHORIZED_PENDING_CAPTURE,
    amount: Decimal = Decimal("25.00"),
    duplicate_key: str = "dup-1",
    submitted_at: datetime = NOW,
    ref_trans_ref: str | None = None,
) -> TransactionRecord:
    """A card transaction with only the required fields (every optional one at its default)."""
    return TransactionRecord(
        ref="ignored",
        merchant_key=merchant_key,
        kind=kind,
        status=status,
        amount=amount,
        currency="USD",
        settle_amount=Decimal("0.00"),
        refunded=Decimal("0.00"),
        response_code=1,
        reason_code=1,
        auth_code="ABC123",
        avs_result="Y",
        card_code_result="M",
        cavv_result="2",
        payment_method="card",
        account_last4="1111",
        account_type="Visa",
        fingerprint="fp-4111",
        duplicate_key=duplicate_key,
        submitted_at=submitted_at,
        ref_trans_ref=ref_trans_ref,
    )


def add_transaction(uow_factory: UnitOfWorkFactory, record: TransactionRecord) -> str:
    """Commit `record` and return its new ref."""
    with uow_factory() as uow:
        ref = uow.transactions.add(record)
        uow.commit()
    return ref
