"""Mistakes an operator makes at start-up are told in one line with exit code 2."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

from idplane.config import load_settings, normalize_database_url

PG = os.environ.get("IDPLANE_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def idplane(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("IDPLANE_")}
    return subprocess.run(
        [sys.executable, "-m", "idplane", *args],
        env={**environment, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def _free_closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def assert_one_line(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0]


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@h/db", "postgresql+psycopg://u:p@h/db"),
        ("postgresql://u@h:5433/db", "postgresql+psycopg://u@h:5433/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:////tmp/x.db", "sqlite:////tmp/x.db"),
    ],
)
def test_postgres_urls_mean_the_installed_driver(given: str, expected: str) -> None:
    assert normalize_database_url(given) == expected


def test_a_missing_database_is_one_line(tmp_path) -> None:
    url = PG.rsplit("/", 1)[0].replace("postgresql+psycopg://", "postgres://") + "/no_such_db_x"
    result = idplane("migrate", "--database-url", url, IDPLANE_DATA_DIR=str(tmp_path))
    assert_one_line(result, "cannot open the store", "no_such_db_x")


def test_a_refused_port_is_one_line(tmp_path) -> None:
    url = f"postgresql://postgres:secret-pw@127.0.0.1:{_free_closed_port()}/test"
    result = idplane("serve", "--database-url", url, IDPLANE_DATA_DIR=str(tmp_path))
    assert_one_line(result, "cannot open the store", "Connection refused")
    assert "secret-pw" not in result.stderr


def test_an_unknown_url_scheme_is_one_line(tmp_path) -> None:
    result = idplane("migrate", "--database-url", "mysql2://x/y", IDPLANE_DATA_DIR=str(tmp_path))
    assert_one_line(result, "database URL")


def test_an_unusable_data_directory_is_one_line(tmp_path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = idplane("migrate", IDPLANE_DATA_DIR=str(blocker / "data"))
    assert_one_line(result, "data directory", "IDPLANE_DATA_DIR")


def test_a_port_in_use_is_one_line_with_the_port_hint(tmp_path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = idplane("serve", "--port", str(port), IDPLANE_DATA_DIR=str(tmp_path))
    assert_one_line(result, f"port {port}", "--port")


@pytest.mark.parametrize(
    ("env", "words"),
    [
        ({"IDPLANE_PORT": "eighty"}, ("port", "whole number")),
        ({"IDPLANE_PORT": "70000"}, ("port", "between")),
        ({"IDPLANE_LOG_FORMAT": "xml"}, ("log format", "IDPLANE_LOG_FORMAT", "'xml'")),
        ({"IDPLANE_PUBLIC_URL": "ftp://x"}, ("public url", "http://", "--public-url")),
        ({"IDPLANE_TOKEN_HOURS": "0"}, ("token hours", "between 1 and 8760")),
        ({"IDPLANE_ENABLE_TEST_RESET": "maybe"}, ("enable test reset", "true or false")),
        ({"IDPLANE_CONFIG": "/nonexistent/idplane.toml"}, ("IDPLANE_CONFIG",)),
    ],
)
def test_a_bad_setting_is_one_line(tmp_path, env: dict[str, str], words) -> None:
    result = idplane("serve", IDPLANE_DATA_DIR=str(tmp_path), **env)
    assert_one_line(result, *words)


def test_a_config_file_that_is_not_toml_is_one_line(tmp_path) -> None:
    config = tmp_path / "idplane.toml"
    config.write_text("[idplane\nport = ")
    result = idplane("migrate", IDPLANE_DATA_DIR=str(tmp_path), IDPLANE_CONFIG=str(config))
    assert_one_line(result, "not valid TOML")


def test_every_bad_setting_is_its_own_line(tmp_path) -> None:
    result = idplane(
        "serve", IDPLANE_DATA_DIR=str(tmp_path), IDPLANE_PORT="eighty", IDPLANE_SMTP_PORT="0"
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2, result.stderr
    assert "port (IDPLANE_PORT or --port) must be a whole number, not 'eighty'" in lines[0]
    assert "smtp port (IDPLANE_SMTP_PORT) must be between 1 and 65535" in lines[1]


def test_a_bad_value_or_unknown_name_in_the_config_file_is_one_line_each(tmp_path) -> None:
    config = tmp_path / "idplane.toml"
    config.write_text('[idplane]\nprot = 8081\nlog_format = "yaml"\n')
    result = idplane("migrate", IDPLANE_DATA_DIR=str(tmp_path), IDPLANE_CONFIG=str(config))
    assert result.returncode == 2
    lines = sorted(result.stderr.strip().splitlines())
    assert len(lines) == 2, result.stderr
    assert "IDPLANE_CONFIG has an unknown setting 'prot'" in lines[0]
    assert "log format" in lines[1] and "'yaml'" in lines[1]


def test_a_flag_wins_over_the_environment_and_the_file(tmp_path, monkeypatch) -> None:
    config = tmp_path / "idplane.toml"
    config.write_text('[idplane]\nregion = "eu-west-0"\nport = 9000\n')
    monkeypatch.setenv("IDPLANE_CONFIG", str(config))
    monkeypatch.setenv("IDPLANE_PORT", "9100")
    settings = load_settings(data_dir=str(tmp_path), host="0.0.0.0")
    assert (settings.region, settings.port, settings.host) == ("eu-west-0", 9100, "0.0.0.0")
    assert load_settings(data_dir=str(tmp_path), port=9200).port == 9200
