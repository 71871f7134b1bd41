"""The vault's refusals: unusable master keys, unknown keys and sealed blobs that will not open."""

from __future__ import annotations

from strongroom.domain.errors import StrongroomError


class VaultError(StrongroomError):
    """Something the vault cannot do safely; an operator problem rather than a client one.

        VaultError
        ├── MasterKeyConfigError          key file or env value missing, malformed, wrong length
        │   └── InsecureKeyFileError      key file accessible by group or others
        ├── UnknownMasterKeyVersionError  no configured master key has it (even after a reload)
        ├── RotationRefusedError          master keys come from the environment: operator rotates
        ├── KeyUnwrapError                a stored data key does not open under its master key
        └── UnsealError                   blob altered, or sealed for another merchant or record
            └── DataKeyNotFoundError      the data key a blob names is not in the store

    Messages name files, versions and key ids; never key material, key text or plaintext.
    """

    code = "vault_error"


class MasterKeyConfigError(VaultError):
    code = "master_key_config"


class InsecureKeyFileError(MasterKeyConfigError):
    code = "insecure_key_file"


class UnknownMasterKeyVersionError(VaultError):
    code = "unknown_master_key_version"


class RotationRefusedError(VaultError):
    code = "rotation_refused"


class KeyUnwrapError(VaultError):
    code = "key_unwrap_failed"


class UnsealError(VaultError):
    code = "unseal_failed"


class DataKeyNotFoundError(UnsealError):
    code = "data_key_not_found"
