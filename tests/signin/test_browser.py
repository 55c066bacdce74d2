"""The whole loop in a real browser: headless Chromium (Debian's) driven by Playwright fills
the sign-in form, replaces the one-time password, approves the device's user code, and sees
the portal with the assigned account; the OIDC client polling meanwhile gets its token.
Skipped, saying why, only where Chromium is not installed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser import offline_page
from tests.identitycenter.access.support import assign, create_permission_set, new_org
from tests.signin.support import Portal, poll, register, start


@pytest.fixture(scope="module")
def org(server):
    return new_org(server)


@pytest.fixture(scope="module")
def portal(server, org) -> Portal:
    from idplane.signin.assembly import Signin

    return Portal(
        server, org.directory, Signin.build(server.core.store, server.url, server.core.box)
    )


def test_a_user_signs_in_in_chromium_and_approves_the_device(server, org, portal, tmp_path):
    user_id, name, otp = portal.user()
    ps = create_permission_set(org.ic(), org.instance_id)
    target = org.accounts[0].account_id
    assign(org.ic(), org.instance_id, ps.permission_set_id, "USER", user_id, target)
    shots = Path(os.environ.get("IDPLANE_TEST_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    client = portal.oidc()
    info = register(client, "hcloud")
    started = start(client, info, portal.start_url)

    with offline_page() as page:
        page.goto(started.verification_uri_complete)
        page.get_by_label("User name").fill(name)
        page.get_by_label("Password").fill(otp)
        page.screenshot(path=str(shots / "1-sign-in.png"))
        page.get_by_role("button", name="Sign in").click()
        page.get_by_label("New password", exact=True).fill("Browser-Passw0rd!")
        page.get_by_label("Repeat the new password").fill("Browser-Passw0rd!")
        page.get_by_role("button", name="Set password").click()
        assert page.get_by_label("User code").inner_text() == started.user_code
        page.screenshot(path=str(shots / "2-device.png"))
        page.get_by_role("button", name="Approve").click()
        assert page.get_by_role("heading", name="Device approved").is_visible()
        page.get_by_role("link", name="Go to your portal").click()
        assert page.get_by_text(ps.name).is_visible()
        page.screenshot(path=str(shots / "3-portal.png"), full_page=True)
        page.get_by_role("button", name="Access keys").click()
        assert page.get_by_text("Secret access key").is_visible()
        page.screenshot(path=str(shots / "4-credentials.png"), full_page=True)
        assert page.refused_requests == []  # nothing from a CDN

    token = poll(client, info, started.device_code)
    assert token.access_token
    print(f"screenshots in {shots}")
