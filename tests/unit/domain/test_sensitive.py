"""Secrets are masked everywhere they could leak and revealed only on purpose."""

from __future__ import annotations

import pickle

import pytest

from strongroom.domain.sensitive import Secret


def test_secret_is_masked_in_every_rendering() -> None:
    secret = Secret("4111111111111111")
    for rendering in (
        repr(secret),
        str(secret),
        f"{secret}",
        f"{secret!r}",
        f"{secret:>20}",
        repr([secret]),
        repr({"k": secret}),
    ):
        assert "4111" not in rendering
    assert secret.reveal() == "4111111111111111"


def test_secret_equality_and_no_pickling() -> None:
    assert Secret("a") == Secret("a")
    assert Secret("a") != Secret("b")
    assert hash(Secret("a")) == hash(Secret("a"))
    with pytest.raises(TypeError):
        pickle.dumps(Secret("a"))
