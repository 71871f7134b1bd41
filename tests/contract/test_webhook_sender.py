"""The WebhookSender contract over the fake the delivery-service tests use (RecordingSender) and
HttpWebhookSender posting to a real receiver on loopback: a notification the receiver accepts is
delivered once per post, with its signature header."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from strongroom.delivery.http import HttpWebhookSender
from strongroom.services.ports import WebhookSender
from tests.api.webhook_receiver import Receiver, expected_signature
from tests.integration.test_webhook_delivery_service import RecordingSender

SIGNATURE_KEY = "A1" * 64


@dataclass
class Line:
    """A sender, a URL that accepts, and how many posts reached that URL so far."""

    sender: WebhookSender
    url: str
    deliveries: Callable[[], int]


@pytest.fixture(params=["recording", "http"])
def line(request: pytest.FixtureRequest) -> Iterator[Line]:
    if request.param == "recording":
        recording = RecordingSender()
        url = "http://127.0.0.1:9/hooks/recorded"
        yield Line(recording, url, lambda: recording.posted.count(url))
        return
    receiver = Receiver()
    try:
        url = receiver.endpoint(SIGNATURE_KEY)
        yield Line(HttpWebhookSender(timeout=30), url, lambda: len(receiver.accepted(url)))
    finally:
        receiver.close()


def signed(body: bytes) -> dict[str, str]:
    return {"Content-Type": "application/json", "X-ANET-Signature": expected_signature(SIGNATURE_KEY, body)}


def test_an_accepted_post_is_delivered_once(line: Line) -> None:
    body = b'{"notificationId":"n-1","eventType":"net.authorize.payment.authcapture.created"}'

    line.sender.post(line.url, body, signed(body))

    assert line.deliveries() == 1  # the receiver counts it only when the signature matches


def test_every_post_is_a_delivery_of_its_own(line: Line) -> None:
    bodies = [f'{{"notificationId":"n-{n}"}}'.encode() for n in range(3)]

    for body in bodies:
        line.sender.post(line.url, body, signed(body))

    assert line.deliveries() == len(bodies)
