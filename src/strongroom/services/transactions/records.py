"""Stored transactions as the rules see them, their moves through the state machine, and the
order details kept with them (JSON text: reporting only, never a secret)."""

from __future__ import annotations

import json
from dataclasses import fields, is_dataclass, replace
from datetime import datetime
from typing import Any

from strongroom.domain.transactions import (
    Action,
    TransactionState,
    TransactionStatus,
    is_expired,
    next_status,
)
from strongroom.services.ports import TransactionRecord
from strongroom.services.transactions.requests import OrderDetails


def state_of(record: TransactionRecord) -> TransactionState:
    return TransactionState(
        record.kind,
        record.status,
        record.amount,
        record.settle_amount,
        record.refunded,
        record.submitted_at,
        record.settled_at,
        record.account_last4,
    )


def moved(record: TransactionRecord, action: Action, now: datetime) -> TransactionRecord:
    """`record` after `action`; only called once the rules allowed it."""
    status = next_status(record.status, action)
    if status is None:
        raise ValueError(f"{action} is not allowed from {record.status}")
    return replace(record, status=status, updated_at=now)


def as_of(record: TransactionRecord, now: datetime) -> TransactionRecord:
    """The record as it stands at `now`: an authorisation past its lifetime reads as expired."""
    if is_expired(state_of(record), now):
        return replace(record, status=TransactionStatus.EXPIRED)
    return record


def details_json(order: OrderDetails, **extra: Any) -> str:
    """Order details for reporting; `extra` adds facts that are not part of the request."""
    details = {
        item.name: _plain(value)
        for item in fields(order)
        if (value := getattr(order, item.name)) not in (None, (), [])
    }
    details.update({key: value for key, value in extra.items() if value is not None})
    return json.dumps(details, default=str, sort_keys=True)


def _plain(value: Any) -> Any:
    """`dataclasses.asdict` of one value, without walking the fields that are left empty."""
    if is_dataclass(value) and not isinstance(value, type):
        return {item.name: _plain(getattr(value, item.name)) for item in fields(value)}
    if isinstance(value, list | tuple):
        return type(value)(_plain(item) for item in value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def with_order(record: TransactionRecord, order: OrderDetails) -> TransactionRecord:
    """Order details re-submitted with a capture replace the stored ones; an empty order
    leaves them as they were."""
    if order == OrderDetails():
        return record
    return replace(
        record,
        invoice_number=order.invoice_number or record.invoice_number,
        description=order.description or record.description,
        po_number=order.po_number or record.po_number,
        details_json=_merged(record.details_json, order),
    )


def _merged(stored: str, order: OrderDetails) -> str:
    details: dict[str, Any] = json.loads(stored or "{}")
    resubmitted: dict[str, Any] = json.loads(details_json(order))
    details.update(resubmitted)
    return json.dumps(details, default=str, sort_keys=True)
