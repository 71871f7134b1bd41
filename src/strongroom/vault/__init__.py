"""The vault: master keys, envelope encryption, fingerprints; the one home of `cryptography`."""

from strongroom.vault.envelope import EnvelopeVault
from strongroom.vault.errors import (
    DataKeyNotFoundError,
    InsecureKeyFileError,
    KeyUnwrapError,
    MasterKeyConfigError,
    RotationRefusedError,
    UnknownMasterKeyVersionError,
    UnsealError,
    VaultError,
)
from strongroom.vault.key_file import MASTER_KEY_ENV
from strongroom.vault.master_keys import MasterKeys, rotate_master_key
from strongroom.vault.rotation import rewrap_data_keys

__all__ = [
    "MASTER_KEY_ENV",
    "DataKeyNotFoundError",
    "EnvelopeVault",
    "InsecureKeyFileError",
    "KeyUnwrapError",
    "MasterKeyConfigError",
    "MasterKeys",
    "RotationRefusedError",
    "UnknownMasterKeyVersionError",
    "UnsealError",
    "VaultError",
    "rewrap_data_keys",
    "rotate_master_key",
]
