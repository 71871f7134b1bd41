"""Card-on-file (seed 002): network ids are kept, a payment profile's first approved transaction
becomes its original, merchant-initiated charges send it, conflicting flags follow the profile."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from strongroom.domain.transactions import TransactionKind
from strongroom.services.ports import Outcome, ProcessorResult, StoredCredential, TransactionRecord
from strongroom.services.transactions.requests import (
    CardOnFile,
    ChargeRequest,
    PaymentSource,
    ProfileSource,
    Settings,
)
from tests.integration.payments.conftest import (
    DISCOVER,
    Gateway,
    bank,
    card,
    charge,
)

FIRST_RECURRING = CardOnFile(is_first_recurring_payment=True)
FIRST_SUBSEQUENT = CardOnFile(is_first_subsequent_auth=True)
SUBSEQUENT = CardOnFile(is_subsequent_auth=True, reason="resubmission")
STORED = CardOnFile(is_stored_credentials=True)


def flagged(
    source: PaymentSource, flags: CardOnFile, amount: str = "10.00", *, recurring: bool = False
) -> ChargeRequest:
    return replace(
        charge(amount, source),
        card_on_file=flags,
        settings=Settings(duplicate_window=0, recurring_billing=recurring),
    )


def sent(gateway: Gateway) -> StoredCredential | None:
    return gateway.processor.authorizations[-1].stored_credential


def original_of(gateway: Gateway, source: ProfileSource) -> tuple[str | None, Decimal | None]:
    profile = gateway.app.services.payment_profiles.get(
        gateway.merchant, source.profile_ref, source.payment_profile_ref
    )
    return profile.original_network_trans_id, profile.original_auth_amount


def establish(gateway: Gateway, source: ProfileSource) -> TransactionRecord:
    first = gateway.approved(flagged(source, FIRST_SUBSEQUENT, "25.00"))
    assert original_of(gateway, source) == (first.network_trans_id, Decimal("25.00"))
    return first


def test_every_approved_card_transaction_keeps_its_network_id(gateway: Gateway) -> None:
    ids = {
        gateway.approved(charge(kind=kind, auth_code="ABC123")).network_trans_id
        for kind in (TransactionKind.CHARGE, TransactionKind.AUTHORIZATION, TransactionKind.CAPTURE_ONLY)
    }

    assert None not in ids
    assert len(ids) == 3


def test_the_first_approved_transaction_becomes_the_profiles_original(gateway: Gateway) -> None:
    source = gateway.profile(card(DISCOVER))
    assert original_of(gateway, source) == (None, None)

    first = gateway.approved(flagged(source, FIRST_SUBSEQUENT, "25.00"))

    assert first.card_on_file == "first_subsequent"
    assert first.original_network_trans_id is None
    assert sent(gateway) == StoredCredential("first_subsequent")
    assert original_of(gateway, source) == (first.network_trans_id, Decimal("25.00"))


def test_an_unflagged_first_transaction_still_becomes_the_original(gateway: Gateway) -> None:
    source = gateway.profile()

    first = gateway.approved(charge(source=source))

    assert first.card_on_file is None
    assert sent(gateway) is None
    assert original_of(gateway, source)[0] == first.network_trans_id


def test_a_merchant_initiated_charge_sends_the_stored_original(gateway: Gateway) -> None:
    source = gateway.profile(card(DISCOVER))
    first = establish(gateway, source)

    later = gateway.approved(flagged(source, SUBSEQUENT, "7.00"))

    assert later.card_on_file == "subsequent"
    assert (later.original_network_trans_id, later.original_auth_amount) == (
        first.network_trans_id,
        Decimal("25.00"),
    )
    assert sent(gateway) == StoredCredential(
        "subsequent", first.network_trans_id, Decimal("25.00"), "resubmission"
    )
    assert later.network_trans_id != first.network_trans_id
    # the original stays the first transaction's
    assert original_of(gateway, source) == (first.network_trans_id, Decimal("25.00"))


def test_recurring_billing_on_a_profile_sends_the_original(gateway: Gateway) -> None:
    source = gateway.profile()
    first = gateway.approved(flagged(source, FIRST_RECURRING, "9.99"))
    assert first.card_on_file == "first_recurring"

    later = gateway.approved(flagged(source, CardOnFile(), "9.99", recurring=True))

    assert later.card_on_file == "recurring"
    assert later.original_network_trans_id == first.network_trans_id


@pytest.mark.parametrize(
    ("flags", "recurring", "usage"),
    [
        (FIRST_SUBSEQUENT, False, "subsequent"),
        (FIRST_RECURRING, False, "recurring"),
        (CardOnFile(is_subsequent_auth=True, is_stored_credentials=True), False, "subsequent"),
        (CardOnFile(is_first_recurring_payment=True, is_subsequent_auth=True), True, "recurring"),
    ],
)
def test_first_flags_on_a_profile_with_an_original_become_subsequent_uses(
    gateway: Gateway, flags: CardOnFile, recurring: bool, usage: str
) -> None:
    source = gateway.profile()
    first = establish(gateway, source)

    later = gateway.approved(flagged(source, flags, "3.00", recurring=recurring))

    assert later.card_on_file == usage
    assert later.original_network_trans_id == first.network_trans_id


@pytest.mark.parametrize(
    ("flags", "usage"),
    [
        (SUBSEQUENT, "first_subsequent"),
        (CardOnFile(is_subsequent_auth=True, is_stored_credentials=True), "first_subsequent"),
        (STORED, "stored_credentials"),
    ],
)
def test_a_subsequent_use_of_a_profile_without_an_original_is_its_first(
    gateway: Gateway, flags: CardOnFile, usage: str
) -> None:
    source = gateway.profile()

    record = gateway.approved(flagged(source, flags))

    assert record.card_on_file == usage
    assert record.original_network_trans_id is None
    assert original_of(gateway, source)[0] == record.network_trans_id


def test_a_customer_initiated_use_sends_no_original(gateway: Gateway) -> None:
    source = gateway.profile()
    establish(gateway, source)

    record = gateway.approved(flagged(source, STORED))

    assert record.card_on_file == "stored_credentials"
    assert record.original_network_trans_id is None


def test_ids_the_caller_sends_win_over_the_stored_ones(gateway: Gateway) -> None:
    source = gateway.profile(card(DISCOVER))
    establish(gateway, source)
    temporary = replace(
        SUBSEQUENT, original_network_trans_id="918273641064738", original_auth_amount=Decimal("1.00")
    )

    record = gateway.approved(flagged(source, temporary))

    assert (record.original_network_trans_id, record.original_auth_amount) == (
        "918273641064738",
        Decimal("1.00"),
    )


def test_a_live_mode_validation_is_the_profiles_original(gateway: Gateway) -> None:
    source = gateway.profile(live=True)
    validation_id, amount = original_of(gateway, source)
    assert validation_id is not None

    record = gateway.approved(flagged(source, FIRST_SUBSEQUENT))

    assert record.card_on_file == "subsequent"
    assert (record.original_network_trans_id, record.original_auth_amount) == (validation_id, amount)
    assert original_of(gateway, source) == (validation_id, amount)


def test_a_declined_first_transaction_does_not_become_the_original(gateway: Gateway) -> None:
    source = gateway.profile()
    gateway.processor.force_next(gateway.merchant.key, ProcessorResult(Outcome.DECLINED, 2))

    assert gateway.charge(flagged(source, FIRST_SUBSEQUENT)).response_code == 2
    assert original_of(gateway, source) == (None, None)

    first = gateway.approved(flagged(source, FIRST_SUBSEQUENT))
    assert original_of(gateway, source)[0] == first.network_trans_id


def test_a_bank_profile_has_no_network_original(gateway: Gateway) -> None:
    source = gateway.profile(bank())

    record = gateway.approved(flagged(source, FIRST_SUBSEQUENT))

    assert record.network_trans_id is None
    assert original_of(gateway, source) == (None, None)


@pytest.mark.parametrize(
    ("flags", "recurring", "usage"),
    [
        (FIRST_RECURRING, False, "first_recurring"),
        (FIRST_SUBSEQUENT, False, "first_subsequent"),
        (SUBSEQUENT, False, "subsequent"),
        (CardOnFile(), True, "recurring"),
        (STORED, False, "stored_credentials"),
        (CardOnFile(), False, None),
    ],
)
def test_flags_sent_with_a_card_are_taken_as_sent(
    gateway: Gateway, flags: CardOnFile, recurring: bool, usage: str | None
) -> None:
    record = gateway.approved(
        flagged(
            card(),
            replace(flags, original_network_trans_id="123456789012345", original_auth_amount=Decimal("4.00")),
            recurring=recurring,
        )
    )

    assert record.card_on_file == usage
    merchant_initiated = usage in ("subsequent", "recurring")
    assert record.original_network_trans_id == ("123456789012345" if merchant_initiated else None)
