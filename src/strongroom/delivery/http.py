"""HttpWebhookSender: the `WebhookSender` port over the standard library's HTTP client.

A notification is accepted only by a 2xx answer. Redirects are not followed (a receiver that
moved must be updated by its merchant), headers go out with their exact names
(`X-ANET-Signature`), answers are read only up to a small limit and never kept, and every
failure is reported by kind (HTTP status, timeout, refused connection) without quoting the
request or the answer.
"""

from __future__ import annotations

import http.client
import socket
import ssl
from collections.abc import Mapping
from urllib.parse import urlsplit

from strongroom import __version__
from strongroom.services.ports import DeliveryFailed

DEFAULT_TIMEOUT_S = 10.0
MAX_ANSWER_BYTES = 64 * 1024
USER_AGENT = f"Strongroom-Webhooks/{__version__}"


class HttpWebhookSender:
    """One HTTP POST per notification, on a fresh connection (TLS verified for https)."""

    def __init__(self, timeout: float = DEFAULT_TIMEOUT_S) -> None:
        self._timeout = timeout
        self._tls = ssl.create_default_context()

    def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> None:
        connection, target = self._connection(url)
        try:
            connection.request("POST", target, body=body, headers={"User-Agent": USER_AGENT, **headers})
            answer = connection.getresponse()
            answer.read(MAX_ANSWER_BYTES)
            status = answer.status
        except TimeoutError:
            raise DeliveryFailed("timed out") from None
        except ConnectionRefusedError:
            raise DeliveryFailed("connection refused") from None
        except socket.gaierror:
            raise DeliveryFailed("host not found") from None
        except ssl.SSLError as error:
            raise DeliveryFailed(f"TLS failed ({type(error).__name__})") from None
        except (OSError, http.client.HTTPException, ValueError) as error:
            raise DeliveryFailed(f"connection failed ({type(error).__name__})") from None
        finally:
            connection.close()
        if not 200 <= status < 300:
            raise DeliveryFailed(f"HTTP {status}")

    def _connection(self, url: str) -> tuple[http.client.HTTPConnection, str]:
        """A connection to the URL's host and the request target (path and query)."""
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError:
            raise DeliveryFailed("invalid url") from None
        host = parts.hostname
        scheme = parts.scheme.lower()
        if not host or scheme not in ("http", "https"):
            raise DeliveryFailed("invalid url")
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        if scheme == "https":
            return http.client.HTTPSConnection(host, port, timeout=self._timeout, context=self._tls), target
        return http.client.HTTPConnection(host, port, timeout=self._timeout), target
