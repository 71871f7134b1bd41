"""The door's last line of defence: an unexpected failure anywhere still yields an API answer."""

from __future__ import annotations

import json
from typing import Any, cast

import pytest

from strongroom.services.catalog import Services
from strongroom.web.authnet import dispatch
from strongroom.web.authnet.dispatch import Door
from strongroom.web.authnet.wire.xml_codec import BOM

CARD = "4111" * 4


def _explode(*_: Any) -> Any:
    # Built at run time: the logged traceback shows source lines, so only a leak of the
    # exception's message could put the number in the log.
    raise RuntimeError(f"{CARD} should never be shown")


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b'{"getCustomerProfileIdsRequest": {}}', "application/json"),
        (b'<getCustomerProfileIdsRequest xmlns="AnetApi/xml/v1/schema/AnetApiSchema.xsd"/>', ""),
    ],
)
def test_an_unexpected_failure_before_the_handler_is_e00001(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, body: bytes, content_type: str
) -> None:
    monkeypatch.setattr(dispatch, "validate", _explode)
    door = Door(cast(Services, object()))
    with caplog.at_level("ERROR", logger="strongroom.authnet"):
        reply = door.handle(body, content_type)
    assert reply.body.startswith(BOM)
    assert b"E00001" in reply.body
    assert CARD.encode() not in reply.body
    assert CARD not in caplog.text
    assert "RuntimeError" in caplog.text
    if content_type == "application/json":
        assert reply.media_type.startswith("application/json")
        assert json.loads(reply.body[len(BOM) :])["messages"]["resultCode"] == "Error"
    else:
        assert reply.media_type.startswith("application/xml")
        assert b"<ErrorResponse " in reply.body
