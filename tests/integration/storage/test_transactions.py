"""Payment transactions: exact round trips, tenant isolation, the duplicate window, compare-and-set
updates (also under concurrent writers), refunds, and validations stored as verifications."""

from __future__ import annotations

import threading
from dataclasses import fields, replace
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.exc import StatementError

from strongroom.domain.customers import Address
from strongroom.domain.fraud import FraudAction
from strongroom.domain.money import Money
from strongroom.domain.transactions import TransactionKind, TransactionStatus
from strongroom.services.ports import TransactionRecord, ValidationRecord
from strongroom.services.transactions.records import details_json, with_order
from strongroom.services.transactions.requests import Charge, OrderDetails, OtherTax, SubMerchant
from strongroom.services.transactions.stored_orders import stored_order
from strongroom.storage import SqlUnitOfWorkFactory
from strongroom.storage.tables import transactions
from strongroom.storage.transactions import UPDATED_FIELDS
from tests.integration.storage.builders import (
    NOW,
    add_profile,
    add_transaction,
    bank_row,
    card_row,
    charge_record,
    is_ref,
    later,
)
from tests.integration.storage.conftest import Tenants
from tests.integration.storage.test_refs import ScriptedRefs
from tests.integration.storage.threads import run_together

LARGEST = Decimal("9999999999999.99")
AUTHORIZED = TransactionStatus.AUTHORIZED_PENDING_CAPTURE
CAPTURED = TransactionStatus.CAPTURED_PENDING_SETTLEMENT
SETTLED = TransactionStatus.SETTLED
VOIDED = TransactionStatus.VOIDED
CAPTURERS = 8
TWO_HOURS_EAST = timezone(timedelta(hours=2))


def full_record(merchant_key: int) -> TransactionRecord:
    """Every field set, none at its default; times given in a non-UTC zone."""
    return TransactionRecord(
        ref="ignored",
        merchant_key=merchant_key,
        kind=TransactionKind.CHARGE,
        status=TransactionStatus.SETTLED,
        amount=LARGEST,
        currency="EUR",
        settle_amount=Decimal("9999999999999.98"),
        refunded=Decimal("0.01"),
        response_code=1,
        reason_code=1,
        auth_code="QWE789",
        avs_result="Y",
        card_code_result="M",
        cavv_result="2",
        payment_method="card",
        account_last4="0027",
        account_type="AmericanExpress",
        fingerprint="f" * 128,
        duplicate_key="d" * 64,
        submitted_at=NOW.astimezone(TWO_HOURS_EAST),
        network_trans_id="NTI-123",
        original_network_trans_id="NTI-000",
        original_auth_amount=Decimal("-0.07"),
        processor_reference="sim-abc-123",
        ref_trans_ref="12345678901",
        split_tender_id="98765",
        customer_profile_ref="1000000001",
        payment_profile_ref="1000000002",
        shipping_address_ref="100000003",
        invoice_number="I" * 20,
        description="D" * 255,
        po_number="P" * 25,
        card_on_file="first_recurring",
        details_json='{"line_items": [{"id": "1", "unit_price": "0.10"}], "tax": null}',
        settled_at=later(3600),
        batch_ref="4000001",
        updated_at=later(7200),
        subscription_ref="123456789",
        pay_num=12,
        customer_ip="2001:db8:85a3::8a2e:370:7334",
        fraud_action=FraudAction.HOLD,
        fraud_filters=(("Amount Filter", FraudAction.HOLD), ("Velocity «nightly»", FraudAction.REPORT)),
    )


def get(uow_factory: SqlUnitOfWorkFactory, merchant_key: int, ref: str) -> TransactionRecord | None:
    with uow_factory(write=False) as uow:
        return uow.transactions.get(merchant_key, ref)


def must_get(uow_factory: SqlUnitOfWorkFactory, merchant_key: int, ref: str) -> TransactionRecord:
    record = get(uow_factory, merchant_key, ref)
    assert record is not None
    return record


def update(uow_factory: SqlUnitOfWorkFactory, record: TransactionRecord, expected: TransactionStatus) -> bool:
    with uow_factory() as uow:
        done = uow.transactions.update(record, expected)
        uow.commit()
    return done


# --------------------------------------------------------------------------- add and get


def test_every_field_round_trips_exactly(uow_factory: SqlUnitOfWorkFactory, tenants: Tenants) -> None:
    record = full_record(tenants.alice.key)
    assert all(getattr(record, field.name) != field.default for field in fields(record))

    ref = add_transaction(uow_factory, record)

    back = must_get(uow_factory, tenants.alice.key, ref)
    assert is_ref(ref, 11)
    assert back == replace(record, ref=ref)
    for name in ("amount", "settle_amount", "refunded", "original_auth_amount"):
        assert str(getattr(back, name)) == str(getattr(record, name)), name
    assert isinstance(back.kind, TransactionKind)
    assert isinstance(back.status, TransactionStatus)
    for moment in (back.submitted_at, back.settled_at, back.updated_at):
        assert moment is not None
        assert moment.tzinfo is UTC


def test_optional_fields_come_back_as_defaults(uow_factory: SqlUnitOfWorkFactory, tenants: Tenants) -> None:
    record = replace(
        charge_record(tenants.alice.key),
        amount=Decimal("12.3"),
        avs_result="",
        card_code_result="",
        cavv_result="",
    )

    ref = add_transaction(uow_factory, record)

    back = must_get(uow_factory, tenants.alice.key, ref)
    assert back == replace(record, ref=ref)
    assert str(back.amount) == "12.30"
    assert (back.original_auth_amount, back.settled_at, back.updated_at, back.batch_ref) == (
        None,
        None,
        None,
        None,
    )
    assert (back.processor_reference, back.details_json) == ("", "{}")


ORDER_EXTRAS = OrderDetails(
    invoice_number="INV-9",
    surcharge=Charge(Decimal("0.75"), "Card fee", "2% of the total"),
    tip=Charge(Decimal("2.00"), "Tip"),
    other_tax=OtherTax(
        Decimal("1.10"),
        Decimal("0.20"),
        Decimal("0.30"),
        "ALT-7",
        Decimal("0.20000"),
        Decimal("9999999999999.99"),
    ),
    ship_from=Address(
        first_name="China",
        last_name="Bayles",
        company="Thyme for Herbs",
        address="12 Main Street",
        city="Pecan Springs",
        state="TX",
        zip="44628",
        country="US",
    ),
    merchant_descriptor="HERBS*PECAN SPRINGS",
    sub_merchant=SubMerchant(
        "SM-1",
        "Thyme for Herbs",
        "Herb PSP",
        "HPF-9",
        "12 Main Street",
        "999-999-9999",
        "herbs@example.com",
        "44628",
        "Pecan Springs",
        "TX",
        "US",
    ),
)


def test_order_extras_round_trip_through_the_details(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants
) -> None:
    record = replace(
        charge_record(tenants.alice.key),
        invoice_number="INV-9",
        details_json=details_json(ORDER_EXTRAS, authentication_indicator="05"),
    )

    ref = add_transaction(uow_factory, record)

    back = must_get(uow_factory, tenants.alice.key, ref)
    assert stored_order(back) == ORDER_EXTRAS
    assert back.details_json == record.details_json


def test_a_capture_adds_its_tip_to_the_stored_extras(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants
) -> None:
    record = replace(
        charge_record(tenants.alice.key), invoice_number="INV-9", details_json=details_json(ORDER_EXTRAS)
    )
    ref = add_transaction(uow_factory, record)
    stored = must_get(uow_factory, tenants.alice.key, ref)
    tip = Charge(Decimal("5.00"), "Tip at the table")

    captured = replace(with_order(stored, OrderDetails(tip=tip)), status=CAPTURED)
    assert update(uow_factory, captured, AUTHORIZED)

    assert stored_order(must_get(uow_factory, tenants.alice.key, ref)) == replace(ORDER_EXTRAS, tip=tip)


def test_add_ignores_the_given_ref_and_retries_a_taken_one(engine: Engine, tenants: Tenants) -> None:
    refs = ScriptedRefs(["10000000001", "10000000001", "10000000002"])
    uow_factory = SqlUnitOfWorkFactory(engine, new_ref=refs)
    record = charge_record(tenants.alice.key)

    with uow_factory() as uow:
        first = uow.transactions.add(replace(record, ref="10000000002"))
        second = uow.transactions.add(record)
        uow.commit()

    assert (first, second) == ("10000000001", "10000000002")
    assert must_get(uow_factory, tenants.alice.key, first).ref == first
    assert must_get(uow_factory, tenants.alice.key, second).ref == second


def test_a_naive_time_is_refused(uow_factory: SqlUnitOfWorkFactory, tenants: Tenants) -> None:
    record = charge_record(tenants.alice.key, submitted_at=NOW.replace(tzinfo=None))

    with pytest.raises(StatementError, match="naive datetime"), uow_factory() as uow:
        uow.transactions.add(record)


def test_an_unknown_ref_is_none(uow_factory: SqlUnitOfWorkFactory, tenants: Tenants) -> None:
    add_transaction(uow_factory, charge_record(tenants.alice.key))

    assert get(uow_factory, tenants.alice.key, "10000000000") is None


def test_lock_returns_the_transaction_in_a_write_unit(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants
) -> None:
    ref = add_transaction(uow_factory, charge_record(tenants.alice.key))

    with uow_factory() as uow:
        locked = uow.transactions.get(tenants.alice.key, ref, lock=True)
        assert uow.transactions.get(tenants.bob.key, ref, lock=True) is None

    assert locked is not None
    assert locked.ref == ref


# --------------------------------------------------------------------------- tenant isolation


def test_another_merchants_transactions_are_invisible(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants
) -> None:
    alice = tenants.alice.key
    ref = add_transaction(uow_factory, charge_record(alice, status=SETTLED))
    add_transaction(
        uow_factory,
        charge_record(
            alice,
            kind=TransactionKind.REFUND,
            status=TransactionStatus.REFUND_PENDING_SETTLEMENT,
            duplicate_key="refund",
            ref_trans_ref=ref,
        ),
    )
    mine = must_get(uow_factory, alice, ref)

    with uow_factory() as uow:
        assert uow.transactions.get(tenants.bob.key, ref) is None
        assert uow.transactions.find_duplicate(tenants.bob.key, "dup-1", NOW) is None
        assert uow.transactions.refunds_of(tenants.bob.key, ref) == []
        assert not uow.transactions.update(
            replace(mine, merchant_key=tenants.bob.key, status=VOIDED), SETTLED
        )
        uow.commit()

    assert must_get(uow_factory, alice, ref) == mine
    with uow_factory(write=False) as uow:
        assert uow.transactions.find_duplicate(alice, "dup-1", NOW) == mine
        assert len(uow.transactions.refunds_of(alice, ref)) == 1


# --------------------------------------------------------------------------- duplicate window


def test_find_duplicate_window_edges(uow_factory: SqlUnitOfWorkFactory, tenants: Tenants) -> None:
    alice = tenants.alice.key
    ref = add_transaction(uow_factory, charge_record(alice, submitted_at=NOW))
    tiny = timedelta(microseconds=1)

    with uow_factory(write=False) as uow:

        def found(since: datetime) -> str | None:
            duplicate = uow.transactions.find_duplicate(alice, "dup-1", since)
            return duplicate.ref if duplicate is not None else None

        assert found(NOW) == ref  # submitted exactly at the window's start: inside
        assert found(NOW - tiny) == ref
        assert found(NOW - timedelta(seconds=120)) == ref
        assert found(NOW + tiny) is None  # the window starts after it
        assert found(NOW.astimezone(TWO_HOURS_EAST)) == ref  # the same instant in another zone
        assert found((NOW + tiny).astimezone(TWO_HOURS_EAST)) is None
        assert uow.transactions.find_duplicate(alice, "dup-2", NOW - timedelta(days=1)) is None


def test_find_duplicate_returns_the_newest_match(uow_factory: SqlUnitOfWorkFactory, tenants: Tenants) -> None:
    alice = tenants.alice.key
    newest = add_transaction(uow_factory, charge_record(alice, submitted_at=later(60)))
    add_transaction(uow_factory, charge_record(alice, submitted_at=later(30)))
    add_transaction(uow_factory, charge_record(alice, submitted_at=later(90), duplicate_key="other"))
    add_transaction(uow_factory, charge_record(tenants.bob.key, submitted_at=later(120)))

    with uow_factory(write=False) as uow:
        duplicate = uow.transactions.find_duplicate(alice, "dup-1", NOW)
        late = uow.transactions.find_duplicate(alice, "dup-1", later(61))

    assert duplicate is not None
    assert duplicate.ref == newest
    assert late is None


def test_find_duplicate_breaks_a_tie_by_insertion_order(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants
) -> None:
    alice = tenants.alice.key
    add_transaction(uow_factory, charge_record(alice))
    second = add_transaction(uow_factory, charge_record(alice))

    with uow_factory(write=False) as uow:
        duplicate = uow.transactions.find_duplicate(alice, "dup-1", NOW)

    assert duplicate is not None
    assert duplicate.ref == second


# --------------------------------------------------------------------------- compare-and-set


def test_update_writes_the_moving_fields_only_while_the_status_matches(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants
) -> None:
    alice = tenants.alice.key
    ref = add_transaction(uow_factory, charge_record(alice))
    original = must_get(uow_factory, alice, ref)
    captured = replace(
        original,
        status=CAPTURED,
        settle_amount=Decimal("20.00"),
        refunded=Decimal("0.00"),
        settled_at=later(10),
        batch_ref="4000002",
        updated_at=later(5).astimezone(TWO_HOURS_EAST),
        response_code=1,
        reason_code=1,
        auth_code="NEW001",
        avs_result="Z",
        card_code_result="P",
        cavv_result="8",
        network_trans_id="NTI-NEW",
        processor_reference="sim-new",
        # fixed at add: not written
        amount=Decimal("99.99"),
        description="changed",
        details_json='{"changed": true}',
        submitted_at=later(999),
        account_last4="9999",
        kind=TransactionKind.CHARGE,
    )

    assert update(uow_factory, captured, AUTHORIZED)

    stored = must_get(uow_factory, alice, ref)
    assert stored == replace(original, **{name: getattr(captured, name) for name in UPDATED_FIELDS})
    assert stored.updated_at == later(5)

    voided = replace(stored, status=VOIDED, updated_at=later(20))
    assert not update(uow_factory, voided, AUTHORIZED)  # stale: it is captured by now
    assert must_get(uow_factory, alice, ref) == stored

    assert update(uow_factory, voided, CAPTURED)
    assert must_get(uow_factory, alice, ref) == voided


def test_update_of_an_unknown_ref_is_false(uow_factory: SqlUnitOfWorkFactory, tenants: Tenants) -> None:
    record = replace(charge_record(tenants.alice.key), ref="10000000000")

    assert not update(uow_factory, record, AUTHORIZED)


def test_a_rolled_back_update_changes_nothing(uow_factory: SqlUnitOfWorkFactory, tenants: Tenants) -> None:
    alice = tenants.alice.key
    ref = add_transaction(uow_factory, charge_record(alice))
    original = must_get(uow_factory, alice, ref)

    with uow_factory() as uow:
        assert uow.transactions.update(replace(original, status=VOIDED), AUTHORIZED)

    assert must_get(uow_factory, alice, ref) == original


@pytest.mark.parametrize("round_", range(3))
def test_exactly_one_locked_capture_wins(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants, round_: int
) -> None:
    alice = tenants.alice.key
    ref = add_transaction(uow_factory, charge_record(alice))

    def capture(index: int, barrier: threading.Barrier) -> str:
        barrier.wait()
        with uow_factory() as uow:
            current = uow.transactions.get(alice, ref, lock=True)
            assert current is not None
            if current.status is not AUTHORIZED:
                return "refused"
            captured = replace(
                current, status=CAPTURED, settle_amount=Decimal(index), updated_at=later(index)
            )
            if not uow.transactions.update(captured, AUTHORIZED):
                return "lost the compare-and-set"  # the lock should make this impossible
            uow.commit()
            return f"captured by {index}"

    outcomes = run_together(capture, CAPTURERS)

    winners = [outcome for outcome in outcomes if outcome.startswith("captured by")]
    assert len(winners) == 1
    assert sorted(outcomes) == sorted(winners + ["refused"] * (CAPTURERS - 1))
    winner = int(winners[0].removeprefix("captured by "))
    stored = must_get(uow_factory, alice, ref)
    assert (stored.status, stored.settle_amount, stored.updated_at) == (
        CAPTURED,
        Decimal(winner),
        later(winner),
    )


def test_without_a_lock_the_compare_and_set_still_lets_one_writer_win(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants, engine: Engine
) -> None:
    if engine.dialect.name == "sqlite":
        pytest.skip(
            "SQLite write units are serialised (BEGIN IMMEDIATE): no two can both read before either writes"
        )
    alice = tenants.alice.key
    ref = add_transaction(uow_factory, charge_record(alice))

    def capture(index: int, barrier: threading.Barrier) -> bool:
        with uow_factory() as uow:
            current = uow.transactions.get(alice, ref)
            assert current is not None
            assert current.status is AUTHORIZED
            barrier.wait()  # every writer has read the authorisation before any writes
            done = uow.transactions.update(
                replace(current, status=CAPTURED, updated_at=later(index)), AUTHORIZED
            )
            uow.commit()
            return done

    assert sorted(run_together(capture, CAPTURERS)) == [False] * (CAPTURERS - 1) + [True]
    assert must_get(uow_factory, alice, ref).status is CAPTURED


# --------------------------------------------------------------------------- refunds


def test_refunds_of_lists_the_refunds_oldest_first(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants
) -> None:
    alice = tenants.alice.key
    original = add_transaction(uow_factory, charge_record(alice, status=SETTLED))
    other = add_transaction(uow_factory, charge_record(alice, status=SETTLED))

    def refund(
        submitted_seconds: int, linked_to: str = original, kind: TransactionKind = TransactionKind.REFUND
    ) -> str:
        return add_transaction(
            uow_factory,
            charge_record(
                alice,
                kind=kind,
                status=TransactionStatus.REFUND_PENDING_SETTLEMENT,
                amount=Decimal(submitted_seconds),
                duplicate_key=f"refund-{submitted_seconds}",
                submitted_at=later(submitted_seconds),
                ref_trans_ref=linked_to,
            ),
        )

    third = refund(300)
    first = refund(100)
    second_a = refund(200)
    refund(150, linked_to=other)
    refund(160, kind=TransactionKind.CREDIT)  # not a refund, whatever it links to
    second_b = add_transaction(uow_factory, replace(must_get(uow_factory, alice, second_a), status=VOIDED))

    with uow_factory(write=False) as uow:
        refunds = uow.transactions.refunds_of(alice, original)
        none = uow.transactions.refunds_of(alice, third)

    assert [record.ref for record in refunds] == [first, second_a, second_b, third]
    assert [record.amount for record in refunds] == [Decimal(100), Decimal(200), Decimal(200), Decimal(300)]
    assert refunds[2].status is VOIDED  # voided refunds are listed too
    assert none == []


# --------------------------------------------------------------------------- validations


def test_add_validation_stores_a_voided_verification(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants, engine: Engine
) -> None:
    container = tenants.alice.container_key
    profile_ref = add_profile(uow_factory, container)
    with uow_factory() as uow:
        payment_profile_ref = uow.profiles.add_payment_profile(container, card_row(profile_ref))
        uow.commit()
    record = ValidationRecord(
        merchant_key=tenants.alice.key,
        payment_profile_ref=payment_profile_ref,
        amount=Money.of("9999999999999.99", "EUR"),
        auth_code="ABC123",
        response_code=1,
        reason_code=1,
        network_trans_id="NTI-1",
        created_at=NOW,
    )

    with uow_factory() as uow:
        ref = uow.transactions.add_validation(record)
        uow.commit()

    assert is_ref(ref, 11)
    assert must_get(uow_factory, tenants.alice.key, ref) == TransactionRecord(
        ref=ref,
        merchant_key=tenants.alice.key,
        kind=TransactionKind.VERIFICATION,
        status=VOIDED,
        amount=LARGEST,
        currency="EUR",
        settle_amount=Decimal("0.00"),
        refunded=Decimal("0.00"),
        response_code=1,
        reason_code=1,
        auth_code="ABC123",
        avs_result="",
        card_code_result="",
        cavv_result="",
        payment_method="card",
        account_last4="1111",
        account_type="Visa",
        fingerprint="fp-4111",
        duplicate_key="",
        submitted_at=NOW,
        network_trans_id="NTI-1",
        customer_profile_ref=profile_ref,
        payment_profile_ref=payment_profile_ref,
    )
    with engine.connect() as connection:
        row = connection.execute(select(transactions).where(transactions.c.ref == ref)).one()
    assert (row.kind, row.status) == ("verification", "voided")


def test_a_bank_validation_shows_an_echeck_account(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants
) -> None:
    container = tenants.alice.container_key
    profile_ref = add_profile(uow_factory, container)
    with uow_factory() as uow:
        payment_profile_ref = uow.profiles.add_payment_profile(container, bank_row(profile_ref))
        ref = uow.transactions.add_validation(
            ValidationRecord(
                merchant_key=tenants.alice.key,
                payment_profile_ref=payment_profile_ref,
                amount=Money.of("0.01", "USD"),
                auth_code="",
                response_code=2,
                reason_code=2,
                network_trans_id=None,
                created_at=NOW,
            )
        )
        uow.commit()

    stored = must_get(uow_factory, tenants.alice.key, ref)
    assert (stored.payment_method, stored.account_type, stored.account_last4) == ("bank", "eCheck", "6789")
    assert (stored.response_code, stored.network_trans_id) == (2, None)


def test_a_validation_never_copies_another_merchants_payment_profile(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants
) -> None:
    container = tenants.bob.container_key
    profile_ref = add_profile(uow_factory, container)
    with uow_factory() as uow:
        bobs = uow.profiles.add_payment_profile(container, card_row(profile_ref))
        ref = uow.transactions.add_validation(
            ValidationRecord(
                merchant_key=tenants.alice.key,
                payment_profile_ref=bobs,
                amount=Money.of("0.00", "USD"),
                auth_code="",
                response_code=3,
                reason_code=11,
                network_trans_id=None,
                created_at=NOW,
            )
        )
        uow.commit()

    stored = must_get(uow_factory, tenants.alice.key, ref)
    assert (
        stored.payment_method,
        stored.account_last4,
        stored.account_type,
        stored.fingerprint,
        stored.customer_profile_ref,
    ) == ("card", "", "", "", None)
    assert stored.payment_profile_ref == bobs
