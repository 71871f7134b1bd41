"""The notification body and its X-ANET-Signature, checked against the wire reference's test
vector (section 6.8): the signature key is used as its text, not hex-decoded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

from strongroom.domain.events import EventType, encode_payload
from strongroom.domain.sensitive import Secret
from strongroom.services.webhooks.signing import (
    event_date,
    notification_body,
    signature,
    signed_headers,
)

# Authorize.Net's published sample signature key (also the transHashSha2 sample).
SAMPLE_KEY = (
    "14B9609FFE2378449B3C0886046DD3B0F20DF12DEB758E48B5FFE1B5875615F0D2A50F7DDB1EAC41"
    "7EBF76A1FAC374079793650AA493CE127601CB0960938E82"
)
VECTOR_BODY = (
    b'{"notificationId":"00000000-0000-0000-0000-000000000001",'
    b'"eventType":"net.authorize.payment.authcapture.created",'
    b'"eventDate":"2025-01-01T00:00:00.0000000Z",'
    b'"webhookId":"00000000-0000-0000-0000-000000000002",'
    b'"payload":{"responseCode":1,"authCode":"ABC123","avsResponse":"Y","authAmount":12.23,'
    b'"entityName":"transaction","id":"60000000001"}}'
)
VECTOR_SIGNATURE = (
    "sha512=A1E6DF672537E06F9894D129F32F833292F266DB0F45FFAA56595599FBF113D5"
    "8260297726EB9F476F7347BA172780E260603F23EBDAC1C3ACC479767CC4291E"
)


def vector_body() -> bytes:
    payload = encode_payload(
        {
            "responseCode": 1,
            "authCode": "ABC123",
            "avsResponse": "Y",
            "authAmount": Decimal("12.23"),
            "entityName": "transaction",
            "id": "60000000001",
        }
    )
    return notification_body(
        "00000000-0000-0000-0000-000000000001",
        EventType.AUTHCAPTURE_CREATED,
        datetime(2025, 1, 1, tzinfo=UTC),
        "00000000-0000-0000-0000-000000000002",
        payload,
    )


def test_the_body_is_built_byte_for_byte_as_documented() -> None:
    assert vector_body() == VECTOR_BODY


def test_the_signature_matches_the_test_vector() -> None:
    assert signature(Secret(SAMPLE_KEY), VECTOR_BODY) == VECTOR_SIGNATURE
    assert signed_headers(Secret(SAMPLE_KEY), VECTOR_BODY) == {
        "Content-Type": "application/json",
        "X-ANET-Signature": VECTOR_SIGNATURE,
    }


def test_the_signature_covers_every_byte_and_the_exact_key() -> None:
    assert signature(Secret(SAMPLE_KEY), VECTOR_BODY.replace(b"12.23", b"12.230")) != VECTOR_SIGNATURE
    assert signature(Secret(SAMPLE_KEY.lower()), VECTOR_BODY) != VECTOR_SIGNATURE


def test_event_dates_have_seven_fractional_digits_in_utc() -> None:
    local = timezone(timedelta(hours=-7))
    assert event_date(datetime(2026, 3, 4, 5, 6, 7, 123456, tzinfo=local)) == "2026-03-04T12:06:07.1234560Z"
