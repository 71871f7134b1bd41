"""SmtpMailer: the `Mailer` port over the standard library's SMTP client."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

from strongroom.services.ports import MailUnavailable, OutboxMessage

DEFAULT_TIMEOUT_S = 30.0


class SmtpMailer:
    """One SMTP connection per message (STARTTLS and login when configured)."""

    def __init__(
        self,
        host: str,
        port: int,
        sender: str,
        *,
        starttls: bool = False,
        username: str | None = None,
        password: str | None = None,
        timeout: float = DEFAULT_TIMEOUT_S,
    ) -> None:
        self._host = host
        self._port = port
        self._sender = sender
        self._starttls = starttls
        self._username = username
        self._password = password
        self._timeout = timeout

    def send(self, message: OutboxMessage) -> None:
        try:
            email = self._email(message)
            with smtplib.SMTP(self._host, self._port, timeout=self._timeout) as client:
                if self._starttls:
                    client.starttls(context=ssl.create_default_context())
                if self._username:
                    client.login(self._username, self._password or "")
                client.send_message(email)
        except (smtplib.SMTPException, OSError, ValueError) as error:
            # The class name only: server replies and header errors may quote the message.
            raise MailUnavailable(f"SMTP delivery failed ({type(error).__name__})") from None

    def _email(self, message: OutboxMessage) -> EmailMessage:
        email = EmailMessage()
        email["From"] = self._sender
        email["To"] = message.recipient
        if message.reply_to:
            email["Reply-To"] = message.reply_to
        email["Subject"] = message.subject
        email.set_content(message.body)
        return email
