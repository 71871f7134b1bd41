"""Follow-ups on a stored transaction: capture of a prior authorisation, void, and refund.

Each acts in one write unit: lock the transaction, apply the domain rule, ask the processor,
then write with a compare-and-set on the status, so no action is ever applied twice. (The
processor is asked while the row is locked: right for the simulated processor; a slow real
connector would want a two-step "pending" state instead.)
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from decimal import Decimal

from strongroom.domain.errors import NotFound
from strongroom.domain.events import EventType
from strongroom.domain.merchants import Merchant
from strongroom.domain.money import Money, is_valid_amount
from strongroom.domain.transactions import (
    Action,
    Reason,
    Refusal,
    TransactionKind,
    TransactionStatus,
    capture_refusal,
    refund_refusal,
    void_refusal,
)
from strongroom.services.payments.duplicates import (
    DuplicateFields,
    duplicate_key,
    effective_window,
    window_start,
)
from strongroom.services.payments.funding import FundingSources
from strongroom.services.payments.locked import Rule, act_on_locked, update
from strongroom.services.payments.processor_calls import follow_up
from strongroom.services.ports import (
    Clock,
    FollowUpRequest,
    Outcome,
    Processor,
    ProcessorResult,
    TransactionRecord,
    UnitOfWork,
    UnitOfWorkFactory,
    Vault,
)
from strongroom.services.receipts.sending import queue_transaction_receipt
from strongroom.services.transactions.records import (
    as_of,
    details_json,
    moved,
    state_of,
    with_order,
)
from strongroom.services.transactions.requests import (
    OrderDetails,
    RefundRequest,
    Settings,
    TransactionResult,
)
from strongroom.services.transactions.results import (
    APPROVED,
    APPROVED_REASON,
    duplicate,
    from_refusal,
    processor_answer,
    reason_text,
    record_not_found,
    refused,
)
from strongroom.services.webhooks.recording import record_transaction

S = TransactionStatus


class FollowUps:
    """Capture, void and refund of the calling merchant's stored transactions."""

    def __init__(
        self,
        units: UnitOfWorkFactory,
        vault: Vault,
        processor: Processor,
        clock: Clock,
        sources: FundingSources,
    ) -> None:
        self._units = units
        self._vault = vault
        self._processor = processor
        self._clock = clock
        self._sources = sources

    def capture(
        self,
        merchant: Merchant,
        original_ref: str,
        amount: Money | None,
        order: OrderDetails,
        settings: Settings | None = None,
    ) -> TransactionResult:
        """Capture a prior authorisation, in full (amount None) or in part, once; its receipt
        is queued with it when `settings` ask for one."""
        settings = settings or Settings()
        if amount is not None and (not is_valid_amount(amount.amount) or amount.amount == 0):
            return refused(Reason.INVALID_AMOUNT)
        now = self._clock.now()

        def rule(record: TransactionRecord) -> Refusal | None:
            requested = amount.amount if amount is not None else None
            refusal = capture_refusal(state_of(record), requested, now)
            if refusal is None and record.amount == 0:
                return Refusal(Reason.INVALID_AMOUNT, "A zero-dollar authorization cannot be captured.")
            return refusal

        if settings.test_request:
            return self._test_follow_up(merchant, original_ref, now, rule)

        def act(uow: UnitOfWork, record: TransactionRecord) -> TransactionResult:
            settle = amount.amount if amount is not None else record.amount
            result = follow_up(
                self._processor.capture,
                FollowUpRequest(merchant.key, record.processor_reference, Money(settle, record.currency)),
            )
            if result.outcome is not Outcome.APPROVED:
                return processor_answer(result)
            captured = with_order(replace(moved(record, Action.CAPTURE, now), settle_amount=settle), order)
            update(uow, captured, record.status)
            queue_transaction_receipt(uow, merchant, captured, order, settings, now)
            record_transaction(uow, captured, now, EventType.PRIOR_AUTH_CAPTURE_CREATED, settle)
            return self._approved(captured, result)

        return act_on_locked(self._units, merchant.key, original_ref, now, rule, act)

    def void(self, merchant: Merchant, original_ref: str) -> TransactionResult:
        """Void an unsettled transaction; voiding a refund gives its amount back to the
        refundable balance of the transaction it credited."""
        now = self._clock.now()

        def rule(record: TransactionRecord) -> Refusal | None:
            return void_refusal(state_of(record))

        def act(uow: UnitOfWork, record: TransactionRecord) -> TransactionResult:
            reference = record.processor_reference
            # A transaction held before it was authorised never reached the processor.
            result = (
                follow_up(self._processor.void, FollowUpRequest(merchant.key, reference))
                if reference
                else ProcessorResult(Outcome.APPROVED, APPROVED_REASON)
            )
            if result.outcome is not Outcome.APPROVED:
                return processor_answer(result)
            voided = moved(record, Action.VOID, now)
            update(uow, voided, record.status)
            record_transaction(uow, voided, now, EventType.VOID_CREATED)
            if record.kind is TransactionKind.REFUND and record.ref_trans_ref is not None:
                credited = uow.transactions.get(merchant.key, record.ref_trans_ref, lock=True)
                if credited is not None:
                    update(
                        uow,
                        replace(credited, refunded=credited.refunded - record.amount, updated_at=now),
                        credited.status,
                    )
            return self._approved(voided, result)

        return act_on_locked(self._units, merchant.key, original_ref, now, rule, act)

    def refund(self, merchant: Merchant, request: RefundRequest) -> TransactionResult:
        """A linked credit against a settled transaction (unlinked credits are not enabled)."""
        if request.original_ref is None:
            return refused(
                Reason.NOT_ELIGIBLE_FOR_CREDIT,
                "Unlinked credits are not enabled for this account; a refund must "
                "reference a settled transaction.",
            )
        window = effective_window(request.settings.duplicate_window)
        amount = request.amount.amount
        if not is_valid_amount(amount) or amount == 0:
            return refused(Reason.INVALID_AMOUNT)
        try:
            last4 = self._sources.last4(merchant, request.source)
        except NotFound:
            return record_not_found()
        now = self._clock.now()
        original_ref = request.original_ref
        order = request.order

        def rule(record: TransactionRecord) -> Refusal | None:
            return refund_refusal(state_of(record), amount, last4, now)

        if request.settings.test_request:
            return self._test_follow_up(merchant, original_ref, now, rule)
        key = duplicate_key(
            self._vault,
            merchant.key,
            DuplicateFields(
                TransactionKind.REFUND.value,
                f"refund-of:{original_ref}:{last4}",
                "",
                amount,
                request.amount.currency,
                order,
                order.bill_to,
                window,
            ),
        )

        def act(uow: UnitOfWork, original: TransactionRecord) -> TransactionResult:
            if window:
                earlier = uow.transactions.find_duplicate(merchant.key, key, window_start(now, window))
                if earlier is not None:
                    return duplicate(earlier)
            result = follow_up(
                self._processor.refund,
                FollowUpRequest(merchant.key, original.processor_reference, request.amount),
            )
            if result.outcome is not Outcome.APPROVED:
                return processor_answer(result)
            refund = self._refund_record(original, request, result, key, now)
            refund = replace(refund, ref=uow.transactions.add(refund))
            update(
                uow, replace(original, refunded=original.refunded + amount, updated_at=now), original.status
            )
            queue_transaction_receipt(uow, merchant, refund, order, request.settings, now)
            record_transaction(uow, refund, now)
            return self._approved(refund, result)

        return act_on_locked(self._units, merchant.key, original_ref, now, rule, act)

    @staticmethod
    def _refund_record(
        original: TransactionRecord, request: RefundRequest, result: ProcessorResult, key: str, now: datetime
    ) -> TransactionRecord:
        order = request.order
        return TransactionRecord(
            ref="",
            merchant_key=original.merchant_key,
            kind=TransactionKind.REFUND,
            status=S.REFUND_PENDING_SETTLEMENT,
            amount=request.amount.amount,
            currency=request.amount.currency,
            settle_amount=request.amount.amount,
            refunded=Decimal("0.00"),
            response_code=APPROVED,
            reason_code=APPROVED_REASON,
            auth_code=result.auth_code,
            avs_result=result.avs_result,
            card_code_result=result.card_code_result,
            cavv_result=result.cavv_result,
            payment_method=original.payment_method,
            account_last4=original.account_last4,
            account_type=original.account_type,
            fingerprint=original.fingerprint,
            duplicate_key=key,
            submitted_at=now,
            network_trans_id=result.network_trans_id,
            processor_reference=result.processor_reference,
            ref_trans_ref=original.ref,
            customer_profile_ref=original.customer_profile_ref,
            payment_profile_ref=original.payment_profile_ref,
            invoice_number=order.invoice_number,
            description=order.description,
            po_number=order.po_number,
            details_json=details_json(order),
        )

    def _test_follow_up(self, merchant: Merchant, ref: str, now: datetime, rule: Rule) -> TransactionResult:
        """A test request on a stored transaction: the rules run, nothing moves or is stored."""
        with self._units(write=False) as uow:
            record = uow.transactions.get(merchant.key, ref)
        if record is None:
            answer = refused(Reason.NOT_FOUND)
        elif (refusal := rule(as_of(record, now))) is not None:
            answer = from_refusal(refusal, record)
        else:
            answer = processor_answer(ProcessorResult(Outcome.APPROVED, APPROVED_REASON))
        return replace(answer, test_request=True)

    @staticmethod
    def _approved(record: TransactionRecord, result: ProcessorResult) -> TransactionResult:
        return TransactionResult(
            APPROVED, APPROVED_REASON, reason_text(APPROVED_REASON), record=record, processor=result
        )
