"""Fixtures of the testkit's own tests."""

from tests.testkit.stores import fresh_store  # noqa: F401 (a fixture)
