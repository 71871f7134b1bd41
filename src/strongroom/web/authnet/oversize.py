"""The answer to a request body over the size limit: an E00003 error, no work done."""

from __future__ import annotations

from strongroom.web.authnet import codes
from strongroom.web.authnet.dispatch import JSON_MEDIA_TYPE, XML_MEDIA_TYPE, Reply, is_json
from strongroom.web.authnet.operations import messages
from strongroom.web.authnet.registry import ERROR_RESPONSE
from strongroom.web.authnet.wire.json_codec import write_json
from strongroom.web.authnet.wire.xml_codec import write_xml


def oversize_reply(content_type: str, limit: int, head: bytes = b"") -> Reply:
    """`head` is the start of the body, if any was read: the dialect is chosen as for any
    request (content type, else the first non-blank byte)."""
    message = codes.parse_error(f"The request body exceeds the limit of {limit} bytes.")
    values = {"messages": messages(message)}
    if is_json(head, content_type):
        return Reply(write_json(ERROR_RESPONSE, values), JSON_MEDIA_TYPE)
    return Reply(write_xml("ErrorResponse", ERROR_RESPONSE, values), XML_MEDIA_TYPE)
