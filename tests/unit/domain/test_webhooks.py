"""Webhook URL and name rules, and the retry schedule."""

from __future__ import annotations

from datetime import timedelta

import pytest

from strongroom.domain.errors import FieldLength, InvalidField, MissingField
from strongroom.domain.webhooks import RetrySchedule, valid_name, valid_url


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com",
        "https://example.com/a/b?c=d#e",
        "HTTPS://EXAMPLE.COM/",
        "http://127.0.0.1:8080/hook",
        "https://[2001:db8::1]/h",
    ],
)
def test_http_and_https_urls_with_a_host_are_valid(url: str) -> None:
    assert valid_url(url) == url


def test_surrounding_blanks_are_trimmed() -> None:
    assert valid_url("  https://example.com/h \t") == "https://example.com/h"


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com",
        "file:///etc/hosts",
        "gopher://x",
        "//example.com/h",
        "example.com",
        "https:example.com",
        "https://",
        "http://:80/",
        "https://exa mple.com",
        "https://example.com/\x00",
        "https://example.com:http/",
        "https://example.com:70000/",
        "https://[::1/",
        "https://user@example.com/",
        "https://u:p@example.com/",
    ],
)
def test_other_urls_are_refused(url: str) -> None:
    with pytest.raises(InvalidField) as refused:
        valid_url(url)
    assert refused.value.field == "url"


def test_a_missing_or_overlong_url() -> None:
    with pytest.raises(MissingField):
        valid_url(" ")
    with pytest.raises(FieldLength):
        valid_url("https://example.com/" + "x" * 2030)
    assert valid_url("https://example.com/" + "x" * 2028).endswith("x")


def test_names_are_optional_and_bounded() -> None:
    assert valid_name(None) is None
    assert valid_name("  ") is None
    assert valid_name(" Orders ") == "Orders"
    with pytest.raises(FieldLength):
        valid_name("n" * 101)


def test_the_default_schedule_doubles_from_a_minute_up_to_four_hours_ten_attempts() -> None:
    schedule = RetrySchedule()
    minutes = [wait / timedelta(minutes=1) for wait in schedule.waits()]
    assert minutes == [1, 2, 4, 8, 16, 32, 64, 128, 240]
    assert schedule.wait_after(10) is None
    assert schedule.wait_after(500) is None


def test_a_custom_schedule() -> None:
    schedule = RetrySchedule(timedelta(seconds=10), timedelta(seconds=30), attempts=5)
    assert schedule.waits() == [
        timedelta(seconds=10),
        timedelta(seconds=20),
        timedelta(seconds=30),
        timedelta(seconds=30),
    ]
    with pytest.raises(ValueError, match="failed attempt"):
        schedule.wait_after(0)
    with pytest.raises(ValueError, match="positive"):
        RetrySchedule(timedelta(0))
