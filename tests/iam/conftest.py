"""Fixtures and assertions shared by the IAM tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException

from tests import clients


def fails(call: Callable[[], Any], status: int, code: str | None = None) -> ClientRequestException:
    """Runs an SDK call that must fail with `status` (and the IAM `code`, if given)."""
    with pytest.raises(ClientRequestException) as raised:
        call()
    error = raised.value
    assert error.status_code == status, (error.status_code, error.error_code, error.error_msg)
    if code is not None:
        assert error.error_code == code, (error.error_code, error.error_msg)
    return error


@pytest.fixture
def root_iam(server, account):
    """The IAM client of the test account's root user."""
    return clients.iam(server.url, account)
