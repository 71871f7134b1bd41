"""Billing: charging every subscription occurrence that has come due, exactly once.

A run walks the live subscriptions whose wake-up day has come and, for each, does what the
schedule asks (`domain.subscriptions.next_step`) until nothing is due: charge the next occurrence,
or terminate a suspended subscription that was not reactivated in time. When the clock has
passed several occurrences, each is charged in turn, as if the run had happened every day.

Exactly once. A charge goes through `Payments.charge` with a hook, so three things share one
unit of work: the claim (the subscription row locked and compared with what the run read, then
an attempt row inserted under the unique key (subscription, occurrence, attempt)), the processor
call, and the result (the transaction, the attempt's outcome, the subscription's progress). A
concurrent run waits on the row lock and then finds the occurrence billed, so its claim is lost
and it asks the processor nothing. A run interrupted before its commit leaves no trace: the
claim rolls back with everything else, and the next run bills the occurrence again, with the
same attempt reference (`RecurringPayment.reference`), which a processor that deduplicates by
it (the simulated one derives its answer from it) treats as the same payment. The claim is never
left standing without an answer, so nothing has to guess whether a half-done charge happened.

Card-on-file: the first payment is flagged as the first of a recurring series, later ones as
recurring with the payment profile's original network transaction id (`card_on_file`).
A declined payment (or one refused or held) suspends the subscription; paying the last
occurrence expires it. An occurrence of amount 0.00 (a free trial) is passed without a charge.
Webhook events ride in the same units (`services.webhooks.recording.record_subscription`): a failed
attempt announces failed and suspended, the last payment expired, the next-to-last expiring,
a termination terminated; the charge itself announces its payment event first.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal

from strongroom.domain.merchants import Merchant
from strongroom.domain.money import Money
from strongroom.domain.subscriptions import (
    Event,
    Step,
    Subscription,
    SubscriptionStatus,
    billing_day,
    next_step,
    transition,
)
from strongroom.domain.transactions import TransactionKind
from strongroom.services.payments.charge_hooks import ClaimLost
from strongroom.services.payments.facade import Payments
from strongroom.services.ports import (
    AttemptOutcome,
    OccurrenceAttempt,
    TransactionRecord,
    UnitOfWork,
    UnitOfWorkFactory,
)
from strongroom.services.transactions.requests import (
    CardOnFile,
    ChargeRequest,
    OrderDetails,
    ProfileSource,
    RecurringPayment,
    Settings,
    TransactionResult,
)
from strongroom.services.transactions.results import APPROVED, DECLINED, reason_text
from strongroom.services.webhooks.recording import record_subscription

PAGE = 200  # subscriptions read per query of a run


@dataclass(frozen=True, slots=True)
class Billed:
    """One thing a run did to a subscription."""

    merchant_key: int
    subscription_ref: str
    pay_num: int
    attempt_num: int
    outcome: AttemptOutcome | None  # None: terminated, nothing charged
    amount: Decimal
    status: SubscriptionStatus  # after it
    transaction_ref: str | None = None


@dataclass(frozen=True, slots=True)
class BillingReport:
    now: datetime
    items: tuple[Billed, ...] = field(default=())

    def count(self, outcome: AttemptOutcome | None) -> int:
        return sum(1 for item in self.items if item.outcome is outcome)

    def ended(self, status: SubscriptionStatus) -> int:
        return sum(1 for item in self.items if item.status is status)


def _outcome(record: TransactionRecord) -> AttemptOutcome:
    if record.response_code == APPROVED:
        return AttemptOutcome.APPROVED
    return AttemptOutcome.DECLINED if record.response_code == DECLINED else AttemptOutcome.ERROR


def _after(subscription: Subscription, outcome: AttemptOutcome, now: datetime) -> Subscription:
    """The subscription once its next occurrence had `outcome`."""
    progress = subscription.progress
    if outcome in (AttemptOutcome.APPROVED, AttemptOutcome.FREE):
        status = subscription.status
        if subscription.schedule.is_last(progress.next_pay_num):
            status = transition(status, Event.LAST_PAID)
        return replace(subscription, progress=progress.after_success(), status=status, updated_at=now)
    return replace(
        subscription,
        progress=progress.after_failure(),
        status=transition(subscription.status, Event.PAYMENT_FAILED),
        updated_at=now,
    )


def _claim(uow: UnitOfWork, read: Subscription, attempt: OccurrenceAttempt) -> Subscription:
    """Lock the subscription; it must be as the run read it, and the attempt not yet made."""
    current = uow.subscriptions.get(read.merchant_key, read.ref, lock=True)
    if current != read:
        raise ClaimLost(f"subscription {read.ref} changed since it was read")
    if not uow.subscriptions.add_attempt(read.merchant_key, read.ref, attempt):
        raise ClaimLost(f"occurrence {attempt.pay_num} of {read.ref} is claimed already")
    return current


class _Occurrence:
    """The ChargeHook of one attempt: claim it, then record its outcome with the transaction."""

    def __init__(self, subscription: Subscription, now: datetime) -> None:
        self.subscription = subscription
        progress = subscription.progress
        self.attempt = OccurrenceAttempt(
            progress.next_pay_num, progress.attempt_num, AttemptOutcome.CLAIMED, now
        )
        self.now = now
        self.done: tuple[Billed, Subscription] | None = None

    def claim(self, uow: UnitOfWork) -> None:
        _claim(uow, self.subscription, self.attempt)

    def record(self, uow: UnitOfWork, record: TransactionRecord) -> None:
        outcome = _outcome(record)
        subscription = self.subscription
        uow.subscriptions.finish_attempt(
            subscription.merchant_key,
            subscription.ref,
            replace(
                self.attempt,
                outcome=outcome,
                transaction_ref=record.ref,
                response=reason_text(record.reason_code, record.response_code),
            ),
        )
        after = _after(subscription, outcome, self.now)
        uow.subscriptions.update(after)
        record_subscription(uow, subscription, after, self.now)
        self.done = (
            Billed(
                subscription.merchant_key,
                subscription.ref,
                self.attempt.pay_num,
                self.attempt.attempt_num,
                outcome,
                record.amount,
                after.status,
                record.ref,
            ),
            after,
        )


class Billing:
    """Runs billing for every merchant; safe to run from several processes at once."""

    def __init__(self, units: UnitOfWorkFactory, payments: Payments) -> None:
        self._units = units
        self._payments = payments

    def run(self, now: datetime) -> BillingReport:
        """Bill everything due on the billing day of `now`."""
        today = billing_day(now)
        items: list[Billed] = []
        merchants: dict[int, Merchant] = {}
        after = 0
        while True:
            with self._units(write=False) as uow:
                page = uow.subscriptions.waking(today, PAGE, after)
                for _, merchant_key, _ in page:
                    if merchant_key not in merchants:
                        row = uow.merchants.by_key(merchant_key)
                        if row is not None:
                            merchants[merchant_key] = row.merchant
            for key, merchant_key, ref in page:
                merchant = merchants.get(merchant_key)
                if merchant is not None:
                    items.extend(self._bill(merchant, ref, today, now))
                after = key
            if len(page) < PAGE:
                return BillingReport(now, tuple(items))

    def _bill(self, merchant: Merchant, ref: str, today: date, now: datetime) -> list[Billed]:
        """Everything due for one subscription, occurrence after occurrence (each step
        continues from the state the previous one wrote; a lost claim reads it again)."""
        done: list[Billed] = []
        subscription = self._read(merchant, ref)
        while subscription is not None:
            step = next_step(subscription.status, subscription.schedule, subscription.progress, today)
            if step is Step.WAIT:
                break
            try:
                if step is Step.TERMINATE:
                    billed, subscription = self._terminate(subscription, now)
                elif subscription.amount_due() == 0:
                    billed, subscription = self._pass_free(subscription, now)
                else:
                    billed, subscription = self._charge(merchant, subscription, now)
            except ClaimLost:  # another run got there first: carry on from where it is
                subscription = self._read(merchant, ref)
                continue
            done.append(billed)
        return done

    def _read(self, merchant: Merchant, ref: str) -> Subscription | None:
        with self._units(write=False) as uow:
            return uow.subscriptions.get(merchant.key, ref)

    def _terminate(self, subscription: Subscription, now: datetime) -> tuple[Billed, Subscription]:
        with self._units() as uow:
            current = uow.subscriptions.get(subscription.merchant_key, subscription.ref, lock=True)
            if current != subscription:
                raise ClaimLost(f"subscription {subscription.ref} changed since it was read")
            after = replace(current, status=transition(current.status, Event.TERMINATED), updated_at=now)
            uow.subscriptions.update(after)
            record_subscription(uow, current, after, now)
            uow.commit()
        progress = subscription.progress
        return Billed(
            subscription.merchant_key,
            subscription.ref,
            progress.next_pay_num,
            progress.attempt_num,
            None,
            Decimal("0.00"),
            after.status,
        ), after

    def _pass_free(self, subscription: Subscription, now: datetime) -> tuple[Billed, Subscription]:
        """An occurrence of amount 0.00: recorded as passed, nothing is charged."""
        return self._settle_without_charge(subscription, AttemptOutcome.FREE, None, now)

    def _settle_without_charge(
        self, subscription: Subscription, outcome: AttemptOutcome, response: str | None, now: datetime
    ) -> tuple[Billed, Subscription]:
        progress = subscription.progress
        attempt = OccurrenceAttempt(
            progress.next_pay_num, progress.attempt_num, outcome, now, response=response
        )
        with self._units() as uow:
            _claim(uow, subscription, attempt)
            after = _after(subscription, outcome, now)
            uow.subscriptions.update(after)
            record_subscription(uow, subscription, after, now)
            uow.commit()
        return Billed(
            subscription.merchant_key,
            subscription.ref,
            attempt.pay_num,
            attempt.attempt_num,
            outcome,
            subscription.amount_due(),
            after.status,
        ), after

    def _charge(
        self, merchant: Merchant, subscription: Subscription, now: datetime
    ) -> tuple[Billed, Subscription]:
        hook = _Occurrence(subscription, now)
        result = self._payments.charge(merchant, self._request(subscription), hook)
        if hook.done is not None:
            return hook.done
        # Refused before the processor was asked (the card has expired, the payment profile
        # is gone): nothing was stored by the charge; the attempt fails all the same.
        return self._settle_without_charge(subscription, AttemptOutcome.ERROR, _refusal_text(result), now)

    @staticmethod
    def _request(subscription: Subscription) -> ChargeRequest:
        progress = subscription.progress
        first = subscription.pricing.charged_before(subscription.schedule, progress.paid) == 0
        return ChargeRequest(
            kind=TransactionKind.CHARGE,
            amount=Money(subscription.amount_due()),
            source=ProfileSource(
                subscription.profile_ref, subscription.payment_profile_ref, subscription.address_ref
            ),
            order=OrderDetails(
                invoice_number=subscription.invoice_number, description=subscription.description
            ),
            # Occurrences may fall seconds apart (a run catching up): never "duplicates".
            settings=Settings(duplicate_window=0, recurring_billing=not first),
            card_on_file=(
                CardOnFile(is_first_recurring_payment=True) if first else CardOnFile(is_subsequent_auth=True)
            ),
            recurring=RecurringPayment(subscription.ref, progress.next_pay_num, progress.attempt_num),
        )


def _refusal_text(result: TransactionResult) -> str:
    return result.message[:255]
