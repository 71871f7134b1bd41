"""Public numeric identifiers that services choose themselves (random, so counts never leak)."""

from __future__ import annotations

import secrets

PROFILE_REF_DIGITS = 10
REF_ATTEMPTS = 5


INT32_MAX = 2**31 - 1


def new_profile_ref() -> str:
    """A random 10-digit customer profile id, at most 2^31-1 (some responses type it xs:int)."""
    low = 10 ** (PROFILE_REF_DIGITS - 1)
    return str(low + secrets.randbelow(INT32_MAX - low + 1))


SUBSCRIPTION_REF_DIGITS = 9


def new_subscription_ref() -> str:
    """A random 9-digit subscription id (the schema types it xs:int in list answers)."""
    low = 10 ** (SUBSCRIPTION_REF_DIGITS - 1)
    return str(low + secrets.randbelow(9 * low))
