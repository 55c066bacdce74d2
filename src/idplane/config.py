"""Settings from flags, environment (`IDPLANE_*`) and an optional TOML file (`IDPLANE_CONFIG`),
validated by pydantic-settings; every mistake is one line naming the setting (exit 2).

Precedence: explicit flag > environment > TOML file > default.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import platformdirs
from pydantic import Field, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    InitSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from idplane.platform.db import default_sqlite_url

DEFAULT_REGION = "cn-north-4"


class SettingsError(ValueError):
    """A setting an operator got wrong; its message is one line naming the setting."""


def normalize_database_url(url: str) -> str:
    """`postgres://` and `postgresql://` (as hosting providers hand them out) mean the driver
    this package installs: psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


# The command-line flag that sets each setting, where there is one (for the messages).
FLAGS = {
    "database_url": "--database-url",
    "host": "--host",
    "port": "--port",
    "public_url": "--public-url",
    "log_format": "--log-format",
    "seed": "--seed",
}


class Settings(BaseSettings):
    """Every setting, validated: explicit flag > `IDPLANE_*` environment > `IDPLANE_CONFIG`
    TOML (an `[idplane]` table) > default."""

    model_config = SettingsConfigDict(
        env_prefix="IDPLANE_", env_ignore_empty=True, frozen=True, extra="forbid"
    )

    database_url: str = ""  # default: SQLite in the data directory
    data_dir: Path = Path()  # default: the user data directory (load_settings fills both)
    master_key: str | None = None
    region: str = Field(DEFAULT_REGION, min_length=1)
    host: str = Field("127.0.0.1", min_length=1)
    port: int = Field(8080, ge=1, le=65535)
    public_url: str | None = None  # what clients use to reach us; defaults to http://host:port
    token_hours: int = Field(24, ge=1, le=24 * 365)
    enable_test_reset: bool = False  # the testing routes (idplane.testing.api); tests only
    seed: str | None = None  # serve --seed FILE: applied to an empty store and after each reset
    log_format: Literal["text", "json"] = "text"  # one line per request either way
    # Where the sign-in pages' e-mails go (set-password links, address checks); without a
    # host the link is logged for the operator instead.
    smtp_host: str | None = None
    smtp_port: int = Field(25, ge=1, le=65535)
    smtp_from: str = "idplane@localhost"
    # argon2id's cost for password hashes (the library's defaults: 3 passes over 64 MiB, 4
    # lanes, ~50-200 ms of CPU a hash); lower it for a test server, never in production.
    argon2_time_cost: int = Field(3, ge=1, le=100)
    argon2_memory_kib: int = Field(65536, ge=8, le=4 * 1024 * 1024)
    argon2_parallelism: int = Field(4, ge=1, le=64)

    @field_validator("database_url")
    @classmethod
    def _driver(cls, url: str) -> str:
        return normalize_database_url(url)

    @field_validator("public_url")
    @classmethod
    def _web_url(cls, url: str | None) -> str | None:
        if url is not None and not url.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return url

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, InitSettingsSource(settings_cls, _toml_values()))

    @property
    def endpoint(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")


def _mistake(error: Mapping[str, Any]) -> str:
    """One line for one pydantic error: the setting, where it is set, what is wrong."""
    name = str(error["loc"][0]) if error["loc"] else "a setting"
    where = [f"IDPLANE_{name.upper()}", *([FLAGS[name]] if name in FLAGS else [])]
    if os.environ.get("IDPLANE_CONFIG"):
        where.append("IDPLANE_CONFIG")
    given = error.get("input")
    context = error.get("ctx") or {}
    kind = error["type"]
    if kind == "extra_forbidden":
        return f"IDPLANE_CONFIG has an unknown setting {name!r}"
    field = Settings.model_fields[name]
    bounds = {type(m).__name__: m for m in field.metadata}
    if kind == "int_parsing":
        what = "must be a whole number"
    elif kind in ("greater_than_equal", "less_than_equal"):
        low, high = bounds["Ge"].ge, bounds["Le"].le
        what = f"must be between {low} and {high}"
    elif kind == "literal_error":
        what = f"must be one of {context.get('expected', '')}"
    elif kind == "bool_parsing":
        what = "must be true or false"
    else:
        what = str(error["msg"]).removeprefix("Value error, ").lower()
    return f"{name.replace('_', ' ')} ({' or '.join(where)}) {what}, not {given!r}"


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
    given = {name: value for name, value in flags.items() if value is not None}
    try:
        settings = Settings(**given)
    except ValidationError as error:
        raise SettingsError("\n".join(_mistake(e) for e in error.errors())) from None
    data_dir = settings.data_dir if "data_dir" in settings.model_fields_set else None
    data_dir = data_dir or Path(platformdirs.user_data_dir("idplane"))
    _require_writable(data_dir)
    database_url = settings.database_url or default_sqlite_url(data_dir)
    return settings.model_copy(update={"data_dir": data_dir, "database_url": database_url})


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
