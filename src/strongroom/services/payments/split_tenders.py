"""updateSplitTenderGroup: close a split-tender order (completed), keep it open (held), or void
every transaction in it (voided, one `Payments.void` each).

The order's status is stored (`split_tender_orders`); `Charges` reads it, under the order's
row lock, before a new transaction may join. Voiding closes the order first, so no transaction
can join while its transactions are being voided.
"""

from __future__ import annotations

from strongroom.domain.errors import InvalidField, NotFound
from strongroom.domain.merchants import Merchant
from strongroom.domain.split_tenders import UNKNOWN_ORDER, SplitTenderStatus, update_refusal
from strongroom.domain.transactions import TransactionStatus
from strongroom.services.payments.facade import Payments
from strongroom.services.ports import Clock, UnitOfWorkFactory
from strongroom.services.transactions.requests import TransactionResult

APPROVED = 1
NEVER_MOVED_MONEY = frozenset({TransactionStatus.DECLINED, TransactionStatus.GENERAL_ERROR})


class SplitTenders:
    def __init__(self, units: UnitOfWorkFactory, payments: Payments, clock: Clock) -> None:
        self._units = units
        self._payments = payments
        self._clock = clock

    def update(
        self, merchant: Merchant, split_tender_id: str, status: SplitTenderStatus
    ) -> tuple[TransactionResult, ...]:
        """Apply `status` to the merchant's split-tender order; the void answers, if voided.

        `NotFound` for an unknown order (or another merchant's); `InvalidField` for a move the
        order's status does not allow (holding a completed order, completing a voided one).
        Voiding goes on past a transaction that cannot be voided (settled, say), then refuses
        the request naming it: the others stay voided, and the order stays closed.
        """
        order_id = self._set_status(merchant, split_tender_id, status)
        if status is not SplitTenderStatus.VOIDED:
            return ()
        with self._units(write=False) as uow:
            group = list(uow.split_tenders.group(merchant.key, order_id))
        # Declined and errored transactions moved no money: there is nothing to void.
        voidable = [ref for ref in group if self._payments.get(merchant, ref).status not in NEVER_MOVED_MONEY]
        results = tuple(self._payments.void(merchant, ref) for ref in voidable)
        refused = [
            ref for ref, result in zip(voidable, results, strict=True) if result.response_code != APPROVED
        ]
        if refused:
            raise InvalidField(
                "splitTenderStatus",
                "The split tender order could not be voided "
                f"entirely: transaction {', '.join(refused)} cannot be voided.",
            )
        return results

    def _set_status(self, merchant: Merchant, split_tender_id: str, status: SplitTenderStatus) -> str:
        """Record `status` under the order's row lock; the order's id."""
        order_id = _order_id(split_tender_id)
        with self._units() as uow:
            order = uow.split_tenders.get(merchant.key, order_id, lock=True)
            if order is None:
                raise NotFound(UNKNOWN_ORDER)
            refusal = update_refusal(order.status, status)
            if refusal is not None:
                raise InvalidField("splitTenderStatus", refusal)
            if order.status is not status:
                uow.split_tenders.set_status(merchant.key, order_id, status, self._clock.now())
                uow.commit()
        return order_id


def _order_id(split_tender_id: str) -> str:
    value = split_tender_id.strip()
    if not value.isascii() or not value.isdigit():
        raise NotFound(UNKNOWN_ORDER)
    return value
