"""argon2's cost is a setting (IDPLANE_ARGON2_*): new hashes carry it, hashes made with other
parameters keep verifying, and a value out of range is refused in one line."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from idplane.config import SettingsError, load_settings
from idplane.platform import crypto


def test_the_argon2_settings_set_the_cost_of_new_hashes_and_old_hashes_still_verify(
    tmp_path, monkeypatch
) -> None:
    old = PasswordHasher().hash("Passw0rd-old")  # the library's (and production's) defaults
    assert "$m=65536,t=3,p=4$" in old
    monkeypatch.setenv("IDPLANE_ARGON2_TIME_COST", "2")
    monkeypatch.setenv("IDPLANE_ARGON2_MEMORY_KIB", "2048")
    monkeypatch.setenv("IDPLANE_ARGON2_PARALLELISM", "1")
    settings = load_settings(data_dir=str(tmp_path))
    monkeypatch.setattr(crypto, "_hasher", crypto._hasher)  # restored after the test
    crypto.set_password_hashing(
        settings.argon2_time_cost, settings.argon2_memory_kib, settings.argon2_parallelism
    )
    assert "$m=2048,t=2,p=1$" in crypto.hash_password("Passw0rd-new")
    assert crypto.verify_password(old, "Passw0rd-old")


def test_an_argon2_setting_out_of_range_is_refused(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("IDPLANE_ARGON2_TIME_COST", "0")
    with pytest.raises(SettingsError, match="argon2 time cost"):
        load_settings(data_dir=str(tmp_path))


def test_a_server_without_argon2_settings_hashes_at_the_library_defaults(
    tmp_path, monkeypatch
) -> None:
    """The suite runs at argon2's cheapest (tests/conftest.py); a server does not."""
    for name in ("TIME_COST", "MEMORY_KIB", "PARALLELISM"):
        monkeypatch.delenv(f"IDPLANE_ARGON2_{name}", raising=False)
    settings = load_settings(data_dir=str(tmp_path))
    assert (settings.argon2_time_cost, settings.argon2_memory_kib, settings.argon2_parallelism) == (
        3,
        65536,
        4,
    )
