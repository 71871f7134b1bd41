"""Merchants (tenants) and their profile containers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Merchant:
    """A tenant. `key` is the internal surrogate; `container_key` is its default profile container."""

    key: int
    name: str
    login_id: str
    container_key: int
    public_client_key: str
    created_at: datetime
    is_sandbox: bool = True
    has_signature_key: bool = False


@dataclass(frozen=True, slots=True)
class MerchantCredentials:
    """Credentials as shown once at creation; never stored in clear."""

    login_id: str
    transaction_key: str = field(repr=False)
    signature_key: str = field(repr=False)
