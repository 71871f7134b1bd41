"""The master key file: a 0600 JSON document of versioned keys, each with the environment it
was made in; reading it safely, writing it atomically, and the key text (urlsafe base64)."""

from __future__ import annotations

import base64
import binascii
import fcntl
import json
import os
import secrets
import stat
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from strongroom.vault.errors import InsecureKeyFileError, MasterKeyConfigError

MASTER_KEY_ENV: Final = "STRONGROOM_MASTER_KEY"
MASTER_KEY_BYTES: Final = 32
KEY_FILE_MODE: Final = 0o600
SANDBOX: Final = "sandbox"
PRODUCTION: Final = "production"
ENVIRONMENTS: Final = (SANDBOX, PRODUCTION)

NEW_KEY_COMMAND: Final = (
    'python -c "import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())"'
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
        refuse_unsafe_file(path, os.fstat(file.fileno()).st_mode)
        document = file.read()
    return parse_key_file(path, document)


def refuse_unsafe_file(path: Path, mode: int) -> None:
    if not stat.S_ISREG(mode):
        raise MasterKeyConfigError(f"Master key file {path} is not a regular file.")
    permissions = stat.S_IMODE(mode)
    if permissions & ~KEY_FILE_MODE:
        raise InsecureKeyFileError(
            f"Permissions {permissions:04o} for master key file {path} are too open: it must "
            f"not be accessible by others (0600 or stricter). Fix with: chmod 600 {path}"
        )


def parse_key_file(path: Path, document: bytes) -> dict[int, KeyEntry]:
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
        version = parse_version(version_text, f"Master key file {path}")
        keys[version] = parse_entry(value, f"Master key version {version} in {path}")
    return keys


def parse_entry(value: object, what: str) -> KeyEntry:
    """`"<base64>"` (an older file: environment not recorded) or
    `{"key": "<base64>", "made_in": "sandbox" | "production"}`."""
    if isinstance(value, str):
        return KeyEntry(decode_key(value, what))
    if not isinstance(value, dict) or not isinstance(value.get("key"), str):
        raise MasterKeyConfigError(
            f'{what} is neither a base64 string nor {{"key": "<base64>", "made_in": "<environment>"}}.'
        )
    made_in = value.get("made_in")
    if made_in is not None and made_in not in ENVIRONMENTS:
        raise MasterKeyConfigError(f"{what} says it was made in neither {' nor '.join(ENVIRONMENTS)}.")
    return KeyEntry(decode_key(value["key"], what), made_in)


def key_file_document(entries: Mapping[int, KeyEntry]) -> str:
    document: dict[str, object] = {}
    for version in sorted(entries):
        entry = entries[version]
        encoded = encode_key(entry.key)
        # A version without a record stays as it was written: adding one would be a guess.
        document[str(version)] = (
            encoded if entry.made_in is None else {"key": encoded, "made_in": entry.made_in}
        )
    return json.dumps(document, indent=2) + "\n"


def create_key_file_if_missing(path: Path) -> None:
    if path.exists():
        return
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        publish_first_key_file(path)
    except OSError as error:
        raise MasterKeyConfigError(f"Master key file {path} cannot be created: {error.strerror}.") from None


def publish_first_key_file(path: Path) -> None:
    try:
        write_key_file(path, {1: KeyEntry(secrets.token_bytes(MASTER_KEY_BYTES), SANDBOX)}, overwrite=False)
    except FileExistsError:
        return  # another process created it first; its key is the one everybody uses


def write_key_file(path: Path, entries: Mapping[int, KeyEntry], *, overwrite: bool) -> None:
    """Write a complete file beside `path`, then publish it in one step: `os.replace` when
    overwriting, else a hard link, which fails with FileExistsError instead of clobbering."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, KEY_FILE_MODE)
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            os.fchmod(file.fileno(), KEY_FILE_MODE)  # exactly 0600, whatever the umask
            file.write(key_file_document(entries))
            file.flush()
            os.fsync(file.fileno())
        if overwrite:
            os.replace(temporary, path)
        else:
            os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    fsync_directory(path.parent)


def fsync_directory(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@contextmanager
def rotation_lock(key_file: Path) -> Iterator[None]:
    """Serialise rotations across processes, so two of them cannot both write version N+1."""
    descriptor = os.open(key_file.with_name(f"{key_file.name}.lock"), os.O_RDWR | os.O_CREAT, KEY_FILE_MODE)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


# --------------------------------------------------------------------------- key text


def parse_version(text: str, where: str) -> int:
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise MasterKeyConfigError(f"{where} has a version that is not a positive whole number.")
    return int(text)


def decode_key(encoded: str, what: str) -> bytes:
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


def encode_key(key: bytes) -> str:
    return base64.urlsafe_b64encode(key).decode("ascii")
