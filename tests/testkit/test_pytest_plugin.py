"""The pytest plugin, as a user meets it: `pytester` runs sample user suites in a subprocess,
where the plugin is loaded by its `pytest11` entry point (no conftest, no set-up)."""

from __future__ import annotations

import pytest

from tests.testkit.user_suite import ACCOUNT_AND_RESET, IDENTITY_STORE_USERS

pytest_plugins = ["pytester"]


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> object:
    path = tmp_path / "cache"
    monkeypatch.setenv("IDPLANE_TEST_CACHE_DIR", str(path))
    return path


def test_two_tests_in_a_row_each_create_and_delete_the_same_identity_store_user(
    pytester: pytest.Pytester, cache_dir
) -> None:
    pytester.makepyfile(test_users=IDENTITY_STORE_USERS)
    result = pytester.runpytest_subprocess("-p", "no:randomly", "-q")
    result.assert_outcomes(passed=2)


def test_the_account_fixture_signs_with_either_credentials_resets_revoke_them_and_seeds_apply(
    pytester: pytest.Pytester, cache_dir
) -> None:
    pytester.makepyfile(test_account=ACCOUNT_AND_RESET)
    result = pytester.runpytest_subprocess("-p", "no:randomly", "-q")
    result.assert_outcomes(passed=6)


def test_the_migrated_template_store_is_made_once_and_reused(
    pytester: pytest.Pytester, cache_dir
) -> None:
    pytester.makepyfile(test_server="def test_up(idplane_server): assert idplane_server.url\n")
    pytester.runpytest_subprocess("-q").assert_outcomes(passed=1)
    (template,) = cache_dir.glob("template-*.db")
    made = template.stat().st_mtime_ns
    pytester.runpytest_subprocess("-q").assert_outcomes(passed=1)
    assert [p.stat().st_mtime_ns for p in cache_dir.glob("template-*.db")] == [made]
