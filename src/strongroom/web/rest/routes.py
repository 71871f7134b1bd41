"""The webhook management API under /rest/v1/: event types, webhooks (list, create, read,
update, delete, ping) and notification history, one service call per operation."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from strongroom.domain.merchants import Merchant
from strongroom.services.catalog import Services
from strongroom.services.webhooks.management import Webhooks
from strongroom.web.rest import decode, views
from strongroom.web.rest.door import Call, Operation, RestDoor, not_found
from strongroom.web.rest.errors import Reply
from strongroom.web.threads import WorkerThreads

PREFIX = "/rest/v1"
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
OK = 200


class WebhookOperations:
    """Each method: one service call, its values rendered by `views`."""

    def __init__(self, webhooks: Webhooks) -> None:
        self._webhooks = webhooks

    def event_types(self, _: Merchant, __: Call) -> Reply:
        return Reply(OK, views.event_types(self._webhooks.event_types()))

    def all_webhooks(self, merchant: Merchant, _: Call) -> Reply:
        return Reply(OK, views.webhooks(self._webhooks.of_merchant(merchant)))

    def create(self, merchant: Merchant, call: Call) -> Reply:
        draft = decode.webhook_draft(call.body)
        return Reply(OK, views.webhook(self._webhooks.create(merchant, draft)))

    def get(self, merchant: Merchant, call: Call) -> Reply:
        return Reply(OK, views.webhook(self._webhooks.get(merchant, call.path["webhook_id"])))

    def update(self, merchant: Merchant, call: Call) -> Reply:
        change = decode.webhook_change(call.body)
        row = self._webhooks.update(merchant, call.path["webhook_id"], change)
        return Reply(OK, views.webhook(row))

    def delete(self, merchant: Merchant, call: Call) -> Reply:
        self._webhooks.delete(merchant, call.path["webhook_id"])
        return Reply(OK)

    def ping(self, merchant: Merchant, call: Call) -> Reply:
        self._webhooks.ping(merchant, call.path["webhook_id"])
        return Reply(OK)

    def notifications(self, merchant: Merchant, call: Call) -> Reply:
        offset, limit = decode.page(call.query)
        rows = self._webhooks.notifications(merchant, offset, limit)
        return Reply(OK, views.notifications(rows, offset, limit))

    def notification(self, merchant: Merchant, call: Call) -> Reply:
        row = self._webhooks.notification(merchant, call.path["notification_id"])
        return Reply(OK, views.notification(row))


def rest_routes(
    services: Services, max_body_bytes: int, threads: WorkerThreads | None = None
) -> list[BaseRoute]:
    """The routes to mount at PREFIX; unknown paths answer 404 in the error shape."""
    door = RestDoor(services.merchants, max_body_bytes, threads)
    ops = WebhookOperations(services.webhooks)

    def route(path: str, operations: Mapping[str, Operation]) -> Route:
        async def endpoint(request: Request) -> Response:
            return await door.dispatch(request, operations)

        return Route(path, endpoint, methods=METHODS)

    handlers: list[tuple[str, Mapping[str, Operation]]] = [
        ("/eventtypes", {"GET": ops.event_types}),
        ("/webhooks", {"GET": ops.all_webhooks, "POST": ops.create}),
        ("/webhooks/{webhook_id}", {"GET": ops.get, "PUT": ops.update, "DELETE": ops.delete}),
        ("/webhooks/{webhook_id}/pings", {"POST": ops.ping}),
        ("/notifications", {"GET": ops.notifications}),
        ("/notifications/{notification_id}", {"GET": ops.notification}),
    ]
    return [
        *(route(path, operations) for path, operations in handlers),
        Route("/{path:path}", not_found, methods=METHODS),
    ]
