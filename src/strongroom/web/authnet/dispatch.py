"""One request through the Authorize.Net door: parse, validate, authenticate, handle, encode."""

from __future__ import annotations

import logging
import traceback
from dataclasses import dataclass

from strongroom.domain.errors import StrongroomError
from strongroom.domain.sensitive import Secret
from strongroom.services.auth_guard import Attempt
from strongroom.services.catalog import Services
from strongroom.services.idempotency import Answer, Idempotency
from strongroom.services.merchants import Authenticated
from strongroom.web.authnet import codes
from strongroom.web.authnet.operations import Context, Operation, Values, messages
from strongroom.web.authnet.registry import ERROR_RESPONSE, OPERATIONS
from strongroom.web.authnet.wire.json_codec import JsonRejected, parse_json, write_json
from strongroom.web.authnet.wire.schema import Complex
from strongroom.web.authnet.wire.tree import Node, Raw
from strongroom.web.authnet.wire.validation import SchemaViolation, validate
from strongroom.web.authnet.wire.xml_codec import BOM, XmlRejected, parse_xml, write_xml

log = logging.getLogger("strongroom.authnet")

DIALECT = "authnet"  # as failed authentications are audited

XML_MEDIA_TYPE = "application/xml; charset=utf-8"
JSON_MEDIA_TYPE = "application/json; charset=utf-8"
# merchantAuthentication's credential choice, other than the transactionKey we support.
_OTHER_CREDENTIALS = (
    "sessionToken",
    "password",
    "impersonationAuthentication",
    "fingerPrint",
    "clientKey",
    "accessToken",
)


@dataclass(frozen=True, slots=True)
class Reply:
    body: bytes
    media_type: str


@dataclass(frozen=True, slots=True)
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

    def handle(
        self,
        body: bytes,
        content_type: str,
        idempotency_key: str | None = None,
        client_address: str | None = None,
    ) -> Reply:
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
            return self._encode(
                json_dialect, "ErrorResponse", ERROR_RESPONSE, _envelope(None, codes.SYSTEM_ERROR)
            )

    def _handle(self, body: bytes, json_dialect: bool, retry: _Retry | None, attempt: Attempt) -> Reply:
        try:
            raw = self._parse(body, json_dialect)
            operation = self._operation(raw)
            request = self._validate(raw, operation.request)
        except _Refusal as refusal:
            return self._encode(
                json_dialect, "ErrorResponse", ERROR_RESPONSE, _envelope(None, refusal.message)
            )
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

    def _run(
        self, json_dialect: bool, operation: Operation, request: Node, retry: _Retry | None, attempt: Attempt
    ) -> Reply:
        try:
            signed_in = self._authenticate(request, attempt) if operation.authenticated else None
        except (StrongroomError, _Refusal) as error:
            return self._reply(self._render(json_dialect, operation, request, error))
        except Exception as exc:
            _log_unexpected(operation.request.name, exc)
            return self._reply(self._render(json_dialect, operation, request, exc))
        if retry is None or signed_in is None or self._idempotency is None:
            return self._reply(self._respond(json_dialect, operation, request, signed_in))
        try:
            return self._reply(
                self._idempotency.answer(
                    signed_in.merchant.key,
                    retry.key,
                    retry.body,
                    lambda: self._respond(json_dialect, operation, request, signed_in),
                )
            )
        except StrongroomError as error:
            return self._reply(self._render(json_dialect, operation, request, error))

    def _respond(
        self, json_dialect: bool, operation: Operation, request: Node, signed_in: Authenticated | None
    ) -> Answer:
        """Do the operation and encode its answer; an unexpected failure is answered with
        E00001 and marked not to keep (its work is undone, so a retry runs it again)."""
        try:
            values = operation.handler(Context.of(self._services, signed_in), request)
        except (StrongroomError, _Refusal) as error:
            return self._render(json_dialect, operation, request, error)
        except Exception as exc:
            _log_unexpected(operation.request.name, exc)
            answer = self._render(json_dialect, operation, request, exc)
            return Answer(answer.body, answer.media_type, keep=False)
        envelope = _envelope(request.text("refId"), codes.SUCCESS)
        return self._encoded(
            json_dialect, operation.response_name, operation.response, {**envelope, **values}
        )

    def _render(self, json_dialect: bool, operation: Operation, request: Node, error: Exception) -> Answer:
        """The operation's answer to a refusal or failure, in its own response or, where the
        operation answers so, as an ErrorResponse."""
        envelope = _envelope(request.text("refId"), _message(error))
        if operation.refusals_as_error_response:
            return self._encoded(json_dialect, "ErrorResponse", ERROR_RESPONSE, envelope)
        values = _error_values(operation, request, error)
        return self._encoded(
            json_dialect, operation.response_name, operation.response, {**envelope, **values}
        )

    @staticmethod
    def _reply(answer: Answer) -> Reply:
        return Reply(answer.body, answer.media_type)

    def _authenticate(self, request: Node, attempt: Attempt) -> Authenticated:
        auth = request.node("merchantAuthentication")
        assert auth is not None
        key = auth.text("transactionKey")
        if key is None and any(name in auth for name in _OTHER_CREDENTIALS):
            raise _Refusal(codes.AUTH_TYPE_NOT_ALLOWED)
        # No credential at all (the schema allows it) fails like a wrong key: E00007. A locked
        # login or address also answers E00007 (Authorize.Net has no lockout code), saying so.
        return self._services.merchants.authenticate(
            auth.text("name"), Secret(key) if key is not None else None, attempt
        )

    @staticmethod
    def _encode(json_dialect: bool, root: str, type_: Complex, values: Values) -> Reply:
        if json_dialect:
            return Reply(write_json(type_, values), JSON_MEDIA_TYPE)
        return Reply(write_xml(root, type_, values), XML_MEDIA_TYPE)

    @classmethod
    def _encoded(cls, json_dialect: bool, root: str, type_: Complex, values: Values) -> Answer:
        reply = cls._encode(json_dialect, root, type_, values)
        return Answer(reply.body, reply.media_type)


def _error_values(operation: Operation, request: Node, error: Exception) -> Values:
    return operation.on_error(request, error) if operation.on_error is not None else {}


def _message(error: Exception) -> codes.WireMessage:
    if isinstance(error, _Refusal):
        return error.message
    if isinstance(error, StrongroomError):
        return codes.message_for(error)
    return codes.SYSTEM_ERROR


def _envelope(ref_id: str | None, message: codes.WireMessage) -> Values:
    return {"refId": ref_id, "messages": messages(message)}


def _log_unexpected(operation: str, exc: Exception) -> None:
    # Log where it failed, not the exception's text: library messages may quote request data.
    frames = "".join(traceback.format_tb(exc.__traceback__))
    log.error("unexpected %s in %s\n%s", type(exc).__name__, operation, frames)
