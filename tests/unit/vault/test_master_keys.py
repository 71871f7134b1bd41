"""Master keys: environment forms, the 0600 key file, reload and rotation of the file."""

from __future__ import annotations

import base64
import json
import os
import pickle
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from strongroom.vault import (
    InsecureKeyFileError,
    MasterKeyConfigError,
    MasterKeys,
    RotationRefusedError,
    UnknownMasterKeyVersionError,
    rotate_master_key,
)
from strongroom.vault.master_keys import retire_master_key_versions

KEY_ONE = bytes(range(32))
KEY_TWO = bytes(range(100, 132))


def b64(key: bytes) -> str:
    return base64.urlsafe_b64encode(key).decode()


def write_key_file(path: Path, document: object, mode: int = 0o600) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    path.chmod(mode)


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def key_material_forms(key: bytes) -> list[str]:
    return [key.hex(), b64(key), base64.b64encode(key).decode(), repr(key)]


@pytest.fixture(params=[0o000, 0o277], ids=["permissive-umask", "owner-read-only-umask"])
def unusual_umask(request: pytest.FixtureRequest) -> Iterator[None]:
    previous = os.umask(request.param)
    try:
        yield
    finally:
        os.umask(previous)


# --------------------------------------------------------------------------- environment


def test_a_single_env_key_is_version_one() -> None:
    keys = MasterKeys.load(Path("/nonexistent/keys.json"), b64(KEY_ONE), create=True)

    assert keys.versions == (1,)
    assert keys.current_version == 1
    assert keys.key(1) == KEY_ONE


def test_an_env_list_holds_every_version_and_the_highest_is_current() -> None:
    keys = MasterKeys.load(
        Path("/nonexistent/keys.json"), f" 2:{b64(KEY_TWO)} , 1:{b64(KEY_ONE)} ", create=False
    )

    assert keys.versions == (1, 2)
    assert keys.current_version == 2
    assert keys.key(1) == KEY_ONE
    assert keys.key(2) == KEY_TWO


def test_env_keys_may_omit_base64_padding() -> None:
    keys = MasterKeys.load(Path("/nonexistent"), b64(KEY_ONE).rstrip("="), create=False)

    assert keys.key(1) == KEY_ONE


def test_env_keys_win_and_no_key_file_is_created(key_file: Path) -> None:
    MasterKeys.load(key_file, b64(KEY_ONE), create=True)

    assert not key_file.exists()


@pytest.mark.parametrize(
    "env_value",
    [
        "",
        "   ",
        "not base64 at all!",
        b64(KEY_ONE[:16]),
        f"2:{b64(KEY_TWO)},{b64(KEY_ONE)}",
        f"1:{b64(KEY_ONE)},1:{b64(KEY_TWO)}",
        f"0:{b64(KEY_ONE)}",
        f"-1:{b64(KEY_ONE)}",
        f"two:{b64(KEY_ONE)}",
        f"2:{b64(KEY_TWO)},1:{b64(KEY_ONE[:31])}",
    ],
)
def test_malformed_env_values_are_refused_without_echoing_them(env_value: str) -> None:
    with pytest.raises(MasterKeyConfigError) as refusal:
        MasterKeys.load(Path("/nonexistent"), env_value, create=False)

    assert "STRONGROOM_MASTER_KEY" in refusal.value.message
    for entry in env_value.replace(":", ",").split(","):
        if len(entry.strip()) > 8:
            assert entry.strip() not in refusal.value.message


# --------------------------------------------------------------------------- key file


def test_a_missing_key_file_is_created_0600_with_one_version(key_file: Path) -> None:
    keys = MasterKeys.load(key_file, None, create=True)

    assert mode_of(key_file) == 0o600
    document = json.loads(key_file.read_text())
    assert list(document) == ["1"]
    assert base64.urlsafe_b64decode(document["1"]["key"]) == keys.key(1)
    assert document["1"]["made_in"] == "sandbox"
    assert keys.made_in(1) == "sandbox"
    assert keys.current_version == 1
    assert keys.key_file == key_file


@pytest.fixture
def key_file_directory(key_file: Path) -> Path:
    key_file.parent.mkdir()
    return key_file.parent


def test_the_created_key_file_is_exactly_0600_whatever_the_umask(
    key_file: Path, key_file_directory: Path, unusual_umask: None
) -> None:
    MasterKeys.load(key_file, None, create=True)

    assert mode_of(key_file) == 0o600


def test_creating_leaves_no_temporary_files(key_file: Path) -> None:
    MasterKeys.load(key_file, None, create=True)

    assert [path.name for path in key_file.parent.iterdir()] == [key_file.name]


def test_loading_again_reads_the_same_key_instead_of_making_a_new_one(key_file: Path) -> None:
    first = MasterKeys.load(key_file, None, create=True)
    second = MasterKeys.load(key_file, None, create=True)

    assert second.key(1) == first.key(1)


def test_a_key_file_that_cannot_be_created_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "not-a-directory").write_text("")

    with pytest.raises(MasterKeyConfigError, match="cannot be created"):
        MasterKeys.load(tmp_path / "not-a-directory" / "keys.json", None, create=True)


def test_a_missing_key_file_is_an_error_when_not_creating(key_file: Path) -> None:
    with pytest.raises(MasterKeyConfigError, match="does not exist"):
        MasterKeys.load(key_file, None, create=False)


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660, 0o700])
def test_a_key_file_open_to_others_is_refused_like_ssh(key_file: Path, mode: int) -> None:
    write_key_file(key_file, {"1": b64(KEY_ONE)}, mode)

    with pytest.raises(InsecureKeyFileError) as refusal:
        MasterKeys.load(key_file, None, create=True)

    assert f"{mode:04o}" in refusal.value.message
    assert f"chmod 600 {key_file}" in refusal.value.message


def test_a_read_only_key_file_is_accepted(key_file: Path) -> None:
    write_key_file(key_file, {"1": b64(KEY_ONE)}, 0o400)

    assert MasterKeys.load(key_file, None, create=False).key(1) == KEY_ONE


def test_a_key_file_with_several_versions(key_file: Path) -> None:
    write_key_file(key_file, {"1": b64(KEY_ONE), "2": b64(KEY_TWO)})

    keys = MasterKeys.load(key_file, None, create=False)

    assert keys.current_version == 2
    assert keys.key(2) == KEY_TWO


@pytest.mark.parametrize(
    "document",
    [
        "not json",
        "[]",
        "{}",
        json.dumps({"one": b64(KEY_ONE)}),
        json.dumps({"0": b64(KEY_ONE)}),
        json.dumps({"1": 12345}),
        json.dumps({"1": "%%%%"}),
        json.dumps({"1": b64(KEY_ONE[:24])}),
    ],
)
def test_malformed_key_files_are_refused(key_file: Path, document: str) -> None:
    write_key_file(key_file, document)

    with pytest.raises(MasterKeyConfigError) as refusal:
        MasterKeys.load(key_file, None, create=False)

    assert str(key_file) in refusal.value.message
    assert b64(KEY_ONE) not in refusal.value.message


# --------------------------------------------------------------------------- versions, reprs


def test_an_unknown_version_is_a_clear_error() -> None:
    keys = MasterKeys({1: KEY_ONE, 2: KEY_TWO})

    with pytest.raises(UnknownMasterKeyVersionError, match="version 7"):
        keys.key(7)


@pytest.mark.parametrize("keys", [{}, {1: KEY_ONE[:16]}, {0: KEY_ONE}])
def test_keys_given_in_code_are_checked(keys: dict[int, bytes]) -> None:
    with pytest.raises(MasterKeyConfigError):
        MasterKeys(keys)


def test_repr_and_str_show_versions_but_no_key_material(key_file: Path) -> None:
    env_value = f"2:{b64(KEY_TWO)},1:{b64(KEY_ONE)}"
    shown = [
        repr(MasterKeys.load(key_file, env_value, create=False)),
        str(MasterKeys.load(key_file, env_value, create=False)),
    ]

    for text in shown:
        assert "versions=[1, 2]" in text
        for form in [*key_material_forms(KEY_ONE), *key_material_forms(KEY_TWO), env_value]:
            assert form not in text


def test_master_keys_refuse_to_be_pickled() -> None:
    with pytest.raises(TypeError):
        pickle.dumps(MasterKeys({1: KEY_ONE}))


# --------------------------------------------------------------------------- rotation, reload


def test_rotation_appends_a_new_version_and_keeps_the_old_ones(key_file: Path) -> None:
    original = MasterKeys.load(key_file, None, create=True)

    new_version = rotate_master_key(key_file, None)

    rotated = MasterKeys.load(key_file, None, create=False)
    assert new_version == 2
    assert rotated.versions == (1, 2)
    assert rotated.current_version == 2
    assert rotated.key(1) == original.key(1)
    assert rotated.key(2) != original.key(1)
    assert mode_of(key_file) == 0o600


def test_rotation_is_repeatable_and_leaves_no_temporary_files(key_file: Path) -> None:
    MasterKeys.load(key_file, None, create=True)

    versions = [rotate_master_key(key_file, None) for _ in range(3)]

    assert versions == [2, 3, 4]
    assert not [path for path in key_file.parent.iterdir() if path.name.endswith(".tmp")]


def test_rotation_is_refused_for_environment_keys_with_instructions(key_file: Path) -> None:
    env_value = f"2:{b64(KEY_TWO)},1:{b64(KEY_ONE)}"

    with pytest.raises(RotationRefusedError) as refusal:
        rotate_master_key(key_file, env_value)

    message = refusal.value.message
    assert "STRONGROOM_MASTER_KEY" in message
    assert "3:<new key>,2:<key 2>,1:<key 1>" in message
    for form in [*key_material_forms(KEY_ONE), *key_material_forms(KEY_TWO)]:
        assert form not in message
    assert not key_file.exists()


def test_rotating_a_missing_key_file_is_a_clear_error(key_file: Path) -> None:
    with pytest.raises(MasterKeyConfigError):
        rotate_master_key(key_file, None)


def test_rotation_refuses_an_insecure_key_file(key_file: Path) -> None:
    write_key_file(key_file, {"1": b64(KEY_ONE)}, 0o644)

    with pytest.raises(InsecureKeyFileError):
        rotate_master_key(key_file, None)


def test_reload_picks_up_a_version_rotated_in_by_another_instance(key_file: Path) -> None:
    server = MasterKeys.load(key_file, None, create=True)
    rotate_master_key(key_file, None)
    operator = MasterKeys.load(key_file, None, create=False)
    assert server.current_version == 1

    server.reload()

    assert server.current_version == 2
    assert server.key(2) == operator.key(2)


def test_reload_of_environment_keys_keeps_them() -> None:
    keys = MasterKeys.load(Path("/nonexistent"), b64(KEY_ONE), create=False)

    keys.reload()

    assert keys.key(1) == KEY_ONE


# --------------------------------------------------------------------------- where keys were made


def test_a_key_file_from_before_the_record_reads_as_made_nowhere_known(key_file: Path) -> None:
    write_key_file(key_file, {"1": b64(KEY_ONE)})

    keys = MasterKeys.load(key_file, None, create=False)

    assert keys.key(1) == KEY_ONE
    assert keys.made_in(1) is None


def test_rotation_records_its_environment_and_keeps_older_records_as_they_were(key_file: Path) -> None:
    write_key_file(key_file, {"1": b64(KEY_ONE), "2": {"key": b64(KEY_TWO), "made_in": "sandbox"}})

    rotate_master_key(key_file, None, made_in="production")

    keys = MasterKeys.load(key_file, None, create=False)
    assert [keys.made_in(version) for version in keys.versions] == [None, "sandbox", "production"]
    document = json.loads(key_file.read_text())
    assert document["1"] == b64(KEY_ONE)  # no record is invented for an unrecorded version


def test_retiring_versions_removes_them_but_never_the_newest(key_file: Path) -> None:
    write_key_file(key_file, {"1": b64(KEY_ONE), "2": {"key": b64(KEY_TWO), "made_in": "sandbox"}})
    newest = rotate_master_key(key_file, None, made_in="production")

    retired = retire_master_key_versions(key_file, [1, 2, newest])

    assert retired == (1, 2)
    keys = MasterKeys.load(key_file, None, create=False)
    assert keys.versions == (newest,)
    assert keys.made_in(newest) == "production"
    assert mode_of(key_file) == 0o600


def test_reload_follows_the_record_of_where_keys_were_made(key_file: Path) -> None:
    server = MasterKeys.load(key_file, None, create=True)
    rotate_master_key(key_file, None, made_in="production")

    server.reload()

    assert [server.made_in(version) for version in server.versions] == ["sandbox", "production"]


@pytest.mark.parametrize(
    "entry",
    [
        {"key": 12345},
        {"made_in": "sandbox"},
        ["key"],
        {"key": "KEY", "made_in": "staging"},
    ],
    ids=["key-not-text", "no-key", "a-list", "unknown-environment"],
)
def test_malformed_version_entries_are_refused(key_file: Path, entry: object) -> None:
    if isinstance(entry, dict) and entry.get("key") == "KEY":
        entry = {**entry, "key": b64(KEY_ONE)}
    write_key_file(key_file, {"1": entry})

    with pytest.raises(MasterKeyConfigError) as refusal:
        MasterKeys.load(key_file, None, create=False)

    assert "version 1" in refusal.value.message
    for form in key_material_forms(KEY_ONE):
        assert form not in refusal.value.message


def test_rotation_refuses_an_unknown_environment(key_file: Path) -> None:
    MasterKeys.load(key_file, None, create=True)

    with pytest.raises(MasterKeyConfigError):
        rotate_master_key(key_file, None, made_in="staging")
