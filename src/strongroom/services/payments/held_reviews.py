"""Review of transactions the fraud filters held: approve or decline (updateHeldTransaction).

A transaction held before authorising (reason 252, `HELD_FOR_REVIEW`) is authorised when
approved, with the card or account kept sealed for it, and captured too unless it was an
authorisation only; a decline stores it as declined without asking the processor. A
transaction authorised and held (253, `AUTHORIZED_HELD_FOR_REVIEW`) is simply released when
approved; declining it voids the authorisation first. Approved, a transaction goes where its
request was headed: an authorisation waits for its capture, the rest settle at the next
cut-off. Each review runs in one write unit: lock the row, expire it if its review time is
over, ask the processor, write with a compare-and-set on the status. An unreachable processor
leaves the transaction held. The outcome's webhook event (fraud.approved, or fraud.declined —
also when the processor declines an approved hold) is recorded in the same unit.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from strongroom.domain.events import EventType
from strongroom.domain.instruments import Instrument
from strongroom.domain.merchants import Merchant
from strongroom.domain.money import Money
from strongroom.domain.transactions import (
    Action,
    Reason,
    TransactionKind,
    TransactionStatus,
    approved_status,
    review_refusal,
)
from strongroom.services.payments.locked import act_on_locked, update
from strongroom.services.payments.processor_calls import follow_up
from strongroom.services.ports import (
    AuthorizationRequest,
    Clock,
    FollowUpRequest,
    Outcome,
    Processor,
    ProcessorResult,
    ProcessorUnavailable,
    StoredCredential,
    TransactionRecord,
    UnitOfWork,
    UnitOfWorkFactory,
)
from strongroom.services.transactions.instruments import TransactionInstruments
from strongroom.services.transactions.records import moved, state_of
from strongroom.services.transactions.requests import TransactionResult
from strongroom.services.transactions.results import (
    APPROVED,
    APPROVED_REASON,
    DECLINED,
    DECLINED_REASON,
    processor_answer,
    reason_text,
    refused,
)
from strongroom.services.transactions.stored_orders import stored_order
from strongroom.services.webhooks.recording import record_fraud

S = TransactionStatus


class ReviewDecision(StrEnum):
    APPROVE = "approve"
    DECLINE = "decline"


class HeldTransactions:
    """Approve or decline the calling merchant's transactions held for review."""

    def __init__(
        self,
        units: UnitOfWorkFactory,
        instruments: TransactionInstruments,
        processor: Processor,
        clock: Clock,
    ) -> None:
        self._units = units
        self._processor = processor
        self._clock = clock
        self._instruments = instruments

    def review(self, merchant: Merchant, ref: str, decision: ReviewDecision) -> TransactionResult:
        """Approve or decline one held transaction; anything else is refused (reason 16)."""
        now = self._clock.now()
        instrument = self._instrument_of(merchant, ref) if decision is ReviewDecision.APPROVE else None

        def act(uow: UnitOfWork, record: TransactionRecord) -> TransactionResult:
            if decision is ReviewDecision.DECLINE:
                return self._decline(uow, merchant, record, now)
            return self._approve(uow, merchant, record, instrument, now)

        return act_on_locked(
            self._units, merchant.key, ref, now, lambda record: review_refusal(state_of(record)), act
        )

    def _instrument_of(self, merchant: Merchant, ref: str) -> Instrument | None:
        """The card or account a hold will be authorised with (unsealed before any write unit:
        vault I/O never runs inside one); only a hold not yet authorised needs it."""
        with self._units(write=False) as uow:
            record = uow.transactions.get(merchant.key, ref)
        if record is None or record.status is not S.HELD_FOR_REVIEW:
            return None
        return self._instruments.recall(merchant, ref, awaiting_review=True)

    def _approve(
        self,
        uow: UnitOfWork,
        merchant: Merchant,
        record: TransactionRecord,
        instrument: Instrument | None,
        now: datetime,
    ) -> TransactionResult:
        if record.status is S.AUTHORIZED_HELD_FOR_REVIEW:
            released = replace(
                record,
                status=approved_status(record.kind),
                response_code=APPROVED,
                reason_code=APPROVED_REASON,
                updated_at=now,
            )
            update(uow, released, record.status)
            record_fraud(uow, released, EventType.FRAUD_APPROVED, now)
            return TransactionResult(APPROVED, APPROVED_REASON, reason_text(APPROVED_REASON), record=released)
        if instrument is None:
            return refused(
                Reason.PROCESSING_ERROR,
                "The payment details of this held transaction are not available to authorise it.",
            )
        result = self._authorize(merchant, record, instrument)
        if result.outcome is Outcome.ERROR:
            return processor_answer(result)  # still held: the merchant may try again
        authorised = (
            _approved(record, result, now)
            if result.outcome is Outcome.APPROVED
            else _declined(record, result.reason_code, now, result)
        )
        update(uow, authorised, record.status)
        # Approved by the merchant but declined by the processor: the transaction ends declined.
        record_fraud(
            uow,
            authorised,
            EventType.FRAUD_APPROVED if result.outcome is Outcome.APPROVED else EventType.FRAUD_DECLINED,
            now,
        )
        return processor_answer(result, authorised)

    def _authorize(
        self, merchant: Merchant, record: TransactionRecord, instrument: Instrument
    ) -> ProcessorResult:
        """Authorise (and capture, unless it is an authOnly) the held amount now. A partial
        approval is reversed: nobody asked for one."""
        details: dict[str, Any] = json.loads(record.details_json or "{}")
        request = AuthorizationRequest(
            merchant_key=merchant.key,
            reference="txn_" + secrets.token_hex(16),
            amount=Money(record.amount, record.currency),
            instrument=instrument,
            bill_to=stored_order(record).bill_to,
            capture=record.kind is not TransactionKind.AUTHORIZATION,
            stored_credential=_stored_credential(record, details),
        )
        try:
            result = self._processor.authorize(request)
        except ProcessorUnavailable:
            return ProcessorResult(Outcome.ERROR, Reason.PROCESSING_ERROR)
        approved = result.approved_amount
        if result.outcome is Outcome.APPROVED and approved is not None and approved < record.amount:
            follow_up(self._processor.void, FollowUpRequest(merchant.key, result.processor_reference))
            return replace(
                result,
                outcome=Outcome.DECLINED,
                reason_code=DECLINED_REASON,
                auth_code="",
                network_trans_id=None,
            )
        return result

    def _decline(
        self, uow: UnitOfWork, merchant: Merchant, record: TransactionRecord, now: datetime
    ) -> TransactionResult:
        if record.status is S.AUTHORIZED_HELD_FOR_REVIEW and record.processor_reference:
            result = follow_up(
                self._processor.void, FollowUpRequest(merchant.key, record.processor_reference)
            )
            if result.outcome is not Outcome.APPROVED:
                return processor_answer(result)  # the authorisation stands: still held
        declined = _declined(record, Reason.DECLINED_AFTER_REVIEW, now)
        update(uow, declined, record.status)
        record_fraud(uow, declined, EventType.FRAUD_DECLINED, now)
        return TransactionResult(
            DECLINED,
            Reason.DECLINED_AFTER_REVIEW,
            reason_text(Reason.DECLINED_AFTER_REVIEW, DECLINED),
            record=declined,
        )


def _approved(record: TransactionRecord, result: ProcessorResult, now: datetime) -> TransactionRecord:
    return replace(
        record,
        status=approved_status(record.kind),
        response_code=APPROVED,
        reason_code=APPROVED_REASON,
        auth_code=result.auth_code,
        avs_result=result.avs_result,
        card_code_result=result.card_code_result,
        cavv_result=result.cavv_result,
        network_trans_id=result.network_trans_id,
        processor_reference=result.processor_reference,
        updated_at=now,
    )


def _declined(
    record: TransactionRecord, reason_code: int, now: datetime, result: ProcessorResult | None = None
) -> TransactionRecord:
    declined = replace(
        moved(record, Action.DECLINE_REVIEW, now),
        response_code=DECLINED,
        reason_code=reason_code,
        auth_code="",
        settle_amount=Decimal("0.00"),
        network_trans_id=None,
    )
    if result is None:
        return declined
    return replace(
        declined,
        avs_result=result.avs_result,
        card_code_result=result.card_code_result,
        cavv_result=result.cavv_result,
    )


def _stored_credential(record: TransactionRecord, details: dict[str, Any]) -> StoredCredential | None:
    """The card-on-file flags of the original charge, for its authorisation now."""
    if record.card_on_file is None:
        return None
    reason = details.get("subsequent_auth_reason")
    return StoredCredential(
        record.card_on_file,
        record.original_network_trans_id,
        record.original_auth_amount,
        reason if isinstance(reason, str) else None,
    )
