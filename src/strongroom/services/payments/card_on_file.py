"""Card-on-file: how a transaction is flagged, and which original transaction it refers to.

A payment profile remembers the network transaction id and amount of its first approved
transaction (or of a liveMode validation); merchant-initiated charges on the profile (subsequent
or recurring) send them automatically. Conflicting flags are settled by the profile's state, as
the gateway does: a "first" flag on a profile that already has an original becomes a subsequent
use, and a subsequent use on a profile without one becomes the first. Flags sent with a card
(no profile) are taken as sent. Ids the caller gives explicitly win over the stored ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from strongroom.domain.customers import PaymentProfile
from strongroom.services.ports import StoredCredential
from strongroom.services.transactions.requests import CardOnFile


class CardOnFileUsage(StrEnum):
    FIRST_RECURRING = "first_recurring"  # customer-initiated, starts a recurring series
    FIRST_SUBSEQUENT = "first_subsequent"  # customer-initiated, establishes unscheduled MITs
    RECURRING = "recurring"  # merchant-initiated, part of a recurring series
    SUBSEQUENT = "subsequent"  # merchant-initiated, unscheduled or industry practice
    STORED_CREDENTIALS = "stored_credentials"  # customer-initiated with stored credentials


FIRST_USES = frozenset({CardOnFileUsage.FIRST_RECURRING, CardOnFileUsage.FIRST_SUBSEQUENT})
MERCHANT_INITIATED = frozenset({CardOnFileUsage.RECURRING, CardOnFileUsage.SUBSEQUENT})


@dataclass(frozen=True, slots=True)
class CardOnFilePlan:
    usage: CardOnFileUsage | None = None
    original_network_trans_id: str | None = None
    original_auth_amount: Decimal | None = None
    reason: str | None = None

    def stored_credential(self) -> StoredCredential | None:
        if self.usage is None:
            return None
        return StoredCredential(
            self.usage.value, self.original_network_trans_id, self.original_auth_amount, self.reason
        )


def _usage_as_sent(flags: CardOnFile, recurring_billing: bool) -> CardOnFileUsage | None:
    if flags.is_first_recurring_payment:
        return CardOnFileUsage.FIRST_RECURRING
    if flags.is_first_subsequent_auth:
        return CardOnFileUsage.FIRST_SUBSEQUENT
    if recurring_billing:
        return CardOnFileUsage.RECURRING
    if flags.is_subsequent_auth:
        return CardOnFileUsage.SUBSEQUENT
    if flags.is_stored_credentials:
        return CardOnFileUsage.STORED_CREDENTIALS
    return None


def _usage_for_profile(
    flags: CardOnFile, recurring_billing: bool, has_original: bool
) -> CardOnFileUsage | None:
    recurring = bool(flags.is_first_recurring_payment) or recurring_billing
    subsequent = bool(flags.is_first_subsequent_auth or flags.is_subsequent_auth)
    if recurring:
        return CardOnFileUsage.RECURRING if has_original else CardOnFileUsage.FIRST_RECURRING
    if subsequent:
        return CardOnFileUsage.SUBSEQUENT if has_original else CardOnFileUsage.FIRST_SUBSEQUENT
    if flags.is_stored_credentials:
        return CardOnFileUsage.STORED_CREDENTIALS
    return None


def plan_card_on_file(
    flags: CardOnFile, recurring_billing: bool, profile: PaymentProfile | None
) -> CardOnFilePlan:
    """Flag a transaction; `profile` is the stored payment profile it is paid with, if any."""
    given_id = flags.original_network_trans_id or None
    if profile is None:
        usage = _usage_as_sent(flags, recurring_billing)
        network_id, amount = given_id, flags.original_auth_amount if given_id else None
    else:
        stored_id = profile.original_network_trans_id
        usage = _usage_for_profile(flags, recurring_billing, bool(given_id or stored_id))
        if given_id:
            network_id, amount = given_id, flags.original_auth_amount
        else:
            network_id, amount = stored_id, profile.original_auth_amount
    if usage is None or usage not in MERCHANT_INITIATED:
        return CardOnFilePlan(usage)
    return CardOnFilePlan(usage, network_id, amount if network_id else None, flags.reason)
