"""HttpWebhookSender: the `WebhookSender` port over the standard library's HTTP client.

A notification is accepted only by a 2xx answer. Redirects are not followed (a receiver that
moved must be updated by its merchant), response bodies are read only up to a small limit and
never kept, and every failure is reported by kind (HTTP status, timeout, refused connection)
without quoting the request or the answer.
"""

from __future__ import annotations

import socket
import urllib.error
import urllib.request
from collections.abc import Mapping

from strongroom import __version__
from strongroom.services.ports import DeliveryFailed

DEFAULT_TIMEOUT_S = 10.0
MAX_ANSWER_BYTES = 64 * 1024
USER_AGENT = f"Strongroom-Webhooks/{__version__}"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_: object, **__: object) -> None:
        return None  # not followed: the 3xx answer is raised as an HTTPError (a failed attempt)


class HttpWebhookSender:
    """One HTTP POST per notification, on a fresh connection."""

    def __init__(self, timeout: float = DEFAULT_TIMEOUT_S) -> None:
        self._timeout = timeout
        self._opener = urllib.request.build_opener(_NoRedirects())

    def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> None:
        # Webhook URLs are checked to be http(s) when stored (domain.webhooks.valid_url).
        request = urllib.request.Request(url, data=body, method="POST",  # noqa: S310
                                         headers={"User-Agent": USER_AGENT, **headers})
        try:
            with self._opener.open(request, timeout=self._timeout) as answer:
                status = int(answer.status)
                answer.read(MAX_ANSWER_BYTES)
        except urllib.error.HTTPError as error:
            error.close()
            raise DeliveryFailed(f"HTTP {error.code}") from None
        except urllib.error.URLError as error:
            raise DeliveryFailed(_reason(error.reason)) from None
        except TimeoutError:
            raise DeliveryFailed("timed out") from None
        except (OSError, ValueError) as error:
            raise DeliveryFailed(f"connection failed ({type(error).__name__})") from None
        if not 200 <= status < 300:
            raise DeliveryFailed(f"HTTP {status}")


def _reason(reason: object) -> str:
    if isinstance(reason, TimeoutError):
        return "timed out"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, socket.gaierror):
        return "host not found"
    return f"connection failed ({type(reason).__name__})"
