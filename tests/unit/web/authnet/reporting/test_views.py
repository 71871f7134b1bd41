"""The Authorize.Net names reports use for our statuses, kinds and markets, and their times."""

from __future__ import annotations

from datetime import UTC, datetime

from strongroom.domain.batches import BatchState
from strongroom.domain.transactions import TransactionKind, TransactionStatus
from strongroom.services.reporting.details import DetailFacts
from strongroom.web.authnet.reporting.messages import TRANSACTION_DETAILS
from strongroom.web.authnet.reporting.views import (
    SETTLEMENT_STATES,
    TRANSACTION_STATUSES,
    TRANSACTION_TYPES,
    local_time,
    market,
    utc_time,
)
from strongroom.web.authnet.wire.schema import Field
from tests.shared_spec import shared_dir

SCHEMA_STATUSES = {
    "authorizedPendingCapture",
    "capturedPendingSettlement",
    "communicationError",
    "refundSettledSuccessfully",
    "refundPendingSettlement",
    "approvedReview",
    "declined",
    "couldNotVoid",
    "expired",
    "generalError",
    "pendingFinalSettlement",
    "pendingSettlement",
    "failedReview",
    "settledSuccessfully",
    "settlementError",
    "underReview",
    "updatingSettlement",
    "voided",
    "FDSPendingReview",
    "FDSAuthorizedPendingReview",
    "returnedItem",
    "chargeback",
    "chargebackReversal",
    "authorizedPendingRelease",
}


def test_every_status_kind_and_batch_state_has_its_wire_name() -> None:
    assert set(TRANSACTION_STATUSES) == set(TransactionStatus)
    assert set(TRANSACTION_STATUSES.values()) <= SCHEMA_STATUSES
    assert len(set(TRANSACTION_STATUSES.values())) == len(TransactionStatus)
    assert set(TRANSACTION_TYPES) == set(TransactionKind)
    assert set(SETTLEMENT_STATES) == set(BatchState)


def test_times_are_utc_with_z_and_local_without_offset() -> None:
    instant = datetime(2026, 7, 1, 17, 49, 20, 757_999, tzinfo=UTC)

    assert utc_time(instant) == "2026-07-01T17:49:20.757Z"
    assert local_time(instant, "America/Los_Angeles") == "2026-07-01T10:49:20.757"


def test_markets_follow_what_the_transaction_said() -> None:
    assert market(DetailFacts()) == ("eCommerce", "Card Not Present")
    assert market(DetailFacts(market_type="1")) == ("MOTO", "Card Not Present")
    assert market(DetailFacts(market_type="2")) == ("Retail", "Card Present")
    assert market(DetailFacts(card_present=True)) == ("Retail", "Card Present")


def test_transaction_details_follow_the_outline_order() -> None:
    outline = (shared_dir() / "reference" / "AnetApiSchema-outline.txt").read_text()
    section = outline.split("### transactionDetailsType\n", 1)[1].split("\n\n", 1)[0]
    names = [
        line.strip().split(":")[0]
        for line in section.splitlines()
        if line.startswith("  ") and not line.startswith("    ")
    ]

    assert [field.name for field in TRANSACTION_DETAILS.particles if isinstance(field, Field)] == names
    assert all(isinstance(field, Field) for field in TRANSACTION_DETAILS.particles)
