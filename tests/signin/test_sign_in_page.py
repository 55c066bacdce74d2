"""The sign-in page: user name and password from the identity store, the one-time password
replaced at first sign-in under the password policy, one generic message for every failure,
lockout, CSRF tokens and the session cookie's flags."""

from __future__ import annotations

from datetime import timedelta

import httpx
from huaweicloudsdkidentitycenterstore.v1 import model as ids
from sqlalchemy import update

from idplane.platform.clock import now
from idplane.signin.tables import SigninSession
from tests.signin.forms import Visitor

GENERIC = "The user name or password is incorrect"


def first_sign_in(portal, visitor: Visitor) -> tuple[str, str]:
    user_id, name, otp = portal.user()
    visitor.open(f"/{portal.store_id}/portal")
    visitor.sign_in(portal.store_id, name, otp)
    assert "Choose a new password" in visitor.text()
    visitor.submit("/password", new_password="Fresh-Passw0rd!", confirm_password="Fresh-Passw0rd!")
    return user_id, name


def test_a_one_time_password_user_must_choose_a_password_and_then_sees_the_portal(portal):
    visitor = Visitor(portal.server.url)
    first_sign_in(portal, visitor)
    assert visitor.page.url.path == f"/{portal.store_id}/portal"
    assert "Your accounts" in visitor.text()
    assert "No account is assigned to you" in visitor.text()


def test_a_new_password_that_breaks_the_policy_is_refused_with_the_reason(portal):
    visitor = Visitor(portal.server.url)
    _, name, otp = portal.user()
    visitor.sign_in(portal.store_id, name, otp)
    visitor.submit("/password", new_password="short", confirm_password="short")
    assert visitor.page.status_code == 400
    assert "at least 8 characters" in visitor.text()
    assert "an uppercase letter" in visitor.text()


def test_the_one_time_password_signs_in_only_until_it_is_replaced(portal):
    visitor = Visitor(portal.server.url)
    _, name = first_sign_in(portal, visitor)
    again = Visitor(portal.server.url)
    again.sign_in(portal.store_id, name, "Fresh-Passw0rd!")
    assert again.page.url.path == f"/{portal.store_id}/portal"


def test_a_wrong_password_and_an_unknown_user_get_the_same_generic_message(portal):
    _, name, _ = portal.user_with_password()
    wrong, unknown = Visitor(portal.server.url), Visitor(portal.server.url)
    wrong.sign_in(portal.store_id, name, "Wrong-Passw0rd!")
    unknown.sign_in(portal.store_id, "nobody-here", "Wrong-Passw0rd!")
    assert wrong.page.status_code == unknown.page.status_code == 401
    assert GENERIC in wrong.text() and GENERIC in unknown.text()


def test_five_failures_lock_the_user_even_against_the_right_password(portal):
    _, name, password = portal.user_with_password()
    visitor = Visitor(portal.server.url)
    for _ in range(5):
        visitor.sign_in(portal.store_id, name, "Wrong-Passw0rd!")
    visitor.sign_in(portal.store_id, name, password)
    assert visitor.page.status_code == 401 and GENERIC in visitor.text()


def test_a_disabled_user_cannot_sign_in(portal):
    user_id, name, password = portal.user_with_password()
    portal.directory.client().disable_user(
        ids.DisableUserRequest(identity_store_id=portal.store_id, user_id=user_id)
    )
    visitor = Visitor(portal.server.url)
    visitor.sign_in(portal.store_id, name, password)
    assert visitor.page.status_code == 401 and GENERIC in visitor.text()


def test_a_form_without_its_csrf_token_is_refused(portal):
    _, name, password = portal.user_with_password()
    visitor = Visitor(portal.server.url)
    visitor.open(f"/{portal.store_id}/portal/login")
    response = visitor.http.post(
        f"/{portal.store_id}/portal/login", data={"user_name": name, "password": password}
    )
    assert response.status_code == 400
    assert "idplane_portal" not in visitor.http.cookies


def test_the_session_cookie_is_http_only_and_same_site_and_not_secure_over_http(portal):
    _, name, password = portal.user_with_password()
    visitor = Visitor(portal.server.url)
    visitor.open(f"/{portal.store_id}/portal/login")
    response = visitor.http.post(
        f"/{portal.store_id}/portal/login",
        data={
            "user_name": name,
            "password": password,
            "csrf_token": visitor.http.cookies["idplane_login_csrf"],
        },
        follow_redirects=False,
    )
    cookie = next(
        v
        for k, v in response.headers.multi_items()
        if k == "set-cookie" and v.startswith("idplane_portal=")
    )
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    assert f"Path=/{portal.store_id}/portal" in cookie
    assert response.headers["x-frame-options"] == "DENY"


def test_behind_tls_the_session_cookie_is_secure(portal):
    _, name, password = portal.user_with_password()
    tls = {"X-Forwarded-Proto": "https"}
    http = httpx.Client(base_url=portal.server.url, headers=tls)
    form = http.get(f"/{portal.store_id}/portal/login")
    csrf = form.cookies["idplane_login_csrf"]  # Secure: the client would not send it over http
    response = http.post(
        f"/{portal.store_id}/portal/login",
        data={"user_name": name, "password": password, "csrf_token": csrf},
        headers={"Cookie": f"idplane_login_csrf={csrf}"},
    )
    cookies = [v for k, v in response.headers.multi_items() if k == "set-cookie"]
    assert response.status_code == 303
    assert any(v.startswith("idplane_portal=") and "Secure" in v for v in cookies)


def test_an_expired_session_sends_the_user_back_to_sign_in(portal):
    user_id, name, password = portal.user_with_password()
    visitor = Visitor(portal.server.url)
    visitor.sign_in(portal.store_id, name, password)
    assert "Your accounts" in visitor.text()
    with portal.server.core.store.transaction() as session:
        session.execute(
            update(SigninSession)
            .where(SigninSession.user_id == user_id)
            .values(expires_at=now() - timedelta(seconds=1))
        )
    visitor.open(f"/{portal.store_id}/portal")
    assert visitor.page.url.path == f"/{portal.store_id}/portal/login"


def test_signing_out_ends_the_session(portal):
    _, name, password = portal.user_with_password()
    visitor = Visitor(portal.server.url)
    visitor.sign_in(portal.store_id, name, password)
    visitor.submit("/logout")
    visitor.open(f"/{portal.store_id}/portal")
    assert visitor.page.url.path == f"/{portal.store_id}/portal/login"


def test_an_unknown_identity_store_has_no_portal(portal):
    response = Visitor(portal.server.url).open("/d-0000000000/portal/login")
    assert response.status_code == 404
