"""The card or bank account of an approved charge, kept sealed so the transaction can later
become a customer profile (createCustomerProfileFromTransaction).

Transactions themselves keep no number (last four and a fingerprint only). A charge seals its
instrument under the merchant's data key *before* its unit of work opens (vault I/O never runs
inside one) and keeps the blob, in the same unit as the transaction, only when the charge was
approved or held for review (a held charge is authorised with it once the merchant
approves). The blob is bound to a random ref of its own row, chosen before sealing.

A charge funded by a stored payment profile keeps no copy: its transaction names the payment
profile, whose card or account is recalled instead (`StoredInstrument`, as the profile holds it
now).

Instruments are kept for a retention period only (STRONGROOM_INSTRUMENT_RETENTION_DAYS): past
it they can no longer be recalled, and a scheduled job (`purge`) deletes them.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from strongroom.domain.instruments import (
    BankAccount,
    BankAccountType,
    Card,
    CardBrand,
    EcheckType,
    Instrument,
    YearMonth,
)
from strongroom.domain.merchants import Merchant
from strongroom.domain.sensitive import Secret
from strongroom.domain.transactions import TransactionStatus
from strongroom.services.ports import (
    Clock,
    SealedInstrumentRow,
    TransactionRecord,
    UnitOfWork,
    UnitOfWorkFactory,
    Vault,
)

# Approved or held for review (a hold is authorised when approved): declines and errors never.
KEPT_RESPONSE_CODES = frozenset({1, 4})
# A hold not yet authorised is authorised with its kept instrument when the merchant approves.
AWAITING_REVIEW = frozenset({TransactionStatus.HELD_FOR_REVIEW})
CARD, BANK = "card", "bank"

StoredInstrument = Callable[[Merchant, str, str], Instrument | None]
"""The instrument of a merchant's payment profile (profile ref, payment profile ref), or None."""


def _no_stored_instrument(_merchant: Merchant, _profile_ref: str, _ref: str) -> Instrument | None:
    return None


def instrument_identity(ref: str) -> str:
    """Associated data naming the row a transaction-instrument blob belongs to."""
    return f"transaction/instrument/{ref}"


@dataclass(frozen=True, slots=True)
class SealedInstrument:
    """An instrument sealed ahead of its transaction's unit of work."""

    ref: str
    kind: str
    sealed: bytes = field(repr=False)


def _plain(instrument: Instrument) -> dict[str, str | None]:
    if isinstance(instrument, Card):
        return {
            "number": instrument.number.reveal(),
            "expiry": str(instrument.expiry),
            "brand": instrument.brand.value,
        }
    return {
        "routing": instrument.routing_number.reveal(),
        "account": instrument.account_number.reveal(),
        "name": instrument.name_on_account,
        "account_type": instrument.account_type.value if instrument.account_type else None,
        "echeck_type": instrument.echeck_type.value if instrument.echeck_type else None,
        "bank_name": instrument.bank_name,
    }


def _instrument(kind: str, plain: dict[str, str | None]) -> Instrument:
    def need(name: str) -> str:
        value = plain.get(name)
        assert value is not None, name
        return value

    if kind == CARD:
        return Card(Secret(need("number")), YearMonth.parse_iso(need("expiry")), CardBrand(need("brand")))
    account_type, echeck_type = plain.get("account_type"), plain.get("echeck_type")
    return BankAccount(
        routing_number=Secret(need("routing")),
        account_number=Secret(need("account")),
        name_on_account=plain.get("name") or "",
        account_type=BankAccountType(account_type) if account_type else None,
        echeck_type=EcheckType(echeck_type) if echeck_type else None,
        bank_name=plain.get("bank_name"),
    )


def seal_instrument(vault: Vault, merchant: Merchant, instrument: Instrument) -> SealedInstrument:
    """Seal a charge's instrument; called before the charge's unit of work opens."""
    ref = secrets.token_hex(16)
    plaintext = json.dumps(_plain(instrument)).encode()
    blob = vault.seal(merchant.key, instrument_identity(ref), plaintext)
    return SealedInstrument(ref, CARD if isinstance(instrument, Card) else BANK, blob)


def keep_instrument(
    uow: UnitOfWork, sealed: SealedInstrument | None, record: TransactionRecord, now: datetime
) -> None:
    """Inside the charge's unit, once the transaction is added: keep an approved one's."""
    if sealed is None or not record.ref or record.response_code not in KEPT_RESPONSE_CODES:
        return
    uow.instruments.add(
        SealedInstrumentRow(sealed.ref, record.merchant_key, record.ref, sealed.kind, sealed.sealed, now)
    )


class TransactionInstruments:
    """Recalls the instruments kept for stored transactions, for `retention` after each
    transaction, and purges older ones."""

    def __init__(
        self,
        units: UnitOfWorkFactory,
        vault: Vault,
        clock: Clock,
        retention: timedelta,
        stored: StoredInstrument = _no_stored_instrument,
    ) -> None:
        if retention <= timedelta(0):
            raise ValueError("the instrument retention must be positive")
        self._units = units
        self._vault = vault
        self._clock = clock
        self.retention = retention
        self._stored = stored

    def recall(
        self, merchant: Merchant, transaction_ref: str, *, awaiting_review: bool = False
    ) -> Instrument | None:
        """The instrument kept for one of the merchant's transactions; None when none was kept
        or it is past the retention period (purged, or about to be). A transaction held for
        review (`awaiting_review`) keeps its instrument past retention until it is reviewed."""
        with self._units(write=False) as uow:
            row = uow.instruments.get(merchant.key, transaction_ref)
            record = uow.transactions.get(merchant.key, transaction_ref) if row is None else None
        if row is None:
            return self._of_payment_profile(merchant, record, awaiting_review)
        if not awaiting_review and row.created_at is not None and self.past_retention(row.created_at):
            return None
        plain = json.loads(self._vault.unseal(merchant.key, instrument_identity(row.ref), row.sealed))
        return _instrument(row.kind, plain)

    def _of_payment_profile(
        self, merchant: Merchant, record: TransactionRecord | None, awaiting_review: bool
    ) -> Instrument | None:
        """A profile-funded transaction's instrument, within the same retention period."""
        if record is None or record.customer_profile_ref is None or record.payment_profile_ref is None:
            return None
        if record.response_code not in KEPT_RESPONSE_CODES:
            return None
        if not awaiting_review and self.past_retention(record.submitted_at):
            return None
        return self._stored(merchant, record.customer_profile_ref, record.payment_profile_ref)

    def past_retention(self, kept_at: datetime) -> bool:
        """Whether something kept at `kept_at` is no longer kept now."""
        return kept_at < self._clock.now() - self.retention

    def purge(self) -> int:
        """Delete every instrument past the retention period; how many were deleted."""
        with self._units() as uow:
            deleted = uow.instruments.purge(self._clock.now() - self.retention, AWAITING_REVIEW)
            uow.commit()
        return deleted
