"""updateSplitTenderGroup: close a split-tender order (completed), keep it open (held), or void
every transaction in it (voided, one `Payments.void` each)."""

from __future__ import annotations

from enum import StrEnum

from strongroom.domain.errors import InvalidField, NotFound
from strongroom.domain.merchants import Merchant
from strongroom.domain.transactions import TransactionStatus
from strongroom.services.payment_requests import TransactionResult
from strongroom.services.payments import Payments
from strongroom.services.ports import UnitOfWorkFactory

APPROVED = 1
NEVER_MOVED_MONEY = frozenset({TransactionStatus.DECLINED, TransactionStatus.GENERAL_ERROR})
GROUP_NOT_FOUND = "The specified SplitTenderID is invalid."


class SplitTenderStatus(StrEnum):
    COMPLETED = "completed"
    HELD = "held"
    VOIDED = "voided"


class SplitTenders:
    def __init__(self, units: UnitOfWorkFactory, payments: Payments) -> None:
        self._units = units
        self._payments = payments

    def update(self, merchant: Merchant, split_tender_id: str, status: SplitTenderStatus
               ) -> tuple[TransactionResult, ...]:
        """Apply `status` to the merchant's split-tender order; the void answers, if voided.

        `NotFound` for an unknown order. Voiding goes on past a transaction that cannot be
        voided (settled, say), then refuses the request naming it: the others stay voided.
        """
        group = self._group(merchant, split_tender_id)
        if status is not SplitTenderStatus.VOIDED:
            return ()
        # Declined and errored transactions moved no money: there is nothing to void.
        voidable = [ref for ref in group
                    if self._payments.get(merchant, ref).status not in NEVER_MOVED_MONEY]
        results = tuple(self._payments.void(merchant, ref) for ref in voidable)
        refused = [ref for ref, result in zip(voidable, results, strict=True)
                   if result.response_code != APPROVED]
        if refused:
            raise InvalidField("splitTenderStatus", "The split tender order could not be voided "
                               f"entirely: transaction {', '.join(refused)} cannot be voided.")
        return results

    def _group(self, merchant: Merchant, split_tender_id: str) -> list[str]:
        value = split_tender_id.strip()
        if not value.isascii() or not value.isdigit():
            raise NotFound(GROUP_NOT_FOUND)
        with self._units(write=False) as uow:
            group = list(uow.split_tenders.group(merchant.key, value))
        if not group:
            raise NotFound(GROUP_NOT_FOUND)
        return group
