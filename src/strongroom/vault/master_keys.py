"""Master keys: versioned key-encryption keys from STRONGROOM_MASTER_KEY or a 0600 JSON key file.

The key file records, per version, the environment the key was made in
(`{"1": {"key": "<base64>", "made_in": "sandbox"}}`); a version written by an older Strongroom as
a bare base64 string has no record (`made_in` None), and production counts it as sandbox-made.
"""

from __future__ import annotations

import base64
import binascii
import fcntl
import json
import os
import secrets
import stat
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from strongroom.vault.errors import (
    InsecureKeyFileError,
    MasterKeyConfigError,
    RotationRefusedError,
    UnknownMasterKeyVersionError,
)

MASTER_KEY_ENV: Final = "STRONGROOM_MASTER_KEY"
MASTER_KEY_BYTES: Final = 32
KEY_FILE_MODE: Final = 0o600
SANDBOX: Final = "sandbox"
PRODUCTION: Final = "production"
ENVIRONMENTS: Final = (SANDBOX, PRODUCTION)

NEW_KEY_COMMAND: Final = (
    'python -c "import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())"'
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
            _create_key_file_if_missing(key_file)
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
        with _rotation_lock(key_file):
            entries = read_key_entries(key_file)
            retired = tuple(sorted(set(versions) & set(entries) - {max(entries)}))
            if retired:
                _write_key_file(
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
    with _rotation_lock(key_file):
        entries = read_key_entries(key_file)
        new_version = max(entries) + 1
        entries[new_version] = KeyEntry(secrets.token_bytes(MASTER_KEY_BYTES), made_in)
        _write_key_file(key_file, entries, overwrite=True)
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
        return {1: _decode_key(text, f"The key in {MASTER_KEY_ENV}")}
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
    version = _parse_version(version_text.strip(), where)
    key = _decode_key(encoded.strip(), f"Master key version {version} in {MASTER_KEY_ENV}")
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


# --------------------------------------------------------------------------- key file


@dataclass(frozen=True, slots=True)
class KeyEntry:
    """One version of the key file: the key, and the environment it was made in (None: not
    recorded, written by a Strongroom from before the record existed)."""

    key: bytes = field(repr=False)
    made_in: str | None = None


def read_key_file(path: Path) -> dict[int, bytes]:
    """The key file's keys; refused if it is missing, malformed or open to group or others."""
    return {version: entry.key for version, entry in read_key_entries(path).items()}


def read_key_entries(path: Path) -> dict[int, KeyEntry]:
    """The key file's versions with where each was made; refused like `read_key_file`."""
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        raise MasterKeyConfigError(
            f"Master key file {path} does not exist: set {MASTER_KEY_ENV} or create the key file."
        ) from None
    except OSError as error:
        raise MasterKeyConfigError(f"Master key file {path} cannot be opened: {error.strerror}.") from None
    with os.fdopen(descriptor, "rb") as file:
        _refuse_unsafe_file(path, os.fstat(file.fileno()).st_mode)
        document = file.read()
    return _parse_key_file(path, document)


def _refuse_unsafe_file(path: Path, mode: int) -> None:
    if not stat.S_ISREG(mode):
        raise MasterKeyConfigError(f"Master key file {path} is not a regular file.")
    permissions = stat.S_IMODE(mode)
    if permissions & ~KEY_FILE_MODE:
        raise InsecureKeyFileError(
            f"Permissions {permissions:04o} for master key file {path} are too open: it must "
            f"not be accessible by others (0600 or stricter). Fix with: chmod 600 {path}"
        )


def _parse_key_file(path: Path, document: bytes) -> dict[int, KeyEntry]:
    try:
        entries = json.loads(document)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise MasterKeyConfigError(
            f"Master key file {path} is not valid JSON "
            '(expected {"1": {"key": "<base64 key>", "made_in": "production"}}).',
        ) from None
    if not isinstance(entries, dict) or not entries:
        raise MasterKeyConfigError(
            f"Master key file {path} must be a non-empty JSON object of version: base64 key."
        )
    keys: dict[int, KeyEntry] = {}
    for version_text, value in entries.items():
        version = _parse_version(version_text, f"Master key file {path}")
        keys[version] = _parse_entry(value, f"Master key version {version} in {path}")
    return keys


def _parse_entry(value: object, what: str) -> KeyEntry:
    """`"<base64>"` (an older file: environment not recorded) or
    `{"key": "<base64>", "made_in": "sandbox" | "production"}`."""
    if isinstance(value, str):
        return KeyEntry(_decode_key(value, what))
    if not isinstance(value, dict) or not isinstance(value.get("key"), str):
        raise MasterKeyConfigError(
            f'{what} is neither a base64 string nor {{"key": "<base64>", "made_in": "<environment>"}}.'
        )
    made_in = value.get("made_in")
    if made_in is not None and made_in not in ENVIRONMENTS:
        raise MasterKeyConfigError(f"{what} says it was made in neither {' nor '.join(ENVIRONMENTS)}.")
    return KeyEntry(_decode_key(value["key"], what), made_in)


def _key_file_document(entries: Mapping[int, KeyEntry]) -> str:
    document: dict[str, object] = {}
    for version in sorted(entries):
        entry = entries[version]
        encoded = _encode_key(entry.key)
        # A version without a record stays as it was written: adding one would be a guess.
        document[str(version)] = (
            encoded if entry.made_in is None else {"key": encoded, "made_in": entry.made_in}
        )
    return json.dumps(document, indent=2) + "\n"


def _create_key_file_if_missing(path: Path) -> None:
    if path.exists():
        return
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        _publish_first_key_file(path)
    except OSError as error:
        raise MasterKeyConfigError(f"Master key file {path} cannot be created: {error.strerror}.") from None


def _publish_first_key_file(path: Path) -> None:
    try:
        _write_key_file(path, {1: KeyEntry(secrets.token_bytes(MASTER_KEY_BYTES), SANDBOX)}, overwrite=False)
    except FileExistsError:
        return  # another process created it first; its key is the one everybody uses


def _write_key_file(path: Path, entries: Mapping[int, KeyEntry], *, overwrite: bool) -> None:
    """Write a complete file beside `path`, then publish it in one step: `os.replace` when
    overwriting, else a hard link, which fails with FileExistsError instead of clobbering."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, KEY_FILE_MODE)
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            os.fchmod(file.fileno(), KEY_FILE_MODE)  # exactly 0600, whatever the umask
            file.write(_key_file_document(entries))
            file.flush()
            os.fsync(file.fileno())
        if overwrite:
            os.replace(temporary, path)
        else:
            os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    _fsync_directory(path.parent)


def _fsync_directory(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@contextmanager
def _rotation_lock(key_file: Path) -> Iterator[None]:
    """Serialise rotations across processes, so two of them cannot both write version N+1."""
    descriptor = os.open(key_file.with_name(f"{key_file.name}.lock"), os.O_RDWR | os.O_CREAT, KEY_FILE_MODE)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


# --------------------------------------------------------------------------- key text


def _parse_version(text: str, where: str) -> int:
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise MasterKeyConfigError(f"{where} has a version that is not a positive whole number.")
    return int(text)


def _decode_key(encoded: str, what: str) -> bytes:
    padded = encoded + "=" * (-len(encoded) % 4)
    try:
        key = base64.b64decode(padded, altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        raise MasterKeyConfigError(f"{what} is not urlsafe base64.") from None
    if len(key) != MASTER_KEY_BYTES:
        raise MasterKeyConfigError(
            f"{what} is {len(key)} bytes long; master keys are exactly "
            f"{MASTER_KEY_BYTES} bytes (generate one with: {NEW_KEY_COMMAND})."
        )
    return key


def _encode_key(key: bytes) -> str:
    return base64.urlsafe_b64encode(key).decode("ascii")


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
