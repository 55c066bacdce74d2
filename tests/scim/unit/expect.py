"""`with scim_error("invalidFilter"): ...` asserts a 400 (or other) SCIM error of that type."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from idplane.platform.errors import ApiError


@contextmanager
def scim_error(scim_type: str | None, status: int = 400) -> Iterator[None]:
    with pytest.raises(ApiError) as caught:
        yield
    assert caught.value.scim_type == scim_type, caught.value.message
    assert caught.value.status == status
