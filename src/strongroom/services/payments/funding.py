"""What a payment is funded by: a card or bank account sent with the request, or a stored
payment profile (loaded and unsealed through PaymentProfiles, never inside a unit of work)."""

from __future__ import annotations

from dataclasses import dataclass

from strongroom.domain.customers import Address, PaymentProfile
from strongroom.domain.errors import PaymentRequired
from strongroom.domain.instruments import Card, Instrument
from strongroom.domain.merchants import Merchant
from strongroom.domain.sensitive import Secret
from strongroom.services.ports import Vault
from strongroom.services.profiles.payment_profiles import PaymentProfiles
from strongroom.services.profiles.sealing import instrument_number
from strongroom.services.profiles.shipping_addresses import ShippingAddresses
from strongroom.services.transactions.requests import (
    BankSource,
    CardSource,
    MaskedSource,
    PaymentSource,
    ProfileSource,
)

ECHECK = "eCheck"


@dataclass(frozen=True, slots=True)
class Funding:
    """The instrument a charge runs on, with what the gateway records about it."""

    instrument: Instrument
    fingerprint: str
    card_code: Secret[str] | None = None
    bill_to: Address | None = None  # sent to the processor (AVS) and compared for duplicates
    ship_to: Address | None = None
    profile: PaymentProfile | None = None
    shipping_address_ref: str | None = None

    @property
    def is_card(self) -> bool:
        return isinstance(self.instrument, Card)

    @property
    def payment_method(self) -> str:
        return "card" if self.is_card else "bank"

    @property
    def account_type(self) -> str:
        instrument = self.instrument
        return instrument.brand.value if isinstance(instrument, Card) else ECHECK

    @property
    def expiry(self) -> str:
        instrument = self.instrument
        return str(instrument.expiry) if isinstance(instrument, Card) else ""


class FundingSources:
    def __init__(
        self, vault: Vault, payment_profiles: PaymentProfiles, shipping_addresses: ShippingAddresses
    ) -> None:
        self._vault = vault
        self._payment_profiles = payment_profiles
        self._shipping_addresses = shipping_addresses

    def resolve(
        self, merchant: Merchant, source: PaymentSource, bill_to: Address | None, ship_to: Address | None
    ) -> Funding:
        """The funding of a charge; `NotFound` for an unknown profile, payment profile or
        shipping address. A stored profile's own billing address is the one used."""
        if isinstance(source, CardSource | BankSource):
            instrument = source.card if isinstance(source, CardSource) else source.account
            code = source.card_code if isinstance(source, CardSource) else None
            return Funding(instrument, self._fingerprint(merchant, instrument), code, bill_to, ship_to)
        if isinstance(source, ProfileSource):
            profile = self._payment_profiles.get(
                merchant, source.profile_ref, source.payment_profile_ref, with_subscriptions=False
            )
            if source.shipping_address_ref is not None:
                ship_to = self._shipping_addresses.get(
                    merchant, source.profile_ref, source.shipping_address_ref
                ).address
            # The fingerprint stored with the profile: no second vault call for the same number.
            return Funding(
                profile.instrument,
                profile.fingerprint,
                source.card_code,
                profile.bill_to or bill_to,
                ship_to,
                profile,
                source.shipping_address_ref,
            )
        raise PaymentRequired

    def last4(self, merchant: Merchant, source: PaymentSource) -> str:
        """The last four digits a linked refund names its account by."""
        if isinstance(source, MaskedSource):
            return source.last4[-4:]
        if isinstance(source, CardSource):
            return source.card.last4
        if isinstance(source, BankSource):
            return source.account.last4
        profile = self._payment_profiles.get(
            merchant, source.profile_ref, source.payment_profile_ref, with_subscriptions=False
        )
        return profile.instrument.last4

    def _fingerprint(self, merchant: Merchant, instrument: Instrument) -> str:
        return self._vault.fingerprint(merchant.key, instrument_number(instrument))
