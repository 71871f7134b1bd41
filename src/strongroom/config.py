"""One typed settings object, read once from STRONGROOM_* environment variables."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_MAX_BODY_BYTES = 1_048_576
DEFAULT_SCHEDULER_INTERVAL = 60  # seconds between scheduled job runs in `strongroom serve`
MAX_PORT = 65_535
DEFAULT_SMTP_PORT = 25
DEFAULT_SMTP_SENDER = "receipts@localhost"
# How long the sealed card or bank account of an approved transaction is kept, so that
# createCustomerProfileFromTransaction can use it; the reference documents no limit.
DEFAULT_INSTRUMENT_RETENTION_DAYS = 30
MAX_INSTRUMENT_RETENTION_DAYS = 3650
# Failed authentications (both doors): a login, or a client address, that fails this many times
# in a burst is locked for the lockout; failures leak away at that many per window. 0: no limit.
DEFAULT_AUTH_LOGIN_FAILURES = 10
DEFAULT_AUTH_ADDRESS_FAILURES = 50  # higher: merchants behind one NAT share an address
DEFAULT_AUTH_WINDOW_SECONDS = 300
DEFAULT_AUTH_LOCKOUT_SECONDS = 900
MAX_AUTH_SECONDS = 86_400
# uvicorn's names; anything else makes `strongroom serve` fail only after startup work.
LOG_LEVELS = ("critical", "error", "warning", "info", "debug", "trace")
# Slow clients: seconds to send a request head and body, and open connections per process.
DEFAULT_HEADER_TIMEOUT = 10.0
# How long a process may use a cached login, data key, fraud filter or webhook list that another
# process has since changed (changes made through the same process show at once).
MAX_CACHE_SECONDS = 1.0
DEFAULT_CACHE_SECONDS = MAX_CACHE_SECONDS
DEFAULT_BODY_TIMEOUT = 30.0
MAX_CLIENT_TIMEOUT = 3600.0
DEFAULT_MAX_CONNECTIONS = 500
# `strongroom serve` worker processes (PostgreSQL only: SQLite has one writer).
DEFAULT_WORKERS = 1
# Requests doing blocking work at once in one process (the rest wait on the event loop).
DEFAULT_THREADS = 8
MAX_THREADS = 64
MAX_WORKERS = 64
# SQLite's PRAGMA synchronous under WAL: normal survives a process crash, full also a power loss.
SQLITE_SYNCHRONOUS_MODES = ("normal", "full")
_SECONDS = re.compile(r"\d{1,6}(\.\d{1,6})?")


class SettingsError(ValueError):
    """A STRONGROOM_* variable has a value Strongroom cannot use."""


def _int(
    env: Mapping[str, str], name: str, default: int, minimum: int = 1, maximum: int | None = None
) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {raw!r}") from None
    if value < minimum:
        raise SettingsError(f"{name} must be at least {minimum}")
    if maximum is not None and value > maximum:
        raise SettingsError(f"{name} must be at most {maximum}")
    return value


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    value = _number_of_seconds(env, name, default)
    if not 0 < value <= MAX_CLIENT_TIMEOUT:
        raise SettingsError(f"{name} must be more than 0 and at most {MAX_CLIENT_TIMEOUT:g} seconds")
    return value


def _cache_seconds(env: Mapping[str, str]) -> float:
    name = "STRONGROOM_CACHE_SECONDS"
    value = _number_of_seconds(env, name, DEFAULT_CACHE_SECONDS)
    if not 0 <= value <= MAX_CACHE_SECONDS:
        raise SettingsError(f"{name} must be from 0 (no caching) to {MAX_CACHE_SECONDS:g} seconds")
    return value


def _number_of_seconds(env: Mapping[str, str], name: str, default: float) -> float:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    if not _SECONDS.fullmatch(raw):
        raise SettingsError(f"{name} must be a number of seconds such as 10 or 0.5, not {raw!r}")
    return float(raw)


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{name} must be true or false, not {raw!r}")


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything Strongroom reads from its environment; the CLI and the server share it."""

    data_dir: Path
    database_url: str
    master_key_file: Path
    master_key: str | None
    environment: str
    host: str
    port: int
    max_body_bytes: int
    auto_migrate: bool
    log_level: str
    scheduler_interval: int = DEFAULT_SCHEDULER_INTERVAL  # 0: no in-process scheduler
    # Receipts wait in the outbox; they are e-mailed only when an SMTP host is configured.
    smtp_host: str | None = None
    smtp_port: int = DEFAULT_SMTP_PORT
    smtp_sender: str = DEFAULT_SMTP_SENDER
    smtp_starttls: bool = False
    smtp_username: str | None = None
    smtp_password: str | None = None
    instrument_retention_days: int = DEFAULT_INSTRUMENT_RETENTION_DAYS
    header_timeout: float = DEFAULT_HEADER_TIMEOUT
    body_timeout: float = DEFAULT_BODY_TIMEOUT
    max_connections: int = DEFAULT_MAX_CONNECTIONS
    auth_login_failures: int = DEFAULT_AUTH_LOGIN_FAILURES
    auth_address_failures: int = DEFAULT_AUTH_ADDRESS_FAILURES
    auth_window_seconds: int = DEFAULT_AUTH_WINDOW_SECONDS
    auth_lockout_seconds: int = DEFAULT_AUTH_LOCKOUT_SECONDS
    workers: int = DEFAULT_WORKERS
    sqlite_synchronous: str = "normal"
    cache_seconds: float = DEFAULT_CACHE_SECONDS
    threads: int = DEFAULT_THREADS

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    def __repr__(self) -> str:
        # The master key must never reach a log line or a traceback.
        masked = "***" if self.master_key else None
        return (
            f"Settings(data_dir={self.data_dir!s}, database_url={_mask_url(self.database_url)}, "
            f"master_key={masked}, environment={self.environment}, "
            f"host={self.host}, port={self.port})"
        )


_QUERY_PASSWORD = re.compile(r"(?i)([?&]password=)[^&]*")


def _mask_url(url: str) -> str:
    """The URL with any password masked: in the user part, or as a `password=` query parameter."""
    url = _QUERY_PASSWORD.sub(r"\1***", url)
    scheme, sep, rest = url.partition("://")
    # The last "@": a password may hold "?", "/" or "@" unescaped; masking too much is harmless.
    credentials, at, host = rest.rpartition("@")
    if not at or ":" not in credentials:
        return url
    user = credentials.split(":", 1)[0]
    return f"{scheme}{sep}{user}:***@{host}"


def _log_level(env: Mapping[str, str]) -> str:
    level = (env.get("STRONGROOM_LOG_LEVEL") or "info").strip().lower()
    if level not in LOG_LEVELS:
        raise SettingsError(f"STRONGROOM_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, not {level!r}")
    return level


def _sqlite_synchronous(env: Mapping[str, str]) -> str:
    mode = (env.get("STRONGROOM_SQLITE_SYNCHRONOUS") or "normal").strip().lower()
    if mode not in SQLITE_SYNCHRONOUS_MODES:
        raise SettingsError(f"STRONGROOM_SQLITE_SYNCHRONOUS must be normal or full, not {mode!r}")
    return mode


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    data_dir = Path(env.get("STRONGROOM_DATA_DIR") or "./strongroom-data").resolve()
    database_url = env.get("STRONGROOM_DATABASE_URL") or f"sqlite:///{data_dir / 'strongroom.db'}"
    environment = (env.get("STRONGROOM_ENVIRONMENT") or "sandbox").strip().lower()
    if environment not in ("sandbox", "production"):
        raise SettingsError("STRONGROOM_ENVIRONMENT must be sandbox or production")
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        master_key_file=Path(env.get("STRONGROOM_MASTER_KEY_FILE") or data_dir / "master.key"),
        master_key=env.get("STRONGROOM_MASTER_KEY") or None,
        environment=environment,
        host=env.get("STRONGROOM_HOST") or "127.0.0.1",
        port=_int(env, "STRONGROOM_PORT", 8080, maximum=MAX_PORT),
        max_body_bytes=_int(env, "STRONGROOM_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES, 1024),
        auto_migrate=_flag(env, "STRONGROOM_AUTO_MIGRATE", database_url.startswith("sqlite")),
        log_level=_log_level(env),
        scheduler_interval=_int(env, "STRONGROOM_SCHEDULER_INTERVAL", DEFAULT_SCHEDULER_INTERVAL, minimum=0),
        smtp_host=(env.get("STRONGROOM_SMTP_HOST") or "").strip() or None,
        smtp_port=_int(env, "STRONGROOM_SMTP_PORT", DEFAULT_SMTP_PORT, maximum=MAX_PORT),
        smtp_sender=(env.get("STRONGROOM_SMTP_FROM") or "").strip() or DEFAULT_SMTP_SENDER,
        smtp_starttls=_flag(env, "STRONGROOM_SMTP_STARTTLS", False),
        smtp_username=env.get("STRONGROOM_SMTP_USERNAME") or None,
        smtp_password=env.get("STRONGROOM_SMTP_PASSWORD") or None,
        instrument_retention_days=_int(
            env,
            "STRONGROOM_INSTRUMENT_RETENTION_DAYS",
            DEFAULT_INSTRUMENT_RETENTION_DAYS,
            maximum=MAX_INSTRUMENT_RETENTION_DAYS,
        ),
        header_timeout=_seconds(env, "STRONGROOM_HEADER_TIMEOUT", DEFAULT_HEADER_TIMEOUT),
        body_timeout=_seconds(env, "STRONGROOM_BODY_TIMEOUT", DEFAULT_BODY_TIMEOUT),
        max_connections=_int(env, "STRONGROOM_MAX_CONNECTIONS", DEFAULT_MAX_CONNECTIONS),
        auth_login_failures=_int(
            env, "STRONGROOM_AUTH_LOGIN_FAILURES", DEFAULT_AUTH_LOGIN_FAILURES, minimum=0
        ),
        auth_address_failures=_int(
            env, "STRONGROOM_AUTH_ADDRESS_FAILURES", DEFAULT_AUTH_ADDRESS_FAILURES, minimum=0
        ),
        auth_window_seconds=_int(
            env, "STRONGROOM_AUTH_WINDOW_SECONDS", DEFAULT_AUTH_WINDOW_SECONDS, maximum=MAX_AUTH_SECONDS
        ),
        auth_lockout_seconds=_int(
            env, "STRONGROOM_AUTH_LOCKOUT_SECONDS", DEFAULT_AUTH_LOCKOUT_SECONDS, maximum=MAX_AUTH_SECONDS
        ),
        workers=_int(env, "STRONGROOM_WORKERS", DEFAULT_WORKERS, maximum=MAX_WORKERS),
        sqlite_synchronous=_sqlite_synchronous(env),
        cache_seconds=_cache_seconds(env),
        threads=_int(env, "STRONGROOM_THREADS", DEFAULT_THREADS, maximum=MAX_THREADS),
    )
