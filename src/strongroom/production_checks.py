"""What production refuses to start with: master keys made in sandbox or weak, and the public
sample credentials; each problem comes with the command that fixes it."""

from __future__ import annotations

from dataclasses import dataclass

from strongroom.bootstrap import SANDBOX_TRANSACTION_KEY, Application
from strongroom.domain.errors import StrongroomError
from strongroom.domain.sensitive import Secret
from strongroom.vault.errors import VaultError
from strongroom.vault.key_file import MASTER_KEY_ENV, NEW_KEY_COMMAND, PRODUCTION, read_key_entries
from strongroom.vault.key_strength import weakness
from strongroom.vault.master_keys import MasterKeys

IN_PRODUCTION = "STRONGROOM_ENVIRONMENT=production strongroom"


class ProductionNotReady(StrongroomError):
    """Production was asked to start on keys or credentials only a sandbox may use."""

    code = "production_not_ready"


@dataclass(frozen=True, slots=True)
class Problem:
    what: str
    fix: str

    def describe(self) -> str:
        return f"- {self.what}\n  Fix: {self.fix}"


def check_production(application: Application) -> None:
    """Raise `ProductionNotReady` listing every problem, when production has any."""
    if not application.settings.is_production:
        return
    problems = production_problems(application)
    if problems:
        raise ProductionNotReady(
            "Strongroom refuses to start in production:\n"
            + "\n".join(problem.describe() for problem in problems)
        )


def production_problems(application: Application) -> list[Problem]:
    master = application.master_keys
    problems = weak_keys(master)
    if master.key_file is not None:
        problems += sandbox_made_versions(master)
    else:
        problems += sandbox_keys_in_environment(application)
    problems += sample_credentials(application)
    return problems


def weak_keys(master: MasterKeys) -> list[Problem]:
    problems = []
    for version in master.versions:
        reason = weakness(master.key(version))
        if reason is None:
            continue
        if master.key_file is None:
            fix = (
                f"generate a key with `{NEW_KEY_COMMAND}` and set {MASTER_KEY_ENV} to it, on "
                "a fresh database (data a sandbox sealed under the weak key is test data)."
            )
        else:
            fix = _rotate_fix(master)
        problems.append(Problem(f"Master key version {version} in {master.origin} is weak: {reason}.", fix))
    return problems


def sandbox_made_versions(master: MasterKeys) -> list[Problem]:
    """Key file versions made in sandbox, or whose origin is not recorded (older files)."""
    made_elsewhere = [version for version in master.versions if master.made_in(version) != PRODUCTION]
    if not made_elsewhere:
        return []
    unrecorded = [version for version in made_elsewhere if master.made_in(version) is None]
    listed = ", ".join(str(version) for version in made_elsewhere)
    what = f"The {master.origin} holds master key version(s) {listed} made in sandbox"
    if unrecorded:
        what += (
            " (or written before Strongroom recorded where a key was made, which counts "
            "as sandbox: version(s) " + ", ".join(str(item) for item in unrecorded) + ")"
        )
    return [Problem(what + ".", _rotate_fix(master))]


def _rotate_fix(master: MasterKeys) -> str:
    return (
        f"`{IN_PRODUCTION} keys rotate --reencrypt` — adds a master key version made in "
        "production, re-wraps every data key under it, re-seals every record under a new "
        f"data key, and removes the other versions from {master.key_file} (with every "
        "server stopped). Or start production on a fresh data directory and database."
    )


def sandbox_keys_in_environment(application: Application) -> list[Problem]:
    """STRONGROOM_MASTER_KEY versions that are copies of the sandbox key file's keys."""
    master = application.master_keys
    key_file = application.settings.master_key_file
    try:
        entries = read_key_entries(key_file) if key_file.exists() else {}
    except VaultError:
        return []  # an unreadable key file holds nothing to compare with
    sandbox_keys = {entry.key for entry in entries.values() if entry.made_in != PRODUCTION}
    copied = [version for version in master.versions if master.key(version) in sandbox_keys]
    if not copied:
        return []
    listed = ", ".join(str(version) for version in copied)
    return [
        Problem(
            f"{MASTER_KEY_ENV} version(s) {listed} are copies of keys the sandbox key file {key_file} made.",
            f"generate a key with `{NEW_KEY_COMMAND}` and set {MASTER_KEY_ENV} to it, on a fresh "
            "database; or unset it and fix the key file instead.",
        )
    ]


def sample_credentials(application: Application) -> list[Problem]:
    """Merchants that still authenticate with the public sample transaction key."""
    merchants = application.services.merchants.using_transaction_key(Secret(SANDBOX_TRANSACTION_KEY))
    return [
        Problem(
            f"Merchant {merchant.login_id} ({merchant.name}) authenticates with the public "
            "sample transaction key from Authorize.Net's sample code.",
            f"`{IN_PRODUCTION} merchant rotate-key {merchant.login_id}` — prints a new "
            "transaction key once; the sample key stops working at once.",
        )
        for merchant in merchants
    ]
