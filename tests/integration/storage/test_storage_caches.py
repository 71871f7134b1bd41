"""The per-process caches on a real database, on both engines: two unit-of-work factories with
caches of their own stand for two processes. A change is seen at once where it was made, and
by the other once its cache bound has passed (an injected clock: no waiting)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Engine, func, select

from strongroom.domain.events import EventType
from strongroom.domain.fraud import FilterKind, FraudAction, FraudFilter
from strongroom.domain.money import Money
from strongroom.domain.webhooks import WebhookStatus
from strongroom.services.ports import WebhookRow
from strongroom.storage import SqlUnitOfWorkFactory
from strongroom.storage.caches import StorageCaches
from strongroom.storage.data_keys import SqlDataKeyStore
from strongroom.storage.engine import shared_transaction
from strongroom.storage.tables import webhook_notifications
from tests.integration.storage.builders import NOW, add_merchant
from tests.integration.storage.conftest import Tenants

CHARGE = EventType.AUTHCAPTURE_CREATED


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


class Process:
    """One process's view of the database: its own caches and clock."""

    def __init__(self, engine: Engine) -> None:
        self.clock = FakeMonotonic()
        self.caches = StorageCaches(1.0, self.clock)
        self.units = SqlUnitOfWorkFactory(engine, caches=self.caches)
        self.data_keys = SqlDataKeyStore(engine, self.caches)

    def digest_of(self, login_id: str) -> bytes | None:
        with self.units(write=False) as uow:
            row = uow.merchants.by_login(login_id)
        return None if row is None else row.transaction_key_digest

    def filter_names(self, merchant_key: int) -> list[str]:
        with self.units() as uow:
            return [item.name for item in uow.fraud.filters(merchant_key)]

    def record_charge(self, merchant_key: int) -> int:
        with self.units() as uow:
            sent = uow.events.record(merchant_key, CHARGE, {"id": "1"}, NOW)
            uow.commit()
        return sent


def test_a_new_transaction_key_is_seen_here_at_once_and_there_within_the_bound(
    engine: Engine, tenants: Tenants
) -> None:
    here, there = Process(engine), Process(engine)
    assert here.digest_of("alice") == there.digest_of("alice") == b"digest"

    with here.units() as uow:
        uow.merchants.set_transaction_key(tenants.alice.key, b"new-salt", b"new-digest")
        uow.commit()

    assert here.digest_of("alice") == b"new-digest"
    assert there.digest_of("alice") == b"digest"  # its cache entry is still within the bound
    there.clock.now += 1.0
    assert there.digest_of("alice") == b"new-digest"


def test_a_change_rolled_back_leaves_the_cached_row_right(engine: Engine, tenants: Tenants) -> None:
    here = Process(engine)
    here.digest_of("alice")

    with here.units() as uow:
        uow.merchants.set_transaction_key(tenants.alice.key, b"new-salt", b"new-digest")
        assert uow.merchants.by_login("alice") is not None  # read inside the change: not kept stale

    assert here.digest_of("alice") == b"digest"


def test_an_unknown_login_becomes_known_within_the_bound(engine: Engine, tenants: Tenants) -> None:
    here, there = Process(engine), Process(engine)
    assert there.digest_of("carol") is None

    with here.units() as uow:
        add_merchant(uow, "carol")
        uow.commit()

    assert here.digest_of("carol") == b"digest"
    there.clock.now += 1.0
    assert there.digest_of("carol") == b"digest"


def test_fraud_filters_added_and_disabled_reach_the_other_process(engine: Engine, tenants: Tenants) -> None:
    here, there = Process(engine), Process(engine)
    merchant = tenants.alice.key
    assert there.filter_names(merchant) == []
    big = FraudFilter("Big", FilterKind.AMOUNT_OVER, FraudAction.HOLD, threshold=Money(Decimal("100.00")))

    with here.units() as uow:
        uow.fraud.add(merchant, big, NOW)
        uow.commit()

    assert here.filter_names(merchant) == ["Big"]
    assert there.filter_names(merchant) == []
    there.clock.now += 1.0
    assert there.filter_names(merchant) == ["Big"]
    assert there.filter_names(tenants.bob.key) == []

    with here.units() as uow:
        uow.fraud.remove(merchant, "Big")
        uow.commit()
    there.clock.now += 1.0
    assert (here.filter_names(merchant), there.filter_names(merchant)) == ([], [])


def test_webhooks_added_elsewhere_get_events_once_the_bound_passes(engine: Engine, tenants: Tenants) -> None:
    here, there = Process(engine), Process(engine)
    merchant = tenants.alice.key
    assert there.record_charge(merchant) == 0  # caches "nobody listens"

    with here.units() as uow:
        uow.webhooks.add(
            WebhookRow("wh-1", merchant, "https://example.test/hook", (CHARGE,), WebhookStatus.ACTIVE, NOW)
        )
        uow.commit()

    assert here.record_charge(merchant) == 1
    assert there.record_charge(merchant) == 0
    there.clock.now += 1.0
    assert there.record_charge(merchant) == 1


def test_a_webhook_deleted_elsewhere_never_breaks_a_charge(engine: Engine, tenants: Tenants) -> None:
    here, there = Process(engine), Process(engine)
    merchant = tenants.alice.key
    with here.units() as uow:
        uow.webhooks.add(
            WebhookRow("wh-1", merchant, "https://example.test/hook", (CHARGE,), WebhookStatus.ACTIVE, NOW)
        )
        uow.commit()
    assert there.record_charge(merchant) == 1  # caches the webhook

    with here.units() as uow:
        assert uow.webhooks.delete(merchant, "wh-1")
        uow.commit()

    assert there.record_charge(merchant) == 0  # the cached list is only a hint: re-read, held
    with engine.connect() as connection:
        count = connection.scalar(select(func.count()).select_from(webhook_notifications))
    assert count == 0  # the first notification went with its webhook (cascade)


def test_the_newest_data_key_is_cached_and_a_version_added_here_is_used_at_once(
    engine: Engine, tenants: Tenants
) -> None:
    here, there = Process(engine), Process(engine)
    merchant = tenants.alice.key
    first = here.data_keys.add(merchant, "data", 1, b"wrapped-1", 1)
    assert there.data_keys.current(merchant, "data") == first

    second = here.data_keys.add(merchant, "data", 2, b"wrapped-2", 1)

    assert here.data_keys.current(merchant, "data") == second
    assert there.data_keys.current(merchant, "data") == first
    there.clock.now += 1.0
    assert there.data_keys.current(merchant, "data") == second


def test_reads_inside_a_shared_transaction_are_not_kept(engine: Engine, tenants: Tenants) -> None:
    here = Process(engine)
    merchant = tenants.alice.key

    with shared_transaction(engine):
        here.data_keys.add(merchant, "data", 1, b"wrapped-1", 1)
        assert here.data_keys.current(merchant, "data") is not None
        assert here.filter_names(merchant) == []
        # the shared transaction is never committed: the key is gone

    assert here.data_keys.current(merchant, "data") is None
    assert len(here.caches.fraud_filters) == 0
