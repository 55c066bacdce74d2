"""A server without an SMTP server: its mails' links are credentials, so they are never logged
in the mail's place. A user created in EMAIL mode is still created (and no link is made); an
EMAIL reset or an e-mail verification is refused with nothing changed."""

from __future__ import annotations

import logging

import pytest
from huaweicloudsdkcore.exceptions.exceptions import ServerResponseException
from huaweicloudsdkidentitycenterstore.v1 import IdentityCenterStoreClient
from huaweicloudsdkidentitycenterstore.v1 import model as ids
from sqlalchemy import func, select

from idplane.signin.tables import EmailLink
from idplane.testing.harness import IdplaneServer
from idplane.testing.world import build_world
from tests.identitystore import builders


@pytest.fixture(scope="module")
def world():
    with IdplaneServer() as server:
        yield server, build_world(server.core, server.create_account("mailless"))


def links(server) -> int:
    with server.core.store.read() as session:
        return session.scalar(select(func.count()).select_from(EmailLink))


def test_a_user_created_in_email_mode_is_created_and_nothing_secret_is_logged(world, caplog):
    server, w = world
    client = w.management.client(IdentityCenterStoreClient)
    before = links(server)
    with caplog.at_level(logging.DEBUG):
        created = client.create_user(
            ids.CreateUserRequest(
                identity_store_id=w.identity_store_id,
                body=builders.user_body(builders.unique("mailless"), password_mode="EMAIL"),
            )
        )
    assert created.user_id
    assert links(server) == before
    logged = caplog.text
    assert "was not sent" in logged
    assert "token=" not in logged and "set-password?" not in logged


@pytest.mark.parametrize("call", ["reset_email", "verify_email"])
def test_a_mail_that_cannot_go_out_is_refused_with_nothing_changed(world, caplog, call):
    server, w = world
    client = w.management.client(IdentityCenterStoreClient)
    user_id = client.create_user(
        ids.CreateUserRequest(
            identity_store_id=w.identity_store_id,
            body=builders.user_body(builders.unique("mailless"), password_mode="OTP"),
        )
    ).user_id
    before = links(server)
    with caplog.at_level(logging.DEBUG), pytest.raises(ServerResponseException) as refused:
        if call == "reset_email":
            client.reset_pwd_mode(
                ids.ResetPwdModeRequest(
                    identity_store_id=w.identity_store_id,
                    user_id=user_id,
                    body=ids.UpdatePwdModeReqBody(mode="EMAIL"),
                )
            )
        else:
            client.verify_email(
                ids.VerifyEmailRequest(identity_store_id=w.identity_store_id, user_id=user_id)
            )
    assert refused.value.status_code == 502
    assert "no SMTP server is configured" in refused.value.error_msg
    assert links(server) == before
    assert "token=" not in caplog.text
