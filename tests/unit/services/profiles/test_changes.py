"""A merged payment-profile change keeps the stored fingerprint while the number stays, and
drops it when the change brings a new number (the fingerprint is of the number only)."""

from __future__ import annotations

from strongroom.domain.customers import PaymentProfile
from strongroom.domain.instruments import Card
from strongroom.domain.sensitive import Secret
from strongroom.services.profiles.changes import CardChange, PaymentProfileChange, merged_profile

STORED = "stored-fingerprint"


def stored_profile() -> PaymentProfile:
    return PaymentProfile(
        ref="2",
        profile_ref="1",
        instrument=Card.parse("4111111111111111", "2030-12"),
        bill_to=None,
        customer_type=None,
        drivers_license=None,
        tax_id=None,
        is_default=False,
        fingerprint=STORED,
    )


def change(number: str, expiry: str) -> PaymentProfileChange:
    return PaymentProfileChange(ref="2", payment=CardChange(Secret(number), expiry), bill_to=None)


def test_a_masked_number_keeps_the_stored_fingerprint() -> None:
    assert merged_profile(stored_profile(), change("XXXX1111", "XXXX")).fingerprint == STORED
    assert merged_profile(stored_profile(), change("XXXX1111", "2031-01")).fingerprint == STORED


def test_the_same_number_sent_in_full_keeps_it() -> None:
    assert merged_profile(stored_profile(), change("4111111111111111", "2031-01")).fingerprint == STORED


def test_a_new_number_drops_it() -> None:
    assert merged_profile(stored_profile(), change("5424000000000015", "2031-01")).fingerprint == ""


def test_no_payment_change_keeps_it() -> None:
    unchanged = PaymentProfileChange(ref="2", payment=None, bill_to=None)
    assert merged_profile(stored_profile(), unchanged).fingerprint == STORED
