"""`reset_pwd_mode` and `verify_email` through the official client: a new one-time password
(changed at the next sign-in), a set-password link e-mailed through the configured SMTP server
(a real aiosmtpd here), and an address confirmed from its link."""

from __future__ import annotations

import re

from huaweicloudsdkidentitycenterstore.v1 import model as ids

from tests.signin.forms import Visitor


def reset(portal, user_id: str, mode: str):
    return portal.directory.client().reset_pwd_mode(
        ids.ResetPwdModeRequest(
            identity_store_id=portal.store_id,
            user_id=user_id,
            body=ids.UpdatePwdModeReqBody(mode=mode),
        )
    )


def link_in(message) -> str:
    return re.search(r"(http://\S+token=\S+)", message.get_payload(decode=True).decode())[1]


def test_a_one_time_password_reset_must_be_changed_at_the_next_sign_in(portal):
    user_id, name, _ = portal.user_with_password()
    otp = reset(portal, user_id, "OTP").password
    visitor = Visitor(portal.server.url)
    visitor.sign_in(portal.store_id, name, otp)
    assert "Choose a new password" in visitor.text()


def test_an_email_reset_mails_a_link_that_sets_the_password(portal, mailbox):
    user_id, name, _ = portal.user_with_password()
    assert reset(portal, user_id, "EMAIL").password is None
    message = mailbox.to(f"{name}@example.com")
    visitor = Visitor(portal.server.url)
    visitor.open(link_in(message).replace(portal.server.url, ""))
    visitor.submit(
        "/set-password", new_password="Mailed-Passw0rd!", confirm_password="Mailed-Passw0rd!"
    )
    visitor.sign_in(portal.store_id, name, "Mailed-Passw0rd!")
    assert "Your accounts" in visitor.text()
    # The link works once.
    again = Visitor(portal.server.url)
    again.open(link_in(message).replace(portal.server.url, ""))
    again.submit(
        "/set-password", new_password="Other-Passw0rd!", confirm_password="Other-Passw0rd!"
    )
    assert again.page.status_code == 404


def test_verify_email_mails_a_link_that_marks_the_address_verified(portal, mailbox):
    user_id, name, _ = portal.user_with_password()
    client = portal.directory.client()
    client.verify_email(ids.VerifyEmailRequest(identity_store_id=portal.store_id, user_id=user_id))
    message = mailbox.to(f"{name}@example.com")
    visitor = Visitor(portal.server.url)
    visitor.open(link_in(message).replace(portal.server.url, ""))
    visitor.submit("/verify-email")
    assert "E-mail address verified" in visitor.text()
    described = client.describe_user(
        ids.DescribeUserRequest(identity_store_id=portal.store_id, user_id=user_id)
    )
    assert described.email_verified is True


def test_a_user_created_in_email_mode_is_mailed_a_set_password_link(portal, mailbox):
    from tests.identitystore import builders

    name = builders.unique("mailed")
    portal.directory.client().create_user(
        ids.CreateUserRequest(
            identity_store_id=portal.store_id,
            body=builders.user_body(name, password_mode="EMAIL"),
        )
    )
    visitor = Visitor(portal.server.url)
    visitor.open(link_in(mailbox.to(f"{name}@example.com")).replace(portal.server.url, ""))
    visitor.submit(
        "/set-password", new_password="Welcome-Passw0rd!", confirm_password="Welcome-Passw0rd!"
    )
    visitor.sign_in(portal.store_id, name, "Welcome-Passw0rd!")
    assert "Your accounts" in visitor.text()
