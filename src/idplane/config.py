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

    @property
    def endpoint(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")


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
    database_url = pick("database_url") or default_sqlite_url(data_dir)
    return Settings(
        database_url=database_url,
        data_dir=data_dir,
        master_key=pick("master_key"),
        region=pick("region", DEFAULT_REGION),
        host=pick("host", "127.0.0.1"),
        port=int(pick("port", 8080)),
        public_url=pick("public_url"),
        token_hours=int(pick("token_hours", 24)),
    )


def _toml_values() -> dict[str, Any]:
    path = os.environ.get("IDPLANE_CONFIG")
    if not path:
        return {}
    with open(path, "rb") as handle:
        return tomllib.load(handle).get("idplane", {})
