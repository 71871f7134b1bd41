"""Validation authorisations stored as transactions, with exact money."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Engine, select

from strongroom.domain.money import Money
from strongroom.services.ports import ValidationRecord
from strongroom.storage import SqlUnitOfWorkFactory
from strongroom.storage.tables import transactions
from tests.integration.storage.builders import NOW, is_ref
from tests.integration.storage.conftest import Tenants


def test_add_validation_stores_a_voided_validation(uow_factory: SqlUnitOfWorkFactory,
                                                   tenants: Tenants, engine: Engine) -> None:
    record = ValidationRecord(
        merchant_key=tenants.alice.key, payment_profile_ref="1234567890",
        amount=Money.of("9999999999999.99", "EUR"), auth_code="ABC123", response_code=1,
        reason_code=1, network_trans_id="NTI-1", created_at=NOW)

    with uow_factory() as uow:
        ref = uow.transactions.add_validation(record)
        uow.commit()

    assert is_ref(ref, 11)
    with engine.connect() as connection:
        row = connection.execute(select(transactions).where(transactions.c.ref == ref)).one()
    assert row.merchant_key == tenants.alice.key
    assert (row.kind, row.status) == ("validation", "voided")
    assert row.payment_profile_ref == "1234567890"
    assert row.amount == Decimal("9999999999999.99")
    assert row.currency == "EUR"
    assert (row.response_code, row.reason_code, row.auth_code) == (1, 1, "ABC123")
    assert row.network_trans_id == "NTI-1"
    assert row.created_at == NOW
