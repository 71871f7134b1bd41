"""The REST door's request cycle: method check, body, credentials, one service call, JSON.

Operations are plain functions (merchant, call) -> Reply run on a worker thread; every
refusal, whatever raised it, leaves in the one error shape of `errors.py`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import orjson
from starlette.requests import Request
from starlette.responses import Response

from strongroom.domain.errors import StrongroomError
from strongroom.domain.merchants import Merchant
from strongroom.services.auth_guard import Attempt
from strongroom.services.merchants import Merchants
from strongroom.web.rest.control_characters import check_request
from strongroom.web.rest.errors import Reply, RestError, error_reply, reply_for
from strongroom.web.rest.requests import basic_credentials, read_body
from strongroom.web.threads import WorkerThreads

logger = logging.getLogger("strongroom.rest")

JSON = "application/json"
DIALECT = "rest"  # as failed authentications are audited


@dataclass(frozen=True, slots=True)
class Call:
    """What an operation gets from the request besides the merchant."""

    path: Mapping[str, str]
    query: Mapping[str, str]
    body: bytes


Operation = Callable[[Merchant, Call], Reply]


class RestDoor:
    def __init__(
        self, merchants: Merchants, max_body_bytes: int, threads: WorkerThreads | None = None
    ) -> None:
        self._merchants = merchants
        self._max_body_bytes = max_body_bytes
        self._threads = threads or WorkerThreads()

    async def dispatch(self, request: Request, operations: Mapping[str, Operation]) -> Response:
        """Run the operation registered for the request's method."""
        try:
            operation = operations.get(request.method)
            if operation is None:
                allowed = ", ".join(sorted(operations))
                raise RestError(
                    405,
                    "METHOD_NOT_ALLOWED",
                    f"{request.method} is not allowed here; use {allowed}.",
                    {"Allow": allowed},
                )
            query = request.query_params.multi_items()
            check_request(request.scope["path"], query)
            body = await read_body(request, self._max_body_bytes)
        except RestError as error:
            return render(error.reply)
        call = Call(dict(request.path_params), dict(query), body)
        attempt = Attempt(DIALECT, request.client.host if request.client is not None else None)
        reply = await self._threads.run(
            self._run, request.headers.get("authorization"), operation, call, attempt
        )
        return render(reply)

    def _run(self, authorization: str | None, operation: Operation, call: Call, attempt: Attempt) -> Reply:
        try:
            login, key = basic_credentials(authorization)
            merchant = self._merchants.authenticate(login, key, attempt).merchant
            return operation(merchant, call)
        except RestError as error:
            return error.reply
        except StrongroomError as error:
            return reply_for(error)
        except Exception as error:  # logged by type only: messages may quote request data
            logger.error("REST request failed: %s", type(error).__name__)
            return error_reply(500, "INTERNAL_ERROR", "The request could not be processed.")


def render(reply: Reply) -> Response:
    if reply.data is None:
        return Response(b"", reply.status, headers=reply.headers)
    return Response(orjson.dumps(reply.data), reply.status, headers=reply.headers, media_type=JSON)


def not_found(request: Request) -> Response:
    try:
        check_request(request.scope["path"], request.query_params.multi_items())
    except RestError as error:
        return render(error.reply)
    return render(error_reply(404, "NOT_FOUND", "There is no such resource."))
