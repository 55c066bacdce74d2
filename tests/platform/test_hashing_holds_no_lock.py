"""argon2 is slow on purpose, so no request hashes or verifies a password while it holds the
store's write lock: a signed write goes through while a password login is still verifying."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator

import pytest
from huaweicloudsdkiam.v3 import model as m

from idplane.platform import crypto
from tests import clients
from tests.conftest import STORES
from tests.iam.test_tokens import issue_token
from tests.platform.inprocess import InProcess, served


@pytest.fixture(scope="module", params=STORES)
def idplane(request, tmp_path_factory) -> Iterator[InProcess]:
    with served(request.param, tmp_path_factory.mktemp(f"hash-{request.param}")) as running:
        yield running


class ParkedHasher:
    """Verifies like the real hasher, but only once the test lets it go on."""

    def __init__(self, real):
        self.real = real
        self.verifying = threading.Event()
        self.go_on = threading.Event()

    def verify(self, stored: str, password: str) -> bool:
        self.verifying.set()
        self.go_on.wait(60)
        return self.real.verify(stored, password)

    def hash(self, password: str) -> str:
        return self.real.hash(password)


def _create_user(idplane: InProcess) -> None:
    option = m.CreateUserOption(
        name=f"w-{uuid.uuid4().hex[:8]}", domain_id=idplane.account.account_id
    )
    clients.iam(idplane.url, idplane.account).create_user(
        m.CreateUserRequest(body=m.CreateUserRequestBody(user=option))
    )


def test_a_signed_write_is_not_held_up_by_a_login_verifying_its_password(
    idplane, monkeypatch
) -> None:
    parked = ParkedHasher(crypto._hasher)
    monkeypatch.setattr(crypto, "_hasher", parked)
    tokens: list[str] = []
    login = threading.Thread(target=lambda: tokens.append(issue_token(idplane, idplane.account)))
    writer = threading.Thread(target=_create_user, args=(idplane,))
    try:
        login.start()
        assert parked.verifying.wait(30)
        writer.start()
        writer.join(30)
        finished_during_login = not writer.is_alive()
    finally:
        parked.go_on.set()
        login.join(30)
        writer.join(30)
    assert finished_during_login
    assert tokens  # and the login itself went on to succeed
