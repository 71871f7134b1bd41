"""Migrations: linear, reversible on both engines, and producing exactly tables.metadata."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    Engine,
    Integer,
    LargeBinary,
    String,
    column,
    inspect,
    select,
    table,
)

from strongroom.domain.split_tenders import SplitTenderStatus
from strongroom.domain.transactions import TransactionKind, TransactionStatus
from strongroom.services.ports import (
    PageRequest,
    SplitTenderOrder,
    TransactionRecord,
    TransactionSort,
)
from strongroom.storage import (
    SqlUnitOfWorkFactory,
    create_engine_for,
    current_revision,
    downgrade,
    head_revision,
    schema_differences,
    upgrade,
)
from strongroom.storage.column_types import UtcDateTime
from strongroom.storage.engine import transaction
from strongroom.storage.tables import metadata
from tests.integration.storage.builders import NOW, add_profile, card_row, later

VAULT_TABLES = {"customer_profiles", "payment_profiles", "shipping_addresses"}


def table_names(url: str) -> set[str]:
    engine = create_engine_for(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_upgrade_creates_every_table_at_head(database_url: str) -> None:
    assert current_revision(database_url) is None

    upgrade(database_url)

    assert current_revision(database_url) == head_revision()
    assert table_names(database_url) == set(metadata.tables)


def test_migrated_schema_matches_the_metadata(database_url: str) -> None:
    upgrade(database_url)

    assert schema_differences(database_url) == []


def test_drift_check_notices_a_missing_revision(database_url: str) -> None:
    upgrade(database_url, "0002")

    assert schema_differences(database_url) != []


def test_upgrade_downgrade_upgrade_round_trip(database_url: str) -> None:
    upgrade(database_url)

    downgrade(database_url, "0001")
    assert current_revision(database_url) == "0001"
    assert table_names(database_url) == {"merchants", "profile_containers", "data_keys"}

    downgrade(database_url, "base")
    assert current_revision(database_url) is None
    assert table_names(database_url) == set()

    upgrade(database_url)
    assert current_revision(database_url) == head_revision()
    assert schema_differences(database_url) == []


def test_upgrade_is_idempotent(database_url: str) -> None:
    upgrade(database_url)
    upgrade(database_url)

    assert current_revision(database_url) == head_revision()
    assert table_names(database_url) >= VAULT_TABLES


# The transactions table as revision 0003 made it.
TRANSACTIONS_0003 = table(
    "transactions",
    column("ref", String),
    column("merchant_key", Integer),
    column("kind", String),
    column("payment_profile_ref", String),
    column("amount", BigInteger),
    column("currency", String),
    column("response_code", Integer),
    column("reason_code", Integer),
    column("auth_code", String),
    column("network_trans_id", String),
    column("status", String),
    column("created_at", UtcDateTime),
)


# merchants and their default containers as every revision before 0010 made them.
MERCHANTS_0001 = table(
    "merchants",
    column("key", Integer),
    column("name", String),
    column("login_id", String),
    column("credential_salt", LargeBinary),
    column("transaction_key_digest", LargeBinary),
    column("public_client_key", String),
    column("is_sandbox", Boolean),
    column("created_at", UtcDateTime),
)
CONTAINERS_0001 = table(
    "profile_containers",
    column("key", Integer),
    column("owner_merchant_key", Integer),
    column("is_default", Boolean),
    column("created_at", UtcDateTime),
)


def add_old_merchant(engine: Engine, login_id: str) -> tuple[int, int]:
    """(merchant key, default container key) of a merchant inserted as revisions before 0010
    stored one (today's repository writes columns they lack)."""
    with transaction(engine, write=True) as connection:
        key = connection.execute(
            MERCHANTS_0001.insert()
            .values(
                name=f"Merchant {login_id}",
                login_id=login_id,
                credential_salt=b"salt",
                transaction_key_digest=b"digest",
                public_client_key=f"pck-{login_id}",
                is_sandbox=True,
                created_at=NOW,
            )
            .returning(MERCHANTS_0001.c.key)
        ).scalar_one()
        container = connection.execute(
            CONTAINERS_0001.insert()
            .values(owner_merchant_key=key, is_default=True, created_at=NOW)
            .returning(CONTAINERS_0001.c.key)
        ).scalar_one()
    return int(key), int(container)


def test_0004_keeps_stored_validations_as_verifications(database_url: str) -> None:
    upgrade(database_url, "0003")
    engine = create_engine_for(database_url)
    try:
        uow_factory = SqlUnitOfWorkFactory(engine)
        merchant_key, container_key = add_old_merchant(engine, "alice")
        profile_ref = add_profile(uow_factory, container_key)
        with uow_factory() as uow:
            payment_profile_ref = uow.profiles.add_payment_profile(container_key, card_row(profile_ref))
            uow.commit()
        old = {
            "merchant_key": merchant_key,
            "kind": "validation",
            "amount": 1,
            "currency": "USD",
            "response_code": 1,
            "reason_code": 1,
            "auth_code": "ABC123",
            "network_trans_id": "NTI-1",
            "status": "voided",
            "created_at": NOW,
        }
        with transaction(engine, write=True) as connection:
            connection.execute(
                TRANSACTIONS_0003.insert().values(
                    ref="10000000001", payment_profile_ref=payment_profile_ref, **old
                )
            )
            connection.execute(
                TRANSACTIONS_0003.insert().values(ref="10000000002", payment_profile_ref="1000000000", **old)
            )

        upgrade(database_url)

        with uow_factory(write=False) as uow:
            known = uow.transactions.get(merchant_key, "10000000001")
            unknown = uow.transactions.get(merchant_key, "10000000002")
        assert known == TransactionRecord(
            ref="10000000001",
            merchant_key=merchant_key,
            kind=TransactionKind.VERIFICATION,
            status=TransactionStatus.VOIDED,
            amount=Decimal("0.01"),
            currency="USD",
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
        assert unknown is not None
        assert (
            unknown.kind,
            unknown.payment_method,
            unknown.account_last4,
            unknown.customer_profile_ref,
        ) == (TransactionKind.VERIFICATION, "card", "", None)
        assert schema_differences(database_url) == []

        downgrade(database_url, "0003")

        with transaction(engine, write=False) as connection:
            rows = connection.execute(
                select(
                    TRANSACTIONS_0003.c.ref, TRANSACTIONS_0003.c.kind, TRANSACTIONS_0003.c.created_at
                ).order_by(TRANSACTIONS_0003.c.ref)
            ).all()
        assert [tuple(row) for row in rows] == [
            ("10000000001", "validation", NOW),
            ("10000000002", "validation", NOW),
        ]

        upgrade(database_url)

        with uow_factory(write=False) as uow:
            assert uow.transactions.get(merchant_key, "10000000001") == known
    finally:
        engine.dispose()


# The transactions and batches tables as revision 0007 left them (the columns written here).
TRANSACTIONS_0007 = table(
    "transactions",
    *(
        column(name, String)
        for name in (
            "ref",
            "kind",
            "status",
            "currency",
            "auth_code",
            "avs_result",
            "card_code_result",
            "cavv_result",
            "payment_method",
            "account_last4",
            "account_type",
            "fingerprint",
            "duplicate_key",
            "processor_reference",
            "details_json",
            "batch_ref",
            "split_tender_id",
        )
    ),
    *(column(name, Integer) for name in ("merchant_key", "response_code", "reason_code")),
    *(column(name, BigInteger) for name in ("amount", "settle_amount", "refunded")),
    column("submitted_at", UtcDateTime),
)
BATCHES_0007 = table(
    "batches",
    column("ref", String),
    column("merchant_key", Integer),
    column("payment_method", String),
    column("settlement_state", String),
    column("settled_at", UtcDateTime),
    column("settlement_timezone", String),
    column("created_at", UtcDateTime),
)


def test_0010_numbers_closed_batches_and_gives_merchants_gateway_ids(database_url: str) -> None:
    upgrade(database_url, "0007")
    engine = create_engine_for(database_url)
    try:
        alice, _ = add_old_merchant(engine, "alice")
        bob, _ = add_old_merchant(engine, "bob")
        seconds = (30, 10, 20)  # inserted out of time order
        with transaction(engine, write=True) as connection:
            connection.execute(
                BATCHES_0007.insert().values(
                    ref="40000001",
                    merchant_key=alice,
                    payment_method="card",
                    settlement_state="settled",
                    settled_at=NOW,
                    settlement_timezone="UTC",
                    created_at=NOW,
                )
            )
            for number, second in enumerate(seconds):
                connection.execute(
                    TRANSACTIONS_0007.insert().values(
                        ref=f"1000000000{number}",
                        merchant_key=alice,
                        kind="charge",
                        status="settled",
                        amount=100,
                        currency="USD",
                        settle_amount=100,
                        refunded=0,
                        response_code=1,
                        reason_code=1,
                        auth_code="A1",
                        avs_result="Y",
                        card_code_result="M",
                        cavv_result="",
                        payment_method="card",
                        account_last4="1111",
                        account_type="Visa",
                        fingerprint="fp",
                        duplicate_key=str(number),
                        processor_reference="",
                        details_json="{}",
                        submitted_at=NOW - timedelta(seconds=second),
                        batch_ref="40000001",
                    )
                )

        upgrade(database_url)

        uow_factory = SqlUnitOfWorkFactory(engine)
        with uow_factory(write=False) as uow:
            page = uow.reporting.batch_transactions(alice, "40000001", PageRequest())
            by_id = uow.reporting.batch_transactions(
                alice, "40000001", PageRequest(TransactionSort.ID, descending=True)
            )
            gateway_ids = [uow.merchants.details(key) for key in (alice, bob)]
        assert [record.ref for record in page.records] == ["10000000000", "10000000002", "10000000001"]
        assert [record.ref for record in by_id.records] == ["10000000002", "10000000001", "10000000000"]
        assert page.total == 3
        ids = [details.gateway_id for details in gateway_ids if details is not None]
        assert len(set(ids)) == 2
        assert all(re.fullmatch(r"[1-9][0-9]{8}", value) for value in ids)
        assert schema_differences(database_url) == []

        downgrade(database_url, "0007")
        upgrade(database_url)
        assert schema_differences(database_url) == []
    finally:
        engine.dispose()


def test_0008_opens_an_order_for_each_split_tender_id_in_use(database_url: str) -> None:
    upgrade(database_url, "0007")
    engine = create_engine_for(database_url)
    try:
        uow_factory = SqlUnitOfWorkFactory(engine)
        alice, _ = add_old_merchant(engine, "alice")
        bob, _ = add_old_merchant(engine, "bob")
        row = {
            "kind": "charge",
            "status": "captured_pending_settlement",
            "amount": 100,
            "currency": "USD",
            "settle_amount": 100,
            "refunded": 0,
            "response_code": 1,
            "reason_code": 1,
            "auth_code": "ABC123",
            "avs_result": "Y",
            "card_code_result": "",
            "cavv_result": "",
            "payment_method": "card",
            "account_last4": "1111",
            "account_type": "Visa",
            "fingerprint": "fp",
            "duplicate_key": "",
            "processor_reference": "",
            "details_json": "{}",
        }
        rows = [
            ("10000000001", alice, "555", later(60)),
            ("10000000002", alice, "555", NOW),
            ("10000000003", bob, "555", later(5)),
            ("10000000004", alice, None, NOW),
        ]
        with transaction(engine, write=True) as connection:
            for ref, merchant_key, split_tender_id, submitted_at in rows:
                connection.execute(
                    TRANSACTIONS_0007.insert().values(
                        ref=ref,
                        merchant_key=merchant_key,
                        split_tender_id=split_tender_id,
                        submitted_at=submitted_at,
                        **row,
                    )
                )

        upgrade(database_url)

        with uow_factory(write=False) as uow:
            orders = [uow.split_tenders.get(key, "555") for key in (alice, bob)]
        assert orders == [
            SplitTenderOrder(alice, "555", SplitTenderStatus.OPEN, NOW),
            SplitTenderOrder(bob, "555", SplitTenderStatus.OPEN, later(5)),
        ]
        assert schema_differences(database_url) == []
        downgrade(database_url, "0007")
        assert "split_tender_orders" not in table_names(database_url)
    finally:
        engine.dispose()
