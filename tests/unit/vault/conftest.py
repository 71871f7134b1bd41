"""Fixtures for vault tests: master keys, an in-memory key store and a vault over both."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from strongroom.vault import EnvelopeVault, MasterKeys
from tests.unit.vault.fakes import InMemoryDataKeyStore


@pytest.fixture
def master() -> MasterKeys:
    return MasterKeys({1: os.urandom(32)})


@pytest.fixture
def store() -> InMemoryDataKeyStore:
    return InMemoryDataKeyStore()


@pytest.fixture
def vault(store: InMemoryDataKeyStore, master: MasterKeys) -> EnvelopeVault:
    return EnvelopeVault(store, master)


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    return tmp_path / "keys" / "master-keys.json"
