"""Public refs: random digits without a leading zero; a clash inserts nothing and is retried."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import Engine

from strongroom.storage import SqlUnitOfWorkFactory
from strongroom.storage.refs import random_ref
from tests.integration.storage.builders import ADA, NOW, add_profile, card_row, is_ref
from tests.integration.storage.conftest import Tenants


class ScriptedRefs:
    """Hands out the given refs in order, counting how many were asked for."""

    def __init__(self, refs: list[str]) -> None:
        self._refs: Iterator[str] = iter(refs)
        self.asked = 0

    def __call__(self, digits: int) -> str:
        self.asked += 1
        return next(self._refs)


def test_random_refs_have_the_requested_width() -> None:
    refs = [random_ref(width) for width in (9, 10, 11) for _ in range(200)]

    assert all(is_ref(ref, len(ref)) for ref in refs)
    assert {len(ref) for ref in refs} == {9, 10, 11}


def test_a_taken_ref_is_retried_and_earlier_work_survives(engine: Engine, tenants: Tenants) -> None:
    container = tenants.alice.container_key
    refs = ScriptedRefs(["1000000001", "1000000001", "1000000002", "100000001", "100000001", "100000002"])
    uow_factory = SqlUnitOfWorkFactory(engine, new_ref=refs)
    profile_ref = add_profile(uow_factory, container)

    with uow_factory() as uow:
        first = uow.profiles.add_payment_profile(container, card_row(profile_ref, fingerprint="1"))
        second = uow.profiles.add_payment_profile(container, card_row(profile_ref, fingerprint="2"))
        address = uow.profiles.add_address(container, profile_ref, ADA, False, NOW)
        clashing_address = uow.profiles.add_address(container, profile_ref, ADA, False, NOW)
        uow.commit()

    assert (first, second) == ("1000000001", "1000000002")
    assert (address, clashing_address) == ("100000001", "100000002")
    assert refs.asked == 6
    with uow_factory(write=False) as uow:
        assert [row.ref for row in uow.profiles.payment_profiles(container, profile_ref)] == [first, second]
        assert [row.ref for row in uow.profiles.addresses(container, profile_ref)] == [
            address,
            clashing_address,
        ]
