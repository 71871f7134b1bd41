"""SMTP settings: receipts are e-mailed only when STRONGROOM_SMTP_HOST is set."""

from __future__ import annotations

import pytest

from strongroom.config import DEFAULT_SMTP_PORT, DEFAULT_SMTP_SENDER, SettingsError, load_settings


def test_mail_is_off_by_default() -> None:
    settings = load_settings({})
    assert settings.smtp_host is None
    assert (settings.smtp_port, settings.smtp_sender) == (DEFAULT_SMTP_PORT, DEFAULT_SMTP_SENDER)
    assert not settings.smtp_starttls


def test_every_smtp_setting_is_read_and_the_password_never_shown() -> None:
    settings = load_settings(
        {
            "STRONGROOM_SMTP_HOST": " mail.example.com ",
            "STRONGROOM_SMTP_PORT": "587",
            "STRONGROOM_SMTP_FROM": "receipts@shop.example",
            "STRONGROOM_SMTP_STARTTLS": "true",
            "STRONGROOM_SMTP_USERNAME": "shop",
            "STRONGROOM_SMTP_PASSWORD": "s3cret-pass",
        }
    )
    assert (settings.smtp_host, settings.smtp_port, settings.smtp_sender) == (
        "mail.example.com",
        587,
        "receipts@shop.example",
    )
    assert settings.smtp_starttls
    assert (settings.smtp_username, settings.smtp_password) == ("shop", "s3cret-pass")
    assert "s3cret-pass" not in repr(settings)


@pytest.mark.parametrize("port", ["0", "70000", "smtp"])
def test_a_bad_smtp_port_is_refused(port: str) -> None:
    with pytest.raises(SettingsError):
        load_settings({"STRONGROOM_SMTP_PORT": port})
