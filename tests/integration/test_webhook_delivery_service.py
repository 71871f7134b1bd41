"""WebhookDelivery when parts of a run go wrong: one merchant's unreadable signature key or a
sender that breaks unexpectedly costs that notification an attempt, never the rest of the run
(both engines; the sender records instead of sending)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from strongroom.bootstrap import Application, build
from strongroom.clocks import MovableClock
from strongroom.domain.merchants import Merchant
from strongroom.domain.webhooks import NotificationState
from strongroom.services.ports import Vault
from strongroom.services.webhooks.delivery import WebhookDelivery
from strongroom.services.webhooks.management import WebhookDraft
from strongroom.storage import SqlUnitOfWorkFactory, create_engine_for
from tests.api.live_server import START, settings_for
from tests.integration.payments.conftest import charge

AUTHCAPTURE = "net.authorize.payment.authcapture.created"


@dataclass
class RecordingSender:
    """Accepts every POST except to URLs in `explode_for`, where it breaks unexpectedly."""

    explode_for: set[str] = field(default_factory=set)
    posted: list[str] = field(default_factory=list)

    def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> None:
        if url in self.explode_for:
            raise RuntimeError("a bug in the sender")
        assert headers["X-ANET-Signature"].startswith("sha512=")
        self.posted.append(url)


class KeyLessVault:
    """The real vault, except that unsealing anything for `broken` fails."""

    def __init__(self, real: Vault, broken: int) -> None:
        self._real = real
        self._broken = broken

    def seal(self, merchant_key: int, record: str, plaintext: bytes) -> bytes:
        return self._real.seal(merchant_key, record, plaintext)

    def unseal(self, merchant_key: int, record: str, blob: bytes) -> bytes:
        if merchant_key == self._broken:
            raise ValueError("data key unavailable")
        return self._real.unseal(merchant_key, record, blob)

    def fingerprint(self, merchant_key: int, value: str) -> str:
        return self._real.fingerprint(merchant_key, value)

    def credential_digest(self, secret: str, salt: bytes) -> bytes:
        return self._real.credential_digest(secret, salt)

    def prepare(self, merchant_key: int) -> None:
        self._real.prepare(merchant_key)


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[Application]:
    settings = settings_for(database_url, tmp_path / "data")
    settings.data_dir.mkdir(parents=True)
    application = build(settings, clock=MovableClock(START))
    try:
        yield application
    finally:
        application.close()


def shop_with_a_charge(app: Application, name: str) -> tuple[Merchant, str]:
    services = app.services
    merchant, _ = services.merchants.create(name, name)
    url = f"http://127.0.0.1:9/{name}"
    services.webhooks.create(merchant, WebhookDraft(url, (AUTHCAPTURE,)))
    assert services.payments.charge(merchant, charge("10.00")).record is not None
    return merchant, url


def states(app: Application, merchant: Merchant) -> list[tuple[NotificationState, int, str]]:
    return [
        (row.state, row.attempts, row.last_error or "")
        for row in app.services.webhooks.notifications(merchant)
    ]


def test_an_unreadable_key_or_a_broken_sender_costs_only_that_notification(
    app: Application, database_url: str
) -> None:
    broken_key, broken_key_url = shop_with_a_charge(app, "broken-key")
    exploding, exploding_url = shop_with_a_charge(app, "exploding")
    fine, fine_url = shop_with_a_charge(app, "fine")
    engine = create_engine_for(database_url)
    sender = RecordingSender(explode_for={exploding_url})
    try:
        delivery = WebhookDelivery(
            SqlUnitOfWorkFactory(engine), KeyLessVault(app.vault, broken_key.key), sender, app.services.clock
        )
        report = delivery.deliver()
    finally:
        engine.dispose()
    assert (report.delivered, report.retrying, report.failed) == (1, 2, 0)
    assert sender.posted == [fine_url]
    assert broken_key_url not in sender.posted
    assert states(app, broken_key) == [(NotificationState.PENDING, 1, "the signature key could not be read")]
    assert states(app, exploding) == [(NotificationState.PENDING, 1, "internal error (RuntimeError)")]
    assert states(app, fine) == [(NotificationState.DELIVERED, 1, "")]
