"""Charges: authorise and capture, authorise only, or capture only an amount on a card, bank
account or stored profile; optionally store the card as a new customer profile.

Rules that decide before the processor is asked (amount, auth code, card code, expiry, stored
profile, duplicate window) answer with response code 3 and store nothing. Whatever the
processor answers is stored, declines and errors included. The merchant's fraud filters
(`services.fraud_filters`) screen each charge in its write unit: they may decline it or hold it for
review without asking the processor, or hold the processor's approval.
"""

from __future__ import annotations

import secrets
from dataclasses import replace
from datetime import datetime

from strongroom.domain.card_authentication import check
from strongroom.domain.customers import (
    CustomerType,
    PaymentProfileDraft,
    ProfileDraft,
    ValidationMode,
)
from strongroom.domain.errors import InvalidField, NotFound, StrongroomError
from strongroom.domain.events import EventType
from strongroom.domain.fraud import ChargeFacts, canonical_ip
from strongroom.domain.instruments import Card, card_code_valid
from strongroom.domain.merchants import Merchant
from strongroom.domain.money import is_valid_amount
from strongroom.domain.split_tenders import joining_refusal
from strongroom.domain.transactions import (
    Reason,
    Refusal,
    TransactionKind,
)
from strongroom.services.fraud_filters import screen_charge
from strongroom.services.payments.card_on_file import plan_card_on_file
from strongroom.services.payments.charge_hooks import ChargeHook
from strongroom.services.payments.charge_records import (
    authentication_for,
    charge_record,
    entry_mode,
    is_partial,
)
from strongroom.services.payments.duplicates import (
    DuplicateFields,
    duplicate_key,
    effective_window,
    window_start,
)
from strongroom.services.payments.funding import Funding, FundingSources
from strongroom.services.payments.processor_calls import follow_up
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
from strongroom.services.profiles.customer_profiles import CustomerProfiles
from strongroom.services.receipts.sending import queue_transaction_receipt
from strongroom.services.transactions.instruments import keep_instrument, seal_instrument
from strongroom.services.transactions.records import (
    as_of,
)
from strongroom.services.transactions.requests import (
    ChargeRequest,
    CreatedProfileRefs,
    TransactionResult,
    auth_code_refusal,
)
from strongroom.services.transactions.results import (
    APPROVED,
    DECLINED_REASON,
    duplicate,
    processor_answer,
    record_not_found,
    refused,
)
from strongroom.services.webhooks.recording import record_fraud, record_transaction

CHARGE_KINDS = frozenset(
    {TransactionKind.CHARGE, TransactionKind.AUTHORIZATION, TransactionKind.CAPTURE_ONLY}
)


def _attempt_reference() -> str:
    return "txn_" + secrets.token_hex(16)


def _customer_type(text: str | None) -> CustomerType | None:
    try:
        return CustomerType(text) if text else None
    except ValueError:
        return None


def _authentication_refusal(request: ChargeRequest, funding: Funding) -> Refusal | None:
    wanted = authentication_for(request, funding)
    if wanted is None or not isinstance(funding.instrument, Card):
        return None
    outcome = check(wanted, funding.instrument.brand, recurring=request.settings.recurring_billing)
    return outcome if isinstance(outcome, Refusal) else None


class Charges:
    """New money movements for the calling merchant."""

    def __init__(
        self,
        units: UnitOfWorkFactory,
        vault: Vault,
        processor: Processor,
        clock: Clock,
        customer_profiles: CustomerProfiles,
        sources: FundingSources,
    ) -> None:
        self._units = units
        self._vault = vault
        self._processor = processor
        self._clock = clock
        self._customer_profiles = customer_profiles
        self._sources = sources

    def charge(
        self, merchant: Merchant, request: ChargeRequest, hook: ChargeHook | None = None
    ) -> TransactionResult:
        """authCapture, authOnly or captureOnly of an amount on a card, account or profile;
        `hook` joins work of the caller to the charge's unit of work (recurring billing)."""
        if request.kind not in CHARGE_KINDS:
            raise InvalidField("transactionType", f"{request.kind} is not a charge.")
        window = effective_window(request.settings.duplicate_window)
        if not is_valid_amount(request.amount.amount):
            return refused(Reason.INVALID_AMOUNT)
        order = request.order
        try:
            funding = self._sources.resolve(merchant, request.source, order.bill_to, order.ship_to)
        except NotFound:
            return record_not_found()
        now = self._clock.now()
        refusal = self._charge_refusal(request, funding, now)
        if refusal is not None:
            return refused(refusal.reason_code, refusal.message)
        plan = plan_card_on_file(request.card_on_file, request.settings.recurring_billing, funding.profile)
        authorization = AuthorizationRequest(
            merchant_key=merchant.key,
            reference=request.recurring.reference if request.recurring else _attempt_reference(),
            amount=request.amount,
            instrument=funding.instrument,
            card_code=funding.card_code,
            bill_to=funding.bill_to,
            capture=request.kind is not TransactionKind.AUTHORIZATION,
            test_mode=request.settings.test_request,
            stored_credential=plan.stored_credential(),
            cardholder_authentication=authentication_for(request, funding),
        )
        if request.settings.test_request:
            return self._test_charge(merchant, request, authorization)
        key = duplicate_key(
            self._vault,
            merchant.key,
            DuplicateFields(
                request.kind.value,
                funding.fingerprint,
                funding.expiry,
                request.amount.amount,
                request.amount.currency,
                order,
                funding.bill_to,
                window,
            ),
        )
        # A stored profile's instrument is recalled from the profile: no sealed copy.
        sealed = (
            seal_instrument(self._vault, merchant, funding.instrument) if funding.profile is None else None
        )
        with self._units() as uow:
            joining = self._joining_refusal(uow, merchant, request, lock=True)
            if joining is not None:
                return refused(joining.reason_code, joining.message)
            if window:
                earlier = uow.transactions.find_duplicate(merchant.key, key, window_start(now, window))
                if earlier is not None:
                    return duplicate(as_of(earlier, now))
            if hook is not None:
                hook.claim(uow)
            screening = screen_charge(
                uow,
                merchant.key,
                ChargeFacts(request.amount, canonical_ip(order.customer_ip), funding.fingerprint or None),
                now,
            )
            result = screening.outcome(lambda: self._authorize(request, authorization))
            record = screening.mark(charge_record(merchant, request, funding, plan, result, key, now))
            if record.split_tender_id is None and is_partial(request, result):
                # A partial approval starts a split-tender order for the rest of the amount.
                record = replace(record, split_tender_id=uow.split_tenders.open(merchant.key, now))
            record = replace(record, ref=uow.transactions.add(record))
            keep_instrument(uow, sealed, record, now)
            queue_transaction_receipt(uow, merchant, record, order, request.settings, now)
            if result.outcome is Outcome.APPROVED:
                self._remember_original(uow, merchant, funding, record)
            record_transaction(uow, record, now)
            if result.outcome is Outcome.HELD:  # besides its created event, with its filters
                record_fraud(uow, record, EventType.FRAUD_HELD, now)
            if hook is not None:
                hook.record(uow, record)
            uow.commit()
        answer = replace(processor_answer(result, record), entry_mode=entry_mode(request))
        if request.create_profile and answer.response_code == APPROVED and funding.profile is None:
            return self._create_profile(merchant, request, funding, record, answer)
        return answer

    def _test_charge(
        self, merchant: Merchant, request: ChargeRequest, authorization: AuthorizationRequest
    ) -> TransactionResult:
        """testRequest: every rule runs and the processor is asked; nothing is stored."""
        with self._units(write=False) as uow:
            joining = self._joining_refusal(uow, merchant, request, lock=False)
        if joining is not None:
            return refused(joining.reason_code, joining.message)
        return replace(
            processor_answer(self._authorize(request, authorization), test_request=True),
            entry_mode=entry_mode(request),
        )

    @staticmethod
    def _joining_refusal(
        uow: UnitOfWork, merchant: Merchant, request: ChargeRequest, *, lock: bool
    ) -> Refusal | None:
        """A transaction naming a split-tender order joins it only while the merchant's order
        is open or held (read under the order's row lock, so it cannot close meanwhile)."""
        if request.split_tender_id is None:
            return None
        order = uow.split_tenders.get(merchant.key, request.split_tender_id, lock=lock)
        return joining_refusal(order.status if order is not None else None)

    def _charge_refusal(self, request: ChargeRequest, funding: Funding, now: datetime) -> Refusal | None:
        amount = request.amount.amount
        if amount == 0 and not (request.kind is TransactionKind.AUTHORIZATION and funding.is_card):
            return Refusal(
                Reason.INVALID_AMOUNT,
                "A valid amount is required; zero-dollar amounts are for card authorizations only.",
            )
        if request.kind is TransactionKind.CAPTURE_ONLY:
            refusal = auth_code_refusal(request.auth_code)
            if refusal is not None:
                return refusal
        if funding.card_code is not None and not card_code_valid(funding.card_code.reveal()):
            return Refusal(Reason.CARD_CODE_INVALID, "The card code is invalid.")
        instrument = funding.instrument
        if isinstance(instrument, Card) and instrument.has_expired(now):
            return Refusal(Reason.CARD_EXPIRED, "The credit card has expired.")
        return _authentication_refusal(request, funding)

    def _authorize(self, request: ChargeRequest, authorization: AuthorizationRequest) -> ProcessorResult:
        """Ask the processor; a partial approval the merchant does not accept is reversed at
        once and answered as a decline. A capture-only keeps the auth code it came with."""
        try:
            result = self._processor.authorize(authorization)
        except ProcessorUnavailable:
            return ProcessorResult(Outcome.ERROR, Reason.PROCESSING_ERROR)
        if result.outcome is not Outcome.APPROVED:
            return result
        if is_partial(request, result) and not request.settings.allow_partial_auth:
            follow_up(
                self._processor.void, FollowUpRequest(authorization.merchant_key, result.processor_reference)
            )
            return replace(
                result,
                outcome=Outcome.DECLINED,
                reason_code=DECLINED_REASON,
                auth_code="",
                network_trans_id=None,
            )
        if request.kind is TransactionKind.CAPTURE_ONLY and request.auth_code:
            return replace(result, auth_code=request.auth_code.strip())
        return result

    def _remember_original(
        self, uow: UnitOfWork, merchant: Merchant, funding: Funding, record: TransactionRecord
    ) -> None:
        """The first approved transaction of a payment profile becomes its card-on-file
        original (read again under the profile's lock: concurrent firsts leave one winner). A
        profile that had its original when it was read keeps it: nothing to lock or read."""
        profile = funding.profile
        if (
            profile is None
            or record.network_trans_id is None
            or profile.original_network_trans_id is not None
        ):
            return
        container = merchant.container_key
        if uow.profiles.profile(container, profile.profile_ref, lock=True) is None:
            return
        row = uow.profiles.payment_profile(container, profile.profile_ref, profile.ref)
        if row is None or row.original_network_trans_id is not None:
            return
        uow.profiles.replace_payment_profile(
            container,
            replace(
                row, original_network_trans_id=record.network_trans_id, original_auth_amount=record.amount
            ),
        )

    def _create_profile(
        self,
        merchant: Merchant,
        request: ChargeRequest,
        funding: Funding,
        record: TransactionRecord,
        answer: TransactionResult,
    ) -> TransactionResult:
        """createProfile: store the card or account of an approved charge as a new customer
        profile; a refusal (duplicate, no identity) is reported beside the payment."""
        order = request.order
        customer = order.customer
        draft = ProfileDraft(
            merchant_customer_id=customer.id if customer else None,
            description=order.description,
            email=customer.email if customer else None,
            payment_profiles=(
                PaymentProfileDraft(
                    funding.instrument,
                    bill_to=order.bill_to,
                    customer_type=_customer_type(customer.type if customer else None),
                    original_network_trans_id=record.network_trans_id,
                    original_auth_amount=record.amount if record.network_trans_id else None,
                ),
            ),
            ship_to=(order.ship_to,) if order.ship_to and not order.ship_to.is_empty() else (),
        )
        try:
            created = self._customer_profiles.create(merchant, draft, ValidationMode.NONE)
        except StrongroomError as error:
            return replace(answer, profile_error=error)
        return replace(
            answer,
            created_profile=CreatedProfileRefs(
                created.profile_ref,
                next(iter(created.payment_profile_refs), None),
                next(iter(created.address_refs), None),
            ),
        )
