"""Calling a processor from a use case: an unreachable processor becomes an error result."""

from __future__ import annotations

from collections.abc import Callable

from strongroom.domain.transactions import Reason
from strongroom.services.ports import (
    FollowUpRequest,
    Outcome,
    ProcessorResult,
    ProcessorUnavailable,
)


def follow_up(
    call: Callable[[FollowUpRequest], ProcessorResult], request: FollowUpRequest
) -> ProcessorResult:
    """Capture, void or refund at the processor; unavailability answers as a processing error."""
    try:
        return call(request)
    except ProcessorUnavailable:
        return ProcessorResult(Outcome.ERROR, Reason.PROCESSING_ERROR)
