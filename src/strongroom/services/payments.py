"""Payment use cases: charge (authorise and capture, authorise only, capture only), capture of
a prior authorisation, void, refund, and reading a transaction.

Rules that decide before the processor is asked (amount, auth code, card code, expiry, stored
profile, duplicate window) answer with response code 3 and store nothing. Whatever the
processor answers is stored, declines and errors included. Capture, void and refund act on a
stored transaction in one write unit: lock it, apply the domain rule, ask the processor, then
write with a compare-and-set on the status, so no action is ever applied twice.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from decimal import Decimal

from strongroom.domain.customers import (
    CustomerType,
    PaymentProfileDraft,
    ProfileDraft,
    ValidationMode,
)
from strongroom.domain.errors import InvalidField, NotFound, StrongroomError
from strongroom.domain.instruments import Card, card_code_valid
from strongroom.domain.merchants import Merchant
from strongroom.domain.money import CENT, Money
from strongroom.domain.transactions import (
    Action,
    Reason,
    Refusal,
    TransactionKind,
    TransactionStatus,
    capture_refusal,
    is_expired,
    refund_refusal,
    void_refusal,
)
from strongroom.services.card_on_file import CardOnFilePlan, plan_card_on_file
from strongroom.services.customer_profiles import CustomerProfiles
from strongroom.services.duplicates import (
    DuplicateFields,
    duplicate_key,
    effective_window,
    window_start,
)
from strongroom.services.payment_profiles import PaymentProfiles
from strongroom.services.payment_requests import (
    CardSource,
    ChargeRequest,
    CreatedProfileRefs,
    OrderDetails,
    RefundRequest,
    TransactionResult,
)
from strongroom.services.payment_results import (
    APPROVED,
    APPROVED_REASON,
    DECLINED_REASON,
    HELD,
    PARTIALLY_APPROVED_REASON,
    RESPONSE_CODES,
    duplicate,
    from_refusal,
    processor_answer,
    reason_text,
    record_not_found,
    refused,
)
from strongroom.services.payment_sources import Funding, FundingSources
from strongroom.services.ports import (
    AuthorizationRequest,
    Clock,
    FollowUpRequest,
    Outcome,
    Processor,
    ProcessorResult,
    ProcessorUnavailable,
    TransactionRecord,
    UnitOfWork,
    UnitOfWorkFactory,
    Vault,
)
from strongroom.services.shipping_addresses import ShippingAddresses
from strongroom.services.transaction_records import (
    as_of,
    details_json,
    moved,
    state_of,
    with_order,
)

CHARGE_KINDS = frozenset({TransactionKind.CHARGE, TransactionKind.AUTHORIZATION,
                          TransactionKind.CAPTURE_ONLY})
MAX_AUTH_CODE_LENGTH = 6
SPLIT_TENDER_DIGITS = 10

S = TransactionStatus
Rule = Callable[[TransactionRecord], Refusal | None]
Act = Callable[[UnitOfWork, TransactionRecord], TransactionResult]


class _Conflict(Exception):
    """A compare-and-set found the row changed: the unit is rolled back and the caller is
    answered from the state another writer left."""


def _valid_amount(amount: Decimal) -> bool:
    return amount.is_finite() and amount >= 0 and amount == amount.quantize(CENT)


def _attempt_reference() -> str:
    return "txn_" + secrets.token_hex(16)


def _split_tender_id() -> str:
    low = 10 ** (SPLIT_TENDER_DIGITS - 1)
    return str(low + secrets.randbelow(9 * low))


def _customer_type(text: str | None) -> CustomerType | None:
    try:
        return CustomerType(text) if text else None
    except ValueError:
        return None


def _approved_status(kind: TransactionKind) -> TransactionStatus:
    if kind is TransactionKind.AUTHORIZATION:
        return S.AUTHORIZED_PENDING_CAPTURE
    return S.CAPTURED_PENDING_SETTLEMENT


def _status(kind: TransactionKind, outcome: Outcome) -> TransactionStatus:
    if outcome is Outcome.APPROVED:
        return _approved_status(kind)
    if outcome is Outcome.HELD:
        return (S.AUTHORIZED_HELD_FOR_REVIEW if kind is TransactionKind.AUTHORIZATION
                else S.HELD_FOR_REVIEW)
    return S.DECLINED if outcome is Outcome.DECLINED else S.GENERAL_ERROR


class Payments:
    """Payment transactions of one gateway; every call is scoped to the calling merchant."""

    def __init__(self, units: UnitOfWorkFactory, vault: Vault, processor: Processor,
                 clock: Clock, customer_profiles: CustomerProfiles,
                 payment_profiles: PaymentProfiles) -> None:
        self._units = units
        self._vault = vault
        self._processor = processor
        self._clock = clock
        self._customer_profiles = customer_profiles
        self._sources = FundingSources(vault, payment_profiles, ShippingAddresses(units, clock))

    # ------------------------------------------------------------------- charge

    def charge(self, merchant: Merchant, request: ChargeRequest) -> TransactionResult:
        """authCapture, authOnly or captureOnly of an amount on a card, account or profile."""
        if request.kind not in CHARGE_KINDS:
            raise InvalidField("transactionType", f"{request.kind} is not a charge.")
        window = effective_window(request.settings.duplicate_window)
        if not _valid_amount(request.amount.amount):
            return refused(Reason.INVALID_AMOUNT)
        order = request.order
        try:
            funding = self._sources.resolve(merchant, request.source, order.bill_to,
                                            order.ship_to)
        except NotFound:
            return record_not_found()
        now = self._clock.now()
        refusal = self._charge_refusal(request, funding, now)
        if refusal is not None:
            return refused(refusal.reason_code, refusal.message)
        plan = plan_card_on_file(request.card_on_file, request.settings.recurring_billing,
                                 funding.profile)
        authorization = AuthorizationRequest(
            merchant_key=merchant.key, reference=_attempt_reference(), amount=request.amount,
            instrument=funding.instrument, card_code=funding.card_code, bill_to=funding.bill_to,
            capture=request.kind is not TransactionKind.AUTHORIZATION,
            test_mode=request.settings.test_request, stored_credential=plan.stored_credential())
        if request.settings.test_request:
            return processor_answer(self._authorize(request, authorization), test_request=True)
        key = duplicate_key(self._vault, merchant.key, DuplicateFields(
            request.kind.value, funding.fingerprint, funding.expiry, request.amount.amount,
            request.amount.currency, order, funding.bill_to, window))
        with self._units() as uow:
            if window:
                earlier = uow.transactions.find_duplicate(merchant.key, key,
                                                          window_start(now, window))
                if earlier is not None:
                    return duplicate(as_of(earlier, now))
            result = self._authorize(request, authorization)
            record = self._charge_record(merchant, request, funding, plan, result, key, now)
            record = replace(record, ref=uow.transactions.add(record))
            if result.outcome is Outcome.APPROVED:
                self._remember_original(uow, merchant, funding, record)
            uow.commit()
        answer = processor_answer(result, record)
        if request.create_profile and answer.response_code == APPROVED and funding.profile is None:
            return self._create_profile(merchant, request, funding, record, answer)
        return answer

    def _charge_refusal(self, request: ChargeRequest, funding: Funding, now: datetime
                        ) -> Refusal | None:
        amount = request.amount.amount
        if amount == 0 and not (request.kind is TransactionKind.AUTHORIZATION
                                and funding.is_card):
            return Refusal(Reason.INVALID_AMOUNT, "A valid amount is required; zero-dollar "
                                                  "amounts are for card authorizations only.")
        if request.kind is TransactionKind.CAPTURE_ONLY:
            code = (request.auth_code or "").strip()
            if not code:
                return Refusal(Reason.AUTH_CODE_REQUIRED, "authCode cannot be left blank.")
            if len(code) > MAX_AUTH_CODE_LENGTH:
                return Refusal(Reason.AUTH_CODE_REQUIRED,
                               f"authCode must be 1 to {MAX_AUTH_CODE_LENGTH} characters.")
        if funding.card_code is not None and not card_code_valid(funding.card_code.reveal()):
            return Refusal(Reason.CARD_CODE_INVALID, "The card code is invalid.")
        instrument = funding.instrument
        if isinstance(instrument, Card) and instrument.has_expired(now):
            return Refusal(Reason.CARD_EXPIRED, "The credit card has expired.")
        return None

    def _authorize(self, request: ChargeRequest, authorization: AuthorizationRequest
                   ) -> ProcessorResult:
        """Ask the processor; a partial approval the merchant does not accept is reversed at
        once and answered as a decline. A capture-only keeps the auth code it came with."""
        try:
            result = self._processor.authorize(authorization)
        except ProcessorUnavailable:
            return ProcessorResult(Outcome.ERROR, Reason.PROCESSING_ERROR)
        if result.outcome is not Outcome.APPROVED:
            return result
        if self._is_partial(request, result) and not request.settings.allow_partial_auth:
            self._follow_up(self._processor.void, FollowUpRequest(
                authorization.merchant_key, result.processor_reference))
            return replace(result, outcome=Outcome.DECLINED, reason_code=DECLINED_REASON,
                           auth_code="", network_trans_id=None)
        if request.kind is TransactionKind.CAPTURE_ONLY and request.auth_code:
            return replace(result, auth_code=request.auth_code.strip())
        return result

    @staticmethod
    def _is_partial(request: ChargeRequest, result: ProcessorResult) -> bool:
        approved = result.approved_amount
        return (result.outcome is Outcome.APPROVED and approved is not None
                and approved < request.amount.amount)

    def _charge_record(self, merchant: Merchant, request: ChargeRequest, funding: Funding,
                       plan: CardOnFilePlan, result: ProcessorResult, key: str, now: datetime
                       ) -> TransactionRecord:
        amount = request.amount.amount
        partial = self._is_partial(request, result)
        if partial:
            assert result.approved_amount is not None
            amount = result.approved_amount
        status = _status(request.kind, result.outcome)
        response = RESPONSE_CODES[result.outcome]
        reason = result.reason_code
        if partial:
            response, reason = HELD, PARTIALLY_APPROVED_REASON
        elif result.outcome is Outcome.APPROVED:
            reason = APPROVED_REASON
        moves_money = result.outcome in (Outcome.APPROVED, Outcome.HELD)
        settles = moves_money and request.kind is not TransactionKind.AUTHORIZATION
        split_tender = request.split_tender_id or (_split_tender_id() if partial else None)
        profile = funding.profile
        order = replace(request.order, bill_to=funding.bill_to, ship_to=funding.ship_to)
        return TransactionRecord(
            ref="", merchant_key=merchant.key, kind=request.kind, status=status, amount=amount,
            currency=request.amount.currency,
            settle_amount=amount if settles else Decimal("0.00"), refunded=Decimal("0.00"),
            response_code=response, reason_code=reason,
            auth_code=result.auth_code if moves_money else "", avs_result=result.avs_result,
            card_code_result=result.card_code_result, cavv_result=result.cavv_result,
            payment_method=funding.payment_method, account_last4=funding.instrument.last4,
            account_type=funding.account_type, fingerprint=funding.fingerprint,
            duplicate_key=key, submitted_at=now,
            network_trans_id=result.network_trans_id if moves_money else None,
            original_network_trans_id=plan.original_network_trans_id,
            original_auth_amount=plan.original_auth_amount,
            processor_reference=result.processor_reference, split_tender_id=split_tender,
            customer_profile_ref=profile.profile_ref if profile else None,
            payment_profile_ref=profile.ref if profile else None,
            shipping_address_ref=funding.shipping_address_ref,
            invoice_number=order.invoice_number, description=order.description,
            po_number=order.po_number,
            card_on_file=plan.usage.value if plan.usage else None,
            details_json=details_json(
                order, expiry=funding.expiry or None,
                requested_amount=request.amount.amount if partial else None,
                card_present=request.source.card_present
                if isinstance(request.source, CardSource) and request.source.card_present
                else None,
                subsequent_auth_reason=plan.reason),
        )

    def _remember_original(self, uow: UnitOfWork, merchant: Merchant, funding: Funding,
                           record: TransactionRecord) -> None:
        """The first approved transaction of a payment profile becomes its card-on-file
        original (read again under the profile's lock: concurrent firsts leave one winner)."""
        profile = funding.profile
        if profile is None or record.network_trans_id is None:
            return
        container = merchant.container_key
        if uow.profiles.profile(container, profile.profile_ref, lock=True) is None:
            return
        row = uow.profiles.payment_profile(container, profile.profile_ref, profile.ref)
        if row is None or row.original_network_trans_id is not None:
            return
        uow.profiles.replace_payment_profile(container, replace(
            row, original_network_trans_id=record.network_trans_id,
            original_auth_amount=record.amount))

    def _create_profile(self, merchant: Merchant, request: ChargeRequest, funding: Funding,
                        record: TransactionRecord, answer: TransactionResult
                        ) -> TransactionResult:
        """createProfile: store the card or account of an approved charge as a new customer
        profile; a refusal (duplicate, no identity) is reported beside the payment."""
        order = request.order
        customer = order.customer
        draft = ProfileDraft(
            merchant_customer_id=customer.id if customer else None,
            description=order.description, email=customer.email if customer else None,
            payment_profiles=(PaymentProfileDraft(
                funding.instrument, bill_to=order.bill_to,
                customer_type=_customer_type(customer.type if customer else None),
                original_network_trans_id=record.network_trans_id,
                original_auth_amount=record.amount if record.network_trans_id else None),),
            ship_to=(order.ship_to,) if order.ship_to and not order.ship_to.is_empty() else ())
        try:
            created = self._customer_profiles.create(merchant, draft, ValidationMode.NONE)
        except StrongroomError as error:
            return replace(answer, profile_error=error.message)
        return replace(answer, created_profile=CreatedProfileRefs(
            created.profile_ref, next(iter(created.payment_profile_refs), None),
            next(iter(created.address_refs), None)))

    # ------------------------------------------------------------------- follow-ups

    def capture(self, merchant: Merchant, original_ref: str, amount: Money | None,
                order: OrderDetails) -> TransactionResult:
        """Capture a prior authorisation, in full (amount None) or in part, once."""
        if amount is not None and (not _valid_amount(amount.amount) or amount.amount == 0):
            return refused(Reason.INVALID_AMOUNT)
        now = self._clock.now()

        def rule(record: TransactionRecord) -> Refusal | None:
            requested = amount.amount if amount is not None else None
            refusal = capture_refusal(state_of(record), requested, now)
            if refusal is None and record.amount == 0:
                return Refusal(Reason.INVALID_AMOUNT, "A zero-dollar authorization cannot be "
                                                      "captured.")
            return refusal

        def act(uow: UnitOfWork, record: TransactionRecord) -> TransactionResult:
            settle = amount.amount if amount is not None else record.amount
            result = self._follow_up(self._processor.capture, FollowUpRequest(
                merchant.key, record.processor_reference, Money(settle, record.currency)))
            if result.outcome is not Outcome.APPROVED:
                return processor_answer(result)
            captured = with_order(replace(moved(record, Action.CAPTURE, now),
                                          settle_amount=settle), order)
            self._update(uow, captured, record.status)
            return self._approved(captured, result)

        return self._on_locked(merchant, original_ref, now, rule, act)

    def void(self, merchant: Merchant, original_ref: str) -> TransactionResult:
        """Void an unsettled transaction; voiding a refund gives its amount back to the
        refundable balance of the transaction it credited."""
        now = self._clock.now()

        def rule(record: TransactionRecord) -> Refusal | None:
            return void_refusal(state_of(record))

        def act(uow: UnitOfWork, record: TransactionRecord) -> TransactionResult:
            result = self._follow_up(self._processor.void, FollowUpRequest(
                merchant.key, record.processor_reference))
            if result.outcome is not Outcome.APPROVED:
                return processor_answer(result)
            voided = moved(record, Action.VOID, now)
            self._update(uow, voided, record.status)
            if record.kind is TransactionKind.REFUND and record.ref_trans_ref is not None:
                credited = uow.transactions.get(merchant.key, record.ref_trans_ref, lock=True)
                if credited is not None:
                    self._update(uow, replace(credited, refunded=credited.refunded - record.amount,
                                              updated_at=now), credited.status)
            return self._approved(voided, result)

        return self._on_locked(merchant, original_ref, now, rule, act)

    def refund(self, merchant: Merchant, request: RefundRequest) -> TransactionResult:
        """A linked credit against a settled transaction (unlinked credits are not enabled)."""
        if request.original_ref is None:
            return refused(Reason.NOT_ELIGIBLE_FOR_CREDIT,
                           "Unlinked credits are not enabled for this account; a refund must "
                           "reference a settled transaction.")
        window = effective_window(request.settings.duplicate_window)
        amount = request.amount.amount
        if not _valid_amount(amount) or amount == 0:
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
        key = duplicate_key(self._vault, merchant.key, DuplicateFields(
            TransactionKind.REFUND.value, f"refund-of:{original_ref}:{last4}", "", amount,
            request.amount.currency, order, order.bill_to, window))

        def act(uow: UnitOfWork, original: TransactionRecord) -> TransactionResult:
            if window:
                earlier = uow.transactions.find_duplicate(merchant.key, key,
                                                          window_start(now, window))
                if earlier is not None:
                    return duplicate(earlier)
            result = self._follow_up(self._processor.refund, FollowUpRequest(
                merchant.key, original.processor_reference, request.amount))
            if result.outcome is not Outcome.APPROVED:
                return processor_answer(result)
            refund = self._refund_record(original, request, result, key, now)
            refund = replace(refund, ref=uow.transactions.add(refund))
            self._update(uow, replace(original, refunded=original.refunded + amount,
                                      updated_at=now), original.status)
            return self._approved(refund, result)

        return self._on_locked(merchant, original_ref, now, rule, act)

    @staticmethod
    def _refund_record(original: TransactionRecord, request: RefundRequest,
                       result: ProcessorResult, key: str, now: datetime) -> TransactionRecord:
        order = request.order
        return TransactionRecord(
            ref="", merchant_key=original.merchant_key, kind=TransactionKind.REFUND,
            status=S.REFUND_PENDING_SETTLEMENT, amount=request.amount.amount,
            currency=request.amount.currency, settle_amount=request.amount.amount,
            refunded=Decimal("0.00"), response_code=APPROVED, reason_code=APPROVED_REASON,
            auth_code=result.auth_code, avs_result=result.avs_result,
            card_code_result=result.card_code_result, cavv_result=result.cavv_result,
            payment_method=original.payment_method, account_last4=original.account_last4,
            account_type=original.account_type, fingerprint=original.fingerprint,
            duplicate_key=key, submitted_at=now, network_trans_id=result.network_trans_id,
            processor_reference=result.processor_reference, ref_trans_ref=original.ref,
            customer_profile_ref=original.customer_profile_ref,
            payment_profile_ref=original.payment_profile_ref,
            invoice_number=order.invoice_number, description=order.description,
            po_number=order.po_number, details_json=details_json(order))

    # ------------------------------------------------------------------- reading

    def get(self, merchant: Merchant, ref: str) -> TransactionRecord:
        """One of the merchant's transactions as it stands now; `NotFound` otherwise."""
        with self._units(write=False) as uow:
            record = uow.transactions.get(merchant.key, ref)
        if record is None:
            raise NotFound("The transaction cannot be found.")
        return as_of(record, self._clock.now())

    # ------------------------------------------------------------------- internals

    def _on_locked(self, merchant: Merchant, ref: str, now: datetime, rule: Rule, act: Act
                   ) -> TransactionResult:
        """Lock the transaction, expire it if due, apply `rule`, then `act` if allowed; all in
        one write unit. A lost compare-and-set is answered by `rule` on the current state."""
        try:
            with self._units() as uow:
                record = uow.transactions.get(merchant.key, ref, lock=True)
                if record is None:
                    return refused(Reason.NOT_FOUND)
                if is_expired(state_of(record), now):
                    expired = moved(record, Action.EXPIRE, now)
                    self._update(uow, expired, record.status)
                    record = expired
                refusal = rule(record)
                answer = from_refusal(refusal, record) if refusal is not None else act(uow, record)
                uow.commit()
                return answer
        except _Conflict:
            pass
        with self._units(write=False) as uow:
            current = uow.transactions.get(merchant.key, ref)
        if current is None:
            return refused(Reason.NOT_FOUND)
        current = as_of(current, now)
        refusal = rule(current)
        if refusal is None:
            return refused(Reason.PROCESSING_ERROR)
        return from_refusal(refusal, current)

    def _test_follow_up(self, merchant: Merchant, ref: str, now: datetime, rule: Rule
                        ) -> TransactionResult:
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
    def _update(uow: UnitOfWork, record: TransactionRecord, expected: TransactionStatus) -> None:
        if not uow.transactions.update(record, expected_status=expected):
            raise _Conflict

    @staticmethod
    def _follow_up(call: Callable[[FollowUpRequest], ProcessorResult], request: FollowUpRequest
                   ) -> ProcessorResult:
        try:
            return call(request)
        except ProcessorUnavailable:
            return ProcessorResult(Outcome.ERROR, Reason.PROCESSING_ERROR)

    @staticmethod
    def _approved(record: TransactionRecord, result: ProcessorResult) -> TransactionResult:
        return TransactionResult(APPROVED, APPROVED_REASON, reason_text(APPROVED_REASON),
                                 record=record, processor=result)
