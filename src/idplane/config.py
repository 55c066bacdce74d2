"""Settings from flags, environment (`IDPLANE_*`) and an optional TOML file (`IDPLANE_CONFIG`).

Precedence: explicit flag > environment > TOML file > default.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

from idplane.platform.db import default_sqlite_url

DEFAULT_REGION = "cn-north-4"
LOG_FORMATS = ("text", "json")


class SettingsError(ValueError):
    """A setting an operator got wrong; its message is one line naming the setting."""


def normalize_database_url(url: str) -> str:
    """`postgres://` and `postgresql://` (as hosting providers hand them out) mean the driver
    this package installs: psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _integer(name: str, value: object, low: int, high: int) -> int:
    try:
        number = int(str(value))
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {value!r}") from None
    if not low <= number <= high:
        raise SettingsError(f"{name} must be between {low} and {high}, not {number}")
    return number


@dataclass(frozen=True)
class Settings:
    database_url: str
    data_dir: Path
    master_key: str | None = None
    region: str = DEFAULT_REGION
    host: str = "127.0.0.1"
    port: int = 8080
    public_url: str | None = None  # what clients use to reach us; defaults to http://host:port
    token_hours: int = 24
    enable_test_reset: bool = False  # the testing routes (idplane.testing.api); tests only
    seed: str | None = None  # serve --seed FILE: applied to an empty store and after each reset
    log_format: str = "text"  # "text" or "json": one line per request either way
    # Where the sign-in pages' e-mails go (set-password links, address checks); without a
    # host the link is logged for the operator instead.
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_from: str = "idplane@localhost"
    # argon2id's cost for password hashes (the library's defaults: 3 passes over 64 MiB, 4
    # lanes, ~50-200 ms of CPU a hash); lower it for a test server, never in production.
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536
    argon2_parallelism: int = 4

    @property
    def endpoint(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")


def _require_writable(data_dir: Path) -> None:
    """The data directory holds the SQLite store and the master key: fail at once, in one
    line, when it cannot be made or written."""
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise SettingsError(
            f"cannot create the data directory {data_dir}: {error.strerror}; "
            "set IDPLANE_DATA_DIR to a writable directory"
        ) from None
    if not os.access(data_dir, os.W_OK | os.X_OK):
        raise SettingsError(
            f"the data directory {data_dir} is not writable; "
            "set IDPLANE_DATA_DIR to a writable directory"
        )


def load_settings(**flags: Any) -> Settings:
    file_values = _toml_values()

    def pick(name: str, default: Any = None) -> Any:
        if flags.get(name) is not None:
            return flags[name]
        env = os.environ.get(f"IDPLANE_{name.upper()}")
        if env not in (None, ""):
            return env
        return file_values.get(name, default)

    data_dir = Path(pick("data_dir") or platformdirs.user_data_dir("idplane"))
    _require_writable(data_dir)
    database_url = normalize_database_url(pick("database_url") or default_sqlite_url(data_dir))
    log_format = str(pick("log_format", "text"))
    if log_format not in LOG_FORMATS:
        raise SettingsError(
            f"log format must be one of {', '.join(LOG_FORMATS)}, not {log_format!r}"
        )
    return Settings(
        database_url=database_url,
        data_dir=data_dir,
        master_key=pick("master_key"),
        region=pick("region", DEFAULT_REGION),
        host=pick("host", "127.0.0.1"),
        port=_integer("port", pick("port", 8080), 1, 65535),
        public_url=pick("public_url"),
        token_hours=_integer("token hours", pick("token_hours", 24), 1, 24 * 365),
        log_format=log_format,
        enable_test_reset=str(pick("enable_test_reset", "")).lower() in {"1", "true", "yes"},
        seed=pick("seed"),
        smtp_host=pick("smtp_host"),
        smtp_port=_integer("smtp port", pick("smtp_port", 25), 1, 65535),
        smtp_from=pick("smtp_from", "idplane@localhost"),
        argon2_time_cost=_integer("argon2 time cost", pick("argon2_time_cost", 3), 1, 100),
        argon2_memory_kib=_integer(
            "argon2 memory (KiB)", pick("argon2_memory_kib", 65536), 8, 4 * 1024 * 1024
        ),
        argon2_parallelism=_integer("argon2 parallelism", pick("argon2_parallelism", 4), 1, 64),
    )


def _toml_values() -> dict[str, Any]:
    path = os.environ.get("IDPLANE_CONFIG")
    if not path:
        return {}
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle).get("idplane", {})
    except OSError as error:
        raise SettingsError(f"cannot read IDPLANE_CONFIG {path}: {error.strerror}") from None
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(f"IDPLANE_CONFIG {path} is not valid TOML: {error}") from None
