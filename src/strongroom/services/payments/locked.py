"""Acting on one stored transaction under its row lock: expire it if due, apply a rule, act,
and write with a compare-and-set on the status (follow-ups and fraud reviews share this)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from strongroom.domain.transactions import Action, Reason, Refusal, TransactionStatus, is_expired
from strongroom.services.ports import TransactionRecord, UnitOfWork, UnitOfWorkFactory
from strongroom.services.transactions.records import as_of, moved, state_of
from strongroom.services.transactions.requests import TransactionResult
from strongroom.services.transactions.results import from_refusal, refused

Rule = Callable[[TransactionRecord], Refusal | None]
Act = Callable[[UnitOfWork, TransactionRecord], TransactionResult]


class Conflict(Exception):
    """A compare-and-set found the row changed: the unit is rolled back and the caller is
    answered from the state another writer left."""


def update(uow: UnitOfWork, record: TransactionRecord, expected: TransactionStatus) -> None:
    """Write `record` if its row still has status `expected`; `Conflict` otherwise."""
    if not uow.transactions.update(record, expected_status=expected):
        raise Conflict


def act_on_locked(
    units: UnitOfWorkFactory, merchant_key: int, ref: str, now: datetime, rule: Rule, act: Act
) -> TransactionResult:
    """Lock the transaction, expire it if due, apply `rule`, then `act` if allowed; all in one
    write unit. A lost compare-and-set is answered by `rule` on the current state."""
    try:
        with units() as uow:
            record = uow.transactions.get(merchant_key, ref, lock=True)
            if record is None:
                return refused(Reason.NOT_FOUND)
            if is_expired(state_of(record), now):
                expired = moved(record, Action.EXPIRE, now)
                update(uow, expired, record.status)
                record = expired
            refusal = rule(record)
            answer = from_refusal(refusal, record) if refusal is not None else act(uow, record)
            uow.commit()
            return answer
    except Conflict:
        pass
    with units(write=False) as uow:
        current = uow.transactions.get(merchant_key, ref)
    if current is None:
        return refused(Reason.NOT_FOUND)
    current = as_of(current, now)
    refusal = rule(current)
    if refusal is None:
        return refused(Reason.PROCESSING_ERROR)
    return from_refusal(refusal, current)
