"""The ASGI application: the Authorize.Net endpoint, the REST API (webhooks) under /rest/v1/,
and health checks, as plain Starlette routes."""

from __future__ import annotations

import logging

from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route

from strongroom import __version__
from strongroom.services.catalog import Services
from strongroom.services.idempotency import Idempotency
from strongroom.web.authnet.dispatch import Door, Reply
from strongroom.web.authnet.oversize import oversize_reply
from strongroom.web.content_length import declared_over
from strongroom.web.rest.door import not_found
from strongroom.web.rest.routes import PREFIX as REST_PREFIX
from strongroom.web.rest.routes import rest_routes
from strongroom.web.threads import WorkerThreads

AUTHNET_PATH = "/xml/v1/request.api"

log = logging.getLogger("strongroom.web")


async def _read_limited(request: Request, limit: int) -> tuple[bytes | None, bytes]:
    """(body, b"") or, as soon as the body is known to exceed `limit`, (None, its first chunk):
    the first chunk tells the answer's dialect; nothing more is read."""
    declared = request.headers.get("content-length", "")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        if not chunk:
            continue
        if declared_over(declared, limit):
            return None, chunk
        size += len(chunk)
        if size > limit:
            return None, (chunks[0] if chunks else chunk)
        chunks.append(chunk)
    if declared_over(declared, limit):
        return None, b""
    return b"".join(chunks), b""


def create_app(
    services: Services,
    max_body_bytes: int,
    idempotency: Idempotency | None = None,
    threads: WorkerThreads | None = None,
) -> Starlette:
    door = Door(services, idempotency)
    threads = threads or WorkerThreads()

    async def authnet(request: Request) -> Response:
        content_type = request.headers.get("content-type", "")
        body, head = await _read_limited(request, max_body_bytes)
        reply: Reply
        if body is None:
            reply = oversize_reply(content_type, max_body_bytes, head)
        else:
            key = request.headers.get("idempotency-key")
            address = request.client.host if request.client is not None else None
            reply = await threads.run(door.handle, body, content_type, key, address)
        # Always HTTP 200: the official SDKs discard the body of any other status.
        return Response(reply.body, status_code=200, media_type=reply.media_type)

    async def healthz(_: Request) -> Response:
        return JSONResponse({"status": "ok", "version": __version__})

    return Starlette(
        routes=[
            Route(AUTHNET_PATH, authnet, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
            Mount(REST_PREFIX, routes=rest_routes(services, max_body_bytes, threads)),
        ],
        exception_handlers={ClientDisconnect: _client_gone, 404: _unrouted},
    )


def _client_gone(request: Request, _: Exception) -> Response:
    """The client left before its body was complete: no work done, and nobody to answer (the
    server logs the one line about it); the empty answer is only for the ASGI cycle."""
    log.debug("client left during the request body of %s", request.url.path)
    return Response(b"", status_code=400)


async def _unrouted(request: Request, _: Exception) -> Response:
    """A path no route's pattern matches (one with a line feed inside, say): under the REST
    prefix it still gets the REST door's error JSON."""
    path: str = request.scope["path"]
    if path == REST_PREFIX or path.startswith(REST_PREFIX + "/"):
        return not_found(request)
    return PlainTextResponse("Not Found", status_code=404)
