"""A thin client over the transaction reporting calls (official SDK controllers), and the moves
reporting tests need: settling a merchant's batches by moving the live server's clock, and
arranging transactions the door cannot make yet (held for review, subscription payments)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from authorizenet import apicontractsv1 as contracts
from authorizenet import apicontrollers as controllers
from sqlalchemy import update

from strongroom.domain.transactions import TransactionStatus
from strongroom.services.ports import TransactionRecord
from strongroom.storage import create_engine_for
from strongroom.storage.engine import transaction
from strongroom.storage.tables import transactions
from tests.api.builders import items, text
from tests.api.live_server import LiveServer
from tests.api.raw import merchant_of
from tests.api.sdk import ApiMerchant, MerchantClient
from tests.api.stored_rows import unit


@dataclass(frozen=True)
class Reports(MerchantClient):
    """One merchant's reporting calls through the SDK controllers."""

    def settled_batches(
        self,
        first: datetime | None = None,
        last: datetime | None = None,
        statistics: bool | None = None,
        ref_id: str | None = None,
    ) -> Any:
        request = contracts.getSettledBatchListRequest()
        if statistics is not None:
            request.includeStatistics = statistics
        if first is not None:
            request.firstSettlementDate = first
        if last is not None:
            request.lastSettlementDate = last
        return self.send(controllers.getSettledBatchListController, request, ref_id)

    def batch_statistics(self, batch_id: str) -> Any:
        request = contracts.getBatchStatisticsRequest()
        request.batchId = batch_id
        return self.send(controllers.getBatchStatisticsController, request)

    def transaction_list(self, batch_id: str, **page: Any) -> Any:
        request = contracts.getTransactionListRequest()
        request.batchId = batch_id
        _page(request, **page)
        return self.send(controllers.getTransactionListController, request)

    def unsettled(self, status: str | None = None, **page: Any) -> Any:
        request = contracts.getUnsettledTransactionListRequest()
        if status is not None:
            request.status = status
        _page(request, **page)
        return self.send(controllers.getUnsettledTransactionListController, request)

    def for_customer(self, profile_id: str, payment_profile_id: str | None = None, **page: Any) -> Any:
        request = contracts.getTransactionListForCustomerRequest()
        request.customerProfileId = profile_id
        if payment_profile_id is not None:
            request.customerPaymentProfileId = payment_profile_id
        _page(request, **page)
        return self.send(controllers.getTransactionListForCustomerController, request)

    def details(self, trans_id: str, ref_id: str | None = None) -> Any:
        request = contracts.getTransactionDetailsRequest()
        request.transId = trans_id
        return self.send(controllers.getTransactionDetailsController, request, ref_id)

    def transaction(self, trans_id: str) -> Any:
        """The `transaction` of an Ok getTransactionDetails answer."""
        response = self.details(trans_id)
        assert str(response.messages.resultCode) == "Ok", text(response, "messages", "message", "text")
        return response.transaction

    def merchant_details(self) -> Any:
        return self.send(controllers.getMerchantDetailsController, contracts.getMerchantDetailsRequest())


def _page(
    request: Any,
    order_by: str | None = None,
    descending: bool | None = None,
    limit: int | None = None,
    offset: int | None = None,
) -> None:
    if order_by is not None:
        request.sorting = contracts.TransactionListSorting()
        request.sorting.orderBy = order_by
        request.sorting.orderDescending = bool(descending)
    if limit is not None:
        request.paging = contracts.Paging()
        request.paging.limit = limit
        request.paging.offset = offset or 1


def trans_ids(response: Any) -> list[str]:
    return [text(item, "transId") or "" for item in items(response, "transactions", "transaction")]


def batch_ids(response: Any) -> list[str]:
    return [text(item, "batchId") or "" for item in items(response, "batchList", "batch")]


def settle(server: LiveServer, merchant: ApiMerchant) -> datetime:
    """Move the server's clock just past the merchant's next cut-off and run settlement;
    returns that cut-off (the batches' settlement time)."""
    settlement = server.application.services.settlement
    rule = settlement.rule(merchant_of(server, merchant))
    now = server.clock.now()
    cutoff = rule.next(now)
    server.clock.advance(cutoff - now + timedelta(minutes=1))
    settlement.close_batches(server.clock.now())
    return cutoff


def store_as(server: LiveServer, trans_id: str, **columns: Any) -> None:
    """Rewrite stored columns of a transaction the door made, as features the door does not
    have yet would have stored them (fraud holds, subscription payments)."""
    values = {
        name: value.value if isinstance(value, TransactionStatus) else value
        for name, value in columns.items()
    }
    engine = create_engine_for(server.settings.database_url)
    try:
        with transaction(engine, write=True) as connection:
            done = connection.execute(
                update(transactions).where(transactions.c.ref == trans_id).values(**values)
            )
            assert done.rowcount == 1
    finally:
        engine.dispose()


def stored(server: LiveServer, merchant: ApiMerchant, trans_id: str) -> TransactionRecord:
    with unit(server) as uow:
        record = uow.transactions.get(merchant_of(server, merchant).key, trans_id)
    assert record is not None
    return record
