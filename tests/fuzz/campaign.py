"""The fuzz campaign against one live server: a merchant with real records to aim at, the
server's log captured, and the one check every answer must pass (no 5xx, no E00001, no
traceback or ERROR line in the log, each door's own error shape). Shared with bench/fuzz.py."""

from __future__ import annotations

import json
import logging
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx
from lxml import etree

from tests.api.live_server import LiveServer
from tests.api.raw import NS, Pairs, auth, call, envelope
from tests.api.sdk import ApiMerchant, new_merchant
from tests.fuzz.generators import EVENT_TYPE, Request

BOM = b"\xef\xbb\xbf"
LOGGERS = ("", "strongroom", "uvicorn", "uvicorn.error", "uvicorn.asgi")
CARD = [
    ("creditCard", [("cardNumber", "4111111111111111"), ("expirationDate", "2035-12"), ("cardCode", "123")])
]
BILL_TO = [("firstName", "Ellen"), ("lastName", "Johnson"), ("zip", "44628")]
REST_ERROR_MEMBERS = ["status", "reason", "message", "correlationId"]


class LogCapture(logging.Handler):
    """Every record at WARNING or above from the server's loggers, across threads."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []
        self._guard = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        with self._guard:
            self.records.append(record)

    def take(self) -> list[logging.LogRecord]:
        with self._guard:
            taken, self.records = self.records, []
        return taken

    def attach(self) -> None:
        for name in LOGGERS:
            logging.getLogger(name).addHandler(self)

    def detach(self) -> None:
        for name in LOGGERS:
            logging.getLogger(name).removeHandler(self)


def log_problems(records: list[logging.LogRecord]) -> list[str]:
    problems = []
    seen: set[int] = set()
    for record in records:
        if id(record) in seen:  # the same record reaches several of our handlers' loggers
            continue
        seen.add(id(record))
        text = record.getMessage()
        if record.levelno >= logging.ERROR or record.exc_info or "Traceback" in text:
            problems.append(f"log {record.levelname} {record.name}: {text[:500]}")
    return problems


@dataclass
class Tally:
    """What a run sent and saw."""

    sent: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    codes: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)


def _check_id(value: str | None, what: str) -> str:
    assert value, f"fuzz fixture: no {what}"
    return value


class Campaign:
    """A merchant with one of each record on `server`, and the checked way to send requests."""

    def __init__(self, server: LiveServer, capture: LogCapture) -> None:
        self.server = server
        self.capture = capture
        self.merchant: ApiMerchant = new_merchant(server, "Fuzz merchant")
        self.tally = Tally()
        self.last_codes: list[str] = []  # the message codes of the last Authorize.Net answer
        self._client = httpx.Client(base_url=server.url, trust_env=False, timeout=60)
        self.ids = self._records()

    def close(self) -> None:
        self._client.close()

    @property
    def credentials(self) -> Pairs:
        return auth(self.merchant)

    def _records(self) -> dict[str, str]:
        ids: dict[str, str] = {"batchId": "1234567", "splitTenderId": "1234567"}
        hook = self._client.post(
            "/rest/v1/webhooks",
            auth=self._basic(),
            json={"url": "http://127.0.0.1:1/hook", "eventTypes": [EVENT_TYPE]},
        )
        ids["webhook"] = _check_id(hook.json().get("webhookId"), "webhook")
        profile = (
            call(
                self.server,
                "xml",
                "createCustomerProfileRequest",
                envelope(
                    self.merchant,
                    (
                        "profile",
                        [
                            ("merchantCustomerId", "fuzz"),
                            ("paymentProfiles", [("billTo", BILL_TO), ("payment", CARD)]),
                            ("shipToList", BILL_TO),
                        ],
                    ),
                ),
            )
            .ok()
            .xml()
        )
        ids["customerProfileId"] = _check_id(profile.findtext(f"{{{NS}}}customerProfileId"), "profile")
        payment = _check_id(
            profile.findtext(f"{{{NS}}}customerPaymentProfileIdList/{{{NS}}}numericString"), "payment profile"
        )
        address = _check_id(
            profile.findtext(f"{{{NS}}}customerShippingAddressIdList/{{{NS}}}numericString"), "address"
        )
        ids.update(
            customerPaymentProfileId=payment,
            paymentProfileId=payment,
            customerAddressId=address,
            shippingProfileId=address,
        )
        charged = (
            call(
                self.server,
                "xml",
                "createTransactionRequest",
                envelope(
                    self.merchant,
                    (
                        "transactionRequest",
                        [
                            ("transactionType", "authCaptureTransaction"),
                            ("amount", "5.00"),
                            ("payment", CARD),
                            ("billTo", BILL_TO),
                        ],
                    ),
                ),
            )
            .ok()
            .xml()
        )
        trans_id = charged.findtext(f"{{{NS}}}transactionResponse/{{{NS}}}transId")
        ids["transId"] = ids["refTransId"] = _check_id(trans_id, "transaction")
        subscription = (
            call(
                self.server,
                "xml",
                "ARBCreateSubscriptionRequest",
                envelope(
                    self.merchant,
                    (
                        "subscription",
                        [
                            (
                                "paymentSchedule",
                                [
                                    ("interval", [("length", 1), ("unit", "months")]),
                                    ("startDate", "2026-12-01"),
                                    ("totalOccurrences", 12),
                                ],
                            ),
                            ("amount", "10.00"),
                            ("payment", CARD),
                            ("billTo", BILL_TO),
                        ],
                    ),
                ),
            )
            .ok()
            .xml()
        )
        ids["subscriptionId"] = _check_id(subscription.findtext(f"{{{NS}}}subscriptionId"), "subscription")
        history = self._client.get("/rest/v1/notifications", auth=self._basic()).json()
        ids["notification"] = _check_id(history["notifications"][0]["notificationId"], "notification")
        self.capture.take()
        return ids

    def _basic(self) -> tuple[str, str]:
        return self.merchant.login_id, self.merchant.transaction_key

    def send(self, request: Request) -> list[str]:
        """Send one request; the problems found in its answer and in the log (none: passed)."""
        self.capture.take()
        try:
            response = self._client.request(
                request.method, request.path, content=request.body, headers=request.headers
            )
        except httpx.HTTPError as error:
            problems = [f"no answer: {type(error).__name__}"]
        else:
            self.tally.statuses[response.status_code] += 1
            self.last_codes = []
            if request.path.startswith("/xml/"):
                problems, self.last_codes = _authnet_problems(response)
                self.tally.codes.update(self.last_codes)
            else:
                problems = _rest_problems(response)
        problems += log_problems(self.capture.take())
        self.tally.sent += 1
        if problems:
            self.tally.failures.append(f"{request.describe()}\n  " + "\n  ".join(problems))
        return problems


def _authnet_problems(response: httpx.Response) -> tuple[list[str], list[str]]:
    """(problems, the answer's message codes)."""
    if response.status_code != 200:
        return [f"HTTP {response.status_code} from the Authorize.Net door"], []
    try:
        codes = _result_codes(response.content)
    except (ValueError, etree.XMLSyntaxError, KeyError, TypeError) as error:
        return [f"unreadable answer ({type(error).__name__}): {response.content[:300]!r}"], []
    return (["E00001 in the answer"] if "E00001" in codes else []), codes


def _result_codes(body: bytes) -> list[str]:
    if not body.startswith(BOM):
        raise ValueError("no BOM")
    payload = body[len(BOM) :]
    if payload.startswith(b"{"):
        messages: Any = json.loads(payload)["messages"]["message"]
        return [str(item["code"]) for item in messages]
    root = etree.fromstring(payload)
    return [item.text or "" for item in root.iterfind(f"{{{NS}}}messages/{{{NS}}}message/{{{NS}}}code")]


def _rest_problems(response: httpx.Response) -> list[str]:
    status = response.status_code
    if status < 400 or response.request.method == "HEAD":
        return [] if status < 500 else [f"HTTP {status}"]
    try:
        body = response.json()
    except ValueError:
        return [f"HTTP {status} without the error JSON: {response.content[:200]!r}"]
    if not isinstance(body, dict) or list(body) != REST_ERROR_MEMBERS:
        return [f"HTTP {status} not in the error shape: {body!r:.200}"]
    if status >= 500 and (status, body["reason"]) != (502, "PING_FAILED"):
        return [f"HTTP {status} {body['reason']}"]
    return []
