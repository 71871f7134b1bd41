"""Subscriptions and their billing attempts, scoped by merchant."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, Final

from sqlalchemy import (
    ColumnElement,
    Connection,
    RowMapping,
    bindparam,
    case,
    func,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from strongroom.domain.subscriptions import (
    ENDED,
    LIVE,
    Interval,
    IntervalUnit,
    Pricing,
    Progress,
    Schedule,
    Subscription,
    SubscriptionStatus,
)
from strongroom.services.ports import (
    AttemptOutcome,
    OccurrenceAttempt,
    SubscriptionFilter,
    SubscriptionOrder,
    SubscriptionRepository,
    SubscriptionSummary,
)
from strongroom.storage.refs import insert_with_chosen_ref
from strongroom.storage.tables import payment_profiles, subscription_attempts, subscriptions

S = subscriptions.c
P = payment_profiles.c
A = subscription_attempts.c
_LIVE: Final = tuple(status.value for status in LIVE)
_ENDED: Final = tuple(status.value for status in ENDED)
_CARD: Final = "card"


def _past_occurrences() -> ColumnElement[Any]:
    return S.next_pay_num - 1 + case((S.failed_attempts > 0, 1), else_=0)


_ORDER: Final[dict[SubscriptionOrder, ColumnElement[Any]]] = {
    SubscriptionOrder.REF: S.ref,
    SubscriptionOrder.NAME: func.coalesce(S.name, ""),
    SubscriptionOrder.STATUS: S.status,
    SubscriptionOrder.CREATED_AT: S.created_at,
    SubscriptionOrder.LAST_NAME: func.coalesce(P.bill_to_last_name, ""),
    SubscriptionOrder.FIRST_NAME: func.coalesce(P.bill_to_first_name, ""),
    SubscriptionOrder.ACCOUNT_LAST4: func.coalesce(P.last4, ""),
    SubscriptionOrder.AMOUNT: S.amount,
    SubscriptionOrder.PAST_OCCURRENCES: _past_occurrences(),
}


class SqlSubscriptionRepository(SubscriptionRepository):
    """SubscriptionRepository on one unit of work's connection."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, subscription: Subscription) -> None:
        values = _values(subscription)
        del values["ref"]
        insert_with_chosen_ref(
            self._connection,
            subscriptions,
            {
                "merchant_key": subscription.merchant_key,
                "duplicate_key": subscription.duplicate_key,
                "created_at": subscription.created_at,
                **values,
            },
            subscription.ref,
        )

    def get(self, merchant_key: int, ref: str, *, lock: bool = False) -> Subscription | None:
        query = select(subscriptions).where(S.merchant_key == merchant_key, S.ref == ref)
        if lock:
            query = query.with_for_update()
        row = self._connection.execute(query).mappings().first()
        return _subscription(row) if row is not None else None

    def update(self, subscription: Subscription) -> None:
        values = _values(subscription)
        del values["ref"]
        self._connection.execute(
            update(subscriptions)
            .where(S.merchant_key == subscription.merchant_key, S.ref == subscription.ref)
            .values(**values)
        )

    def duplicate(
        self, merchant_key: int, duplicate_key: str, statuses: frozenset[SubscriptionStatus]
    ) -> str | None:
        return self._connection.scalar(
            select(S.ref)
            .where(
                S.merchant_key == merchant_key,
                S.duplicate_key == duplicate_key,
                S.status.in_([status.value for status in statuses]),
            )
            .order_by(S.key)
            .limit(1)
        )

    def refs_using(
        self,
        merchant_key: int,
        *,
        profile_ref: str | None = None,
        payment_profile_ref: str | None = None,
        address_ref: str | None = None,
    ) -> Sequence[str]:
        named = {
            "profile_ref": profile_ref,
            "payment_profile_ref": payment_profile_ref,
            "address_ref": address_ref,
        }
        given = [(column, value) for column, value in named.items() if value is not None]
        if len(given) == 1:  # the usual question, prebuilt: one statement per column
            column, value = given[0]
            return list(
                self._connection.scalars(_REFS_USING[column], {"merchant_key": merchant_key, "ref": value})
            )
        query = (
            select(S.ref)
            .where(S.merchant_key == merchant_key, *_using(profile_ref, payment_profile_ref, address_ref))
            .order_by(S.key)
        )
        return list(self._connection.scalars(query))

    def live_using(
        self,
        *,
        profile_ref: str | None = None,
        payment_profile_ref: str | None = None,
        address_ref: str | None = None,
    ) -> str | None:
        return self._connection.scalar(
            select(S.ref)
            .where(S.status.in_(_LIVE), *_using(profile_ref, payment_profile_ref, address_ref))
            .order_by(S.key)
            .limit(1)
        )

    def waking(self, through: date, limit: int, after_key: int = 0) -> Sequence[tuple[int, int, str]]:
        query = (
            select(S.key, S.merchant_key, S.ref)
            .where(S.status.in_(_LIVE), S.wake_on <= through, S.key > after_key)
            .order_by(S.key)
            .limit(limit)
        )
        return [(int(key), int(merchant), str(ref)) for key, merchant, ref in self._connection.execute(query)]

    def add_attempt(self, merchant_key: int, ref: str, attempt: OccurrenceAttempt) -> bool:
        key = self._key(merchant_key, ref)
        try:
            with self._connection.begin_nested():
                self._connection.execute(
                    subscription_attempts.insert().values(subscription_key=key, **_attempt_values(attempt))
                )
        except IntegrityError:
            return False
        return True

    def finish_attempt(self, merchant_key: int, ref: str, attempt: OccurrenceAttempt) -> None:
        key = self._key(merchant_key, ref)
        self._connection.execute(
            update(subscription_attempts)
            .where(
                A.subscription_key == key, A.pay_num == attempt.pay_num, A.attempt_num == attempt.attempt_num
            )
            .values(**_attempt_values(attempt))
        )

    def attempts(self, merchant_key: int, ref: str) -> Sequence[OccurrenceAttempt]:
        query = (
            select(subscription_attempts)
            .join(subscriptions, S.key == A.subscription_key)
            .where(S.merchant_key == merchant_key, S.ref == ref)
            .order_by(A.pay_num, A.attempt_num)
        )
        return [_attempt(row) for row in self._connection.execute(query).mappings()]

    def search(
        self,
        merchant_key: int,
        which: SubscriptionFilter,
        month: tuple[date, date],
        order: SubscriptionOrder,
        descending: bool,
        offset: int,
        limit: int,
    ) -> tuple[int, Sequence[SubscriptionSummary]]:
        conditions = (S.merchant_key == merchant_key, *_filter(which, month))
        joined = subscriptions.outerjoin(payment_profiles, P.ref == S.payment_profile_ref)
        total = self._connection.scalar(select(func.count()).select_from(joined).where(*conditions))
        sort = _ORDER[order]
        query = (
            select(subscriptions, P.bill_to_first_name, P.bill_to_last_name, P.last4.label("account_last4"))
            .select_from(joined)
            .where(*conditions)
            .order_by(sort.desc() if descending else sort.asc(), S.key.desc() if descending else S.key.asc())
            .offset(offset)
            .limit(limit)
        )
        page = [
            SubscriptionSummary(
                _subscription(row), row["bill_to_first_name"], row["bill_to_last_name"], row["account_last4"]
            )
            for row in self._connection.execute(query).mappings()
        ]
        return int(total or 0), page

    def _key(self, merchant_key: int, ref: str) -> int:
        key = self._connection.scalar(select(S.key).where(S.merchant_key == merchant_key, S.ref == ref))
        if key is None:
            raise LookupError(f"subscription {ref} is not stored")
        return int(key)


_REFS_USING: Final = {
    name: select(S.ref)
    .where(S.merchant_key == bindparam("merchant_key"), S[name] == bindparam("ref"))
    .order_by(S.key)
    for name in ("profile_ref", "payment_profile_ref", "address_ref")
}


def _using(
    profile_ref: str | None, payment_profile_ref: str | None, address_ref: str | None
) -> tuple[ColumnElement[bool], ...]:
    conditions = []
    if profile_ref is not None:
        conditions.append(S.profile_ref == profile_ref)
    if payment_profile_ref is not None:
        conditions.append(S.payment_profile_ref == payment_profile_ref)
    if address_ref is not None:
        conditions.append(S.address_ref == address_ref)
    if not conditions:
        raise ValueError("name at least one record the subscriptions use")
    return tuple(conditions)


def _filter(which: SubscriptionFilter, month: tuple[date, date]) -> tuple[ColumnElement[bool], ...]:
    first, last = month
    if which is SubscriptionFilter.LIVE:
        return (S.status.in_(_LIVE),)
    if which is SubscriptionFilter.ENDED:
        return (S.status.in_(_ENDED),)
    if which is SubscriptionFilter.ENDING_THIS_MONTH:
        return (S.status.in_(_LIVE), S.ends_on >= first, S.ends_on <= last)
    return (S.status.in_(_LIVE), P.kind == _CARD, P.expiry == f"{first.year:04d}-{first.month:02d}")


def _values(subscription: Subscription) -> dict[str, Any]:
    schedule = subscription.schedule
    progress = subscription.progress
    return {
        "ref": subscription.ref,
        "name": subscription.name,
        "interval_length": schedule.interval.length,
        "interval_unit": schedule.interval.unit.value,
        "start_date": schedule.start,
        "total_occurrences": schedule.total,
        "trial_occurrences": schedule.trial,
        "amount": subscription.pricing.amount,
        "trial_amount": subscription.pricing.trial_amount,
        "status": subscription.status.value,
        "profile_ref": subscription.profile_ref,
        "payment_profile_ref": subscription.payment_profile_ref,
        "address_ref": subscription.address_ref,
        "payment_method": subscription.payment_method,
        "invoice_number": subscription.invoice_number,
        "description": subscription.description,
        "next_pay_num": progress.next_pay_num,
        "failed_attempts": progress.failed_attempts,
        "wake_on": subscription.wake_on(),
        "ends_on": schedule.last_date(),
        "updated_at": subscription.updated_at,
    }


def _subscription(row: RowMapping) -> Subscription:
    schedule = Schedule(
        Interval(int(row["interval_length"]), IntervalUnit(row["interval_unit"])),
        row["start_date"],
        int(row["total_occurrences"]),
        int(row["trial_occurrences"]),
    )
    return Subscription(
        ref=row["ref"],
        merchant_key=int(row["merchant_key"]),
        name=row["name"],
        schedule=schedule,
        pricing=Pricing(row["amount"], row["trial_amount"]),
        status=SubscriptionStatus(row["status"]),
        profile_ref=row["profile_ref"],
        payment_profile_ref=row["payment_profile_ref"],
        address_ref=row["address_ref"],
        payment_method=row["payment_method"],
        created_at=row["created_at"],
        invoice_number=row["invoice_number"],
        description=row["description"],
        progress=Progress(int(row["next_pay_num"]), int(row["failed_attempts"])),
        duplicate_key=row["duplicate_key"],
        updated_at=row["updated_at"],
    )


def _attempt_values(attempt: OccurrenceAttempt) -> dict[str, Any]:
    return {
        "pay_num": attempt.pay_num,
        "attempt_num": attempt.attempt_num,
        "outcome": attempt.outcome.value,
        "transaction_ref": attempt.transaction_ref,
        "response": attempt.response,
        "submitted_at": attempt.submitted_at,
    }


def _attempt(row: RowMapping) -> OccurrenceAttempt:
    return OccurrenceAttempt(
        int(row["pay_num"]),
        int(row["attempt_num"]),
        AttemptOutcome(row["outcome"]),
        row["submitted_at"],
        row["transaction_ref"],
        row["response"],
    )
