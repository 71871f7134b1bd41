"""Merchants (tenants), their profile containers, and what their accounts tell about them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from strongroom.domain.customers import Address


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


@dataclass(frozen=True, slots=True)
class MerchantContact:
    """Who to reach at the merchant about its account."""

    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None

    def is_empty(self) -> bool:
        return not (self.email or self.first_name or self.last_name)


@dataclass(frozen=True, slots=True)
class MerchantDetails:
    """What a merchant's account tells about the business behind it (getMerchantDetails).

    `gateway_id` is the account's public numeric id, random like every public id."""

    gateway_id: str
    business: Address = field(default_factory=Address)
    contact: MerchantContact = field(default_factory=MerchantContact)
