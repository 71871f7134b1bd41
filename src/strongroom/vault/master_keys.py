"""Master keys: versioned key-encryption keys from STRONGROOM_MASTER_KEY or a 0600 JSON key file.

The key file records, per version, the environment the key was made in
(`{"1": {"key": "<base64>", "made_in": "sandbox"}}`); a version written by an older Strongroom as
a bare base64 string has no record (`made_in` None), and production counts it as sandbox-made.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from pathlib import Path

from strongroom.vault.errors import (
    MasterKeyConfigError,
    RotationRefusedError,
    UnknownMasterKeyVersionError,
)
from strongroom.vault.key_file import (
    ENVIRONMENTS,
    MASTER_KEY_BYTES,
    MASTER_KEY_ENV,
    NEW_KEY_COMMAND,
    SANDBOX,
    KeyEntry,
    create_key_file_if_missing,
    decode_key,
    parse_version,
    read_key_entries,
    rotation_lock,
    write_key_file,
)


class MasterKeys:
    """The master keys by version; the highest version wraps new data keys, all of them unwrap.

    Keys loaded from a key file can be re-read with `reload()` (another process may have rotated);
    the mapping is swapped whole, so readers on other threads always see a consistent set.
    """

    __slots__ = ("_key_file", "_keys", "_made_in", "_origin")

    def __init__(
        self,
        keys: Mapping[int, bytes],
        *,
        key_file: Path | None = None,
        origin: str = "keys given in code",
        made_in: Mapping[int, str | None] | None = None,
    ) -> None:
        self._keys = _checked_keys(keys)
        self._made_in = dict(made_in or {})
        self._key_file = key_file
        self._origin = f"key file {key_file}" if key_file is not None else origin

    @classmethod
    def load(cls, key_file: Path, env_value: str | None, *, create: bool) -> MasterKeys:
        """Keys from `env_value` (STRONGROOM_MASTER_KEY) when set, else from the key file,
        which is first created with one fresh key when `create` is true and it is missing."""
        if env_value is not None:
            return cls(parse_env_value(env_value), origin=MASTER_KEY_ENV)
        if create:
            create_key_file_if_missing(key_file)
        return cls._from_entries(read_key_entries(key_file), key_file)

    @classmethod
    def _from_entries(cls, entries: Mapping[int, KeyEntry], key_file: Path) -> MasterKeys:
        return cls(
            {version: entry.key for version, entry in entries.items()},
            key_file=key_file,
            made_in={version: entry.made_in for version, entry in entries.items()},
        )

    @property
    def current_version(self) -> int:
        """The version that wraps new and re-wrapped data keys: the highest one."""
        return max(self._keys)

    @property
    def versions(self) -> tuple[int, ...]:
        return tuple(sorted(self._keys))

    @property
    def key_file(self) -> Path | None:
        """The key file these keys come from, or None for environment or in-code keys."""
        return self._key_file

    @property
    def origin(self) -> str:
        """Where the keys come from, for messages: the key file, or STRONGROOM_MASTER_KEY."""
        return self._origin

    def made_in(self, version: int) -> str | None:
        """The environment the key file says `version` was made in; None when it does not say
        (environment keys, keys given in code, versions written before the record existed)."""
        return self._made_in.get(version)

    def key(self, version: int) -> bytes:
        keys = self._keys
        if version not in keys:
            known = ", ".join(str(known) for known in sorted(keys))
            raise UnknownMasterKeyVersionError(
                f"Master key version {version} is not in {self._origin} (it has {known}); "
                "add that version back to open data keys wrapped under it."
            )
        return keys[version]

    def reload(self) -> None:
        """Re-read the key file (no-op for keys from the environment or from code)."""
        if self._key_file is not None:
            entries = read_key_entries(self._key_file)
            self._made_in = {version: entry.made_in for version, entry in entries.items()}
            self._keys = {version: entry.key for version, entry in entries.items()}

    def __repr__(self) -> str:
        return (
            f"MasterKeys(origin={self._origin!r}, versions={list(self.versions)}, "
            f"current_version={self.current_version})"
        )

    __str__ = __repr__

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("MasterKeys are not picklable")


def rotate_master_key(key_file: Path, env_value: str | None, *, made_in: str = SANDBOX) -> int:
    """Append a fresh random master key version, recorded as made in `made_in`, to the key file
    and return it.

    Refused when `env_value` (STRONGROOM_MASTER_KEY) is set: those keys are the operator's to edit.
    Afterwards, re-wrap the data keys (`rewrap_data_keys`) so old versions can later be retired.
    """
    if env_value is not None:
        raise RotationRefusedError(_env_rotation_instructions(parse_env_value(env_value)))
    if made_in not in ENVIRONMENTS:
        raise MasterKeyConfigError(f"Master keys are made in {' or '.join(ENVIRONMENTS)}.")
    try:
        return _append_new_version(key_file, made_in)
    except OSError as error:
        raise MasterKeyConfigError(
            f"Master key file {key_file} cannot be rotated: {error.strerror}."
        ) from None


def retire_master_key_versions(key_file: Path, versions: Iterable[int]) -> tuple[int, ...]:
    """Remove `versions` from the key file (never its newest one) and return those removed.

    Only for versions no stored data key is wrapped under any more: what they wrapped can no
    longer be opened once they are gone.
    """
    try:
        with rotation_lock(key_file):
            entries = read_key_entries(key_file)
            retired = tuple(sorted(set(versions) & set(entries) - {max(entries)}))
            if retired:
                write_key_file(
                    key_file,
                    {version: entry for version, entry in entries.items() if version not in retired},
                    overwrite=True,
                )
    except OSError as error:
        raise MasterKeyConfigError(
            f"Master key file {key_file} cannot be rewritten: {error.strerror}."
        ) from None
    return retired


def _append_new_version(key_file: Path, made_in: str) -> int:
    with rotation_lock(key_file):
        entries = read_key_entries(key_file)
        new_version = max(entries) + 1
        entries[new_version] = KeyEntry(secrets.token_bytes(MASTER_KEY_BYTES), made_in)
        write_key_file(key_file, entries, overwrite=True)
    return new_version


# --------------------------------------------------------------------------- environment


def parse_env_value(value: str) -> dict[int, bytes]:
    """`<key>` (version 1) or `<version>:<key>,<version>:<key>,...`, keys urlsafe base64."""
    text = value.strip()
    if not text:
        raise MasterKeyConfigError(
            f"{MASTER_KEY_ENV} is set but empty: unset it to use the key file, "
            "or set it to a urlsafe-base64 32-byte key."
        )
    if ":" not in text and "," not in text:
        return {1: decode_key(text, f"The key in {MASTER_KEY_ENV}")}
    keys: dict[int, bytes] = {}
    for position, entry in enumerate(text.split(","), start=1):
        version, key = _parse_env_entry(entry, f"Entry {position} of {MASTER_KEY_ENV}")
        if version in keys:
            raise MasterKeyConfigError(f"{MASTER_KEY_ENV} lists version {version} twice.")
        keys[version] = key
    return keys


def _parse_env_entry(entry: str, where: str) -> tuple[int, bytes]:
    version_text, separator, encoded = entry.strip().partition(":")
    if not separator:
        raise MasterKeyConfigError(f"{where} is not VERSION:KEY (expected e.g. 2:<base64>,1:<base64>).")
    version = parse_version(version_text.strip(), where)
    key = decode_key(encoded.strip(), f"Master key version {version} in {MASTER_KEY_ENV}")
    return version, key


def _env_rotation_instructions(keys: Mapping[int, bytes]) -> str:
    new_version = max(keys) + 1
    kept = ",".join(f"{version}:<key {version}>" for version in sorted(keys, reverse=True))
    return (
        f"Master keys come from the {MASTER_KEY_ENV} environment variable, so Strongroom "
        "cannot rotate them itself.\n"
        "To rotate by hand:\n"
        f"  1. generate a key:  {NEW_KEY_COMMAND}\n"
        f"  2. on every server set {MASTER_KEY_ENV}={new_version}:<new key>,{kept}\n"
        "     (keep every existing version; a lone key without a prefix is version 1)\n"
        "  3. restart the servers, then re-wrap the data keys under the new version."
    )


def _checked_keys(keys: Mapping[int, bytes]) -> dict[int, bytes]:
    if not keys:
        raise MasterKeyConfigError("At least one master key is required.")
    for version, key in keys.items():
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            raise MasterKeyConfigError("Master key versions are positive whole numbers.")
        if len(key) != MASTER_KEY_BYTES:
            raise MasterKeyConfigError(
                f"Master key version {version} is {len(key)} bytes long; "
                f"master keys are exactly {MASTER_KEY_BYTES} bytes."
            )
    return {version: bytes(key) for version, key in keys.items()}
