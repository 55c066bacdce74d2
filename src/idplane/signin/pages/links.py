"""The pages behind links given to a user: registering an authenticator app (the URL that
`register_mfa_device_for_user` answers), setting a password from the e-mailed link
(`reset_pwd_mode` EMAIL) and confirming an e-mail address (`verify_email`). The link's token
is the form's secret, so these forms need no other CSRF token."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote

import pyotp
from fastapi import APIRouter, Request
from fastapi.responses import Response

from idplane.platform.errors import ApiError
from idplane.platform.routing import api_router
from idplane.signin.pages import render as r
from idplane.signin.tables import ACTIVE

if TYPE_CHECKING:
    from idplane.signin.assembly import Signin

RULES = (
    "Use letters in upper and lower case, digits and symbols, as your administrator's policy asks."
)
GONE = "This link is not valid, was already used or has expired."


def create_router(signin: Signin) -> APIRouter:
    router = api_router(include_in_schema=False)
    links = signin.links

    def base_of(store_id: str) -> str:
        return f"/{store_id}/portal"

    def done(store_id: str, heading: str, message: str, status: int = 200) -> Response:
        return r.page(
            "done.html",
            status,
            store_id=store_id,
            base=base_of(store_id),
            heading=heading,
            message=message,
        )

    @router.get("/{identity_store_id}/portal/mfa-register")
    def mfa_register_page(identity_store_id: str, request: Request, token: str = "") -> Response:
        view = signin.sessions.current(request.cookies.get(r.SESSION_COOKIE), identity_store_id)
        here = f"{base_of(identity_store_id)}/mfa-register?token={quote(token[:100])}"
        if view is None or view.state != ACTIVE:
            return r.redirect(f"{base_of(identity_store_id)}/login?next={quote(here)}")
        secret = links.registration_secret(view.user_id, token[:100])
        if secret is None:
            return done(identity_store_id, "Register an authenticator app", GONE, 404)
        otpauth = pyotp.TOTP(secret).provisioning_uri(name=view.user_name, issuer_name="idplane")
        return r.page(
            "mfa_register.html",
            store_id=identity_store_id,
            base=base_of(identity_store_id),
            signed_in=view,
            csrf_token=view.csrf_token,
            secret=secret,
            otpauth=otpauth,
            token=token,
        )

    @router.post("/{identity_store_id}/portal/mfa-register")
    async def confirm_mfa_device(identity_store_id: str, request: Request) -> Response:
        form = await r.form_of(request)
        view = signin.sessions.current(request.cookies.get(r.SESSION_COOKIE), identity_store_id)
        if view is None or view.state != ACTIVE or not r.csrf_ok(view.csrf_token, form):
            return r.redirect(f"{base_of(identity_store_id)}/login")
        if not links.confirm_registration(
            view.user_id, form.get("token", ""), form.get("code", "")
        ):
            return done(
                identity_store_id,
                "Register an authenticator app",
                "The code was not accepted, or the link has expired.",
                400,
            )
        return done(
            identity_store_id,
            "Authenticator registered",
            "From your next sign-in on, enter the code your app shows.",
        )

    @router.get("/{identity_store_id}/portal/set-password")
    def set_password_page(identity_store_id: str, token: str = "") -> Response:
        return password_form(identity_store_id, token[:100])

    def password_form(store_id: str, token: str, error: str | None = None, status: int = 200):
        return r.page(
            "password.html",
            status,
            store_id=store_id,
            base=base_of(store_id),
            signed_in=None,
            csrf_token="",
            next=base_of(store_id),
            token=token,
            action=f"{base_of(store_id)}/set-password",
            rules=RULES,
            error=error,
            why="Choose the password you will sign in with.",
        )

    @router.post("/{identity_store_id}/portal/set-password")
    async def set_password(identity_store_id: str, request: Request) -> Response:
        form = await r.form_of(request)
        token, new = form.get("token", "")[:100], form.get("new_password", "")
        if new != form.get("confirm_password"):
            return password_form(identity_store_id, token, "The two passwords differ.", 400)
        try:
            accepted = links.set_password(identity_store_id, token, new)
        except ApiError as error:
            return password_form(identity_store_id, token, error.message, 400)
        if not accepted:
            return done(identity_store_id, "Set your password", GONE, 404)
        return r.redirect(f"{base_of(identity_store_id)}/login")

    @router.get("/{identity_store_id}/portal/verify-email")
    def verify_email_page(identity_store_id: str, token: str = "") -> Response:
        return r.page(
            "confirm.html",
            store_id=identity_store_id,
            base=base_of(identity_store_id),
            signed_in=None,
            heading="Verify your e-mail address",
            message="Confirm that this address is yours.",
            token=token[:100],
            action=f"{base_of(identity_store_id)}/verify-email",
        )

    @router.post("/{identity_store_id}/portal/verify-email")
    async def verify_email(identity_store_id: str, request: Request) -> Response:
        form = await r.form_of(request)
        if not links.verify_email(identity_store_id, form.get("token", "")[:100]):
            return done(identity_store_id, "Verify your e-mail address", GONE, 404)
        return done(identity_store_id, "E-mail address verified", "Thank you.")

    return router
