"""Turns validated reporting requests into the reporting service's values (paging, sorting,
settlement dates, the unsettled status filter)."""

from __future__ import annotations

from datetime import datetime

from strongroom.domain.errors import MissingField
from strongroom.services.reporting.reports import (
    MAX_PAGE_SIZE,
    PageRequest,
    SettlementRange,
    TransactionSort,
    UnsettledFilter,
)
from strongroom.web.authnet.wire.tree import Node

ORDER_FIELDS = {"id": TransactionSort.ID, "submitTimeUTC": TransactionSort.SUBMITTED}


def page_request(request: Node, *, descending_by_default: bool) -> PageRequest:
    """sorting and paging (offset counts pages from 1); without sorting, submission time
    (oldest first for a batch, newest first for the others); without paging, the first 1000."""
    sorting = request.node("sorting")
    paging = request.node("paging")
    sort, descending = TransactionSort.SUBMITTED, descending_by_default
    if sorting is not None:
        sort = ORDER_FIELDS[sorting.text("orderBy") or "submitTimeUTC"]
        descending = bool(sorting.flag("orderDescending"))
    size, number = MAX_PAGE_SIZE, 1
    if paging is not None:
        size = int(paging.text("limit") or MAX_PAGE_SIZE)
        number = int(paging.text("offset") or 1)
    return PageRequest(sort, descending, size, number)


def _datetime(request: Node, name: str) -> datetime | None:
    """An xs:dateTime (already validated); without an offset it stays naive: local time."""
    text = (request.text(name) or "").strip()
    if not text:
        return None
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def settlement_range(request: Node) -> SettlementRange:
    return SettlementRange(
        _datetime(request, "firstSettlementDate"), _datetime(request, "lastSettlementDate")
    )


def unsettled_filter(request: Node) -> UnsettledFilter:
    if request.text("status") == "pendingApproval":
        return UnsettledFilter.HELD_FOR_REVIEW
    return UnsettledFilter.ANY


def required(request: Node, name: str) -> str:
    value = (request.text(name) or "").strip()
    if not value:
        raise MissingField(name, f"{name} is required.")
    return value


def optional(request: Node, name: str) -> str | None:
    value = (request.text(name) or "").strip()
    return value or None
