"""The verification page: a code is shown only to a signed-in user, can be typed by hand,
denied, and is refused once expired or unknown."""

from __future__ import annotations

from tests.identitycenter.access.support import failure
from tests.signin.forms import Visitor
from tests.signin.support import poll, register, start


def test_denying_in_the_page_makes_the_device_poll_access_denied(portal):
    _, name, password = portal.user_with_password()
    client = portal.oidc()
    info = register(client)
    started = start(client, info, portal.start_url)
    visitor = Visitor(portal.server.url)
    visitor.open(started.verification_uri)  # no code in the URL: the user types it
    visitor.sign_in(portal.store_id, name, password)
    visitor.open(f"/{portal.store_id}/portal/device?user_code={started.user_code.lower()}")
    visitor.submit("/device", decision="deny")
    assert "Request denied" in visitor.text()
    assert failure(lambda: poll(client, info, started.device_code)) == (400, "access_denied")


def test_an_unknown_code_is_refused_in_the_page(portal):
    _, name, password = portal.user_with_password()
    visitor = Visitor(portal.server.url)
    visitor.sign_in(portal.store_id, name, password)
    visitor.open(f"/{portal.store_id}/portal/device?user_code=BCDF-GHJK")
    assert visitor.page.status_code == 404
    assert "not valid or has expired" in visitor.text()
