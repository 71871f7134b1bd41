"""One request through the Authorize.Net door: parse, validate, authenticate, handle, encode."""

from __future__ import annotations

import logging
import traceback
from dataclasses import dataclass
from typing import Any

from strongroom.domain.errors import RequestConflict, StrongroomError
from strongroom.domain.sensitive import Secret
from strongroom.services.auth_guard import Attempt
from strongroom.services.catalog import Services
from strongroom.services.idempotency import ClaimState, Idempotency, check_key
from strongroom.web.authnet import codes
from strongroom.web.authnet.operations import Context, Operation, Values
from strongroom.web.authnet.registry import ERROR_RESPONSE, OPERATIONS
from strongroom.web.authnet.schema import Complex
from strongroom.web.authnet.tree import Node, Raw
from strongroom.web.authnet.validation import SchemaViolation, validate
from strongroom.web.authnet.wire_json import JsonRejected, parse_json, write_json
from strongroom.web.authnet.wire_xml import BOM, XmlRejected, parse_xml, write_xml

log = logging.getLogger("strongroom.authnet")

DIALECT = "authnet"  # as failed authentications are audited

XML_MEDIA_TYPE = "application/xml; charset=utf-8"
JSON_MEDIA_TYPE = "application/json; charset=utf-8"
# merchantAuthentication's credential choice, other than the transactionKey we support.
_OTHER_CREDENTIALS = ("sessionToken", "password", "impersonationAuthentication", "fingerPrint",
                      "clientKey", "accessToken")


@dataclass(frozen=True, slots=True)
class Reply:
    body: bytes
    media_type: str


@dataclass(slots=True)
class _Retry:
    """An Idempotency-Key and the exact request bytes it covers."""

    key: str
    body: bytes


class _Refusal(Exception):
    """Ends a request early with a messages-only ErrorResponse."""

    def __init__(self, message: codes.WireMessage) -> None:
        super().__init__(message.code)
        self.message = message


def is_json(body: bytes, content_type: str) -> bool:
    """JSON by content type; otherwise by the first non-blank byte after an optional BOM."""
    media = content_type.split(";")[0].strip().lower()
    if media == "application/json":
        return True
    if media in ("application/xml", "text/xml"):
        return False
    return body.removeprefix(BOM).lstrip()[:1] == b"{"


class Door:
    """The Authorize.Net API over our services."""

    def __init__(self, services: Services, idempotency: Idempotency | None = None) -> None:
        self._services = services
        self._idempotency = idempotency

    def handle(self, body: bytes, content_type: str, idempotency_key: str | None = None,
               client_address: str | None = None) -> Reply:
        """Answer one request; with an Idempotency-Key a retry gets the first answer back.
        Failed authentications are throttled per login and per `client_address`."""
        json_dialect = is_json(body, content_type)
        retry = _Retry(idempotency_key, body) if idempotency_key is not None else None
        attempt = Attempt(DIALECT, client_address)
        try:
            return self._handle(body, json_dialect, retry, attempt)
        except Exception as exc:
            # Whatever went wrong, the client gets an API answer (HTTP 200), never a bare 500.
            _log_unexpected("request", exc)
            return self._encode(json_dialect, "ErrorResponse", ERROR_RESPONSE,
                                _envelope(None, codes.SYSTEM_ERROR))

    def _handle(self, body: bytes, json_dialect: bool, retry: _Retry | None,
                attempt: Attempt) -> Reply:
        try:
            raw = self._parse(body, json_dialect)
            operation = self._operation(raw)
            request = self._validate(raw, operation.request)
        except _Refusal as refusal:
            return self._encode(json_dialect, "ErrorResponse", ERROR_RESPONSE,
                                _envelope(None, refusal.message))
        return self._run(json_dialect, operation, request, retry, attempt)

    def _parse(self, body: bytes, json_dialect: bool) -> Raw:
        try:
            return parse_json(body.removeprefix(BOM)) if json_dialect else parse_xml(body)
        except (XmlRejected, JsonRejected) as exc:
            raise _Refusal(codes.parse_error(str(exc))) from None

    def _operation(self, raw: Raw) -> Operation:
        operation = OPERATIONS.get(raw.name)
        if operation is None:
            raise _Refusal(codes.UNKNOWN_METHOD)
        if not raw.in_namespace:
            raise _Refusal(codes.BAD_NAMESPACE)
        return operation

    def _validate(self, raw: Raw, type_: Complex) -> Node:
        try:
            return validate(raw, type_)
        except SchemaViolation as violation:
            raise _Refusal(codes.parse_error(violation.text)) from None

    def _run(self, json_dialect: bool, operation: Operation, request: Node,
             retry: _Retry | None, attempt: Attempt) -> Reply:
        ref_id = request.text("refId")
        claimed: tuple[int, str] | None = None
        failed = False
        try:
            merchant = self._authenticate(request, attempt) if operation.authenticated else None
            if retry is not None and merchant is not None:
                replay = self._claim(merchant.key, retry)
                if replay is not None:
                    return replay
                claimed = (merchant.key, retry.key)
            ctx = Context(self._services, merchant)
            values = operation.handler(ctx, request)
            envelope = _envelope(ref_id, codes.SUCCESS)
        except StrongroomError as error:
            values = _error_values(operation, request, error)
            envelope = _envelope(ref_id, codes.message_for(error))
        except _Refusal as refusal:
            values = _error_values(operation, request, refusal)
            envelope = _envelope(ref_id, refusal.message)
        except Exception as exc:
            _log_unexpected(operation.request.name, exc)
            values = _error_values(operation, request, exc)
            envelope = _envelope(ref_id, codes.SYSTEM_ERROR)
            failed = True
        if failed_with(envelope) and operation.refusals_as_error_response:
            reply = self._encode(json_dialect, "ErrorResponse", ERROR_RESPONSE, envelope)
        else:
            reply = self._encode(json_dialect, operation.response_name, operation.response,
                                 {**envelope, **values})
        if claimed is not None:
            self._settle_claim(claimed, reply, failed)
        return reply

    def _claim(self, merchant_key: int, retry: _Retry) -> Reply | None:
        """None to go ahead; the first answer for a replay; a refusal raises."""
        assert self._idempotency is not None
        key = check_key(retry.key)
        claim = self._idempotency.claim(merchant_key, key, retry.body)
        if claim.state is ClaimState.REPLAY:
            assert claim.reply is not None
            return Reply(claim.reply, claim.media_type or XML_MEDIA_TYPE)
        if claim.state is ClaimState.MISMATCH:
            raise RequestConflict("This Idempotency-Key was already used with a different "
                                  "request; use a new key for a new request.")
        if claim.state is ClaimState.IN_PROGRESS:
            raise RequestConflict("A request with this Idempotency-Key is still being "
                                  "processed; retry it shortly.")
        retry.key = key
        return None

    def _settle_claim(self, claimed: tuple[int, str], reply: Reply, failed: bool) -> None:
        """Keep the answer for retries; after an unexpected failure, let a retry run again."""
        assert self._idempotency is not None
        merchant_key, key = claimed
        if failed:
            self._idempotency.release(merchant_key, key)
        else:
            self._idempotency.complete(merchant_key, key, reply.body, reply.media_type)

    def _authenticate(self, request: Node, attempt: Attempt) -> Any:
        auth = request.node("merchantAuthentication")
        assert auth is not None
        key = auth.text("transactionKey")
        if key is None and any(name in auth for name in _OTHER_CREDENTIALS):
            raise _Refusal(codes.AUTH_TYPE_NOT_ALLOWED)
        # No credential at all (the schema allows it) fails like a wrong key: E00007. A locked
        # login or address also answers E00007 (Authorize.Net has no lockout code), saying so.
        return self._services.merchants.authenticate(
            auth.text("name"), Secret(key) if key is not None else None, attempt)

    @staticmethod
    def _encode(json_dialect: bool, root: str, type_: Complex, values: Values) -> Reply:
        if json_dialect:
            return Reply(write_json(type_, values), JSON_MEDIA_TYPE)
        return Reply(write_xml(root, type_, values), XML_MEDIA_TYPE)


def _error_values(operation: Operation, request: Node, error: Exception) -> Values:
    return operation.on_error(request, error) if operation.on_error is not None else {}


def failed_with(envelope: Values) -> bool:
    return bool(envelope["messages"]["resultCode"] == "Error")


def _envelope(ref_id: str | None, message: codes.WireMessage) -> Values:
    result = "Ok" if message.code.startswith("I") else "Error"
    return {"refId": ref_id,
            "messages": {"resultCode": result,
                         "message": [{"code": message.code, "text": message.text}]}}


def _log_unexpected(operation: str, exc: Exception) -> None:
    # Log where it failed, not the exception's text: library messages may quote request data.
    frames = "".join(traceback.format_tb(exc.__traceback__))
    log.error("unexpected %s in %s\n%s", type(exc).__name__, operation, frames)
